//! `verify-refs` and `discover` against real git: bare remotes created in the scratch directory,
//! served as `file://` and by `git daemon` on 127.0.0.1. Also the sealed-git helpers the other
//! modules build their repositories with. Commit dates are fixed, so hashes are the same on
//! every run.

use crate::harness::{Env, fixture};
pub(crate) use edx_matrix_test_support::file_url;
use edx_matrix_test_support::{Daemon, Git, closed_port, silent_server};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Sealed `git` (the scratch directory as `HOME`, no system config), as the binary under test
/// runs it.
pub(crate) fn sealed_git(env: &Env) -> Git {
    Git::new(env.dir.path())
}

/// Runs `git ARGS` in `cwd` with both commit dates set to `date`; panics on failure.
#[track_caller]
pub(crate) fn git_at(env: &Env, cwd: &Path, date: &str, args: &[&str]) -> String {
    sealed_git(env).run_at(cwd, date, args)
}

/// Runs `git ARGS` in `cwd` with commits dated 2024-01-01; panics on failure.
#[track_caller]
pub(crate) fn git(env: &Env, cwd: &Path, args: &[&str]) -> String {
    sealed_git(env).run(cwd, args)
}

/// Creates the bare repository `<scratch>/<name>` whose branches all point at one empty commit
/// and whose tags are annotated tags of it.
pub(crate) fn bare_repo(env: &Env, name: &str, branches: &[&str], tags: &[&str]) -> PathBuf {
    sealed_git(env)
        .bare_repo(env.dir.path(), name, branches, tags)
        .unwrap()
}

/// A `git daemon` serving the scratch directory over `git://`.
fn daemon(env: &Env) -> Daemon {
    Daemon::start(&sealed_git(env), env.dir.path()).unwrap()
}

/// Origins sort by URL, so the three unreachable ones use distinct schemes (`git`, `http`,
/// `https`) to keep their order independent of the ports.
///
/// Replaces the number after every `127.0.0.1:` and `port ` with `[PORT]`, and curl's
/// connection time with `[N]`.
fn normalize_ports(text: &str) -> String {
    let mut text = text.to_owned();
    for marker in ["127.0.0.1:", "port "] {
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(pos) = rest.find(marker) {
            let (before, after) = rest.split_at(pos + marker.len());
            out.push_str(before);
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                out.push_str("[PORT]");
            }
            rest = &after[digits..];
        }
        out.push_str(rest);
        text = out;
    }
    // curl's "Failed to connect … after 0 ms" varies with the machine's load.
    crate::harness::masked_millis(&text, "after ")
}

/// The 1-based line of the first line of `text` that starts with `prefix`.
fn line_of(text: &str, prefix: &str) -> u64 {
    let index = text.lines().position(|l| l.starts_with(prefix)).unwrap();
    u64::try_from(index).unwrap() + 1
}

// ── verify-refs ─────────────────────────────────────────────────────────────────────────────

#[test]
fn verify_refs_reports_missing_branches_and_unreachable_origins() {
    let env = Env::new();
    let platform = bare_repo(
        &env,
        "edx-platform.git",
        &["master", "release/ulmo"],
        &["release/ulmo.1"],
    );
    bare_repo(&env, "frontend-app-learning.git", &["master"], &[]);
    let daemon = daemon(&env);
    let (silent, _connections) = silent_server().unwrap();
    let refused = closed_port().unwrap();
    let matrix = format!(
        r#"stages = ["CI", "Production"]

[releases]
ulmo = {{ branch = "release/ulmo", python = "3.11", node = "24" }}

[applications]
edx-platform = {{ kind = "ida", repository = "{platform}" }}
learning     = {{ kind = "mfe", repository = "{learning}", path = "learn" }}
forum        = {{ kind = "ida", repository = "git://127.0.0.1:{refused}/gone.git" }}
notes-api    = {{ kind = "ida", repository = "https://robot:s3cret-token@127.0.0.1:{refused}/notes.git" }}
xqueue       = {{ kind = "ida", repository = "http://127.0.0.1:{silent}/slow.git" }}

[deployments]
site = {{ CI = "ulmo", Production = "ulmo" }}

[[map]]
releases    = ["ulmo"]
deployments = ["site"]
[map.apps]
edx-platform = {{}}
learning     = {{}}
forum        = {{}}
notes-api    = {{ branch = "main" }}
xqueue       = {{}}

# The credential is deliberate: git's messages must not show it either.
[lints]
url-credentials = "warn"
"#,
        platform = file_url(&platform),
        learning = daemon.url("frontend-app-learning.git"),
    );
    env.write("edx-matrix.toml", &matrix);

    let run = env.run(&["verify-refs", "--timeout", "2", "--retries", "0"]);
    run.code(1);
    assert!(!run.stdout.contains("s3cret") && !run.stderr.contains("s3cret"));
    insta::assert_snapshot!(normalize_ports(&run.snapshot()));

    let run = env.run(&[
        "verify-refs",
        "--timeout",
        "2",
        "--retries",
        "0",
        "--format",
        "json",
    ]);
    run.code(1);
    assert!(!run.stdout.contains("s3cret"), "{}", run.stdout);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["checked_origins"], 5);
    assert_eq!(report["wanted"], 5);
    assert_eq!(report["present"], 1);
    let missing = report["missing"].as_array().unwrap();
    assert_eq!(missing.len(), 1);
    assert_eq!(
        missing[0]["origin"],
        daemon.url("frontend-app-learning.git")
    );
    assert_eq!(missing[0]["branch"], "release/ulmo");
    let reference = &missing[0]["references"][0];
    assert_eq!(reference["application"], "learning");
    assert_eq!(reference["file"], "[TMP]/edx-matrix.toml");
    assert_eq!(reference["line"], line_of(&matrix, "learning     = {}"));
    assert_eq!(reference["branch_of_release"], "ulmo");
    assert_eq!(reference["release_line"], line_of(&matrix, "ulmo = "));
    assert_eq!(reference["stages"], serde_json::json!(["CI", "Production"]));

    let unreachable: Vec<(&str, &str)> = report["unreachable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["origin"].as_str().unwrap(), o["error"].as_str().unwrap()))
        .collect();
    assert_eq!(unreachable.len(), 3);
    // The credential is masked as everywhere else (`edx_matrix_model::url::redact_url`).
    let notes = format!("https://robot:***@127.0.0.1:{refused}/notes.git");
    let slow = format!("http://127.0.0.1:{silent}/slow.git");
    assert!(
        unreachable.iter().any(|(o, _)| *o == notes),
        "{unreachable:?}"
    );
    let (_, slow_error) = unreachable.iter().find(|(o, _)| *o == slow).unwrap();
    assert!(slow_error.contains("timed out after 2 s"), "{slow_error}");
    let notes_entry = report["unreachable"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["origin"] == notes.as_str())
        .unwrap();
    assert_eq!(notes_entry["branches"][0]["branch"], "main");
    assert_eq!(
        notes_entry["branches"][0]["references"][0]["line"],
        line_of(&matrix, "notes-api    = { branch")
    );
}

