//! `promote`'s gates over a real git history of the lock, every commit dated with
//! GIT_AUTHOR_DATE/GIT_COMMITTER_DATE and "now" fixed with `EDX_MATRIX_NOW` (no wall clock):
//! soak met, not met, exactly at the boundary, measured from the first commit since which the
//! entry held its commit; a lock not committed, a stage with no lock; freeze on a weekday, in a
//! range of days, outside; `--force-gates` recorded in the lock; `--dry-run` (and its JSON)
//! writes nothing; and the matrix left unchanged when the lock cannot be written.

use crate::git::git_at;
use crate::harness::{Env, Run};
use crate::lock::{advance, head, matrix, remotes, run_at};
use serde_json::Value;

const LOCKED: &str = "2026-12-01T10:00:00Z";
const COMMITTED: &str = "2026-12-01T10:00:00+00:00";

/// The example matrix of the lock tests with `gates` appended.
fn gated(env: &Env, gates: &str) -> edx_matrix_test_support::Daemon {
    let daemon = remotes(env);
    env.write("edx-matrix.toml", &format!("{}\n{gates}", matrix(&daemon)));
    daemon
}

/// Makes the scratch directory a repository holding the matrix and the lock, committed at
/// `date`.
fn commit_all(env: &Env, date: &str, message: &str) {
    let dir = env.dir.path();
    if !dir.join(".git").exists() {
        git_at(env, dir, date, &["init", "-q"]);
    }
    git_at(
        env,
        dir,
        date,
        &["add", "edx-matrix.toml", "edx-matrix.lock"],
    );
    git_at(env, dir, date, &["commit", "-q", "-m", message]);
}

/// Runs `promote site --stage QA` with `extra` at `now`, asserting that a refusal (any exit
/// but 0) changed neither file.
fn promote(env: &Env, now: &str, extra: &[&str]) -> Run {
    let files = ["edx-matrix.toml", "edx-matrix.lock"];
    let before: Vec<Option<Vec<u8>>> = files
        .iter()
        .map(|f| std::fs::read(env.path(f)).ok())
        .collect();
    let mut args = vec!["promote", "site", "--stage", "QA"];
    args.extend_from_slice(extra);
    let run = run_at(env, now, &args);
    if run.code != 0 || extra.contains(&"--dry-run") {
        let after: Vec<Option<Vec<u8>>> = files
            .iter()
            .map(|f| std::fs::read(env.path(f)).ok())
            .collect();
        assert_eq!(before, after, "{args:?} wrote a file\n{}", run.stderr);
    }
    run
}

/// The commit the lock records for (`stage`, `application`).
fn commit_of(env: &Env, stage: &str, application: &str) -> String {
    let doc: toml_edit::DocumentMut = env.read("edx-matrix.lock").parse().unwrap();
    doc["lock"]
        .as_array_of_tables()
        .unwrap()
        .iter()
        .find(|t| {
            t["stage"].as_str() == Some(stage) && t["application"].as_str() == Some(application)
        })
        .map(|t| t["commit"].as_str().unwrap().to_owned())
        .unwrap()
}

/// The `forced` value of each QA entry of the lock.
fn forced(env: &Env) -> Vec<Option<String>> {
    let doc: toml_edit::DocumentMut = env.read("edx-matrix.lock").parse().unwrap();
    doc["lock"]
        .as_array_of_tables()
        .unwrap()
        .iter()
        .filter(|t| t["stage"].as_str() == Some("QA"))
        .map(|t| t.get("forced").and_then(|f| f.as_str()).map(str::to_owned))
        .collect()
}

