//! `LocalRepo` on a working tree whose file was edited, renamed and edited again.

use std::fs;
use std::path::PathBuf;

use edx_matrix_project::git::{GitError, LocalRepo};

use crate::git::support::{Sandbox, TestResult};

/// A working tree where `matrix.toml` is added, edited twice (with an unrelated commit
/// in between), moved to `config/matrix.toml` and edited again.
struct History {
    sandbox: Sandbox,
    top: PathBuf,
}

impl History {
    fn new() -> TestResult<Self> {
        let sandbox = Sandbox::new()?;
        let top = sandbox.path().join("work");
        fs::create_dir(&top)?;
        sandbox.git(&top, &["init", "-q"])?;
        let steps: [(&str, &str, &str); 6] = [
            ("matrix.toml", "v1\n", "add matrix"),
            ("matrix.toml", "v2\n", "edit v2"),
            ("other.txt", "x\n", "unrelated"),
            ("matrix.toml", "v3\n", "edit v3"),
            ("", "", "move to config"),
            ("config/matrix.toml", "v4\n", "edit v4"),
        ];
        for (day, (file, content, subject)) in steps.into_iter().enumerate() {
            if file.is_empty() {
                fs::create_dir(top.join("config"))?;
                sandbox.git(&top, &["mv", "matrix.toml", "config/matrix.toml"])?;
            } else {
                fs::write(top.join(file), content)?;
                sandbox.git(&top, &["add", file])?;
            }
            let date = format!("2024-01-0{}T10:00:00+02:00", day + 1);
            sandbox.git_at(&top, &date, &["commit", "-q", "-m", subject])?;
        }
        Ok(Self { sandbox, top })
    }

    fn repo(&self) -> TestResult<LocalRepo> {
        Ok(LocalRepo::open(&self.top)?)
    }
}

