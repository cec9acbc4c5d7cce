//! A lock against resolved rows: `matches` compares the whole key, `apply` writes each row's
//! commit, `is_empty` (mutation testing found these reached only through the CLI). Expected
//! values are written by hand from the `campus` matrix.

use crate::build::campus;
use edx_matrix_model::{Filter, resolve};
use edx_matrix_model::{Lock, LockEntry};

const LEARNING: &str = "https://github.com/openedx/frontend-app-learning";

fn ci_learning(commit: char) -> LockEntry {
    LockEntry {
        deployment: "campus".into(),
        stage: "CI".into(),
        application: "learning".into(),
        origin: LEARNING.into(),
        branch: "release/verawood".into(),
        commit: commit.to_string().repeat(40),
        locked_at: "2026-12-01T10:00:00Z".into(),
        forced: None,
    }
}

#[test]
fn an_entry_matches_only_the_row_of_its_own_key() {
    let matrix = campus().done();
    let rows = resolve(&matrix, &Filter::default()).rows;
    let entry = ci_learning('a');
    let matching: Vec<_> = rows
        .iter()
        .filter(|r| entry.matches(r))
        .map(|r| (r.stage, r.application))
        .collect();
    assert_eq!(matching, [("CI", "learning")]);
    // Same origin and branch, another stage: QA builds learning from ulmo, so move it to
    // verawood too; the entry still locks CI only.
    let mut matrix = campus().done();
    matrix.deployments[0].stages[1].release = "verawood".into();
    let rows = resolve(&matrix, &Filter::default()).rows;
    let qa = rows
        .iter()
        .find(|r| r.stage == "QA" && r.application == "learning")
        .expect("QA learning");
    assert_eq!(
        (qa.git_origin, qa.release_branch),
        (LEARNING, "release/verawood")
    );
    assert!(!entry.matches(qa));
}

#[test]
fn apply_writes_the_locked_commit_of_each_row_and_none_elsewhere() {
    let matrix = campus().done();
    let lock = Lock::new([ci_learning('b')]);
    let mut rows = resolve(&matrix, &Filter::default()).rows;
    lock.apply(&mut rows);
    let commits: Vec<_> = rows
        .iter()
        .map(|r| (r.stage, r.application, r.commit))
        .collect();
    let b = "b".repeat(40);
    assert_eq!(
        commits,
        [
            ("CI", "edx-platform", None),
            ("CI", "learning", Some(b.as_str())),
            ("Production", "edx-platform", None),
            ("Production", "learning", None),
            ("QA", "edx-platform", None),
            ("QA", "learning", None),
        ]
    );
}

#[test]
fn a_lock_without_entries_is_empty() {
    assert!(Lock::new([]).is_empty());
    assert!(Lock::default().is_empty());
    assert!(!Lock::new([ci_learning('c')]).is_empty());
}

const PLATFORM: &str = "https://github.com/openedx/openedx-platform";

fn at(stage: &str, application: &str, origin: &str, branch: &str, commit: char) -> LockEntry {
    LockEntry {
        stage: stage.into(),
        application: application.into(),
        origin: origin.into(),
        branch: branch.into(),
        commit: commit.to_string().repeat(40),
        locked_at: "2026-11-01T00:00:00Z".into(),
        ..ci_learning('0')
    }
}

#[test]
fn carry_takes_the_lower_stages_commit_only_for_the_same_origin_and_branch() {
    use edx_matrix_model::carry;
    // QA promoted to verawood, which CI tested: CI locked edx-platform at `a` on
    // release/verawood, and learning on another branch (so learning was never tested).
    let mut matrix = campus().done();
    matrix.deployments[0].stages[1].release = "verawood".into();
    let qa: Vec<_> = resolve(&matrix, &Filter::default())
        .rows
        .into_iter()
        .filter(|r| r.stage == "QA")
        .collect();
    let lock = Lock::new([
        at("CI", "edx-platform", PLATFORM, "release/verawood", 'a'),
        at("CI", "learning", LEARNING, "release/teak", 'b'),
    ]);
    let carried = carry(&lock, "campus", "CI", &qa, "2026-12-05T22:00:00Z");
    let entries: Vec<_> = carried
        .entries
        .iter()
        .map(|e| {
            (
                e.stage.as_str(),
                e.application.as_str(),
                e.commit.clone(),
                e.locked_at.as_str(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [("QA", "edx-platform", "a".repeat(40), "2026-12-05T22:00:00Z")]
    );
    assert_eq!(
        carried.untested,
        [(
            "learning".to_owned(),
            LEARNING.to_owned(),
            "release/verawood".to_owned()
        )]
    );
}

#[test]
fn carry_keeps_an_entry_already_at_the_tested_commit_and_replaces_one_at_another() {
    use edx_matrix_model::carry;
    let mut matrix = campus().done();
    matrix.deployments[0].stages[1].release = "verawood".into();
    let qa: Vec<_> = resolve(&matrix, &Filter::default())
        .rows
        .into_iter()
        .filter(|r| r.stage == "QA")
        .collect();
    let lock = Lock::new([
        at("CI", "edx-platform", PLATFORM, "release/verawood", 'a'),
        at("CI", "learning", LEARNING, "release/verawood", 'b'),
        // QA already runs learning at CI's commit (kept, with its time) and edx-platform at
        // an older one (replaced, timed now).
        at("QA", "edx-platform", PLATFORM, "release/verawood", 'c'),
        at("QA", "learning", LEARNING, "release/verawood", 'b'),
    ]);
    let carried = carry(&lock, "campus", "CI", &qa, "2026-12-05T22:00:00Z");
    let entries: Vec<_> = carried
        .entries
        .iter()
        .map(|e| {
            (
                e.application.as_str(),
                e.commit.clone(),
                e.locked_at.as_str(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("edx-platform", "a".repeat(40), "2026-12-05T22:00:00Z"),
            ("learning", "b".repeat(40), "2026-11-01T00:00:00Z"),
        ]
    );
    assert!(carried.untested.is_empty());
}
