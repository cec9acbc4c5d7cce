//! `diff` and the lock: the locked commits that change, as ranges, against real remotes served
//! by `git daemon` on 127.0.0.1 (commit ids read with `git rev-parse`, not by the code under
//! test). A relock after three commits is `old..new` with 3 commits; a force-push back is a
//! rollback; an unreachable origin leaves the range uncounted, never fails the diff; the server's
//! `/api/v1/diff` and `/diff` show what `diff --format json` shows; a GitHub origin gets a
//! compare link without its credential.

use crate::git::{git, git_at};
use crate::harness::Env;
use crate::lock::{advance, head, matrix, remotes, run_at};
use crate::serve::{Child, http_get};
use serde_json::{Value, json};
use std::process::Stdio;

const T1: &str = "2026-12-01T10:00:00Z";
const T2: &str = "2026-12-02T10:00:00Z";
const T3: &str = "2026-12-03T10:00:00Z";

/// The scratch directory as a git repository holding the matrix and its lock, locked at `T1`
/// and committed; the bare remotes beside them stay untracked.
fn committed_lock(env: &Env) -> edx_matrix_test_support::Daemon {
    let daemon = remotes(env);
    env.write("edx-matrix.toml", &matrix(&daemon));
    run_at(env, T1, &["lock"]).ok();
    commit(env, "2026-12-01T11:00:00+00:00", "lock");
    daemon
}

fn commit(env: &Env, date: &str, message: &str) {
    let top = env.dir.path();
    if !top.join(".git").exists() {
        git(env, top, &["init", "-q", "-b", "main"]);
    }
    git(env, top, &["add", "edx-matrix.toml", "edx-matrix.lock"]);
    git_at(env, top, date, &["commit", "-q", "-m", message]);
}

/// The `commits` of `diff ARGS --format json`.
fn commits(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let diff: Value = serde_json::from_str(env.run(&all).ok()).unwrap();
    diff["commits"].clone()
}

