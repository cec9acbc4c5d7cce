//! `edx-matrix lock` against real remotes: bare repositories served by `git daemon` on
//! 127.0.0.1, whose branch heads are read with `git rev-parse` (not by the code under test).
//! Lock, re-lock with no change (byte-identical), advance a branch and re-lock one stage (only
//! that entry changes), connections counted in the daemon's log equal the origins.

use crate::git::sealed_git;
use crate::harness::{Env, Run};
use edx_matrix_test_support::Daemon;

/// `site` builds master in CI and ulmo in QA, from three origins served by `git daemon`.
pub(crate) fn matrix(daemon: &Daemon) -> String {
    format!(
        r#"stages = ["CI", "QA"]

[releases]
ulmo   = {{ branch = "release/ulmo", python = "3.11", node = "24" }}
master = {{ branch = "master",       python = "3.12", node = "24" }}

[applications]
edx-platform = {{ kind = "ida", repository = "{platform}" }}
learning     = {{ kind = "mfe", repository = "{learning}", path = "learn" }}
forum        = {{ kind = "ida", repository = "{forum}" }}

[deployments]
site = {{ CI = "master", QA = "ulmo" }}

[[map]]
releases    = ["master", "ulmo"]
deployments = ["site"]
[map.apps]
edx-platform = {{}}
learning     = {{}}
forum        = {{}}
"#,
        platform = daemon.url("edx-platform.git"),
        learning = daemon.url("learning.git"),
        forum = daemon.url("forum.git"),
    )
}

/// Three bare repositories with `master` and `release/ulmo`, served by a logging daemon.
pub(crate) fn remotes(env: &Env) -> Daemon {
    let git = sealed_git(env);
    for name in ["edx-platform.git", "learning.git", "forum.git"] {
        git.bare_repo(env.dir.path(), name, &["master", "release/ulmo"], &[])
            .unwrap();
    }
    Daemon::start_logged(&git, env.dir.path(), &env.path("daemon.log")).unwrap()
}

/// Adds a commit (dated `date`) on `branch` of the bare repository `repo`; returns its id.
pub(crate) fn advance(env: &Env, repo: &str, branch: &str, date: &str) -> String {
    let git = sealed_git(env);
    let dir = env.path(repo);
    let head = git.run(&dir, &["rev-parse", branch]);
    let tree = git.run(&dir, &["rev-parse", &format!("{branch}^{{tree}}")]);
    let next = git.run_at(
        &dir,
        date,
        &["commit-tree", "-p", &head, "-m", "next", &tree],
    );
    git.run(
        &dir,
        &["update-ref", &format!("refs/heads/{branch}"), &next],
    );
    next
}

/// The head of `branch` in the bare repository `repo`.
pub(crate) fn head(env: &Env, repo: &str, branch: &str) -> String {
    sealed_git(env).run(&env.path(repo), &["rev-parse", branch])
}

