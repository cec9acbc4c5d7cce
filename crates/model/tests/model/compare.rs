//! The comparison's own verdicts: whether two matrices differ at all, and the words a change
//! is shown with (mutation testing found these asserted only through the CLI's `diff`).

use crate::build::campus;
use edx_matrix_model::{
    Change, Comparison, Rebuild, Redeploy, ReleaseChange, RowChange, StageDiff, compare,
};
use edx_matrix_model::{CommitChange, LockedCommit};

fn nothing() -> Comparison {
    Comparison {
        stages: vec![],
        releases: vec![],
        rows: vec![],
        rebuild: vec![],
        redeploy: vec![],
        commits: vec![],
    }
}

#[test]
fn a_matrix_compared_with_itself_is_empty_and_a_moved_stage_is_not() {
    let old = campus().done();
    assert!(compare(&old, &old).is_empty());
    let mut new = old.clone();
    new.deployments[0].stages[1].release = "verawood".into();
    assert!(!compare(&old, &new).is_empty());
}

#[test]
fn any_one_kind_of_change_alone_makes_a_comparison_non_empty() {
    let stage = StageDiff {
        deployment: "campus".into(),
        stage: "QA".into(),
        old: Some("ulmo".into()),
        new: Some("verawood".into()),
    };
    let release = ReleaseChange {
        release: "teak".into(),
        old: None,
        new: None,
    };
    let row = RowChange {
        change: Change::Removed,
        deployment: "campus".into(),
        stage: "QA".into(),
        application: "learning".into(),
        old: None,
        new: None,
    };
    let rebuild = Rebuild {
        release: "ulmo".into(),
        deployment: "campus".into(),
        reason: "a branch changed".into(),
        stages: Vec::new(),
    };
    let redeploy = Redeploy {
        deployment: "campus".into(),
        stage: "QA".into(),
        release: "ulmo".into(),
        reason: "rebuilt".into(),
    };
    let commit = CommitChange {
        change: Change::Added,
        deployment: "campus".into(),
        stage: "CI".into(),
        application: "edx-platform".into(),
        origin: "https://github.com/openedx/edx-platform".into(),
        old: None,
        new: Some(LockedCommit {
            branch: "master".into(),
            commit: "a".repeat(40),
        }),
        compare_url: None,
        count: None,
        count_note: None,
    };
    let each = [
        Comparison {
            stages: vec![stage],
            ..nothing()
        },
        Comparison {
            releases: vec![release],
            ..nothing()
        },
        Comparison {
            rows: vec![row],
            ..nothing()
        },
        Comparison {
            rebuild: vec![rebuild],
            ..nothing()
        },
        Comparison {
            redeploy: vec![redeploy],
            ..nothing()
        },
        Comparison {
            commits: vec![commit],
            ..nothing()
        },
    ];
    for comparison in &each {
        assert!(!comparison.is_empty(), "{comparison:#?}");
    }
    assert!(nothing().is_empty());
}

#[test]
fn changes_have_their_documented_words() {
    assert_eq!(
        [Change::Added, Change::Removed, Change::Changed].map(Change::word),
        ["added", "removed", "changed"]
    );
}

/// (change, stage, application) of every row change, in the comparison's order.
fn row_brief(c: &Comparison) -> Vec<(Change, &str, &str)> {
    c.rows
        .iter()
        .map(|r| (r.change, r.stage.as_str(), r.application.as_str()))
        .collect()
}

fn redeploy_brief(c: &Comparison) -> Vec<(&str, &str, &str)> {
    c.redeploy
        .iter()
        .map(|r| (r.stage.as_str(), r.release.as_str(), r.reason.as_str()))
        .collect()
}