#[test]
fn a_relock_after_three_commits_is_a_range_of_three() {
    let env = Env::new();
    let daemon = committed_lock(&env);
    let tested = head(&env, "edx-platform.git", "master");
    for hour in ["12", "13", "14"] {
        advance(
            &env,
            "edx-platform.git",
            "master",
            &format!("2026-12-01T{hour}:00:00+00:00"),
        );
    }
    let moved = head(&env, "edx-platform.git", "master");
    run_at(&env, T2, &["lock", "--stage", "CI"]).ok();
    let before = daemon.connections().unwrap();

    // Offline by default: the range, no count, no connection.
    let run = env.run(&["diff"]);
    run.code(0);
    insta::assert_snapshot!("relock_human", run.snapshot());
    let run = env.run(&["diff", "--format", "markdown"]);
    run.code(0);
    insta::assert_snapshot!("relock_markdown", run.stdout);
    let expected = json!([{
        "change": "changed",
        "deployment": "site",
        "stage": "CI",
        "application": "edx-platform",
        "origin": daemon.url("edx-platform.git"),
        "old": {"branch": "master", "commit": tested},
        "new": {"branch": "master", "commit": moved},
    }]);
    assert_eq!(commits(&env, &[]), expected);
    assert_eq!(daemon.connections().unwrap(), before);

    // Counted: one fetch of the one origin whose commit moved, into the cache under $HOME.
    let counted = commits(&env, &["--count-commits"]);
    assert_eq!(counted[0]["count"], json!({"added": 3, "rolled_back": 0}));
    assert_eq!(daemon.connections().unwrap() - before, 1);
    assert!(env.path(".cache/edx-matrix/repos").is_dir());
    // Again: the cache has both commits, nothing is fetched.
    let again = daemon.connections().unwrap();
    assert_eq!(commits(&env, &["--count-commits"]), counted);
    assert_eq!(daemon.connections().unwrap(), again);
    let run = env.run(&["diff", "--count-commits"]);
    assert!(
        run.ok()
            .contains(&format!("{}..{}  3 commits", &tested[..12], &moved[..12])),
        "{}",
        run.stdout
    );

    // Committed: the same range between the two revisions (each revision's own lock).
    commit(&env, "2026-12-02T11:00:00+00:00", "relock CI");
    assert_eq!(commits(&env, &["HEAD~1", "HEAD"]), expected);
    assert_eq!(commits(&env, &[]), json!([]));

    // The server shows the same, over HTTP: the API's `commits` are the CLI's, the page links
    // nothing (not a GitHub origin) and shows both short hashes.
    let (_child, addr) = serve(&env);
    let api = http_get(&addr, "/api/v1/diff?base=HEAD~1&head=HEAD");
    let (_, body) = api.split_once("\r\n\r\n").unwrap();
    let api: Value = serde_json::from_str(body).unwrap();
    assert_eq!(api["commits"], expected, "{api:#}");
    // Everything else the two compute agrees too (the sides are named differently).
    let cli: Value = serde_json::from_str(
        env.run(&["diff", "HEAD~1", "HEAD", "--format", "json"])
            .ok(),
    )
    .unwrap();
    for key in [
        "stages", "releases", "rows", "rebuild", "redeploy", "commits",
    ] {
        assert_eq!(api[key], cli[key], "{key}");
    }
    assert_eq!(
        cli["redeploy"],
        json!([{"deployment": "site", "stage": "CI", "release": "master",
                "reason": "locked commits change: `edx-platform`"}])
    );
    // A relock is a rebuild: CI's build of `master` is made from the new commit (QA, on
    // `ulmo`, is neither rebuilt nor redeployed).
    assert_eq!(
        cli["rebuild"],
        json!([{"release": "master", "deployment": "site", "stages": ["CI"],
                "reason": "locked commits change: `edx-platform` (CI)"}])
    );
    let text = env.run(&["diff", "HEAD~1", "HEAD"]);
    assert!(
        text.ok().contains(
            "rebuild\nRELEASE  DEPLOYMENT  WHY\nmaster   site        locked commits change: `edx-platform` (CI)\n"
        ),
        "{}",
        text.stdout
    );
    let page = http_get(&addr, "/diff?base=HEAD~1&head=HEAD");
    assert!(page.contains("Locked commits"), "{page}");
    assert!(
        page.contains(
            "<ul id=\"diff-rebuild\"><li><code>master</code> for <code>site</code>: locked commits change: `edx-platform` (CI)</li></ul>"
        ),
        "{page}"
    );
    for hash in [&tested, &moved] {
        assert!(
            page.contains(&format!(r#"<code title="{hash}">{}</code>"#, &hash[..12])),
            "{page}"
        );
    }
    assert!(!page.contains("/compare/"), "{page}");
    assert!(
        !page.contains("3 commits"),
        "the server counts only when told to: {page}"
    );

    // `serve --count-commits` counts, as `diff --count-commits` does.
    let (_counting, addr) = serve_with(&env, &["--count-commits"]);
    let api = http_get(&addr, "/api/v1/diff?base=HEAD~1&head=HEAD");
    let (_, body) = api.split_once("\r\n\r\n").unwrap();
    let api: Value = serde_json::from_str(body).unwrap();
    assert_eq!(api["commits"], counted, "{api:#}");
    let page = http_get(&addr, "/diff?base=HEAD~1&head=HEAD");
    assert!(page.contains("<td>3 commits</td>"), "{page}");
}

#[test]
fn a_force_push_back_is_a_rollback() {
    let env = Env::new();
    let _daemon = committed_lock(&env);
    let platform = env.path("edx-platform.git");
    let tested = head(&env, "edx-platform.git", "master");
    advance(
        &env,
        "edx-platform.git",
        "master",
        "2026-12-01T12:00:00+00:00",
    );
    let moved = advance(
        &env,
        "edx-platform.git",
        "master",
        "2026-12-01T13:00:00+00:00",
    );
    run_at(&env, T2, &["lock", "--stage", "CI"]).ok();
    commit(&env, "2026-12-02T11:00:00+00:00", "relock CI");
    // The branch is force-pushed back: `moved` is no longer on it.
    git(
        &env,
        &platform,
        &["update-ref", "refs/heads/master", &tested],
    );
    run_at(&env, T3, &["lock", "--stage", "CI"]).ok();
    let counted = commits(&env, &["--count-commits"]);
    assert_eq!(counted[0]["old"]["commit"], moved.as_str());
    assert_eq!(counted[0]["new"]["commit"], tested.as_str());
    assert_eq!(
        counted[0]["count"],
        json!({"added": 0, "rolled_back": 2}),
        "{counted:#}"
    );
    let run = env.run(&["diff", "--count-commits"]);
    assert!(run.ok().contains("rolls back 2 commits"), "{}", run.stdout);
}

#[test]
fn an_unreachable_origin_leaves_the_range_uncounted() {
    let env = Env::new();
    let daemon = committed_lock(&env);
    let tested = head(&env, "edx-platform.git", "master");
    let moved = advance(
        &env,
        "edx-platform.git",
        "master",
        "2026-12-01T12:00:00+00:00",
    );
    run_at(&env, T2, &["lock", "--stage", "CI"]).ok();
    drop(daemon);
    let run = env.run(&["diff", "--count-commits", "--timeout", "10"]);
    run.code(0);
    let out = run.stdout;
    assert!(
        out.contains(&format!(
            "{}..{}  not counted: ",
            &tested[..12],
            &moved[..12]
        )),
        "{out}"
    );
    let counted = commits(&env, &["--count-commits", "--timeout", "10"]);
    assert_eq!(counted[0].get("count"), None);
    assert!(
        counted[0]["count_note"]
            .as_str()
            .unwrap()
            .starts_with("not counted: "),
        "{counted:#}"
    );
}

const SECRET: &str = "ghp_NotARealToken";

fn github_matrix() -> String {
    format!(
        r#"stages = ["CI", "QA"]

[releases]
master = {{ branch = "master", python = "3.12", node = "24" }}

[applications]
edx-platform = {{ kind = "ida", repository = "https://x-access-token:{SECRET}@github.com/acme-edu/edx-platform" }}

[deployments]
site = {{ CI = "master", QA = "master" }}

[[map]]
releases    = ["master"]
deployments = ["site"]
[map.apps]
edx-platform = {{}}

[lints]
url-credentials = "warn"
"#
    )
}

fn lock_entry(stage: &str, commit: &str) -> String {
    format!(
        r#"
[[lock]]
deployment = "site"
stage = "{stage}"
application = "edx-platform"
origin = "https://x-access-token:***@github.com/acme-edu/edx-platform"
branch = "master"
commit = "{commit}"
locked_at = "2026-12-01T10:00:00Z"
"#
    )
}

/// Two files, each with its lock: CI's commit changes (a compare link built without the
/// credential), QA is locked in the new one only.
#[test]
fn a_github_origin_gets_a_compare_link_without_its_credential() {
    let env = Env::new();
    let (a, b, c) = ("a1".repeat(20), "b2".repeat(20), "c3".repeat(20));
    env.write("old.toml", &github_matrix());
    env.write("new.toml", &github_matrix());
    env.write(
        "old.lock",
        &format!("version = 1\n{}", lock_entry("CI", &a)),
    );
    env.write(
        "new.lock",
        &format!(
            "version = 1\n{}{}",
            lock_entry("CI", &b),
            lock_entry("QA", &c)
        ),
    );
    let diff = commits(&env, &["old.toml", "new.toml"]);
    let origin = "https://x-access-token:***@github.com/acme-edu/edx-platform";
    assert_eq!(
        diff,
        json!([
            {"change": "changed", "deployment": "site", "stage": "CI", "application": "edx-platform",
             "origin": origin, "old": {"branch": "master", "commit": a},
             "new": {"branch": "master", "commit": b},
             "compare_url": format!("https://github.com/acme-edu/edx-platform/compare/{a}...{b}")},
            {"change": "added", "deployment": "site", "stage": "QA", "application": "edx-platform",
             "origin": origin, "old": null, "new": {"branch": "master", "commit": c}},
        ])
    );
    for format in ["human", "markdown", "json"] {
        let run = env.run(&["diff", "old.toml", "new.toml", "--format", format]);
        assert!(!run.ok().contains(SECRET), "{format}: {}", run.stdout);
    }
    let run = env.run(&["diff", "old.toml", "new.toml", "--format", "markdown"]);
    insta::assert_snapshot!("github_markdown", run.stdout);
}

/// Starts `serve` on the matrix of `env`; the address it listens on.
fn serve(env: &Env) -> (Child, String) {
    serve_with(env, &[])
}

/// Starts `serve ARGS` on the matrix of `env`; the address it listens on.
fn serve_with(env: &Env, args: &[&str]) -> (Child, String) {
    let mut all = vec!["serve", "--addr", "127.0.0.1:0"];
    all.extend_from_slice(args);
    crate::serve::start(env.command(&all).stderr(Stdio::null()))
}

/// `--count-commits` fetches the matrix's URL, credential included, and never prints it: an
/// origin that refuses the connection leaves a note without the secret.
#[test]
fn counting_never_prints_the_origins_credential() {
    let env = Env::new();
    let port = edx_matrix_test_support::closed_port().unwrap();
    let origin = format!("https://x-access-token:{SECRET}@127.0.0.1:{port}/acme-edu/edx-platform");
    let redacted = format!("https://x-access-token:***@127.0.0.1:{port}/acme-edu/edx-platform");
    let matrix = github_matrix().replace(
        &format!("https://x-access-token:{SECRET}@github.com/acme-edu/edx-platform"),
        &origin,
    );
    let entry = |commit: &str| {
        lock_entry("CI", commit).replace(
            "https://x-access-token:***@github.com/acme-edu/edx-platform",
            &redacted,
        )
    };
    env.write("old.toml", &matrix);
    env.write("new.toml", &matrix);
    env.write(
        "old.lock",
        &format!("version = 1\n{}", entry(&"a1".repeat(20))),
    );
    env.write(
        "new.lock",
        &format!("version = 1\n{}", entry(&"b2".repeat(20))),
    );
    for format in ["human", "markdown", "json"] {
        let run = env.run(&[
            "diff",
            "old.toml",
            "new.toml",
            "--count-commits",
            "--timeout",
            "10",
            "--format",
            format,
        ]);
        let out = run.ok();
        assert!(!out.contains(SECRET), "{format}: {out}");
        assert!(!run.stderr.contains(SECRET), "{format}: {}", run.stderr);
        assert!(out.contains("not counted: "), "{format}: {out}");
    }
    let counted = commits(&env, &["old.toml", "new.toml", "--count-commits"]);
    assert_eq!(counted[0]["origin"], redacted.as_str());
    assert_eq!(counted[0].get("compare_url"), None);
}

/// A malformed lock on either side: its located errors, exit 1, no diff printed.
#[test]
fn a_malformed_lock_refuses_the_diff() {
    let env = Env::new();
    env.write("old.toml", &github_matrix());
    env.write("new.toml", &github_matrix());
    env.write(
        "old.lock",
        &format!("version = 1\n{}", lock_entry("CI", &"a1".repeat(20))),
    );
    env.write(
        "new.lock",
        &format!("version = 1\n{}", lock_entry("CI", "not-a-commit")),
    );
    let run = env.run(&["diff", "old.toml", "new.toml"]);
    run.code(1);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("new.lock:9:10"), "{}", run.stderr);
    assert!(
        run.stderr.contains("the lock `new.lock` has 1 error"),
        "{}",
        run.stderr
    );
}

/// A template that builds each CI row from its locked commit: a relock changes that pipeline's
/// build job, so `diff` (between two committed lock revisions) lists the pipeline to re-set,
/// as `pipeline render` of each side differs; the API says the same.
#[test]
fn a_relock_re_sets_the_pipelines_built_from_the_commit() {
    let env = Env::new();
    let daemon = remotes(&env);
    let text = matrix(&daemon) + "\n[pipelines]\ntemplates = [\"pipelines/*.star\"]\n";
    env.write("edx-matrix.toml", &text);
    env.write("pipelines/locked.star", crate::lock::PINNED_TEMPLATE);
    run_at(&env, T1, &["lock"]).ok();
    let top = env.dir.path();
    git(&env, top, &["init", "-q", "-b", "main"]);
    git(
        &env,
        top,
        &["add", "edx-matrix.toml", "edx-matrix.lock", "pipelines"],
    );
    git_at(
        &env,
        top,
        "2026-12-01T11:00:00+00:00",
        &["commit", "-q", "-m", "lock"],
    );
    let before = env.run(&["pipeline", "render", "locked"]).ok().to_owned();
    advance(&env, "forum.git", "master", "2026-12-01T12:00:00+00:00");
    run_at(&env, T2, &["lock", "--stage", "CI"]).ok();
    let after = env.run(&["pipeline", "render", "locked"]).ok().to_owned();
    assert_ne!(before, after, "the template builds from the commit");
    commit(&env, "2026-12-02T11:00:00+00:00", "relock CI");

    let diff: Value = serde_json::from_str(
        env.run(&["diff", "HEAD~1", "HEAD", "--format", "json"])
            .ok(),
    )
    .unwrap();
    let expected = json!({
        "computed": true,
        "changes": [{
            "name": "locked",
            "change": "changed",
            "resources": {"added": [], "removed": [], "changed": []},
            "jobs": {"added": [], "removed": [], "changed": ["build-forum"]},
            "other": [],
        }],
    });
    assert_eq!(diff["pipelines"], expected, "{diff:#}");
    assert_eq!(
        diff["rebuild"],
        json!([{"release": "master", "deployment": "site", "stages": ["CI"],
                "reason": "locked commits change: `forum` (CI)"}])
    );
    let run = env.run(&["diff", "HEAD~1", "HEAD"]);
    assert!(run.ok().contains("locked"), "{}", run.stdout);

    let (_child, addr) = serve(&env);
    let api = http_get(&addr, "/api/v1/diff?base=HEAD~1&head=HEAD");
    let (_, body) = api.split_once("\r\n\r\n").unwrap();
    let api: Value = serde_json::from_str(body).unwrap();
    assert_eq!(api["pipelines"], expected, "{api:#}");
}