/// Runs the binary with `EDX_MATRIX_NOW` fixed.
pub(crate) fn run_at(env: &Env, now: &str, args: &[&str]) -> Run {
    let output = env
        .command(args)
        .env("EDX_MATRIX_NOW", now)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The (commit, locked_at) the lock text records for (stage, application).
fn locked(lock: &str, stage: &str, application: &str) -> (String, String) {
    let doc: toml_edit::DocumentMut = lock.parse().unwrap();
    let entries = doc["lock"].as_array_of_tables().unwrap();
    let entry = entries
        .iter()
        .find(|t| {
            t["stage"].as_str() == Some(stage) && t["application"].as_str() == Some(application)
        })
        .unwrap();
    (
        entry["commit"].as_str().unwrap().to_owned(),
        entry["locked_at"].as_str().unwrap().to_owned(),
    )
}

const T1: &str = "2026-12-01T10:00:00Z";
const T2: &str = "2026-12-02T10:00:00Z";
const T3: &str = "2026-12-03T10:00:00Z";

#[test]
fn lock_relock_and_advance_one_branch() {
    let env = Env::new();
    let daemon = remotes(&env);
    env.write("edx-matrix.toml", &matrix(&daemon));
    let start = daemon.connections().unwrap();
    assert_eq!(start, 0);

    run_at(&env, T1, &["lock"]).ok();
    // Three origins, two branches each: one `ls-remote` per origin.
    assert_eq!(daemon.connections().unwrap() - start, 3);
    let first = env.read("edx-matrix.lock");
    for (stage, branch) in [("CI", "master"), ("QA", "release/ulmo")] {
        for (app, repo) in [
            ("edx-platform", "edx-platform.git"),
            ("learning", "learning.git"),
            ("forum", "forum.git"),
        ] {
            assert_eq!(
                locked(&first, stage, app),
                (head(&env, repo, branch), T1.to_owned())
            );
        }
    }
    env.run(&["check"]).ok();

    // Nothing moved: byte-identical, even at another time.
    let again = run_at(&env, T2, &["lock"]);
    again.ok();
    assert!(again.stdout.contains("0 changed"), "{}", again.stdout);
    assert_eq!(env.read("edx-matrix.lock"), first);

    // master moves in edx-platform: re-locking CI changes exactly that entry.
    let new = advance(
        &env,
        "edx-platform.git",
        "master",
        "2026-12-02T12:00:00+00:00",
    );
    let run = run_at(&env, T3, &["lock", "--stage", "CI", "--format", "json"]);
    run.ok();
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(summary["checked_origins"], 3);
    assert_eq!(summary["changed"].as_array().unwrap().len(), 1);
    assert_eq!(summary["changed"][0]["application"], "edx-platform");
    assert_eq!(summary["changed"][0]["new"], new.as_str());
    let relocked = env.read("edx-matrix.lock");
    assert_eq!(
        locked(&relocked, "CI", "edx-platform"),
        (new, T3.to_owned())
    );
    let changed: Vec<(&str, &str)> = first
        .lines()
        .zip(relocked.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(
        changed
            .iter()
            .all(|(a, _)| a.starts_with("commit = ") || a.starts_with("locked_at = "))
    );
    assert_eq!(first.lines().count(), relocked.lines().count());
}

#[test]
fn a_missing_branch_writes_nothing() {
    let env = Env::new();
    let daemon = remotes(&env);
    env.write("edx-matrix.toml", &matrix(&daemon));
    run_at(&env, T1, &["lock"]).ok();
    let before = env.read("edx-matrix.lock");
    advance(&env, "forum.git", "master", "2026-12-02T12:00:00+00:00");
    sealed_git(&env).run(
        &env.path("learning.git"),
        &["update-ref", "-d", "refs/heads/release/ulmo"],
    );
    let run = run_at(&env, T2, &["lock"]);
    run.code(1);
    assert!(
        run.stdout
            .contains("missing: `release/ulmo` in git://127.0.0.1:"),
        "{}",
        run.stdout
    );
    assert_eq!(env.read("edx-matrix.lock"), before);
}

#[test]
fn a_malformed_lock_is_refused_with_its_place_and_left_alone() {
    let env = Env::new();
    let daemon = remotes(&env);
    env.write("edx-matrix.toml", &matrix(&daemon));
    run_at(&env, T1, &["lock"]).ok();
    let broken = env
        .read("edx-matrix.lock")
        .replacen("commit = \"", "commit = \"zz", 1);
    env.write("edx-matrix.lock", &broken);
    for args in [&["lock"][..], &["resolve"][..]] {
        let run = run_at(&env, T2, args);
        run.code(1);
        assert!(
            run.stderr.contains("edx-matrix.lock:11:10"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("lock-invalid"), "{}", run.stderr);
    }
    env.run(&["check"]).code(1);
    assert_eq!(env.read("edx-matrix.lock"), broken);
    // And --example has no lock to write.
    env.run(&["--example", "lock"]).code(2);
}

#[test]
fn rows_and_exports_carry_the_locked_commit() {
    let env = Env::new();
    let daemon = remotes(&env);
    env.write("edx-matrix.toml", &matrix(&daemon));
    let ci = head(&env, "forum.git", "master");
    run_at(&env, T1, &["lock", "--stage", "CI"]).ok();
    // QA is not locked: its rows have no commit.
    let rows: serde_json::Value =
        serde_json::from_str(env.run(&["resolve", "--format", "json"]).ok()).unwrap();
    for row in rows.as_array().unwrap() {
        let expected =
            (row["stage"] == "CI" && row["application"] == "forum").then_some(ci.as_str());
        if row["application"] == "forum" {
            assert_eq!(row["commit"].as_str(), expected, "{row}");
        }
        if row["stage"] == "QA" {
            assert!(row.get("commit").is_none(), "{row}");
        }
    }
    let unlocked: serde_json::Value =
        serde_json::from_str(env.run(&["resolve", "--unlocked", "--format", "json"]).ok()).unwrap();
    assert!(
        unlocked
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r.get("commit").is_none())
    );
    let table = env.run(&["resolve", "--stage", "CI"]);
    assert!(table.ok().contains("COMMIT"), "{}", table.stdout);
    assert!(table.stdout.contains(&ci[..12]));

    // The shell reads what `resolve --format env` and `export env` write.
    let one = env.run(&[
        "resolve", "-d", "site", "-s", "CI", "-a", "forum", "--format", "env",
    ]);
    env.write("one.env", one.ok());
    let stage = env.run(&["export", "env", "site", "CI"]);
    env.write("stage.env", stage.ok());
    let shell = std::process::Command::new("sh")
        .arg("-c")
        .arg(". ./one.env && . ./stage.env && printf '%s %s' \"$EDX_COMMIT\" \"$EDX_APP_FORUM_COMMIT\"")
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(shell.stdout).unwrap(),
        format!("{ci} {ci}")
    );

    let jobs: serde_json::Value =
        serde_json::from_str(env.run(&["export", "github-actions", "--stage", "CI"]).ok()).unwrap();
    let forum = jobs["include"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["application"] == "forum")
        .unwrap();
    assert_eq!(forum["commit"].as_str(), Some(ci.as_str()));
}

/// A template that hands each CI build the locked commit to check out, as a task param (the
/// task's script checks out `$EDX_COMMIT`; params, never the command line).
pub(crate) const PINNED_TEMPLATE: &str = r#"load("@edx-matrix//lib.star", "pipeline", "rows")

def pipelines(matrix, standard):
    resources = []
    jobs = []
    for row in rows(matrix, stage = "CI"):
        name = "git-" + row["application"]
        resources.append({"name": name, "type": "git",
                          "source": {"uri": row["git_origin"], "branch": row["release_branch"]}})
        build = {"task": "build", "file": name + "/ci/build.yml"}
        if "commit" in row:
            build["params"] = {"EDX_COMMIT": row["commit"]}
        jobs.append({"name": "build-" + row["application"], "plan": [{"get": name}, build]})
    return [pipeline("locked", {"resources": resources, "jobs": jobs})]
"#;

#[test]
fn pipeline_templates_receive_the_locked_commit() {
    let env = Env::new();
    let daemon = remotes(&env);
    let text = matrix(&daemon) + "\n[pipelines]\ntemplates = [\"pipelines/*.star\"]\n";
    env.write("edx-matrix.toml", &text);
    env.write("pipelines/locked.star", PINNED_TEMPLATE);
    let unlocked = env.run(&["pipeline", "render", "locked"]);
    assert!(!unlocked.ok().contains("EDX_COMMIT"), "{}", unlocked.stdout);
    run_at(&env, T1, &["lock", "--stage", "CI"]).ok();
    let commit = head(&env, "learning.git", "master");
    let rendered = env.run(&["pipeline", "render", "locked"]);
    assert!(
        rendered.ok().contains(&format!("EDX_COMMIT: {commit}")),
        "{}",
        rendered.stdout
    );
    env.write("locked.yml", &rendered.stdout);
    env.run(&["pipeline", "validate", "locked.yml"]).ok();
}