#[test]
fn soak_is_measured_from_the_lock_history() {
    let env = Env::new();
    let _daemon = gated(&env, "[gates.QA]\nsoak = \"2d\"\n");
    run_at(&env, LOCKED, &["lock"]).ok();
    commit_all(&env, COMMITTED, "lock CI and QA");
    // A later commit of the lock that leaves CI's entries alone (QA's forum moves) does not
    // restart CI's soak.
    advance(
        &env,
        "forum.git",
        "release/ulmo",
        "2026-12-02T08:00:00+00:00",
    );
    run_at(&env, "2026-12-02T09:00:00Z", &["lock", "--stage", "QA"]).ok();
    commit_all(&env, "2026-12-02T09:00:00+00:00", "relock QA");

    // One second short of two days.
    let short = promote(&env, "2026-12-03T09:59:59Z", &[]);
    short.code(1);
    assert!(
        short.stderr.contains(
            "site: soak of QA not met: CI of `site` has run its locked commits for 1d 23h \
             (`edx-platform` since 2026-12-01T10:00:00Z); QA requires 2d 0h (2d)"
        ),
        "{}",
        short.stderr
    );
    assert!(short.stderr.contains("--force-gates"), "{}", short.stderr);

    // Exactly two days: met, and QA gets CI's commits (not forum's newer ulmo), not forced.
    let ci = head(&env, "forum.git", "master");
    let ulmo = head(&env, "forum.git", "release/ulmo");
    assert_ne!(ci, ulmo);
    assert_eq!(commit_of(&env, "QA", "forum"), ulmo);
    let met = promote(&env, "2026-12-03T10:00:00Z", &[]);
    met.ok();
    assert!(
        met.stderr.contains("gate: pass site: soak of QA met"),
        "{}",
        met.stderr
    );
    assert_eq!(commit_of(&env, "QA", "forum"), ci);
    assert_eq!(forced(&env), [None, None, None]);
}