#[test]
fn verify_refs_passes_when_every_branch_exists() {
    let env = Env::new();
    bare_repo(&env, "edx-platform.git", &["release/ulmo", "master"], &[]);
    bare_repo(
        &env,
        "cs_comments_service.git",
        &["release/ulmo", "master"],
        &[],
    );
    let daemon = daemon(&env);
    let matrix = fixture("valid/minimal.toml")
        .replace(
            "https://github.com/openedx/cs_comments_service",
            &daemon.url("cs_comments_service.git"),
        )
        .replace(
            "forum = {}",
            &format!(
                "forum = {{}}\nedx-platform = {{ origin = \"{}\", branch = \"master\" }}",
                file_url(&env.path("edx-platform.git"))
            ),
        )
        .replace(
            "[applications]\n",
            "[applications]\nedx-platform = { kind = \"ida\", repository = \"https://github.com/openedx/edx-platform\" }\n",
        );
    env.write("edx-matrix.toml", &matrix);
    let run = env.run(&["verify-refs", "--jobs", "2"]);
    assert_eq!(
        run.ok(),
        "2 branches in 2 origins: 2 present, 0 missing\n",
        "{}",
        run.stderr
    );
}

// ── discover ────────────────────────────────────────────────────────────────────────────────

#[test]
fn discover_lists_upstream_releases_and_suggests_the_new_ones() {
    let env = Env::new();
    let upstream = bare_repo(
        &env,
        "edx-platform.git",
        &[
            "master",
            "feature/x",
            "open-release/palm.master",
            "release/teak",
            "release/ulmo",
        ],
        &[
            "open-release/palm.1",
            "open-release/palm.2",
            "release/teak.1",
            "release/ulmo.1",
            "v1.0",
        ],
    );
    let matrix = format!(
        r#"stages = ["CI"]

[releases]
teak   = {{ branch = "release/teak", python = "3.11", node = "20" }}
master = {{ branch = "master", python = "3.12", node = "24" }}

[applications]
edx-platform = {{ kind = "ida", repository = "{}" }}

[deployments]
site = {{ CI = "teak" }}

[[map]]
releases = ["teak", "master"]
deployments = ["site"]
[map.apps]
edx-platform = {{}}
"#,
        file_url(&upstream)
    );
    env.write("edx-matrix.toml", &matrix);

    // The default repository is edx-platform's in the matrix.
    let run = env.run(&["discover"]);
    run.code(0);
    insta::assert_snapshot!(run.snapshot());

    let run = env.run(&[
        "discover",
        "--repository",
        &file_url(&upstream),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(report.get("runtimes_from"), None, "nothing is copied");
    let summary: Vec<(&str, &str, Option<&str>)> = report["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
                r["command"].as_str(),
            )
        })
        .collect();
    // This upstream declares no Python version and the matrix has no MFE: both are left as
    // placeholders, never copied from `master`.
    assert_eq!(
        summary,
        [
            ("palm", "older", None),
            ("teak", "in-matrix", None),
            (
                "ulmo",
                "new",
                Some(
                    "edx-matrix release add ulmo --branch release/ulmo --python '<PYTHON>' --node '<NODE>'"
                )
            ),
        ]
    );
    assert_eq!(
        report["releases"][2]["placeholders"],
        serde_json::json!(["--python", "--node"])
    );
    assert_eq!(
        report["releases"][2]["facts"]["branch"]["value"],
        "release/ulmo"
    );
    assert_eq!(report["releases"][1].get("facts"), None);

    let run = env.run(&["discover", "--repository", "file:///nonexistent/repo.git"]);
    run.code(3);
    assert!(run.stderr.contains("cannot list refs"), "{}", run.stderr);
}
