//! The editing commands end to end: the diffs they print (snapshots, read by eye), the files they
//! write, their refusals (exit code, message, file unchanged byte for byte), `--dry-run`, JSON,
//! and the safety of writes (advisory lock, atomic replace under `kill -9`).

use crate::harness::{Env, fixture};
use serde_json::Value;
use std::time::Duration;

const ACME: &str = include_str!("../../../../examples/acme/edx-matrix.toml");

/// The seed's own example: `mitx` and `mitx-staging` on olive in every stage, edx-platform from
/// a fork on `mitx/olive`.
const SEED: &str = r#"stages = ["CI", "QA", "Production"]

[releases]
olive = { branch = "open-release/olive.master", python = "3.8", node = "16" }
palm  = { branch = "open-release/palm.master", python = "3.8", node = "16" }

[applications]
edx-platform = { kind = "ida", repository = "https://github.com/openedx/edx-platform" }
learning     = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learn" }

[deployments]
mitx         = { CI = "olive", QA = "olive", Production = "olive" }
mitx-staging = { CI = "olive", QA = "olive", Production = "olive" }

[[map]]
releases    = ["olive"]
deployments = ["mitx", "mitx-staging"]
[map.apps]
edx-platform = { origin = "https://github.com/mitodl/edx-platform", branch = "mitx/olive" }
learning     = {}
"#;

fn acme() -> Env {
    Env::with_matrix(ACME)
}

/// Runs an edit that must succeed and returns its output.
#[track_caller]
fn edit(env: &Env, args: &[&str]) -> String {
    let run = env.run(args);
    run.ok();
    run.snapshot()
}

/// Runs an edit that must be refused with `code`, and checks the file did not change.
#[track_caller]
fn refused(env: &Env, args: &[&str], code: i32) -> String {
    let before = std::fs::read(env.path("edx-matrix.toml")).unwrap();
    let run = env.run(args);
    run.code(code);
    assert_eq!(
        std::fs::read(env.path("edx-matrix.toml")).unwrap(),
        before,
        "the file changed"
    );
    run.snapshot()
}