#[test]
fn file_log_follows_the_rename() -> TestResult {
    let history = History::new()?;
    let repo = history.repo()?;
    let log = repo.file_log("config/matrix.toml")?;
    let summary: Vec<(&str, &str, &str)> = log
        .iter()
        .map(|c| {
            (
                c.subject.as_str(),
                c.path_at_commit.as_str(),
                c.date.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("edit v4", "config/matrix.toml", "2024-01-06T10:00:00+02:00"),
            (
                "move to config",
                "config/matrix.toml",
                "2024-01-05T10:00:00+02:00"
            ),
            ("edit v3", "matrix.toml", "2024-01-04T10:00:00+02:00"),
            ("edit v2", "matrix.toml", "2024-01-02T10:00:00+02:00"),
            ("add matrix", "matrix.toml", "2024-01-01T10:00:00+02:00"),
        ]
    );
    let head = repo.resolve_rev("HEAD")?;
    assert_eq!(log[0].hash, head);
    for commit in &log {
        assert_eq!(commit.hash.len(), 40);
        assert!(commit.hash.starts_with(&commit.short_hash));
        assert!(commit.short_hash.len() >= 7);
    }
    assert_eq!(repo.file_log("never-existed.toml")?, []);
    Ok(())
}

#[test]
fn show_file_reads_old_revisions() -> TestResult {
    let history = History::new()?;
    let repo = history.repo()?;
    let log = repo.file_log("config/matrix.toml")?;
    let edit_v2 = &log[3].hash;
    let first = &log[4].hash;

    assert_eq!(
        repo.show_file(edit_v2, "matrix.toml")?.as_deref(),
        Some("v2\n")
    );
    assert_eq!(
        repo.show_file("HEAD~1", "config/matrix.toml")?.as_deref(),
        Some("v3\n")
    );
    assert_eq!(
        repo.show_file("HEAD", "./config//matrix.toml")?.as_deref(),
        Some("v4\n")
    );
    assert_eq!(repo.show_file("HEAD", "matrix.toml")?, None);
    assert_eq!(repo.show_file(first, "config/matrix.toml")?, None);
    assert_eq!(repo.show_file("HEAD", "config/missing.toml")?, None);

    assert!(matches!(
        repo.show_file("HEAD", "config"),
        Err(GitError::NotAFile { .. })
    ));
    assert!(matches!(
        repo.show_file("HEAD", "../x"),
        Err(GitError::InvalidPath { .. })
    ));
    assert!(matches!(
        repo.show_file("no-such-rev", "matrix.toml"),
        Err(GitError::UnknownRev { .. })
    ));
    assert!(matches!(
        repo.show_file("--output=/tmp/x", "matrix.toml"),
        Err(GitError::InvalidRev { .. })
    ));
    Ok(())
}

#[test]
fn show_files_reads_many_revisions_with_one_process() -> TestResult {
    let history = History::new()?;
    let repo = history.repo()?;
    let log = repo.file_log("config/matrix.toml")?;
    let mut wanted: Vec<(&str, &str)> = log
        .iter()
        .map(|c| (c.hash.as_str(), c.path_at_commit.as_str()))
        .collect();
    wanted.extend([
        ("HEAD", "matrix.toml"),
        ("HEAD", "config"),
        ("HEAD", "./config//matrix.toml"),
        ("no-such-rev", "matrix.toml"),
    ]);
    let contents = repo.show_files(&wanted)?;
    assert_eq!(contents.len(), wanted.len());
    let texts: Vec<Option<&str>> = contents
        .iter()
        .take(log.len())
        .map(|c| c.as_ref().ok().and_then(|t| t.as_deref()))
        .collect();
    assert_eq!(
        texts,
        [
            Some("v4\n"),
            Some("v3\n"),
            Some("v3\n"),
            Some("v2\n"),
            Some("v1\n")
        ]
    );
    let tail = &contents[log.len()..];
    assert!(matches!(tail[0], Ok(None)));
    assert!(matches!(tail[1], Err(GitError::NotAFile { .. })));
    assert_eq!(
        tail[2].as_ref().ok().cloned().flatten().as_deref(),
        Some("v4\n")
    );
    assert!(matches!(tail[3], Ok(None)));

    assert!(repo.show_files(&[])?.is_empty());
    assert!(matches!(
        repo.show_files(&[("--all", "matrix.toml")]),
        Err(GitError::InvalidRev { .. })
    ));
    assert!(matches!(
        repo.show_files(&[("HEAD", "../x")]),
        Err(GitError::InvalidPath { .. })
    ));
    Ok(())
}

#[test]
fn resolves_revisions_to_commits() -> TestResult {
    let history = History::new()?;
    let repo = history.repo()?;
    let head = history.sandbox.git(&history.top, &["rev-parse", "HEAD"])?;
    let parent = history
        .sandbox
        .git(&history.top, &["rev-parse", "HEAD~1"])?;
    assert_eq!(repo.resolve_rev("HEAD")?, head);
    assert_eq!(repo.resolve_rev("HEAD~1")?, parent);
    assert_eq!(repo.resolve_rev("main")?, head);
    assert_eq!(repo.resolve_rev(&head[..10])?, head);
    // A tree is not a commit.
    assert!(matches!(
        repo.resolve_rev("HEAD^{tree}"),
        Err(GitError::UnknownRev { .. })
    ));
    assert!(matches!(
        repo.resolve_rev("nope"),
        Err(GitError::UnknownRev { .. })
    ));
    assert!(matches!(
        repo.resolve_rev("--all"),
        Err(GitError::InvalidRev { .. })
    ));
    Ok(())
}

#[test]
fn opens_from_a_subdirectory_and_makes_paths_relative() -> TestResult {
    let history = History::new()?;
    let repo = LocalRepo::open(history.top.join("config"))?;
    let top = history.top.canonicalize()?;
    assert_eq!(repo.dir(), top);

    assert_eq!(
        repo.relative_path(history.top.join("config/matrix.toml"))?,
        "config/matrix.toml"
    );
    assert_eq!(
        repo.relative_path(history.top.join("config/../config/new.toml"))?,
        "config/new.toml"
    );
    assert_eq!(
        repo.relative_path(history.top.join("a/b/c.toml"))?,
        "a/b/c.toml"
    );

    let elsewhere = history.sandbox.path().join("elsewhere.toml");
    assert!(matches!(
        repo.relative_path(&elsewhere),
        Err(GitError::OutsideRepository { .. })
    ));
    assert!(matches!(
        repo.relative_path(&history.top),
        Err(GitError::OutsideRepository { .. })
    ));
    Ok(())
}

#[test]
fn refuses_directories_outside_a_working_tree() -> TestResult {
    let sandbox = Sandbox::new()?;
    let plain = sandbox.path().join("plain");
    fs::create_dir(&plain)?;
    assert!(matches!(
        LocalRepo::open(&plain),
        Err(GitError::NotARepository { .. })
    ));
    assert!(matches!(
        LocalRepo::open(sandbox.path().join("missing")),
        Err(GitError::NotARepository { .. })
    ));
    let bare = sandbox.bare_repo("bare.git", &["main"], &[])?;
    assert!(matches!(
        LocalRepo::open(&bare),
        Err(GitError::NotARepository { .. })
    ));
    Ok(())
}

#[test]
fn unborn_head_has_no_history() -> TestResult {
    let sandbox = Sandbox::new()?;
    let top = sandbox.path().join("empty");
    fs::create_dir(&top)?;
    sandbox.git(&top, &["init", "-q"])?;
    let repo = LocalRepo::open(&top)?;
    assert_eq!(repo.file_log("matrix.toml")?, []);
    Ok(())
}

/// The example history written as a repository reads back, through git, as the same history
/// as the in-memory revisions: same lanes, releases, dates and subjects (the hashes differ).
#[test]
fn example_repository_has_the_example_history() -> TestResult {
    use edx_matrix_project::git::history::{example, file_history};
    let sandbox = Sandbox::new()?;
    let top = sandbox.path().join("acme");
    example::write_repository(&top)?;
    assert_eq!(
        fs::read_to_string(top.join("edx-matrix.toml"))?,
        edx_matrix_formats::example::TEXT
    );
    let from_git = file_history(&LocalRepo::open(&top)?, "edx-matrix.toml", None)?;
    let in_memory = example::history(None);
    assert_eq!(from_git.revisions, 12);
    assert!(from_git.skipped.is_empty());
    let strip =
        |h: &edx_matrix_project::git::history::History| -> Vec<(String, String, Vec<String>)> {
            (h.timelines.iter())
                .map(|t| {
                    let changes = (t.changes.iter())
                        .map(|c| format!("{:?} {} {}", c.release, c.commit.date, c.commit.subject))
                        .collect();
                    (t.deployment.clone(), t.stage.clone(), changes)
                })
                .collect()
        };
    assert_eq!(strip(&from_git), strip(&in_memory));
    // The commits are the same on every write (fixed dates and author): writing again is a no-op.
    let head = LocalRepo::open(&top)?.resolve_rev("HEAD")?;
    example::write_repository(&top)?;
    assert_eq!(LocalRepo::open(&top)?.resolve_rev("HEAD")?, head);
    Ok(())
}

/// A repository holding the example (matrix and templates) under `config/`, whose second commit
/// changes only the MFE template; the working tree then breaks every template.
fn templates_repo() -> TestResult<(Sandbox, PathBuf)> {
    let sandbox = Sandbox::new()?;
    let top = sandbox.path().join("work");
    fs::create_dir_all(top.join("config/pipelines"))?;
    sandbox.git(&top, &["init", "-q"])?;
    fs::write(
        top.join("config/edx-matrix.toml"),
        edx_matrix_formats::example::TEXT,
    )?;
    for (path, text) in edx_matrix_formats::example::TEMPLATES {
        fs::write(top.join("config").join(path), text)?;
    }
    sandbox.git(&top, &["add", "-A"])?;
    sandbox.git_at(
        &top,
        "2024-01-01T10:00:00+00:00",
        &["commit", "-q", "-m", "example"],
    )?;
    let mfe = top.join("config/pipelines/mfe.star");
    let text = fs::read_to_string(&mfe)?;
    let edited = text.replace("\"tag\": \"1.4.0\"", "\"tag\": \"1.5.0\"");
    assert_ne!(text, edited);
    fs::write(&mfe, edited)?;
    sandbox.git(&top, &["add", "-A"])?;
    sandbox.git_at(
        &top,
        "2024-01-02T10:00:00+00:00",
        &["commit", "-q", "-m", "mfe: resource 1.5.0"],
    )?;
    // Not committed: a working tree whose templates all fail.
    for (path, _) in edx_matrix_formats::example::TEMPLATES {
        fs::write(
            top.join("config").join(path),
            "def pipelines(matrix, standard):\n    return 1 + \"x\"\n",
        )?;
    }
    Ok((sandbox, top))
}

#[test]
fn list_files_lists_a_revision_tree() -> TestResult {
    let (_sandbox, top) = templates_repo()?;
    let repo = LocalRepo::open(&top)?;
    assert_eq!(
        repo.list_files("HEAD", "config/pipelines")?,
        [
            "config/pipelines/edx-platform.star",
            "config/pipelines/mfe.star",
            "config/pipelines/standard.star"
        ]
    );
    assert_eq!(repo.list_files("HEAD", "").map(|f| f.len())?, 4);
    assert!(repo.list_files("HEAD", "nowhere")?.is_empty());
    assert!(repo.list_files("HEAD", "../x").is_err());
    Ok(())
}

#[test]
fn templates_are_read_from_the_revision_tree() -> TestResult {
    use edx_matrix_project::git::project_at;
    let (sandbox, top) = templates_repo()?;
    let repo = LocalRepo::open(&top)?;
    let path = "config/edx-matrix.toml";
    let at = |rev: &str| -> TestResult<edx_matrix_project::Project> {
        let text = repo.show_file(rev, path)?.ok_or("no matrix")?;
        Ok(project_at(
            &repo,
            rev,
            rev,
            path,
            format!("{rev}:{path}"),
            text,
        ))
    };
    let (old, new) = (at("HEAD~1")?, at("HEAD")?);
    // The committed templates, not the broken ones of the working tree.
    let files = |p: &edx_matrix_project::Project| p.templates().unwrap().files.clone();
    assert_eq!(
        files(&old).entries,
        [
            "pipelines/edx-platform.star",
            "pipelines/mfe.star",
            "pipelines/standard.star"
        ]
    );
    assert!(files(&old).files["pipelines/mfe.star"].contains("\"1.4.0\""));
    assert!(files(&new).files["pipelines/mfe.star"].contains("\"1.5.0\""));
    for project in [&old, &new] {
        assert!(!project.has_errors(), "{:?}", project.diagnostics());
        let rendering = project.rendering();
        assert!(
            rendering.diagnostics.is_empty(),
            "{:?}",
            rendering.diagnostics
        );
        assert!(rendering.outcome.as_ref().unwrap().pipelines.len() > 10);
    }
    // Only the MFE template changed: every MFE pipeline (its resource type) and nothing else.
    let impact = edx_matrix_project::pipeline_impact(&old, &new);
    assert!(impact.computed, "{:?}", impact.reason);
    let changed: Vec<&str> = impact.changes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        changed,
        [
            "pro-teak-mfe-pipeline",
            "pro-ulmo-mfe-pipeline",
            "campus-verawood-mfe-pipeline",
            "campus-staging-verawood-mfe-pipeline",
            "pro-verawood-mfe-pipeline",
            "campus-master-mfe-pipeline",
            "campus-staging-master-mfe-pipeline",
            "online-master-mfe-pipeline"
        ]
    );
    assert!(impact.changes.iter().all(|c| c.other == ["resource types"]
        && c.jobs.changed.is_empty()
        && c.resources.changed.is_empty()));
    // A template problem at a revision is located in that revision's file.
    sandbox_commit_broken_mfe(&sandbox, &top)?;
    let broken = at("HEAD")?;
    let diagnostics = &broken.rendering().diagnostics;
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let (source, diagnostic) = &diagnostics[0];
    assert_eq!(source.name, "HEAD:config/pipelines/mfe.star");
    assert_eq!(diagnostic.line_col(source).map(|(line, _)| line), Some(2));
    let impact = edx_matrix_project::pipeline_impact(&new, &broken);
    assert!(!impact.computed);
    assert_eq!(
        impact.reason.as_deref(),
        Some(
            "the pipeline templates of `HEAD:config/edx-matrix.toml` have 1 error (`edx-matrix check` shows them)"
        )
    );
    Ok(())
}

/// Commits the working tree's broken `mfe.star` alone.
fn sandbox_commit_broken_mfe(sandbox: &Sandbox, top: &std::path::Path) -> TestResult {
    sandbox.git(top, &["add", "config/pipelines/mfe.star"])?;
    sandbox.git_at(
        top,
        "2024-01-03T10:00:00+00:00",
        &["commit", "-q", "-m", "break mfe"],
    )?;
    Ok(())
}
