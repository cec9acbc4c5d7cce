//! `verify-refs --locked` against real remotes (`git daemon` on 127.0.0.1): a branch that moved
//! forward still holds its locked commit; a force-push that dropped it is reported at the
//! entry's line in the lock, with a non-zero exit.

use crate::git::sealed_git;
use crate::harness::Env;
use crate::lock::{advance, matrix, remotes, run_at};

#[test]
fn a_force_pushed_branch_is_reported_at_its_lock_entry() {
    let env = Env::new();
    let daemon = remotes(&env);
    env.write("edx-matrix.toml", &matrix(&daemon));
    run_at(&env, "2026-12-01T10:00:00Z", &["lock"]).ok();

    // Moved forward: the locked commit is an ancestor of the new head.
    advance(
        &env,
        "edx-platform.git",
        "master",
        "2026-12-02T12:00:00+00:00",
    );
    let run = env.run(&["verify-refs", "--locked"]);
    run.ok();
    assert!(
        run.stdout
            .contains("6 locked commits: 0 not on their branch"),
        "{}",
        run.stdout
    );

    // Force-pushed: forum's master is replaced by an unrelated root commit.
    let git = sealed_git(&env);
    let repo = env.path("forum.git");
    let tree = git.run(&repo, &["rev-parse", "master^{tree}"]);
    let orphan = git.run_at(
        &repo,
        "2026-12-03T00:00:00+00:00",
        &["commit-tree", "-m", "rewritten", &tree],
    );
    git.run(&repo, &["update-ref", "refs/heads/master", &orphan]);
    let run = env.run(&["verify-refs", "--locked", "--format", "json"]);
    run.code(1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let gone = report["locked"]["not_on_branch"].as_array().unwrap();
    assert_eq!(gone.len(), 1, "{report}");
    assert_eq!(gone[0]["application"], "forum");
    assert_eq!(gone[0]["stage"], "CI");
    assert_eq!(gone[0]["head"], orphan.as_str());
    // The first `application = "forum"` line is CI's entry (entries sort by stage, then
    // application); its value starts at column 15.
    let lock = env.read("edx-matrix.lock");
    let line = lock
        .lines()
        .position(|l| l == "application = \"forum\"")
        .unwrap()
        + 1;
    assert_eq!(
        gone[0]["place"].as_str().unwrap(),
        format!("[TMP]/edx-matrix.lock:{line}:15")
    );
    let table = env.run(&["verify-refs", "--locked"]);
    table.code(1);
    assert!(table.stdout.contains("force-pushed?"), "{}", table.stdout);
}
