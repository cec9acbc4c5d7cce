//! `export tutor` checked against real Tutor (22.0.3, tutor-mfe 22.1.0, tutor-notes/xqueue/forum
//! 22.0.0, tutor-contrib-codejail 22.0.1 from `.ci/python-requirements.txt`): the exported plugin
//! is installed into a temporary Tutor root, enabled with the plugins it names, and
//! `tutor config save` renders the environment; every value is read back with
//! `tutor config printvalue` and the repositories and branches must reach the rendered
//! Dockerfiles. No Docker engine: nothing is built. The expected values are written by hand
//! from `examples/acme/edx-matrix.toml`.

use crate::harness::Env;
use edx_matrix_test_support::require_tutor;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A Tutor root and plugins root in a scratch directory.
pub(crate) struct Tutor {
    pub(crate) program: PathBuf,
    pub(crate) env: Env,
    /// The standard error of `edx-matrix export tutor`.
    pub(crate) export_stderr: String,
}

impl Tutor {
    /// `program` with nothing of the caller's environment but a home and the Tutor roots in the
    /// scratch directory.
    pub(crate) fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .env_clear()
            .env("HOME", self.env.path("."))
            .env("TUTOR_ROOT", self.env.path("root"))
            .env("TUTOR_PLUGINS_ROOT", self.env.path("plugins"));
        command
    }

    pub(crate) fn run(&self, args: &[&str]) -> (String, String) {
        let output = self
            .command(&self.program)
            .args(args)
            .current_dir(self.env.path("."))
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            output.status.success(),
            "tutor {args:?} failed:\n{stdout}\n{stderr}"
        );
        (stdout, stderr)
    }

    /// Whether `tutor config printvalue KEY` finds the setting.
    fn has_value(&self, key: &str) -> bool {
        self.command(&self.program)
            .args(["config", "printvalue", key])
            .output()
            .unwrap()
            .status
            .success()
    }

    pub(crate) fn value(&self, key: &str) -> String {
        self.run(&["config", "printvalue", key])
            .0
            .trim_end()
            .to_owned()
    }

    pub(crate) fn rendered(&self, path: &str) -> String {
        std::fs::read_to_string(self.env.path("root/env").join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// Exports `deployment stage` with the binary, installs and enables the plugin in a new Tutor
/// root (`enable` lists the plugins the README must name), saves the configuration; returns
/// the Tutor and the standard error of the last `config save`.
fn install(
    test: &str,
    matrix: Option<&str>,
    deployment: &str,
    stage: &str,
    enable: &[&str],
) -> Option<(Tutor, String)> {
    let program = require_tutor(test)?;
    let env = match matrix {
        Some(text) => Env::with_example_matrix(text),
        None => Env::new(),
    };
    install_in(program, env, matrix.is_none(), deployment, stage, enable)
}

/// [`install`] in `env` (`example`: with `--example`), with the Tutor `program`.
pub(crate) fn install_in(
    program: PathBuf,
    env: Env,
    example: bool,
    deployment: &str,
    stage: &str,
    enable: &[&str],
) -> Option<(Tutor, String)> {
    let mut args = vec!["export", "tutor", deployment, stage, "-o", "out"];
    if example {
        args.insert(0, "--example");
    }
    let export_stderr = env.run(&args).code(0).stderr.clone();
    let readme = env.read("out/README.md");
    let command = format!("tutor plugins enable {}\n", enable.join(" "));
    assert!(readme.contains(&command), "{readme}");
    let plugin = enable.last().unwrap();
    let tutor = Tutor {
        program,
        env,
        export_stderr,
    };
    tutor.run(&["config", "save"]);
    tutor.run(&["plugins", "install", &format!("out/{plugin}.py")]);
    assert!(tutor.env.path(&format!("plugins/{plugin}.py")).is_file());
    let mut args = vec!["plugins", "enable"];
    args.extend(enable);
    tutor.run(&args);
    let (_, stderr) = tutor.run(&["config", "save"]);
    Some((tutor, stderr))
}

/// [`install`] of the online QA export, with the plugins its README names.
fn install_online_qa(test: &str, matrix: Option<&str>) -> Option<(Tutor, String)> {
    install(
        test,
        matrix,
        "online",
        "QA",
        &["codejail", "forum", "notes", "mfe", "edx_matrix_online_qa"],
    )
}

fn assert_values(tutor: &Tutor, expected: &[(&str, &str)]) {
    for (key, value) in expected {
        assert_eq!(tutor.value(key), *value, "{key}");
    }
}

fn assert_mfes(tutor: &Tutor, mfes: &[(&str, &str)], absent: &[&str]) {
    let dockerfile = tutor.rendered("plugins/mfe/build/mfe/Dockerfile");
    for (repository, branch) in mfes {
        let line = format!("ADD --keep-git-dir=true {repository}#{branch} .\n");
        assert!(
            dockerfile.contains(&line),
            "no `{line}` in the MFE Dockerfile"
        );
    }
    for name in absent {
        let repo = format!("frontend-app-{name}.git");
        assert!(!dockerfile.contains(&repo), "{name} is built");
    }
}

/// [`assert_mfes`] for MFEs built from their upstream repositories (`frontend-app-NAME`), all on
/// `branch`.
fn assert_upstream_mfes(tutor: &Tutor, names: &[&str], branch: &str, absent: &[&str]) {
    let repositories: Vec<String> = names
        .iter()
        .map(|m| format!("{UPSTREAM}/frontend-app-{m}.git"))
        .collect();
    let mfes: Vec<(&str, &str)> = repositories.iter().map(|r| (r.as_str(), branch)).collect();
    assert_mfes(tutor, &mfes, absent);
}

pub(crate) fn assert_platform(tutor: &Tutor, repository: &str, branch: &str) {
    let dockerfile = tutor.rendered("build/openedx/Dockerfile");
    assert!(dockerfile.contains(&format!("ARG EDX_PLATFORM_REPOSITORY={repository}\n")));
    assert!(dockerfile.contains(&format!("ARG EDX_PLATFORM_VERSION={branch}\n")));
}

fn assert_clone(tutor: &Tutor, plugin: &str, repository: &str, branch: &str) {
    let dockerfile = tutor.rendered(&format!("plugins/{plugin}/build/{plugin}/Dockerfile"));
    let line = format!("RUN git clone {repository} --branch {branch} --depth 1");
    assert!(
        dockerfile.contains(&line),
        "no `{line}` in {plugin}'s Dockerfile"
    );
}

pub(crate) fn assert_codejail(tutor: &Tutor, repository: &str, branch: &str) {
    let dockerfile = tutor.rendered("plugins/codejail/build/codejail/Dockerfile");
    assert!(dockerfile.contains(&format!("ARG CODEJAIL_SERVICE_REPO={repository}\n")));
    assert!(dockerfile.contains(&format!("ARG CODEJAIL_SERVICE_VERSION={branch}\n")));
}

const UPSTREAM: &str = "https://github.com/openedx";

#[test]
fn tutor_runs_the_pro_production_plugin() {
    let Some((tutor, stderr)) = install(
        "tutor_runs_the_pro_production_plugin",
        None,
        "pro",
        "Production",
        &["notes", "mfe", "edx_matrix_pro_production"],
    ) else {
        return;
    };
    // teak needs Tutor 20; the installed Tutor is 22.
    assert!(
        stderr.contains("edx-matrix: release teak needs Tutor 20.x, but this is Tutor 22."),
        "{stderr}"
    );
    assert_values(
        &tutor,
        &[
            ("OPENEDX_COMMON_VERSION", "release/teak"),
            (
                "EDX_PLATFORM_REPOSITORY",
                "https://github.com/acme-edu/edx-platform.git",
            ),
            ("EDX_PLATFORM_VERSION", "pro/teak"),
            (
                "NOTES_REPOSITORY",
                "https://github.com/openedx/edx-notes-api.git",
            ),
            ("NOTES_REPOSITORY_VERSION", "master"),
            ("MFE_NODE_IMAGE", "docker.io/node:20-bookworm-slim"),
        ],
    );
    assert_platform(
        &tutor,
        "https://github.com/acme-edu/edx-platform.git",
        "pro/teak",
    );
    assert_clone(
        &tutor,
        "notes",
        "https://github.com/openedx/edx-notes-api.git",
        "master",
    );
    assert_upstream_mfes(
        &tutor,
        &[
            "authoring",
            "communications",
            "learner-dashboard",
            "learning",
        ],
        "release/teak",
        &["discussions", "gradebook", "ora-grading"],
    );
    let mfe = tutor.rendered("plugins/mfe/build/mfe/Dockerfile");
    assert!(mfe.contains("ARG NODE_IMAGE=docker.io/node:20-bookworm-slim\n"));
}

#[test]
fn tutor_runs_the_campus_ci_plugin() {
    let Some((tutor, stderr)) = install(
        "tutor_runs_the_campus_ci_plugin",
        None,
        "campus",
        "CI",
        &["codejail", "notes", "xqueue", "mfe", "edx_matrix_campus_ci"],
    ) else {
        return;
    };
    assert!(
        stderr.contains("edx-matrix: release master follows master and needs Tutor nightly"),
        "{stderr}"
    );
    assert_values(
        &tutor,
        &[
            ("OPENEDX_COMMON_VERSION", "master"),
            (
                "EDX_PLATFORM_REPOSITORY",
                "https://github.com/acme-edu/edx-platform.git",
            ),
            ("EDX_PLATFORM_VERSION", "acme/master"),
            (
                "CODEJAIL_SERVICE_REPOSITORY",
                "https://github.com/eduNEXT/codejailservice.git",
            ),
            ("CODEJAIL_SERVICE_VERSION", "master"),
            (
                "NOTES_REPOSITORY",
                "https://github.com/openedx/edx-notes-api.git",
            ),
            ("NOTES_REPOSITORY_VERSION", "master"),
            ("XQUEUE_REPOSITORY", "https://github.com/openedx/xqueue.git"),
            ("XQUEUE_REPOSITORY_VERSION", "master"),
            // Node 24: tutor-mfe's pinned 24.14.1 image is kept.
            ("MFE_NODE_IMAGE", "docker.io/node:24.14.1-bookworm-slim"),
        ],
    );
    assert_platform(
        &tutor,
        "https://github.com/acme-edu/edx-platform.git",
        "acme/master",
    );
    assert_codejail(
        &tutor,
        "https://github.com/eduNEXT/codejailservice.git",
        "master",
    );
    assert_clone(
        &tutor,
        "notes",
        "https://github.com/openedx/edx-notes-api.git",
        "master",
    );
    assert_clone(
        &tutor,
        "xqueue",
        "https://github.com/openedx/xqueue.git",
        "master",
    );
    assert_upstream_mfes(
        &tutor,
        &[
            "authoring",
            "discussions",
            "gradebook",
            "learner-dashboard",
            "ora-grading",
            "learning",
        ],
        "master",
        &["communications"],
    );
}

#[test]
fn tutor_runs_the_online_qa_plugin() {
    let Some((tutor, _)) = install_online_qa("tutor_runs_the_online_qa_plugin", None) else {
        return;
    };
    assert_values(
        &tutor,
        &[
            ("OPENEDX_COMMON_VERSION", "master"),
            (
                "EDX_PLATFORM_REPOSITORY",
                "https://github.com/openedx/edx-platform.git",
            ),
            ("EDX_PLATFORM_VERSION", "master"),
            (
                "CODEJAIL_SERVICE_REPOSITORY",
                "https://github.com/eduNEXT/codejailservice.git",
            ),
            ("CODEJAIL_SERVICE_VERSION", "master"),
            (
                "NOTES_REPOSITORY",
                "https://github.com/openedx/edx-notes-api.git",
            ),
            ("NOTES_REPOSITORY_VERSION", "master"),
            // Node 24: tutor-mfe's pinned 24.14.1 image is kept.
            ("MFE_NODE_IMAGE", "docker.io/node:24.14.1-bookworm-slim"),
        ],
    );
    // tutor-forum 22 runs the Python forum: no repository setting is added.
    assert_eq!(tutor.value("FORUM_VERSION"), "22.0.0");
    assert!(!tutor.has_value("FORUM_REPOSITORY"));
    assert!(tutor.has_value("NOTES_REPOSITORY"));
    assert_platform(
        &tutor,
        "https://github.com/openedx/edx-platform.git",
        "master",
    );
    assert_codejail(
        &tutor,
        "https://github.com/eduNEXT/codejailservice.git",
        "master",
    );
    assert_clone(
        &tutor,
        "notes",
        "https://github.com/openedx/edx-notes-api.git",
        "master",
    );
    assert_upstream_mfes(
        &tutor,
        &[
            "learning",
            "authoring",
            "discussions",
            "gradebook",
            "learner-dashboard",
            "ora-grading",
            "communications",
        ],
        "master",
        &[],
    );
}

/// campus QA runs verawood, which Tutor 22 targets: no version warning; the learning fork
/// reaches the MFE Dockerfile; an MFE tutor-mfe does not know renders with its assigned port.
#[test]
fn tutor_runs_a_verawood_plugin_with_an_unknown_mfe() {
    let text = edx_matrix_formats::example::TEXT
        .replace(
            "communications    = { kind = \"mfe\"",
            "instructor-tools  = { kind = \"mfe\", repository = \"https://github.com/acme-edu/frontend-app-instructor-tools\", path = \"instructor-tools\" }\ncommunications    = { kind = \"mfe\"",
        )
        .replace("ora-grading       = {}\n", "ora-grading       = {}\ninstructor-tools  = {}\n");
    let Some((tutor, stderr)) = install(
        "tutor_runs_a_verawood_plugin_with_an_unknown_mfe",
        Some(&text),
        "campus",
        "QA",
        &["codejail", "notes", "xqueue", "mfe", "edx_matrix_campus_qa"],
    ) else {
        return;
    };
    assert!(!stderr.contains("edx-matrix:"), "{stderr}");
    assert_values(
        &tutor,
        &[
            ("OPENEDX_COMMON_VERSION", "release/verawood"),
            ("EDX_PLATFORM_VERSION", "acme/verawood"),
        ],
    );
    assert_mfes(
        &tutor,
        &[
            (
                "https://github.com/acme-edu/frontend-app-learning.git",
                "acme/verawood-fix-jumpnav",
            ),
            (
                "https://github.com/acme-edu/frontend-app-instructor-tools.git",
                "release/verawood",
            ),
        ],
        &["communications"],
    );
    let dockerfile = tutor.rendered("plugins/mfe/build/mfe/Dockerfile");
    assert!(
        dockerfile.contains("EXPOSE 2100\n"),
        "no port for instructor-tools"
    );
}

/// A full Python version for edx-platform reaches the `openedx` images' build arguments (and
/// codejail's Python the `codejail` image's) through
/// the plugin's `IMAGES_BUILD` filter, as `tutor images build` reads them (Tutor's own hooks,
/// driven from the test virtual environment's Python: no Docker).
#[test]
fn tutor_builds_openedx_with_the_stage_python() {
    let text = edx_matrix_formats::example::TEXT.replace(
        "edx-platform      = { runtime = \"3.11\" }",
        "edx-platform      = { runtime = \"3.11.9\" }",
    );
    let Some((tutor, _)) =
        install_online_qa("tutor_builds_openedx_with_the_stage_python", Some(&text))
    else {
        return;
    };
    let python = tutor.program.with_file_name("python");
    let script = "import os\n\
        import tutor.commands.images\n\
        from tutor import config, hooks\n\
        hooks.Actions.CORE_READY.do()\n\
        hooks.Actions.PROJECT_ROOT_READY.do(os.environ['TUTOR_ROOT'])\n\
        for name, _, _, args in hooks.Filters.IMAGES_BUILD.apply([], config.load(os.environ['TUTOR_ROOT'])):\n\
        \x20   print(name, ' '.join(args))\n";
    let output = tutor
        .command(&python)
        .args(["-c", script])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The codejail service on the release's Python 3.12, as `APP_PY_VER`.
    assert!(
        stdout
            .lines()
            .any(|l| l == "codejail --build-arg=APP_PY_VER=3.12"),
        "{stdout}"
    );
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("openedx"))
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0], "openedx --build-arg=PYTHON_VERSION=3.11.9");
    // openedx-dev also has Tutor's own `--target=development --build-arg=APP_USER_ID=<uid>`.
    assert!(
        lines[1].starts_with("openedx-dev --target=development "),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with(" --build-arg=PYTHON_VERSION=3.11.9"),
        "{}",
        lines[1]
    );
    assert_eq!(tutor.value("EDX_PLATFORM_VERSION"), "master");
}