#[test]
fn a_stage_removed_and_added_back() {
    let old = campus().done();
    let mut new = old.clone();
    new.deployments[0].stages.pop(); // Production, on ulmo
    let removed = compare(&old, &new);
    assert_eq!(
        removed.stages,
        [StageDiff {
            deployment: "campus".into(),
            stage: "Production".into(),
            old: Some("ulmo".into()),
            new: None,
        }]
    );
    assert!(removed.releases.is_empty());
    assert_eq!(
        row_brief(&removed),
        [
            (Change::Removed, "Production", "edx-platform"),
            (Change::Removed, "Production", "learning"),
        ]
    );
    // QA still builds ulmo for campus: nothing is rebuilt, nothing else redeployed.
    assert!(removed.rebuild.is_empty());
    assert!(removed.redeploy.is_empty());

    let added = compare(&new, &old);
    assert_eq!(
        added.stages,
        [StageDiff {
            deployment: "campus".into(),
            stage: "Production".into(),
            old: None,
            new: Some("ulmo".into()),
        }]
    );
    assert_eq!(
        row_brief(&added),
        [
            (Change::Added, "Production", "edx-platform"),
            (Change::Added, "Production", "learning"),
        ]
    );
    assert!(added.rebuild.is_empty());
    assert_eq!(
        redeploy_brief(&added),
        [("Production", "ulmo", "new stage")]
    );
}

#[test]
fn a_redefined_release_rebuilds_and_redeploys_every_stage_on_it_in_promotion_order() {
    use edx_matrix_model::ReleaseDef;
    let old = campus().done();
    let mut new = old.clone();
    new.releases[0].python = Some("3.12".into()); // ulmo: QA and Production
    let c = compare(&old, &new);
    assert!(c.stages.is_empty());
    assert_eq!(
        c.releases,
        [ReleaseChange {
            release: "ulmo".into(),
            old: Some(ReleaseDef {
                branch: "release/ulmo".into(),
                python: Some("3.11".into()),
                node: Some("20".into()),
            }),
            new: Some(ReleaseDef {
                branch: "release/ulmo".into(),
                python: Some("3.12".into()),
                node: Some("20".into()),
            }),
        }]
    );
    // Only the IDA runs Python; QA before Production (the stage order, not the alphabet).
    assert_eq!(
        row_brief(&c),
        [
            (Change::Changed, "QA", "edx-platform"),
            (Change::Changed, "Production", "edx-platform"),
        ]
    );
    let runtimes: Vec<_> = c
        .rows
        .iter()
        .map(|r| {
            (
                r.old.as_ref().and_then(|v| v.runtime.as_deref()),
                r.new.as_ref().and_then(|v| v.runtime.as_deref()),
            )
        })
        .collect();
    assert_eq!(runtimes, [(Some("3.11"), Some("3.12")); 2]);
    assert_eq!(
        c.rebuild,
        [Rebuild {
            release: "ulmo".into(),
            deployment: "campus".into(),
            reason: "changed: `edx-platform`".into(),
            stages: Vec::new(),
        }]
    );
    assert_eq!(
        redeploy_brief(&c),
        [
            ("QA", "ulmo", "`ulmo` is rebuilt for `campus`"),
            ("Production", "ulmo", "`ulmo` is rebuilt for `campus`"),
        ]
    );
}

#[test]
fn a_stage_moved_to_another_release_is_redeployed_without_a_rebuild() {
    let old = campus().done();
    let mut new = old.clone();
    new.deployments[0].stages[1].release = "verawood".into(); // QA
    let c = compare(&old, &new);
    assert_eq!(
        row_brief(&c),
        [
            (Change::Changed, "QA", "edx-platform"),
            (Change::Changed, "QA", "learning"),
        ]
    );
    // verawood is already built for campus (CI), ulmo still runs in Production.
    assert!(c.rebuild.is_empty());
    assert_eq!(
        redeploy_brief(&c),
        [("QA", "verawood", "release `ulmo` → `verawood`")]
    );
}

#[test]
fn rows_of_stages_gone_from_the_stage_order_keep_the_old_order() {
    let old = campus().done();
    let mut new = old.clone();
    new.stages.truncate(1); // CI only
    new.deployments[0].stages.truncate(1);
    let c = compare(&old, &new);
    let stages: Vec<_> = c.stages.iter().map(|s| s.stage.as_str()).collect();
    assert_eq!(stages, ["QA", "Production"]);
    assert_eq!(
        row_brief(&c),
        [
            (Change::Removed, "QA", "edx-platform"),
            (Change::Removed, "QA", "learning"),
            (Change::Removed, "Production", "edx-platform"),
            (Change::Removed, "Production", "learning"),
        ]
    );
}
