//! The `diff` use case (`RepoFile::diff`) on a real git repository: the sides named, loaded,
//! required valid by the matrix scope, redacted.

use std::fs;

use edx_matrix_project::DiffError;
use edx_matrix_project::{LoadError, RepoFile, Version};

use crate::git::support::{Sandbox, TestResult};

const SECRET: &str = "ghp_NotARealToken";

/// One deployment whose QA runs `qa`; edx-platform fetched with a token (allowed by the lint).
fn matrix(qa: &str) -> String {
    format!(
        r#"stages = ["CI", "QA"]

[releases]
master = {{ branch = "master", python = "3.12", node = "24" }}
teak = {{ branch = "release/teak", python = "3.11", node = "20" }}

[applications]
edx-platform = {{ kind = "ida", repository = "https://x-access-token:{SECRET}@github.com/acme-edu/edx-platform" }}

[deployments]
site = {{ CI = "master", QA = "{qa}" }}

[[map]]
releases    = ["master", "teak"]
deployments = ["site"]
[map.apps]
edx-platform = {{}}

[lints]
url-credentials = "warn"
"#
    )
}

/// A repository with `edx-matrix.toml` committed once (QA on master), and `working` in its
/// working tree. Returns the sandbox, the file and the commit.
fn repo(working: &str) -> TestResult<(Sandbox, std::path::PathBuf, String)> {
    let sandbox = Sandbox::new()?;
    let top = sandbox.path().join("work");
    fs::create_dir(&top)?;
    sandbox.git(&top, &["init", "-q"])?;
    let file = top.join("edx-matrix.toml");
    fs::write(&file, matrix("master"))?;
    sandbox.git(&top, &["add", "-A"])?;
    sandbox.git_at(
        &top,
        "2024-01-02T10:00:00+00:00",
        &["commit", "-q", "-m", "QA on master"],
    )?;
    let head = sandbox.git(&top, &["rev-parse", "HEAD"])?.trim().to_owned();
    fs::write(&file, working)?;
    Ok((sandbox, file, head))
}

#[test]
fn the_working_tree_against_head_is_named_and_redacted() -> TestResult<()> {
    let (_sandbox, file, head) = repo(&matrix("teak"))?;
    let repo_file = RepoFile::open(&file)?;
    let head_rev = Version::Revision("HEAD".to_owned());
    let diff = repo_file.diff(&head_rev, &Version::WorkingTree, None)?;
    assert_eq!(diff.base, "HEAD:edx-matrix.toml");
    assert_eq!(diff.head, "edx-matrix.toml (working tree)");
    assert_eq!(diff.file.as_deref(), Some("edx-matrix.toml"));
    assert_eq!(diff.commit.as_deref(), Some(head.as_str()));
    let json = serde_json::to_value(&diff)?;
    assert_eq!(
        json["stages"],
        serde_json::json!([{"deployment": "site", "stage": "QA", "old": "master", "new": "teak"}])
    );
    let text = json.to_string();
    assert!(!text.contains(SECRET), "{text}");
    assert!(
        text.contains("https://x-access-token:***@github.com/acme-edu/edx-platform"),
        "{text}"
    );
    // No `[pipelines]` on either side: nothing said about pipelines.
    assert!(json.get("pipelines").is_none(), "{text}");
    Ok(())
}

#[test]
fn a_broken_pipelines_section_is_compared_a_broken_matrix_is_refused() -> TestResult<()> {
    let head = Version::Revision("HEAD".to_owned());
    let (_sandbox, file, _) = repo(&(matrix("teak") + "\n[pipelines]\nteam = 3\n"))?;
    let diff = RepoFile::open(&file)?.diff(&head, &Version::WorkingTree, None)?;
    assert!(
        diff.pipelines.declared && !diff.pipelines.computed,
        "{diff:?}"
    );
    assert_eq!(diff.stages.len(), 1);

    let (_sandbox, file, _) = repo(&matrix("nope"))?;
    match RepoFile::open(&file)?.diff(&head, &Version::WorkingTree, None) {
        Err(DiffError::Invalid(invalid)) => {
            assert_eq!(
                invalid.project.source().name,
                "edx-matrix.toml (working tree)"
            );
            assert!(!invalid.errors.is_empty());
            assert!(invalid.errors.iter().all(|d| d.is_error()));
        }
        other => panic!("not refused: {other:?}"),
    }
    Ok(())
}

#[test]
fn an_unknown_revision_is_a_git_error() -> TestResult<()> {
    let (_sandbox, file, _) = repo(&matrix("teak"))?;
    let nope = Version::Revision("nope".to_owned());
    let result = RepoFile::open(&file)?.diff(&nope, &Version::WorkingTree, None);
    assert!(
        matches!(result, Err(DiffError::Load(LoadError::Git(_)))),
        "{result:?}"
    );
    Ok(())
}
