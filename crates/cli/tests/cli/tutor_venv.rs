//! The README of `export tutor` run as written, in a new virtual environment: its `pip install`
//! line (the packages of every plugin it enables, from PyPI or the pip configuration of the
//! machine) and its `tutor` commands, each through `sh` from the export's directory. Then the
//! MFEs the README names are what the new Tutor renders. Slow (a full install, about a minute),
//! so done once, for the starter estate.

use crate::tutor::Tutor;
use crate::tutor_mfes::{assert_readme_is_what_tutor_builds, starter};
use edx_matrix_test_support::{missing, require, require_tutor};
use std::path::Path;
use std::process::Command;

/// The variables pip needs from the caller's environment: its configuration (`PIP_*`: index,
/// wheel directories, certificates) and proxies.
fn pip_environment(command: &mut Command) {
    for (name, value) in std::env::vars_os() {
        let name_text = name.to_string_lossy();
        let proxy = name_text.to_ascii_lowercase().ends_with("_proxy");
        if name_text.starts_with("PIP_") || proxy || name_text == "SSL_CERT_FILE" {
            command.env(&name, value);
        }
    }
    // The caller's pip cache, so a second run does not download again.
    if std::env::var_os("PIP_CACHE_DIR").is_none()
        && let Some(home) = std::env::var_os("HOME")
    {
        command.env("PIP_CACHE_DIR", Path::new(&home).join(".cache/pip"));
    }
}

/// The commands of the README's first `sh` block.
fn commands(readme: &str) -> Vec<String> {
    let start = readme.find("```sh\n").unwrap() + "```sh\n".len();
    let end = start + readme[start..].find("```\n").unwrap();
    readme[start..end].lines().map(str::to_owned).collect()
}

#[test]
fn tutor_readme_commands_run_in_a_fresh_venv() {
    let test = "tutor_readme_commands_run_in_a_fresh_venv";
    // The other Tutor tests' environment must be there too: this test is one of them.
    if require_tutor(test).is_none() {
        return;
    }
    let Some(python) = require(test, "python3", "install Python 3 with its venv module") else {
        return;
    };
    let env = starter(|text| text);
    let export = env.run(&["export", "tutor", "mysite", "Production", "-o", "out"]);
    export.code(0);
    let export_stderr = export.stderr.clone();
    let venv = env.path("venv");
    let created = Command::new(&python)
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let path = std::env::join_paths(std::iter::once(venv.join("bin")).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let readme = env.read("out/README.md");
    let lines = commands(&readme);
    assert_eq!(
        lines[0],
        "pip install \"tutor>=22,<23\" \"tutor-forum>=22,<23\" \"tutor-notes>=22,<23\" \"tutor-mfe>=22.1,<23\""
    );
    for line in &lines {
        let mut command = Command::new("sh");
        command
            .args(["-c", line])
            .current_dir(env.path("out"))
            .env_clear()
            .env("PATH", &path)
            .env("HOME", env.path("."))
            .env("TUTOR_ROOT", env.path("root"))
            .env("TUTOR_PLUGINS_ROOT", env.path("plugins"));
        pip_environment(&mut command);
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() && line.starts_with("pip install") {
            missing(
                test,
                &format!("`{line}` failed (no PyPI or wheel directory?):\n{stderr}"),
                "give pip a package index (PIP_INDEX_URL, PIP_FIND_LINKS or network)",
            );
            return;
        }
        assert!(output.status.success(), "`{line}` failed:\n{stderr}");
    }
    let tutor = Tutor {
        program: venv.join("bin/tutor"),
        env,
        export_stderr,
    };
    let version = tutor.run(&["--version"]).0;
    assert!(version.starts_with("tutor, version 22."), "{version}");
    assert_eq!(tutor.value("OPENEDX_COMMON_VERSION"), "release/verawood");
    let mfes = assert_readme_is_what_tutor_builds(&tutor);
    assert!(mfes.legacy.iter().any(|(name, _, _)| name == "authn"));
}
