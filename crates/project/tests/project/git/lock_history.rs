//! `lock_history::arrivals` on a real repository whose lock commits have fixed dates: an entry
//! arrives at the first commit of its latest unbroken run (a commit that went A → B → A arrives
//! at the second A), commits of other entries do not restart it, and an entry the last commit
//! does not hold (or a lock outside any repository) is uncommitted.

use crate::git::support::{Sandbox, TestResult};
use edx_matrix_formats::{Source, example, load_toml};
use edx_matrix_model::Arrival;
use edx_matrix_model::LockEntry;
use edx_matrix_project::git::arrivals;

/// An entry of the example's `campus` CI for `application` at `commit` (the origin is not checked).
fn entry(application: &str, commit: char) -> LockEntry {
    LockEntry {
        deployment: "campus".to_owned(),
        stage: "CI".to_owned(),
        application: application.to_owned(),
        origin: "https://github.com/openedx/cs_comments_service".to_owned(),
        branch: "master".to_owned(),
        commit: commit.to_string().repeat(40),
        locked_at: "2026-12-01T00:00:00Z".to_owned(),
        forced: None,
    }
}

fn lock_text(entries: &[LockEntry]) -> String {
    edx_matrix_formats::write_lock(&edx_matrix_model::Lock::new(entries.iter().cloned()))
}

#[test]
fn an_entry_arrives_at_the_start_of_its_latest_unbroken_run() -> TestResult {
    let sandbox = Sandbox::new()?;
    let top = sandbox.path().join("estate");
    std::fs::create_dir(&top)?;
    sandbox.git(&top, &["init", "-q"])?;
    let lock = top.join("edx-matrix.lock");
    let matrix = load_toml(Source::new("edx-matrix.toml", example::TEXT)).matrix;
    let commit = |date: &str, entries: &[LockEntry]| -> TestResult {
        std::fs::write(&lock, lock_text(entries))?;
        sandbox.git_at(&top, date, &["add", "edx-matrix.lock"])?;
        sandbox.git_at(&top, date, &["commit", "-q", "-m", date])?;
        Ok(())
    };
    // forum: a, then b, then a again; learning: c throughout.
    let (a, b, c) = (
        entry("forum", 'a'),
        entry("forum", 'b'),
        entry("learning", 'c'),
    );
    commit("2026-12-01T00:00:00+00:00", &[a.clone(), c.clone()])?;
    commit("2026-12-02T00:00:00+00:00", &[b.clone(), c.clone()])?;
    commit("2026-12-03T06:00:00+02:00", &[a.clone(), c.clone()])?;
    // 2026-12-03T04:00:00Z is 1796270400 (`date -u -d 2026-12-03T04:00:00Z +%s`), 2026-12-01 is
    // 1796083200.
    let found = arrivals(&lock, &matrix, &[&a, &c, &b])?;
    assert_eq!(
        found,
        [
            Arrival::Since(1_796_270_400),
            Arrival::Since(1_796_083_200),
            // b is not what the last commit holds.
            Arrival::Uncommitted,
        ]
    );

    // A lock outside any repository has no history.
    let outside = sandbox.path().join("elsewhere.lock");
    std::fs::write(&outside, lock_text(std::slice::from_ref(&a)))?;
    assert_eq!(arrivals(&outside, &matrix, &[&a])?, [Arrival::Uncommitted]);
    Ok(())
}
