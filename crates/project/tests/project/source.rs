//! The one load of a source ([`MatrixSource`]): what every command reads through
//! [`Project::load`] and what the server serves ([`MatrixSource::load_served`]) are the same
//! project, the served one redacted and its pipelines rendered; a lock that cannot be read fails
//! a command but only leaves the served matrix without commits.

use edx_matrix_project::{MatrixSource, Project};
use edx_matrix_test_support::workspace_root;

/// The valid fixture with a token in an origin, in a new directory.
fn with_token() -> (tempfile::TempDir, std::path::PathBuf) {
    let text =
        std::fs::read_to_string(workspace_root().join("tests/fixtures/valid/pipelines.toml"))
            .unwrap()
            .replacen(
                "origin = \"https://github.com/",
                "origin = \"https://ci-bot:s3cret@github.com/",
                1,
            );
    assert!(
        text.contains("s3cret"),
        "the fixture has an origin to put a token in"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edx-matrix.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// The matrix as its debug form: every URL in it, as held.
fn origins(project: &Project) -> String {
    format!("{:?}", project.matrix())
}

fn codes(project: &Project) -> Vec<edx_matrix_model::Code> {
    project.diagnostics().iter().map(|d| d.code).collect()
}

#[test]
fn the_served_project_is_the_commands_project_redacted() {
    let (_dir, path) = with_token();
    let loaded = Project::load(&path).unwrap();
    let source = MatrixSource::File(path.clone());
    let served = source.load_served(source.read_text().unwrap(), source.read_lock().unwrap());
    assert_eq!(served.source().name, loaded.source().name);
    assert_eq!(served.source().text, loaded.source().text);
    assert_eq!(codes(&served), codes(&loaded));
    assert!(origins(&loaded).contains("ci-bot:s3cret@github.com"));
    let shown = origins(&served);
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("ci-bot:***@github.com"), "{shown}");
}

#[test]
fn an_unreadable_lock_fails_a_command_but_not_the_served_matrix() {
    let (dir, path) = with_token();
    // A lock that is a directory: there, but not a file.
    std::fs::create_dir(dir.path().join("edx-matrix.lock")).unwrap();
    let source = MatrixSource::File(path.clone());
    let e = Project::load(&path).unwrap_err();
    assert!(e.message().contains("edx-matrix.lock"), "{}", e.message());
    assert!(source.read_lock().is_err());
    let served = source.load_served(
        source.read_text().unwrap(),
        source.read_lock().ok().flatten(),
    );
    assert!(served.lock().is_none());
    // What the command reports once the lock is gone.
    std::fs::remove_dir(dir.path().join("edx-matrix.lock")).unwrap();
    assert_eq!(codes(&served), codes(&Project::load(&path).unwrap()));
}

#[test]
fn no_lock_is_no_lock_and_the_example_has_none() {
    let (_dir, path) = with_token();
    assert_eq!(MatrixSource::File(path).read_lock().unwrap(), None);
    assert_eq!(MatrixSource::Example.lock_path(), None);
    let example = MatrixSource::Example;
    let served = example.load_served(example.read_text().unwrap(), None);
    assert_eq!(served.source().name, Project::example().source().name);
    assert_eq!(served.source().text, Project::example().source().text);
}
