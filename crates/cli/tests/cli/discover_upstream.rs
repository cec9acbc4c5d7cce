//! `discover` reads what each new release is from bare repositories laid out like the upstream
//! ones (served by `git daemon`, and over smart HTTP with a 301 for a renamed repository), with
//! `release add --from-upstream`'s reader: each fact with where it came from, and a `release
//! add` command holding only read facts — a placeholder, which `release add` refuses, for one
//! upstream does not declare. The printed commands are run by `sh`, as a user would paste them.

use crate::git::sealed_git;
use crate::harness::Env;
use crate::release_upstream::{matrix, upstream};
use edx_matrix_test_support::Daemon;
use edx_matrix_test_support::HttpGit;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The release-upstream matrix on `olive` (pre-Teak), so upstream's palm (pre-Teak branch),
/// verawood (Teak-style, `.python-version`) and willow (tox envs only: no single Python
/// version) are all new.
fn olive_matrix(platform: &str) -> String {
    matrix(platform).replace("ulmo", "olive")
}

/// Runs `command` as printed, through `sh -c`, with the binary on `PATH`, in `env`.
fn sh(env: &Env, command: &str) -> (i32, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_edx-matrix"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("sh")
        .args(["-c", command])
        .current_dir(env.dir.path())
        .env_clear()
        .env("PATH", path)
        .env("HOME", env.dir.path())
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn discover_reads_each_new_release_from_upstream_and_prints_only_read_facts() {
    let env = Env::with_matrix(&olive_matrix("openedx-platform"));
    // Canonical to start with, so `fmt --check` below judges only what the commands wrote.
    env.run(&["fmt"]).code(0);
    let daemon = Daemon::start(&sealed_git(&env), &upstream(&env)).unwrap();
    let repository = daemon.url("openedx-platform");

    let run = env.run(&["discover", "--repository", &repository]);
    run.code(0);
    let port = daemon.port().to_string();
    let out = run.stdout.replace(&port, "[PORT]");
    insta::assert_snapshot!(out);
    for line in [
        // pre-Teak branch scheme, setup.cfg, a `v16.20.0` .nvmrc
        "  branch  open-release/palm.master — openedx-platform:refs/heads/open-release/palm.master (open-release/<name>.master (before Teak))",
        "  python  3.8 — openedx-platform@open-release/palm.master:setup.cfg (line 2; no .python-version)",
        "  node    16 — frontend-app-learning@open-release/palm.master:.nvmrc (the same in 2 of 2 MFE repositories)",
        "  edx-matrix release add palm --branch open-release/palm.master --python 3.8 --node 16",
        // Teak-style
        "  python  3.12 — openedx-platform@release/verawood:.python-version (line 1)",
        "  edx-matrix release add verawood --branch release/verawood --python 3.12 --node 24",
        // edx-platform declares no single Python version: asked for, not copied from olive
        "  python  not read: openedx-platform@release/willow declares no single Python version",
        "  edx-matrix release add willow --branch release/willow --python '<PYTHON>' --node 24",
        "  (fill in `<PYTHON>`: upstream does not declare it, and nothing is copied from another release)",
    ] {
        assert!(out.contains(line), "no {line:?} in:\n{out}");
    }
    assert!(
        !out.contains("--python 3.11") && !out.contains("--node 20"),
        "olive's versions were copied:\n{out}"
    );

    let commands: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  edx-matrix release add "))
        .collect();
    assert_eq!(commands.len(), 3, "{}", run.stdout);
    // The placeholder, pasted unfilled, is refused and writes nothing.
    let before = env.read("edx-matrix.toml");
    let willow = format!("edx-matrix release add {}", commands[2]);
    let (code, stderr) = sh(&env, &willow);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("invalid python version `<PYTHON>`"),
        "{stderr}"
    );
    assert_eq!(env.read("edx-matrix.toml"), before);
    // The complete commands, pasted, add the releases with the values upstream declares.
    for command in &commands[..2] {
        let (code, stderr) = sh(&env, &format!("edx-matrix release add {command}"));
        assert_eq!(code, 0, "{command}: {stderr}");
    }
    let written: Vec<String> = env
        .read("edx-matrix.toml")
        .lines()
        .filter(|l| l.starts_with("palm ") || l.starts_with("verawood "))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        written,
        [
            r#"palm = { branch = "open-release/palm.master", python = "3.8", node = "16" }"#,
            r#"verawood = { branch = "release/verawood", python = "3.12", node = "24" }"#,
        ]
    );
    env.run(&["check"]).code(0);
    env.run(&["fmt", "--check"]).code(0);
    // Now only willow is new.
    let run = env.run(&["discover", "--repository", &repository, "--format", "json"]);
    let report: Value = serde_json::from_str(run.ok()).unwrap();
    let new: Vec<&str> = report["releases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "new")
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(new, ["willow"]);
}

