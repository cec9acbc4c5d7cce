//! `verify-refs`, `discover`, `diff` and `history` against real git: repositories and bare
//! remotes created in the scratch directory, served as `file://` and by `git daemon` on
//! 127.0.0.1. Commit dates are fixed, so hashes are the same on every run.

use crate::harness::{Env, fixture, fixtures};
pub(crate) use edx_matrix_test_support::git::file_url;
use edx_matrix_test_support::git::{Daemon, Git, closed_port, silent_server};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

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
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(pos) = rest.find("after ") {
        let (before, after) = rest.split_at(pos + "after ".len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(" ms") {
            out.push_str("[N]");
            rest = &after[digits..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
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
    assert_eq!(report["runtimes_from"], "master");
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
    assert_eq!(
        summary,
        [
            ("palm", "older", None),
            ("teak", "in-matrix", None),
            (
                "ulmo",
                "new",
                Some("edx-matrix release add ulmo --branch release/ulmo --python 3.12 --node 24")
            ),
        ]
    );

    let run = env.run(&["discover", "--repository", "file:///nonexistent/repo.git"]);
    run.code(3);
    assert!(run.stderr.contains("cannot list refs"), "{}", run.stderr);
}

// ── diff and history ────────────────────────────────────────────────────────────────────────

fn acme() -> String {
    std::fs::read_to_string(fixtures().join("../../examples/acme/edx-matrix.toml")).unwrap()
}

fn acme_with_pro(qa: &str, production: &str) -> String {
    edx_matrix_test_support::acme::pin_pro(&acme(), ["verawood", qa, production])
}

/// A repository whose `edx-matrix.toml` starts as the minimal fixture, becomes the acme estate,
/// has its stages promoted, is broken once, gets moved to `config/` and promoted again.
fn history_repo() -> Env {
    let env = Env::new();
    let top = env.dir.path().to_path_buf();
    git(&env, &top, &["init", "-q"]);
    let commit = |date: &str, subject: &str, file: &str, text: Option<&str>| {
        if let Some(text) = text {
            env.write(file, text);
        }
        git_at(&env, &top, date, &["add", "-A"]);
        git_at(&env, &top, date, &["commit", "-q", "-m", subject]);
    };
    let file = "edx-matrix.toml";
    commit(
        "2024-01-01T10:00:00+00:00",
        "add a minimal matrix",
        file,
        Some(&fixture("valid/minimal.toml")),
    );
    commit(
        "2024-01-02T10:00:00+00:00",
        "switch to the acme estate",
        file,
        Some(&acme_with_pro("ulmo", "teak")),
    );
    commit(
        "2024-01-08T10:00:00+00:00",
        "pro: promote ulmo to Production",
        file,
        Some(&acme_with_pro("ulmo", "ulmo")),
    );
    commit(
        "2024-01-10T10:00:00+00:00",
        "half an edit",
        file,
        Some(&format!("{}\n[releases\n", acme_with_pro("ulmo", "ulmo"))),
    );
    commit(
        "2024-01-11T10:00:00+00:00",
        "pro: promote verawood to QA",
        file,
        Some(&acme_with_pro("verawood", "ulmo")),
    );
    commit(
        "2024-01-12T10:00:00+00:00",
        "unrelated",
        "README.md",
        Some("# acme\n"),
    );
    std::fs::create_dir(top.join("config")).unwrap();
    git_at(
        &env,
        &top,
        "2024-01-15T10:00:00+00:00",
        &["mv", file, "config/edx-matrix.toml"],
    );
    commit(
        "2024-01-15T10:00:00+00:00",
        "move the matrix to config/",
        file,
        None,
    );
    commit(
        "2024-01-20T16:30:00+00:00",
        "pro: promote verawood to Production",
        "config/edx-matrix.toml",
        Some(&acme_with_pro("verawood", "verawood")),
    );
    env
}

#[test]
fn history_follows_the_rename_and_skips_the_broken_revision() {
    let env = history_repo();
    let run = env.run(&[
        "--file",
        "config/edx-matrix.toml",
        "history",
        "--format",
        "json",
    ]);
    let history: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(history["file"], "config/edx-matrix.toml");
    assert_eq!(history["revisions"], 7);
    let skipped = history["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["commit"]["subject"], "half an edit");
    assert_eq!(skipped[0]["path"], "edx-matrix.toml");
    assert!(
        skipped[0]["reason"]
            .as_str()
            .unwrap()
            .contains("line 131: invalid TOML"),
        "{}",
        skipped[0]["reason"]
    );

    let timeline = |deployment: &str, stage: &str| -> Vec<(Option<String>, String)> {
        history["timelines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["deployment"] == deployment && t["stage"] == stage)
            .unwrap()["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["release"].as_str().map(str::to_owned),
                    c["commit"]["subject"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let change =
        |release: Option<&str>, subject: &str| (release.map(str::to_owned), subject.to_owned());
    assert_eq!(
        timeline("site", "CI"),
        [
            change(Some("ulmo"), "add a minimal matrix"),
            change(None, "switch to the acme estate")
        ]
    );
    assert_eq!(
        timeline("pro", "CI"),
        [change(Some("verawood"), "switch to the acme estate")]
    );
    assert_eq!(
        timeline("pro", "QA"),
        [
            change(Some("ulmo"), "switch to the acme estate"),
            change(Some("verawood"), "pro: promote verawood to QA")
        ]
    );
    assert_eq!(
        timeline("pro", "Production"),
        [
            change(Some("teak"), "switch to the acme estate"),
            change(Some("ulmo"), "pro: promote ulmo to Production"),
            change(Some("verawood"), "pro: promote verawood to Production")
        ]
    );
    assert_eq!(
        timeline("campus", "QA"),
        [change(Some("verawood"), "switch to the acme estate")]
    );

    let lead = |deployment: &str, release: &str| -> Value {
        history["lead_times"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["deployment"] == deployment && l["release"] == release)
            .unwrap()["seconds"]
            .clone()
    };
    // From 2024-01-02T10:00 to 2024-01-20T16:30.
    assert_eq!(lead("pro", "verawood"), 18 * 86_400 + 6 * 3600 + 30 * 60);
    // Never seen in CI within the history.
    assert_eq!(lead("pro", "ulmo"), Value::Null);
    // A single-stage matrix: CI is also the last stage.
    assert_eq!(lead("site", "ulmo"), 0);
    assert_eq!(lead("online", "master"), 0);
}

#[test]
fn history_table_for_one_deployment() {
    let env = history_repo();
    let run = env.run(&["-f", "config/edx-matrix.toml", "history", "-d", "pro"]);
    run.code(0);
    insta::assert_snapshot!(run.snapshot());

    let run = env.run(&["-f", "config/edx-matrix.toml", "history", "-d", "prp"]);
    run.code(2);
    assert!(run.stderr.contains("did you mean `pro`?"), "{}", run.stderr);
}

#[test]
fn diff_of_a_promotion_between_revisions() {
    let env = history_repo();
    let args = ["-f", "config/edx-matrix.toml", "diff", "HEAD~1", "HEAD"];
    let run = env.run(&args);
    run.code(0);
    insta::assert_snapshot!("diff_promotion_table", run.snapshot());

    let mut markdown = args.to_vec();
    markdown.extend(["--format", "markdown"]);
    let run = env.run(&markdown);
    run.code(0);
    insta::assert_snapshot!("diff_promotion_markdown", run.stdout);

    let mut json = args.to_vec();
    json.extend(["--format", "json"]);
    let diff: Value = serde_json::from_str(env.run(&json).ok()).unwrap();
    assert_eq!(
        diff["stages"],
        serde_json::json!([{"deployment": "pro", "stage": "Production", "old": "ulmo", "new": "verawood"}])
    );
    assert_eq!(diff["rows"].as_array().unwrap().len(), 7);
    assert_eq!(diff["rebuild"], serde_json::json!([]));
    assert_eq!(diff["redeploy"][0]["stage"], "Production");
    // Production moves to the verawood chain of every family pro runs; the ulmo chain goes.
    let pipelines = &diff["pipelines"];
    assert_eq!(pipelines["computed"], true);
    let changes = pipelines["changes"].as_array().unwrap();
    let names: Vec<&str> = changes
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "edx-platform",
            "notes-api",
            "edxapp_theme",
            "learning",
            "authoring",
            "learner-dashboard",
            "communications"
        ]
    );
    assert!(changes.iter().all(|c| c["change"] == "changed"));
    assert_eq!(
        changes[0]["jobs"],
        serde_json::json!({
            "added": ["deploy-edx-platform-verawood-pro-production"],
            "removed": ["build-edx-platform-ulmo-pro", "deploy-edx-platform-ulmo-pro-production"],
            "changed": [],
        })
    );
    assert_eq!(
        changes[0]["resources"]["removed"],
        serde_json::json!([
            "git-edx-platform-ulmo-pro",
            "artifact-edx-platform-ulmo-pro"
        ])
    );
    assert_eq!(changes[0]["other"], serde_json::json!(["groups"]));
}

#[test]
fn diff_defaults_to_head_against_the_working_tree() {
    let env = history_repo();
    let run = env.run(&["-f", "config/edx-matrix.toml", "diff"]);
    assert_eq!(
        run.ok(),
        "HEAD:config/edx-matrix.toml → config/edx-matrix.toml (working tree)\n\n\
         no change to what is built or deployed\n\npipeline impact: no pipeline changes\n"
    );
    // Before the rename the file had another path: a clear error, not a crash.
    let run = env.run(&["-f", "config/edx-matrix.toml", "diff", "HEAD~3"]);
    run.code(2);
    assert!(
        run.stderr
            .contains("`config/edx-matrix.toml` does not exist at revision `HEAD~3`"),
        "{}",
        run.stderr
    );
    let run = env.run(&["-f", "config/edx-matrix.toml", "diff", "no-such-rev"]);
    run.code(2);
    assert!(run.stderr.contains("unknown revision `no-such-rev`"));
    let run = env.run(&["--example", "diff"]);
    run.code(2);
    // The example has a synthetic history (see `history_charts`).
    env.run(&["--example", "history"]).ok();
}

#[test]
fn diff_of_an_upgrade_between_files() {
    let env = Env::new();
    let old = acme_with_pro("ulmo", "teak");
    // pro starts testing master in CI: the pro blocks gain `master`.
    let new = edx_matrix_test_support::acme::pin_pro(&old, ["master", "ulmo", "teak"])
        .replace(
            r#"releases    = ["verawood", "ulmo", "teak"]"#,
            r#"releases    = ["master", "verawood", "ulmo", "teak"]"#,
        )
        .replace(
            r#"releases    = ["verawood", "ulmo"]"#,
            r#"releases    = ["master", "verawood", "ulmo"]"#,
        );
    env.write("old.toml", &old);
    env.write("new.toml", &new);
    let run = env.run(&["diff", "old.toml", "new.toml"]);
    run.code(0);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn diff_of_a_fork_override_between_files() {
    let env = Env::new();
    let old = acme_with_pro("ulmo", "teak");
    let new = old.replacen(
        "forum             = {}",
        r#"forum             = { origin = "https://github.com/acme-edu/cs_comments_service", branch = "acme/master" }"#,
        1,
    );
    assert_ne!(old, new);
    env.write("old.toml", &old);
    env.write("new.toml", &new);
    let run = env.run(&["diff", "old.toml", "new.toml"]);
    run.code(0);
    insta::assert_snapshot!(run.snapshot());
    let run = env.run(&["diff", "old.toml", "new.toml", "--format", "markdown"]);
    insta::assert_snapshot!(run.ok());

    // An invalid side is reported with its diagnostics, exit 1.
    env.write(
        "broken.toml",
        &format!("{new}\n[deployments.extra]\nCI = \"nope\"\n"),
    );
    let run = env.run(&["diff", "old.toml", "broken.toml"]);
    run.code(1);
    assert!(
        run.stderr.contains("`broken.toml` has 1 error"),
        "{}",
        run.stderr
    );
}

/// Issue 5: `history` on a synthetic repository of 1,000 commits of the matrix file, one hour
/// apart. pro's CI moves every 10 commits, QA every 20, Production every 40, cycling through
/// teak → ulmo → verawood.
#[test]
fn history_of_a_thousand_commits() {
    const RELEASES: [&str; 3] = ["teak", "ulmo", "verawood"];
    let env = Env::new();
    let top = env.dir.path();
    git(&env, top, &["init", "-q"]);
    let acme = acme();
    let pick = |i: usize, every: usize| RELEASES[(i / every) % RELEASES.len()];
    let mut stream = Vec::new();
    for i in 0..1000 {
        let pins = [pick(i, 10), pick(i, 20), pick(i, 40)];
        let text = format!(
            "{}# revision {i}\n",
            edx_matrix_test_support::acme::pin_pro(&acme, pins)
        );
        let message = format!("revision {i}");
        let time = 1_700_000_000 + i * 3600;
        stream.extend_from_slice(
            format!(
                "commit refs/heads/main\ncommitter Test <test@example.invalid> {time} +0000\n\
                 data {}\n{message}\nM 100644 inline edx-matrix.toml\ndata {}\n",
                message.len(),
                text.len()
            )
            .as_bytes(),
        );
        stream.extend_from_slice(text.as_bytes());
        stream.push(b'\n');
    }
    let mut import = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(top)
        .env("HOME", top)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut import.stdin.take().unwrap(), &stream).unwrap();
    assert!(import.wait().unwrap().success());
    git(&env, top, &["checkout", "-q", "main"]);

    let started = Instant::now();
    let run = env.run(&["history", "--deployment", "pro", "--format", "json"]);
    let elapsed = started.elapsed();
    let history: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(history["revisions"], 1000);
    assert_eq!(history["skipped"], serde_json::json!([]));
    for (stage, every) in [("CI", 10), ("QA", 20), ("Production", 40)] {
        let changes: Vec<(String, String)> = history["timelines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["stage"] == stage)
            .unwrap()["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["release"].as_str().unwrap().to_owned(),
                    c["commit"]["subject"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expected: Vec<(String, String)> = (0..1000)
            .step_by(every)
            .map(|i| (pick(i, every).to_owned(), format!("revision {i}")))
            .collect();
        assert_eq!(changes, expected, "{stage}");
    }
    let lead = |release: &str| {
        history["lead_times"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["release"] == release)
            .unwrap()["seconds"]
            .clone()
    };
    // First in CI at revisions 0, 10, 20; first in Production at 0, 40, 80; an hour apart.
    assert_eq!(lead("teak"), 0);
    assert_eq!(lead("ulmo"), 30 * 3600);
    assert_eq!(lead("verawood"), 60 * 3600);
    eprintln!("history of 1000 commits: {elapsed:?}");
}

#[test]
fn diff_of_pipelines_added_removed_and_of_settings_only() {
    let env = Env::new();
    let old = acme_with_pro("ulmo", "teak");
    // online was the only deployment with forum: its pipeline goes, and the meta pipeline no
    // longer sets it.
    let new = old.replacen("forum             = {}\n", "", 1);
    env.write("old.toml", &old);
    env.write("new.toml", &new);
    let json = |a: &str, b: &str| -> Value {
        let run = env.run(&["diff", a, b, "--format", "json"]);
        serde_json::from_str(run.ok()).unwrap()
    };
    let changes = |diff: &Value| -> Vec<(String, String)> {
        diff["pipelines"]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_owned(),
                    c["change"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pair = |n: &str, c: &str| (n.to_owned(), c.to_owned());
    assert_eq!(
        changes(&json("old.toml", "new.toml")),
        [pair("edx-matrix", "changed"), pair("forum", "removed")]
    );
    assert_eq!(
        changes(&json("new.toml", "old.toml")),
        [pair("forum", "added"), pair("edx-matrix", "changed")]
    );
    let run = env.run(&["diff", "new.toml", "old.toml"]);
    assert!(
        run.ok().ends_with(
            "pipelines to re-set: 1 added, 0 removed, 1 changed\n\
             + forum: new: set from the meta pipeline's following run\n\
             ~ edx-matrix: definition changes: re-set\n    \
             jobs       ~ set-pipelines\n"
        ),
        "{}",
        run.stdout
    );

    // Only the `[pipelines]` settings change: every pipeline moves to another team.
    let with_settings = fixture("valid/pipelines.toml");
    env.write("a.toml", &with_settings);
    env.write(
        "b.toml",
        &with_settings.replace(r#"team        = "acme""#, r#"team        = "acme-ops""#),
    );
    let diff = json("a.toml", "b.toml");
    assert_eq!(diff["rows"], serde_json::json!([]));
    let all = diff["pipelines"]["changes"].as_array().unwrap();
    assert!(all.len() > 3);
    assert!(
        all.iter().all(|c| c["other"]
            .as_array()
            .unwrap()
            .contains(&Value::from("team `acme` → `acme-ops`"))),
        "{all:?}"
    );
    let run = env.run(&["diff", "a.toml", "b.toml"]);
    assert!(
        run.ok()
            .contains("no change to the resolved matrix: only the pipelines change"),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_does_not_compute_pipelines_from_broken_settings() {
    let env = Env::new();
    let good = fixture("valid/pipelines.toml");
    let bad = good.replace(r#"check_every = "5m""#, r#"check_every = "5 minutes""#);
    assert_ne!(good, bad);
    env.write("good.toml", &good);
    env.write("bad.toml", &bad);
    // The matrix itself is valid on both sides: the rest of the diff is shown.
    let run = env.run(&["diff", "good.toml", "bad.toml"]);
    assert!(
        run.ok().ends_with(
            "pipeline impact: not computed: `bad.toml` has 1 error in `[pipelines]` \
             (`edx-matrix check` shows them)\n"
        ),
        "{}",
        run.stdout
    );
    let run = env.run(&["diff", "bad.toml", "bad.toml", "--format", "markdown"]);
    assert!(
        run.ok().ends_with(
            "_Pipeline impact: not computed: `bad.toml` has 1 error in `[pipelines]`, \
             `bad.toml` has 1 error in `[pipelines]` (`edx-matrix check` shows them)._\n"
        ),
        "{}",
        run.stdout
    );
    let run = env.run(&["diff", "bad.toml", "good.toml", "--format", "json"]);
    let diff: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(
        diff["pipelines"],
        serde_json::json!({
            "computed": false,
            "reason": "`bad.toml` has 1 error in `[pipelines]` (`edx-matrix check` shows them)",
            "changes": [],
        })
    );
}

/// The pipeline changes of a `diff --format json`: (name, change).
fn pipeline_changes(diff: &Value) -> Vec<(String, String)> {
    assert_eq!(diff["pipelines"]["computed"], true, "{}", diff["pipelines"]);
    diff["pipelines"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["change"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `diff` renders the template-made pipelines on both sides: a matrix edit that moves `pro`'s QA
/// from ulmo to verawood removes its ulmo MFE pipeline and changes its verawood one (and the
/// standard and meta pipelines that follow); a comment changes nothing.
#[test]
fn diff_reports_the_impact_of_template_made_pipelines() {
    let env = Env::new();
    env.run(&["init", "--example", "acme"]).ok();
    let file = env.path("acme/edx-matrix.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = edx_matrix_test_support::acme::pin_pro(&text, ["verawood", "verawood", "teak"]);
    assert_ne!(edited, text);
    std::fs::write(&file, &edited).unwrap();
    let json = |args: &[&str]| -> Value {
        let mut all = vec!["--file", "acme/edx-matrix.toml", "diff"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        serde_json::from_str(env.run(&all).ok()).unwrap()
    };
    let changes = pipeline_changes(&json(&[]));
    let pair = |n: &str, c: &str| (n.to_owned(), c.to_owned());
    assert!(
        changes.contains(&pair("pro-verawood-mfe-pipeline", "changed")),
        "{changes:?}"
    );
    assert!(
        changes.contains(&pair("pro-ulmo-mfe-pipeline", "removed")),
        "{changes:?}"
    );
    assert!(
        changes.contains(&pair("edx-matrix", "changed")),
        "{changes:?}"
    );
    // The other deployments' MFE pipelines are untouched.
    assert!(
        !changes
            .iter()
            .any(|(n, _)| n.starts_with("campus") || n.starts_with("online")),
        "{changes:?}"
    );
    let run = env.run(&["--file", "acme/edx-matrix.toml", "diff"]);
    let out = run.ok();
    assert!(
        out.contains("- pro-ulmo-mfe-pipeline: no longer generated: Concourse archives it\n"),
        "{out}"
    );
    assert!(out.contains("~ pro-verawood-mfe-pipeline: definition changes: re-set\n    resources  + released-learning-qa, bucket-learning-qa, "), "{out}");
    // A comment only: nothing changes, and the pipelines were compared.
    std::fs::write(&file, format!("{text}\n# a comment\n")).unwrap();
    let diff = json(&[]);
    assert!(pipeline_changes(&diff).is_empty());
    let run = env.run(&["--file", "acme/edx-matrix.toml", "diff"]);
    assert!(
        run.ok().ends_with("pipeline impact: no pipeline changes\n"),
        "{}",
        run.stdout
    );
}

/// A template edit alone, committed: `diff REV REV` reads each revision's templates from its tree
/// (not the working tree, whose templates are broken here) and reports the MFE pipelines changed.
#[test]
fn diff_between_revisions_reads_their_templates() {
    let env = Env::new();
    env.run(&["init", "--example", "acme"]).ok();
    let dir = env.path("acme");
    let mfe = dir.join("pipelines/mfe.star");
    let text = std::fs::read_to_string(&mfe).unwrap();
    let edited = text.replace("\"icon\": \"aws\"", "\"icon\": \"bucket\"");
    assert_ne!(edited, text);
    std::fs::write(&mfe, edited).unwrap();
    git(&env, &dir, &["commit", "-q", "-am", "mfe: bucket icon"]);
    std::fs::write(
        &mfe,
        "def pipelines(matrix, standard):\n    return 1 + \"x\"\n",
    )
    .unwrap();
    let run = env.run(&[
        "--file",
        "acme/edx-matrix.toml",
        "diff",
        "HEAD~1",
        "HEAD",
        "--format",
        "json",
    ]);
    let diff: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(diff["rows"], serde_json::json!([]));
    let changes = pipeline_changes(&diff);
    let names: Vec<&str> = changes.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "pro-teak-mfe-pipeline",
            "pro-ulmo-mfe-pipeline",
            "campus-verawood-mfe-pipeline",
            "campus-staging-verawood-mfe-pipeline",
            "pro-verawood-mfe-pipeline",
            "campus-master-mfe-pipeline",
            "campus-staging-master-mfe-pipeline",
            "online-master-mfe-pipeline"
        ]
    );
    assert!(changes.iter().all(|(_, c)| c == "changed"));
    let first = &diff["pipelines"]["changes"][0];
    assert_eq!(first["jobs"]["changed"], serde_json::json!([]));
    assert!(!first["resources"]["changed"].as_array().unwrap().is_empty());
    // Against the working tree, the broken template is the reason nothing is compared.
    let run = env.run(&["--file", "acme/edx-matrix.toml", "diff", "HEAD"]);
    assert!(
        run.ok().ends_with(
            "pipeline impact: not computed: the pipeline templates of `edx-matrix.toml (working tree)` \
             have 1 error (`edx-matrix check` shows them)\n"
        ),
        "{}",
        run.stdout
    );
}
