//! The lock beside the matrix: read by `Project::load` with the matrix, its own problems located
//! in the lock file, and a lock that no longer matches the matrix reported in both files.
//! Positions are counted by hand in the texts below.

use edx_matrix_model::Code;
use edx_matrix_project::{Project, lock_path};
use std::path::Path;

const MATRIX: &str = r#"stages = ["CI", "QA"]
[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
notes = { kind = "ida", repository = "https://github.com/openedx/edx-notes-api" }
[deployments]
campus = { CI = "ulmo", QA = "ulmo" }
[[map]]
releases = ["ulmo"]
deployments = ["campus"]
[map.apps]
forum = { branch = "acme/ulmo" }
notes = {}
"#;

fn entry(app: &str, origin: &str, branch: &str) -> String {
    format!(
        "\n[[lock]]\ndeployment = \"campus\"\nstage = \"CI\"\napplication = \"{app}\"\norigin = \"{origin}\"\n\
         branch = \"{branch}\"\ncommit = \"{}\"\nlocked_at = \"2026-12-05T18:40:00Z\"\n",
        "a".repeat(40)
    )
}

fn lock() -> String {
    format!(
        "version = 1\n{}{}",
        entry(
            "forum",
            "https://github.com/openedx/cs_comments_service",
            "acme/ulmo"
        ),
        entry(
            "notes",
            "https://github.com/openedx/edx-notes-api",
            "release/ulmo"
        ),
    )
}

/// (file, code, line, column) of every lock diagnostic.
fn located(project: &Project) -> Vec<(String, &'static str, usize, usize)> {
    project
        .lock_diagnostics()
        .iter()
        .map(|(source, d)| {
            let (line, col) = d.line_col(source).unwrap_or((0, 0));
            let file = Path::new(&source.name)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (file, d.code.as_str(), line, col)
        })
        .collect()
}

fn load(dir: &Path, matrix: &str, lock: Option<&str>) -> Project {
    let path = dir.join("edx-matrix.toml");
    std::fs::write(&path, matrix).unwrap();
    if let Some(lock) = lock {
        std::fs::write(lock_path(&path), lock).unwrap();
    }
    Project::load(&path).unwrap()
}

#[test]
fn the_lock_beside_the_matrix_is_read_with_it() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        lock_path(&dir.path().join("edx-matrix.toml")),
        dir.path().join("edx-matrix.lock")
    );
    let project = load(dir.path(), MATRIX, None);
    assert!(project.lock().is_none());
    let project = load(dir.path(), MATRIX, Some(&lock()));
    assert_eq!(located(&project), []);
    assert_eq!(project.locked().entries().len(), 2);
    assert_eq!(
        project
            .locked()
            .get("campus", "CI", "forum")
            .unwrap()
            .branch,
        "acme/ulmo"
    );
}

#[test]
fn a_changed_branch_is_stale_in_the_lock_and_in_the_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = MATRIX.replace("branch = \"acme/ulmo\"", "branch = \"acme/ulmo-2\"");
    let project = load(dir.path(), &matrix, Some(&lock()));
    // The lock's forum `branch` value: line 8, column 10; the matrix's: line 13, column 20.
    assert_eq!(
        located(&project),
        [
            ("edx-matrix.lock".into(), "lock-stale", 8, 10),
            ("edx-matrix.toml".into(), "lock-stale", 13, 20),
        ]
    );
    // The matrix itself has no error: an edit that makes the lock stale is not refused.
    assert!(!project.has_errors());
}

#[test]
fn an_added_and_a_removed_application_are_stale() {
    let dir = tempfile::tempdir().unwrap();
    // notes left the map; `extra` joined it.
    let matrix = MATRIX.replace("notes = {}\n", "extra = {}\n").replace(
        "[deployments]",
        "extra = { kind = \"ida\", repository = \"https://github.com/acme/extra\" }\n[deployments]",
    );
    let project = load(dir.path(), &matrix, Some(&lock()));
    let found = located(&project);
    assert_eq!(
        found,
        [
            ("edx-matrix.lock".into(), "lock-stale", 0, 0),
            ("edx-matrix.toml".into(), "lock-stale", 15, 1),
            ("edx-matrix.lock".into(), "lock-stale", 15, 15),
        ]
    );
}

#[test]
fn a_malformed_lock_is_an_error_of_the_lock_only() {
    let dir = tempfile::tempdir().unwrap();
    let bad = lock().replacen(&"a".repeat(40), "abc", 1);
    let project = load(dir.path(), MATRIX, Some(&bad));
    assert_eq!(
        located(&project),
        [("edx-matrix.lock".into(), "lock-invalid", 9, 10)]
    );
    assert!(project.lock().unwrap().has_errors());
    assert!(!project.has_errors());
    let codes: Vec<Code> = project
        .lock_diagnostics()
        .iter()
        .map(|(_, d)| d.code)
        .collect();
    assert_eq!(codes, [Code::LockInvalid]);
}
