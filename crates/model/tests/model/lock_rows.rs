//! A lock against resolved rows: `matches` compares the whole key, `apply` writes each row's
//! commit, `is_empty` (mutation testing found these reached only through the CLI). Expected
//! values are written by hand from the `campus` matrix.

use crate::build::campus;
use edx_matrix_model::lock::{Lock, LockEntry};
use edx_matrix_model::{Filter, resolve};

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