#[test]
fn discover_json_carries_the_facts_and_their_sources() {
    let env = Env::with_matrix(&olive_matrix("openedx-platform"));
    let daemon = Daemon::start(&sealed_git(&env), &upstream(&env)).unwrap();
    let run = env.run(&[
        "discover",
        "--repository",
        &daemon.url("openedx-platform"),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(run.ok()).unwrap();
    let release = |name: &str| -> Value {
        report["releases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .cloned()
            .unwrap()
    };
    let verawood = release("verawood");
    let facts = &verawood["facts"];
    assert_eq!(facts["branch"]["value"], "release/verawood");
    assert_eq!(
        facts["branch"]["source"],
        "openedx-platform:refs/heads/release/verawood"
    );
    assert_eq!(facts["tags"], serde_json::json!(["release/verawood.1"]));
    assert_eq!(facts["python"]["value"], "3.12");
    assert_eq!(
        facts["python"]["source"],
        "openedx-platform@release/verawood:.python-version"
    );
    assert_eq!(facts["node"]["value"], "24");
    assert_eq!(
        facts["node"]["source"],
        "frontend-app-learning@release/verawood:.nvmrc"
    );
    assert_eq!(facts["missing"], serde_json::json!([]));
    assert_eq!(verawood.get("placeholders"), None);

    let willow = release("willow");
    assert_eq!(willow["facts"].get("python"), None);
    assert_eq!(willow["facts"]["missing"][0]["flag"], "--python");
    assert!(
        willow["facts"]["missing"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("openedx-platform@release/willow declares no single Python version"),
        "{willow}"
    );
    assert_eq!(willow["placeholders"], serde_json::json!(["--python"]));
    assert_eq!(
        willow["command"],
        "edx-matrix release add willow --branch release/willow --python '<PYTHON>' --node 24"
    );
    // A release the matrix has is not read.
    let olive_report = report["releases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("facts").is_some())
        .count();
    assert_eq!(olive_report, 3);
}

#[test]
fn discover_reports_a_renamed_repository_through_the_redirect() {
    let env = Env::with_matrix(&olive_matrix("edx-platform"));
    let server = HttpGit::start(
        &sealed_git(&env),
        &upstream(&env),
        &[("edx-platform", "openedx-platform")],
    )
    .unwrap();
    // The default repository: edx-platform's in the matrix, here under the served base.
    let text = env
        .read("edx-matrix.toml")
        .replace("https://github.com/openedx", &server.base());
    env.write("edx-matrix.toml", &text);
    let run = env.run(&["discover"]);
    run.code(0);
    let expected = format!(
        "  renamed edx-platform → openedx-platform ({}/ answers for it): update the matrix's repository",
        server.url("openedx-platform")
    );
    assert!(run.stdout.contains(&expected), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("  python  3.12 — openedx-platform@release/verawood:.python-version"),
        "{}",
        run.stdout
    );
}
