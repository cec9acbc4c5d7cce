//! The edit use case on a file ([`edit_matrix`]): the file's own form kept, a refusal or a dry
//! run leaving it byte for byte as it was, and edits taking turns on the edit lock.

use crate::edits::willow;
use edx_matrix_formats::edit::release;
use edx_matrix_model::names::ReleaseName;
use edx_matrix_project::fsio::with_edit_lock;
use edx_matrix_project::{
    EditTarget, FileEditError, FileEdited, Precondition, Refusal, edit_matrix,
};
use edx_matrix_test_support::workspace_root;
use std::path::Path;
use std::time::Duration;

/// The valid fixture with CRLF line endings, in a new directory.
fn crlf_file() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let text =
        std::fs::read_to_string(workspace_root().join("tests/fixtures/valid/pipelines.toml"))
            .unwrap()
            .replace('\n', "\r\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edx-matrix.toml");
    std::fs::write(&path, &text).unwrap();
    (dir, path, text)
}

fn add_willow(target: EditTarget<'_>, path: &Path) -> Result<FileEdited, FileEditError> {
    edit_matrix(
        target,
        &path.display().to_string(),
        Precondition::Valid,
        |base| release::add(base, &willow()),
    )
}

#[test]
fn a_written_edit_keeps_the_files_crlf_line_endings() {
    let (_dir, path, before) = crlf_file();
    let target = EditTarget::Write {
        path: &path,
        wait: Duration::ZERO,
        also: None,
    };
    let done = add_willow(target, &path).unwrap();
    assert!(done.written);
    // What the edit compared is the normalised text; the file keeps its CRLF.
    assert_eq!(done.before_text, before.replace("\r\n", "\n"));
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("\"release/willow\""), "{after}");
    assert_eq!(after.matches('\n').count(), after.matches("\r\n").count());
    assert!(after.len() > before.len());
}

#[test]
fn a_read_only_target_writes_nothing() {
    let (_dir, path, before) = crlf_file();
    let done = add_willow(EditTarget::Read(&path), &path).unwrap();
    assert!(done.edited.changed());
    assert!(!done.written);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

#[test]
fn a_refused_edit_leaves_the_file_as_it_was() {
    let (_dir, path, before) = crlf_file();
    let target = EditTarget::Write {
        path: &path,
        wait: Duration::ZERO,
        also: None,
    };
    // `retire` of a release no deployment runs is the edit's own refusal: an unknown name.
    let result = edit_matrix(target, "edx-matrix.toml", Precondition::Valid, |base| {
        release::retire(base, &ReleaseName::from("no-such-release"))
    });
    assert!(
        matches!(result, Err(FileEditError::Refused(Refusal::Edit(_)))),
        "{result:?}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

#[test]
fn an_edit_waits_for_the_lock_and_gives_up_naming_the_wait() {
    let (_dir, path, before) = crlf_file();
    let target = EditTarget::Write {
        path: &path,
        wait: Duration::from_millis(200),
        also: None,
    };
    // Another edit holds the lock for the whole of this one's wait.
    let result = with_edit_lock(&path, Duration::ZERO, || {
        Ok::<_, edx_matrix_project::fsio::Error>(add_willow(target, &path))
    })
    .unwrap();
    let Err(FileEditError::Io(e)) = result else {
        panic!("expected the lock to time out: {result:?}");
    };
    assert!(
        e.message
            .ends_with("is being edited by another process; gave up after 0.2s"),
        "{}",
        e.message
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("try again, or wait longer with `--wait SECONDS`")
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}
