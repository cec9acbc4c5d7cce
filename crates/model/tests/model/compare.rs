//! The comparison's own verdicts: whether two matrices differ at all, and the words a change
//! is shown with (mutation testing found these asserted only through the CLI's `diff`).

use crate::build::campus;
use edx_matrix_model::compare::{
    Change, Comparison, Rebuild, Redeploy, ReleaseChange, RowChange, StageDiff, compare,
};

fn nothing() -> Comparison {
    Comparison {
        stages: vec![],
        releases: vec![],
        rows: vec![],
        rebuild: vec![],
        redeploy: vec![],
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
    };
    let redeploy = Redeploy {
        deployment: "campus".into(),
        stage: "QA".into(),
        release: "ulmo".into(),
        reason: "rebuilt".into(),
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