#[test]
fn a_newly_locked_commit_restarts_the_soak_and_force_gates_records_the_reason() {
    let env = Env::new();
    let _daemon = gated(&env, "[gates.QA]\nsoak = \"1d\"\n");
    run_at(&env, LOCKED, &["lock"]).ok();
    commit_all(&env, COMMITTED, "lock");
    // edx-platform's master moves and CI is re-locked and committed a day later.
    advance(
        &env,
        "edx-platform.git",
        "master",
        "2026-12-02T09:00:00+00:00",
    );
    run_at(&env, "2026-12-02T10:00:00Z", &["lock", "--stage", "CI"]).ok();
    commit_all(&env, "2026-12-02T10:00:00+00:00", "relock CI");

    let run = promote(&env, "2026-12-02T22:00:00Z", &[]);
    run.code(1);
    assert!(
        run.stderr.contains(
            "run its locked commits for 12h 0m (`edx-platform` since 2026-12-02T10:00:00Z)"
        ),
        "{}",
        run.stderr
    );

    // An empty reason is a usage error.
    promote(&env, "2026-12-02T22:00:00Z", &["--force-gates", " "]).code(2);
    let forced_run = promote(
        &env,
        "2026-12-02T22:00:00Z",
        &["--force-gates", "hotfix INC-123"],
    );
    forced_run.ok();
    assert!(
        forced_run
            .stderr
            .contains("gate: FAIL site: soak of QA not met"),
        "{}",
        forced_run.stderr
    );
    assert!(
        env.read("edx-matrix.toml")
            .contains(r#"site = { CI = "master", QA = "master" }"#)
    );
    assert!(
        forced_run
            .stderr
            .contains("gate: overridden with --force-gates: the reason is recorded in the lock"),
        "{}",
        forced_run.stderr
    );
    let hotfix = Some("hotfix INC-123".to_owned());
    assert_eq!(forced(&env), [hotfix.clone(), hotfix.clone(), hotfix]);
    // The lock with `forced` is still a valid lock.
    env.run(&["check"]).ok();
}

#[test]
fn an_uncommitted_lock_and_a_stage_never_locked_have_soaked_nothing() {
    let env = Env::new();
    let _daemon = gated(&env, "[gates.QA]\nsoak = \"1h\"\n");
    // No lock at all: CI has no locked commit for anything QA would build.
    let run = promote(&env, "2026-12-09T10:00:00Z", &[]);
    run.code(1);
    assert!(
        run.stderr
            .contains("CI of `site` has no locked commit for `edx-platform` (soaked 0m)"),
        "{}",
        run.stderr
    );
    // Locked but never committed (not even a repository).
    run_at(&env, LOCKED, &["lock"]).ok();
    let run = promote(&env, "2026-12-09T10:00:00Z", &[]);
    run.code(1);
    assert!(
        run.stderr
            .contains("the lock's git history does not hold yet (soaked 0m: commit the lock)"),
        "{}",
        run.stderr
    );
    // Committed: a week later the soak is long met.
    commit_all(&env, COMMITTED, "lock");
    promote(&env, "2026-12-09T10:00:00Z", &[]).ok();
}

#[test]
fn freeze_windows_on_a_weekday_and_in_a_range_of_days() {
    let env = Env::new();
    let _daemon = gated(
        &env,
        "[gates.QA]\nfreeze = [\"sat\", \"2026-12-20..2027-01-04\"]\n",
    );
    // 2026-12-05 is a Saturday (`date -u -d 2026-12-05 +%A`).
    let saturday = promote(&env, "2026-12-05T23:59:59Z", &[]);
    saturday.code(1);
    assert!(
        saturday.stderr.contains(
            "site: freeze of QA: QA is frozen by `sat` (it is 2026-12-05T23:59:59Z, saturday)"
        ),
        "{}",
        saturday.stderr
    );
    // 2026-12-22 is a Tuesday, inside the range; its last day is frozen to the end.
    for now in ["2026-12-22T12:00:00Z", "2027-01-04T23:59:59Z"] {
        let run = promote(&env, now, &[]);
        run.code(1);
        assert!(
            run.stderr
                .contains("QA is frozen by `2026-12-20..2027-01-04`"),
            "{}",
            run.stderr
        );
    }
    // Monday 2026-12-07: no window applies.
    let monday = promote(&env, "2026-12-07T00:00:00Z", &[]);
    monday.ok();
    assert!(
        monday.stderr.contains(
            "gate: pass site: freeze of QA: no freeze window applies at 2026-12-07T00:00:00Z"
        ),
        "{}",
        monday.stderr
    );
}

#[test]
fn dry_run_prints_the_verdicts_and_writes_nothing() {
    let env = Env::new();
    let _daemon = gated(&env, "[gates.QA]\nsoak = \"2d\"\nfreeze = [\"sun\"]\n");
    run_at(&env, LOCKED, &["lock"]).ok();
    commit_all(&env, COMMITTED, "lock");
    // Sunday 2026-12-06, a day after the lock: both gates fail; exit 1, nothing written.
    let json = promote(
        &env,
        "2026-12-02T10:00:00Z",
        &["--dry-run", "--format", "json"],
    );
    json.code(1);
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["written"], false);
    let gates = report["gates"].as_array().unwrap();
    assert_eq!(gates.len(), 2, "{gates:?}");
    assert_eq!(gates[0]["gate"], "soak");
    assert_eq!(gates[0]["passed"], false);
    assert_eq!(gates[0]["required_seconds"], 172_800);
    assert_eq!(gates[0]["soaked_seconds"], 86_400);
    assert_eq!(gates[1]["gate"], "freeze");
    assert_eq!(gates[1]["passed"], true, "2026-12-02 is a Wednesday");

    let sunday = promote(&env, "2026-12-06T10:00:00Z", &["--dry-run"]);
    sunday.code(1);
    assert!(
        sunday.stderr.contains("gate: pass site: soak of QA met"),
        "{}",
        sunday.stderr
    );
    assert!(
        sunday
            .stderr
            .contains("gate: FAIL site: freeze of QA: QA is frozen by `sun`"),
        "{}",
        sunday.stderr
    );
    assert!(
        sunday.stderr.contains("not written (dry run)"),
        "{}",
        sunday.stderr
    );
    // Both pass on Monday: the dry run succeeds, still writing nothing.
    promote(&env, "2026-12-07T10:00:00Z", &["--dry-run"]).ok();
}

/// The lock cannot be written (read-only): the matrix is not promoted either.
#[test]
fn a_lock_that_cannot_be_written_leaves_the_matrix_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let _daemon = gated(&env, "");
    run_at(&env, LOCKED, &["lock"]).ok();
    let lock = env.path("edx-matrix.lock");
    std::fs::set_permissions(&lock, std::fs::Permissions::from_mode(0o444)).unwrap();
    let run = promote(&env, "2026-12-02T10:00:00Z", &[]);
    run.code(3);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    std::fs::set_permissions(&lock, std::fs::Permissions::from_mode(0o644)).unwrap();
    promote(&env, "2026-12-02T10:00:00Z", &[]).ok();
    assert!(
        env.read("edx-matrix.toml")
            .contains(r#"site = { CI = "master", QA = "master" }"#)
    );
}