/// `TUTOR_*` vars of a deployment and of a stage reach Tutor as settings of their own type; the
/// stage's value wins over the deployment's, and vars without the prefix stay out.
#[test]
fn tutor_receives_the_stage_tutor_vars() {
    let text = edx_matrix_formats::example::TEXT.replace(
        "online         = { CI = \"master\",   QA = \"master\",   Production = \"master\" }",
        "online         = { CI = \"master\",   QA = { release = \"master\", vars = { TUTOR_LMS_HOST = \"qa.online.example\", TUTOR_ENABLE_HTTPS = false } },   Production = \"master\", vars = { TUTOR_LMS_HOST = \"online.example\", TUTOR_ENABLE_HTTPS = true, TUTOR_RUN_MYSQL = false, SITE_NAME = \"pipelines only\" } }",
    );
    let Some((tutor, _)) = install_online_qa("tutor_receives_the_stage_tutor_vars", Some(&text))
    else {
        return;
    };
    assert_eq!(tutor.value("LMS_HOST"), "qa.online.example");
    assert_eq!(tutor.value("ENABLE_HTTPS"), "false");
    assert_eq!(tutor.value("RUN_MYSQL"), "false");
    let plugin = tutor.env.read("out/edx_matrix_online_qa.py");
    assert!(plugin.contains("(\"ENABLE_HTTPS\", False),"), "{plugin}");
    assert!(!plugin.contains("SITE_NAME"), "{plugin}");
}
