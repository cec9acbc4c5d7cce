//! `promote` and the lock, against real remotes (`git daemon` on 127.0.0.1): QA gets exactly the
//! commits CI locked even after the branch moved; `--relock` takes the heads and names what CI
//! never tested; a promotion from an unlocked stage into a locked one is refused, nothing written.

use crate::harness::Env;
use crate::lock::{advance, head, matrix, remotes, run_at};

const T1: &str = "2026-12-01T10:00:00Z";
const T2: &str = "2026-12-02T10:00:00Z";

fn qa_commits(env: &Env) -> Vec<(String, String)> {
    let rows: serde_json::Value = serde_json::from_str(
        env.run(&["resolve", "--stage", "QA", "--format", "json"])
            .ok(),
    )
    .unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["application"].as_str().unwrap().to_owned(),
                r["commit"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect()
}

#[test]
fn promote_carries_what_ci_tested_not_the_new_head() {
    let env = Env::new();
    let daemon = remotes(&env);
    env.write("edx-matrix.toml", &matrix(&daemon));
    run_at(&env, T1, &["lock"]).ok();
    let tested = head(&env, "edx-platform.git", "master");
    let moved = advance(
        &env,
        "edx-platform.git",
        "master",
        "2026-12-01T12:00:00+00:00",
    );
    assert_ne!(tested, moved);

    // A dry run writes neither file.
    let (matrix_before, lock_before) = (env.read("edx-matrix.toml"), env.read("edx-matrix.lock"));
    let dry = run_at(&env, T2, &["promote", "site", "--stage", "QA", "--dry-run"]);
    dry.ok();
    assert!(
        dry.stderr
            .contains("lock: site QA: 3 commits carried from CI"),
        "{}",
        dry.stderr
    );
    assert_eq!(env.read("edx-matrix.toml"), matrix_before);
    assert_eq!(env.read("edx-matrix.lock"), lock_before);

    run_at(&env, T2, &["promote", "site", "--stage", "QA"]).ok();
    assert!(
        env.read("edx-matrix.toml")
            .contains(r#"site = { CI = "master", QA = "master" }"#)
    );
    let forum = head(&env, "forum.git", "master");
    let learning = head(&env, "learning.git", "master");
    assert_eq!(
        qa_commits(&env),
        [
            ("edx-platform".to_owned(), tested),
            ("forum".to_owned(), forum),
            ("learning".to_owned(), learning),
        ]
    );
    env.run(&["check"]).ok();
}

#[test]
fn relock_takes_the_heads_and_says_what_ci_did_not_test() {
    let env = Env::new();
    let daemon = remotes(&env);
    env.write("edx-matrix.toml", &matrix(&daemon));
    run_at(&env, T1, &["lock"]).ok();
    let tested = head(&env, "edx-platform.git", "master");
    let moved = advance(
        &env,
        "edx-platform.git",
        "master",
        "2026-12-01T12:00:00+00:00",
    );
    let run = run_at(&env, T2, &["promote", "site", "--stage", "QA", "--relock"]);
    run.ok();
    let expected = format!(
        "site QA edx-platform: `master` at {} is beyond what CI tested ({}); compare {}..{}",
        &moved[..12],
        &tested[..12],
        &tested[..12],
        &moved[..12]
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("3 branch heads locked, 1 not what CI tested"),
        "{}",
        run.stderr
    );
    assert_eq!(qa_commits(&env)[0], ("edx-platform".to_owned(), moved));
}

#[test]
fn promoting_from_an_unlocked_stage_into_a_locked_one_is_refused() {
    let env = Env::new();
    let daemon = remotes(&env);
    env.write("edx-matrix.toml", &matrix(&daemon));
    run_at(&env, T1, &["lock", "--stage", "QA"]).ok();
    let lock = env.read("edx-matrix.lock");
    let run = env.run_refused(&["promote", "site", "--stage", "QA"], 1);
    assert!(
        run.stderr
            .contains("CI of `site` has no locked commit for what QA would build"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("edx-matrix lock --deployment site --stage CI"),
        "{}",
        run.stderr
    );
    assert_eq!(env.read("edx-matrix.lock"), lock);
}