#[test]
fn seed_upgrade_changes_the_two_ci_lines_and_adds_palm() {
    let env = Env::with_matrix(SEED);
    let out = edit(
        &env,
        &[
            "upgrade",
            "mitx,mitx-staging",
            "--stage",
            "CI",
            "--to",
            "palm",
        ],
    );
    insta::assert_snapshot!(out);
    let after = env.read("edx-matrix.toml");
    assert!(
        after.contains(r#"mitx         = { CI = "palm", QA = "olive", Production = "olive" }"#)
    );
    assert!(
        after.contains(r#"mitx-staging = { CI = "palm", QA = "olive", Production = "olive" }"#)
    );
    let rows = env.run(&[
        "resolve",
        "-s",
        "CI",
        "-a",
        "edx-platform",
        "--format",
        "json",
    ]);
    let rows: Value = serde_json::from_str(rows.ok()).unwrap();
    for row in rows.as_array().unwrap() {
        assert_eq!(row["release_branch"], "mitx/palm");
        assert_eq!(row["git_origin"], "https://github.com/mitodl/edx-platform");
    }
    assert_eq!(rows.as_array().unwrap().len(), 2);
}

#[test]
fn upgrade_extends_templated_blocks() {
    let env = acme();
    insta::assert_snapshot!(edit(
        &env,
        &["upgrade", "pro", "--stage", "CI", "--to", "master"]
    ));
    env.run(&["check"]).code(0);
}

#[test]
fn upgrade_adds_a_translated_block_when_values_name_the_release() {
    let env = acme();
    edit(
        &env,
        &[
            "release",
            "add",
            "willow",
            "--branch",
            "release/willow",
            "--python",
            "3.12",
            "--node",
            "24",
            "-q",
        ],
    );
    let out = edit(
        &env,
        &[
            "upgrade",
            "campus",
            "-d",
            "campus-staging",
            "--stage",
            "QA",
            "--to",
            "willow",
        ],
    );
    insta::assert_snapshot!(out);
    let version = env.run(&[
        "query", "version", "learning", "-r", "willow", "-d", "campus", "--format", "json",
    ]);
    assert!(
        version.ok().contains("acme/willow-fix-jumpnav"),
        "{}",
        version.stdout
    );
}

#[test]
fn dry_run_writes_nothing_and_json_says_so() {
    let env = acme();
    let run = env.run(&[
        "upgrade",
        "pro",
        "--stage",
        "CI",
        "--to",
        "master",
        "--dry-run",
    ]);
    assert!(run.ok().contains("(dry run: nothing written)"));
    assert!(
        run.stdout.contains("+CI         = { release = \"master\""),
        "{}",
        run.stdout
    );
    assert_eq!(env.read("edx-matrix.toml"), ACME);
    let run = env.run(&[
        "upgrade",
        "pro",
        "--stage",
        "CI",
        "--to",
        "master",
        "--dry-run",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(report["changed"], true);
    assert_eq!(report["written"], false);
    assert_eq!(report["dry_run"], true);
    assert!(
        report["diff"]
            .as_str()
            .unwrap()
            .starts_with("--- a/edx-matrix.toml")
    );
    assert_eq!(env.read("edx-matrix.toml"), ACME);
    // The built-in example can be previewed but not edited.
    let example = Env::new().run(&[
        "--example",
        "promote",
        "pro",
        "--stage",
        "QA",
        "--dry-run",
        "-q",
    ]);
    assert_eq!(
        example.ok(),
        "promoted `pro` stage `QA` from `ulmo` to `verawood` (the release of `CI`) (dry run: nothing written)\n"
    );
    Env::new()
        .run(&["--example", "promote", "pro", "--stage", "QA"])
        .code(2);
}

#[test]
fn json_report_of_a_written_edit() {
    let env = acme();
    let run = env.run(&["promote", "pro", "--stage", "QA", "--format", "json"]);
    let report: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(report["written"], true);
    assert_eq!(report["changed"], true);
    assert_eq!(report["notes"], serde_json::json!([]));
    assert_ne!(env.read("edx-matrix.toml"), ACME);
}

#[test]
fn an_edit_that_would_make_the_matrix_invalid_is_refused() {
    let env = acme();
    // The theme has no upstream repository: without its fork the entry has no origin at all.
    let out = refused(
        &env,
        &[
            "set",
            "campus",
            "verawood",
            "edxapp_theme",
            "--unset-origin",
        ],
        1,
    );
    insta::assert_snapshot!(out);
}

#[test]
fn a_file_with_errors_is_not_edited() {
    let broken = edx_matrix_test_support::pin_pro(ACME, ["verawod", "ulmo", "teak"]);
    let env = Env::with_matrix(&broken);
    let out = refused(&env, &["promote", "pro", "--stage", "QA"], 1);
    assert!(
        out.contains("edits are made only to a valid matrix"),
        "{out}"
    );
}

#[test]
fn bad_names_and_values_are_usage_errors() {
    let env = acme();
    let out = refused(
        &env,
        &["upgrade", "pro", "--stage", "CI", "--to", "mastr"],
        2,
    );
    assert!(out.contains("did you mean `master`?"), "{out}");
    assert!(out.contains("edx-matrix release add mastr"), "{out}");
    let out = refused(&env, &["promote", "prod", "--stage", "QA"], 2);
    assert!(
        out.contains("error: unknown deployment `prod`\nhint: did you mean `pro`?"),
        "{out}"
    );
    let out = refused(
        &env,
        &["set", "pro", "teak", "learning", "--origin", "ftp:/x"],
        2,
    );
    assert!(out.contains("invalid repository `ftp:/x`"), "{out}");
    refused(
        &env,
        &[
            "release", "add", "ulmo", "--branch", "b", "--python", "3", "--node", "2",
        ],
        1,
    );
}

#[test]
fn promote_and_its_refusal() {
    let env = acme();
    let out = refused(
        &env,
        &["promote", "pro", "--stage", "Production", "--from", "CI"],
        1,
    );
    insta::assert_snapshot!("promote_refused", out);
    insta::assert_snapshot!("promote", edit(&env, &["promote", "pro", "--stage", "QA"]));
    edit(
        &env,
        &[
            "promote",
            "pro",
            "--stage",
            "Production",
            "--from",
            "CI",
            "-q",
        ],
    );
    env.run(&["check"]).code(0);
}

#[test]
fn set_include_exclude() {
    let env = acme();
    insta::assert_snapshot!(
        "set_splits_a_shared_block",
        edit(
            &env,
            &[
                "set",
                "campus",
                "verawood",
                "learning",
                "--branch",
                "acme/verawood-fix-2"
            ]
        )
    );
    insta::assert_snapshot!(
        "include_into_an_existing_block",
        edit(
            &env,
            &[
                "include",
                "online",
                "master",
                "xqueue",
                "--branch",
                "online/xq"
            ]
        )
    );
    insta::assert_snapshot!(
        "exclude_from_a_shared_block",
        edit(&env, &["exclude", "pro", "ulmo", "learning"])
    );
    env.run(&["check"]).code(0);
}

#[test]
fn retire_refuses_while_used_then_succeeds() {
    let env = acme();
    insta::assert_snapshot!(
        "retire_refused",
        refused(&env, &["release", "retire", "teak"], 1)
    );
    edit(
        &env,
        &[
            "upgrade",
            "pro",
            "--stage",
            "Production",
            "--to",
            "ulmo",
            "-q",
        ],
    );
    insta::assert_snapshot!("retire", edit(&env, &["release", "retire", "teak"]));
    env.run(&["check"]).code(0);
}

#[test]
fn release_add_app_add_and_remove() {
    let env = acme();
    insta::assert_snapshot!(
        "release_add",
        edit(
            &env,
            &[
                "release",
                "add",
                "willow",
                "--branch",
                "release/willow",
                "--python",
                "3.12",
                "--node",
                "24"
            ]
        )
    );
    insta::assert_snapshot!("app_add", edit(&env, &["app", "add", "learner-record"]));
    insta::assert_snapshot!(
        "app_remove_refused",
        refused(&env, &["app", "remove", "communications"], 1)
    );
    edit(&env, &["app", "remove", "learner-record", "-q"]);
    let after_add_remove = env.read("edx-matrix.toml");
    assert!(!after_add_remove.contains("learner-record"));
}

#[test]
fn fmt_check_then_fmt() {
    let messy = fixture("valid/minimal.toml")
        .replace("[releases]", "\n\n\n[releases]")
        .replace("ulmo   =", "ulmo =");
    let env = Env::with_matrix(&messy);
    let out = refused(&env, &["fmt", "--check"], 1);
    insta::assert_snapshot!("fmt_check", out);
    edit(&env, &["fmt", "-q"]);
    let formatted = fixture("valid/minimal.toml").replace("releases = [", "releases    = [");
    assert_eq!(env.read("edx-matrix.toml"), formatted);
    env.run(&["fmt", "--check"]).code(0);
    Env::with_matrix(ACME).run(&["fmt", "--check"]).code(0);
}

#[test]
fn a_locked_file_makes_the_edit_wait_then_fail() {
    let env = acme();
    let file = std::fs::File::open(env.path("edx-matrix.toml")).unwrap();
    let mut lock = fd_lock::RwLock::new(file);
    let guard = lock.write().unwrap();
    let out = refused(
        &env,
        &["promote", "pro", "--stage", "QA", "--wait", "0.3"],
        3,
    );
    assert!(
        out.contains("is being edited by another process; gave up after 0.3s"),
        "{out}"
    );
    drop(guard);
}

#[test]
fn a_waiting_edit_applies_on_top_of_the_one_before() {
    let env = acme();
    let file = std::fs::File::open(env.path("edx-matrix.toml")).unwrap();
    let mut lock = fd_lock::RwLock::new(file);
    let guard = lock.write().unwrap();
    let mut waiting = env
        .command(&["promote", "pro", "--stage", "QA", "-q"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        waiting.try_wait().unwrap().is_none(),
        "it did not wait for the lock"
    );
    // Meanwhile another edit replaces the file, as an edit holding the lock would.
    let promoted_elsewhere = ACME.replace(
        r#"campus         = { CI = "master",   QA = "verawood", Production"#,
        r#"campus         = { CI = "master",   QA = "master",   Production"#,
    );
    assert_ne!(promoted_elsewhere, ACME);
    env.write("edx-matrix.toml.new", &promoted_elsewhere);
    std::fs::rename(env.path("edx-matrix.toml.new"), env.path("edx-matrix.toml")).unwrap();
    drop(guard);
    assert!(waiting.wait().unwrap().success());
    let after = env.read("edx-matrix.toml");
    assert!(
        after.contains(r#"campus         = { CI = "master",   QA = "master",   Production"#),
        "{after}"
    );
    assert!(
        after.contains(r#"QA         = { release = "verawood", vars"#),
        "{after}"
    );
}

#[test]
fn concurrent_edits_all_land() {
    let env = acme();
    let names = ["wa", "wb", "wc", "wd", "we", "wf"];
    let children: Vec<_> = names
        .iter()
        .map(|n| {
            let branch = format!("release/{n}");
            env.command(&[
                "release", "add", n, "--branch", &branch, "--python", "3.12", "--node", "24", "-q",
            ])
            .spawn()
            .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let after = env.read("edx-matrix.toml");
    for n in names {
        assert!(after.contains(&format!("release/{n}")), "{n} was lost");
    }
    env.run(&["check"]).code(0);
}

#[test]
fn kill_9_leaves_the_old_file_or_the_new_one() {
    let env = acme();
    // The file this edit writes, computed once.
    let probe = Env::with_matrix(ACME);
    probe
        .run(&["upgrade", "pro", "--stage", "CI", "--to", "master", "-q"])
        .ok();
    let new = probe.read("edx-matrix.toml");
    let mut saw_old = false;
    let mut saw_new = false;
    for i in 0..40u64 {
        env.write("edx-matrix.toml", ACME);
        let mut child = env
            .command(&["upgrade", "pro", "--stage", "CI", "--to", "master", "-q"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(i * 250));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let now = env.read("edx-matrix.toml");
        assert!(
            now == ACME || now == new,
            "torn file after kill at {}us",
            i * 250
        );
        saw_old |= now == ACME;
        saw_new |= now == new;
    }
    assert!(
        saw_old,
        "every edit finished before the kill: the test proves nothing"
    );
    let _ = saw_new;
}

// ── Runbooks (issue 8): upgrade and promote print the steps due, release add pre-fills them ──

#[test]
fn upgrade_and_promote_print_the_built_in_runbook_of_redwood() {
    let env = Env::with_matrix(&fixture("valid/redwood.toml"));
    insta::assert_snapshot!(
        "upgrade_to_redwood_runbook",
        edit(
            &env,
            &["upgrade", "mitx", "--stage", "CI", "--to", "redwood"]
        )
    );
    insta::assert_snapshot!(
        "promote_to_redwood_runbook",
        edit(&env, &["promote", "mitx", "--stage", "QA", "-q"])
    );
    // The stage runs redwood already: not a first deploy, and redwood has no every-deploy step.
    let again = env.run(&["upgrade", "mitx", "--stage", "CI", "--to", "redwood", "-q"]);
    again.ok();
    assert_eq!(
        again.stderr,
        "Runbook for redwood on CI (not a first deploy) (built-in steps: the matrix has no \
         runbook for it):\n  no steps\n"
    );
    // Edits that move no stage print no runbook.
    let set = env.run(&["set", "mitx", "redwood", "learning", "--branch", "mitx/fix"]);
    set.ok();
    assert_eq!(set.stderr, "");
}

#[test]
fn upgrade_and_promote_print_the_runbook_of_the_matrix() {
    let env = Env::with_matrix(&fixture("valid/runbooks.toml"));
    // `[[runbooks.ulmo]]` in the inline form; a dry run prints the runbook too.
    insta::assert_snapshot!(
        "promote_matrix_runbook_dry_run",
        edit(
            &env,
            &["promote", "site", "--stage", "QA", "--dry-run", "-q"]
        )
    );
    insta::assert_snapshot!(
        "upgrade_matrix_runbook",
        edit(
            &env,
            &["upgrade", "site", "--stage", "CI", "--to", "redwood"]
        )
    );
}

#[test]
fn the_json_report_of_upgrade_and_promote_has_the_runbook() {
    let env = Env::with_matrix(&fixture("valid/redwood.toml"));
    let run = env.run(&[
        "upgrade", "mitx", "--stage", "CI", "--to", "redwood", "--format", "json",
    ]);
    let report: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(
        run.stderr, "",
        "JSON mode prints the runbook only in the report"
    );
    let runbook = &report["runbook"];
    assert_eq!(runbook["release"], "redwood");
    assert_eq!(runbook["stage"], "CI");
    assert_eq!(runbook["first_deploy"], true);
    assert_eq!(runbook["origin"], "built-in");
    let commands: Vec<&str> = runbook["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["command"].as_str().unwrap())
        .collect();
    assert_eq!(
        commands,
        ["./manage.py lms showmigrations", "edx-matrix jwt-keygen"]
    );
    assert_eq!(runbook["steps"][1]["when"], "first-deploy");

    let env = Env::with_matrix(&fixture("valid/runbooks.toml"));
    let run = env.run(&[
        "promote",
        "site",
        "--stage",
        "Production",
        "--from",
        "CI",
        "--dry-run",
    ]);
    run.code(1);
    let run = env.run(&[
        "promote",
        "site",
        "--stage",
        "QA",
        "--format",
        "json",
        "--dry-run",
    ]);
    let report: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(
        report["runbook"],
        serde_json::json!({
            "release": "ulmo",
            "stage": "QA",
            "first_deploy": true,
            "origin": "matrix",
            "steps": [{
                "text": "Check migrations",
                "command": "./manage.py lms showmigrations",
                "when": "first-deploy",
                "stages": [],
            }],
        })
    );
    // Other edits have no runbook field.
    let run = env.run(&["release", "retire", "ulmo", "--format", "json"]);
    run.code(1);
    let run = env.run(&[
        "set",
        "site",
        "ulmo",
        "edx-platform",
        "--branch",
        "x",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(run.ok()).unwrap();
    assert!(report.get("runbook").is_none(), "{report}");
}

#[test]
fn release_add_prefills_a_known_runbook_and_retire_removes_it() {
    let env = acme();
    insta::assert_snapshot!(
        "release_add_prefills_runbook",
        edit(
            &env,
            &[
                "release",
                "add",
                "redwood",
                "--branch",
                "open-release/redwood.master",
                "--python",
                "3.11",
                "--node",
                "18"
            ]
        )
    );
    // Valid (warnings only: no stage runs redwood yet), and the runbook is the file's now.
    env.run(&["check"]).code(0);
    let runbook = env.run(&["runbook", "redwood", "--format", "json"]);
    let plan: Value = serde_json::from_str(runbook.ok()).unwrap();
    assert_eq!(plan["origin"], "matrix");
    assert_eq!(plan["steps"].as_array().unwrap().len(), 2);

    insta::assert_snapshot!(
        "retire_removes_runbook",
        edit(&env, &["release", "retire", "redwood"])
    );
    // Add then retire leaves the file as it was, but for the alignment of `[releases]`.
    let after = env.read("edx-matrix.toml");
    let tail = |text: &str| text[text.find("\n# The application catalogue").unwrap()..].to_owned();
    assert_eq!(tail(&after), tail(ACME));
    env.run(&["check"]).code(0);
}

#[test]
fn retire_removes_a_runbook_written_in_the_file() {
    // Before issue 8's fix, retiring a release with a runbook was refused: the runbook left
    // behind is a `runbook-undefined-release` error.
    let text = fixture("valid/runbooks.toml").replace(
        r#"site = { CI = "ulmo", QA = "redwood", Production = "redwood" }"#,
        r#"site = { CI = "ulmo", QA = "ulmo", Production = "ulmo" }"#,
    );
    let env = Env::with_matrix(&text);
    let out = edit(&env, &["release", "retire", "redwood", "-q"]);
    assert!(out.contains("runbook of 2 steps removed"), "{out}");
    let after = env.read("edx-matrix.toml");
    assert!(!after.contains("runbooks.redwood"), "{after}");
    assert!(
        after.contains("ulmo = [{ text = \"Check migrations\""),
        "{after}"
    );
    env.run(&["check"]).code(0);
}
