//! `check` and `promote` apply one promotion order (`model::order::PromotionOrder`): the pair
//! `promote` refuses to create is the pair `check` then warns about, on a deployment written out
//! of order that skips a stage; and the lock follows the stage the edit promotes from (the
//! deployment's own stage before, not the stage order's).

use crate::harness::Env;
use crate::lock::{matrix, remotes, run_at};
use serde_json::Value;

/// Four stages; `pro` pins three of them (no Staging), written Production first.
const MATRIX: &str = r#"stages = ["CI", "QA", "Staging", "Production"]

[releases]
teak = { branch = "release/teak", python = "3.11", node = "20" }
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }

[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }

[deployments]
pro = { Production = "teak", CI = "ulmo", QA = "teak" }

[[map]]
releases = ["teak", "ulmo"]
deployments = ["pro"]
[map.apps]
forum = {}
"#;

/// The `promotion-order` warnings of `check --format json`: (message, line).
fn order_warnings(env: &Env) -> Vec<(String, u64)> {
    let report: Value = serde_json::from_str(env.run(&["check", "--format", "json"]).ok()).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "promotion-order")
        .map(|d| {
            (
                d["message"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn promote_refuses_exactly_the_pair_check_then_warns_about() {
    let env = Env::with_matrix(MATRIX);
    assert!(
        order_warnings(&env).is_empty(),
        "the matrix starts in order"
    );

    // Production from CI would run ulmo after QA's teak: refused, nothing written.
    let refused = env.run(&["promote", "pro", "--stage", "Production", "--from", "CI"]);
    assert_ne!(refused.code, 0, "{}", refused.stderr);
    assert!(
        refused.stderr.contains(
            "promoting would make stage `Production` of `pro` run `ulmo`, newer than `teak` on \
             the earlier stage `QA`"
        ),
        "{}",
        refused.stderr
    );
    assert_eq!(env.read("edx-matrix.toml"), MATRIX);

    // Forced, the same pair is what `check` warns about (Staging, not pinned, is skipped).
    env.run(&[
        "promote",
        "pro",
        "--stage",
        "Production",
        "--from",
        "CI",
        "--force",
    ])
    .ok();
    assert!(
        env.read("edx-matrix.toml")
            .contains(r#"pro = { Production = "ulmo", CI = "ulmo", QA = "teak" }"#)
    );
    assert_eq!(
        order_warnings(&env),
        [(
            "stage `Production` of `pro` runs `ulmo`, newer than `teak` on the earlier stage `QA`"
                .to_owned(),
            11
        )]
    );

    // QA's stage before is CI (the file writes Production first): promoting QA restores order.
    env.run(&["promote", "pro", "--stage", "QA"]).ok();
    assert!(
        env.read("edx-matrix.toml")
            .contains(r#"pro = { Production = "ulmo", CI = "ulmo", QA = "ulmo" }"#)
    );
    assert!(order_warnings(&env).is_empty());
}

#[test]
fn the_lock_is_carried_from_the_stage_the_edit_promotes_from() {
    // `site` pins CI and Production, not QA: Production is promoted from CI, and the lock
    // carries CI's commits (it used to look for QA's, and refused).
    let env = Env::new();
    let daemon = remotes(&env);
    let text = matrix(&daemon)
        .replace(
            r#"stages = ["CI", "QA"]"#,
            r#"stages = ["CI", "QA", "Production"]"#,
        )
        .replace(
            r#"site = { CI = "master", QA = "ulmo" }"#,
            r#"site = { CI = "master", Production = "ulmo" }"#,
        );
    assert!(text.contains("Production = \"ulmo\""), "{text}");
    env.write("edx-matrix.toml", &text);
    run_at(&env, "2026-12-01T10:00:00Z", &["lock"]).ok();
    let promoted = run_at(
        &env,
        "2026-12-02T10:00:00Z",
        &["promote", "site", "--stage", "Production"],
    );
    promoted.ok();
    assert!(
        promoted
            .stderr
            .contains("lock: site Production: 3 commits carried from CI"),
        "{}",
        promoted.stderr
    );
    let commits = |stage: &str| -> Vec<String> {
        let rows: Value = serde_json::from_str(
            env.run(&["resolve", "--stage", stage, "--format", "json"])
                .ok(),
        )
        .unwrap();
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r["commit"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(commits("Production"), commits("CI"));
    assert_eq!(commits("CI").len(), 3);
    env.run(&["check"]).ok();
}
