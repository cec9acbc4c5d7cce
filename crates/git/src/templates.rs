//! A matrix's pipeline templates as they were at a git revision: `diff REV` and the server's
//! `/diff` read a revision's templates from that revision's tree (`git ls-tree`, then one
//! `git cat-file --batch`), never from the working tree.

use crate::{GitError, LocalRepo};
use edx_matrix_project::{Project, TemplateTree};
use std::path::Path;

/// The directory of a matrix file in the tree of one revision.
#[derive(Debug)]
pub struct RevisionTree<'r> {
    repo: &'r LocalRepo,
    rev: String,
    label: String,
    /// The matrix file's directory, relative to the top-level (`""` for the top-level).
    dir: String,
}

impl<'r> RevisionTree<'r> {
    /// The directory of the matrix file at `path` (relative to the top-level, forward slashes)
    /// in revision `rev`; diagnostics call its files `LABEL:PATH`.
    pub fn new(repo: &'r LocalRepo, rev: &str, label: &str, path: &str) -> Self {
        let dir = path.rfind('/').map_or("", |i| &path[..i]);
        RevisionTree {
            repo,
            rev: rev.to_owned(),
            label: label.to_owned(),
            dir: dir.to_owned(),
        }
    }

    fn full(&self, relative: &str) -> String {
        match (self.dir.is_empty(), relative.is_empty()) {
            (true, _) => relative.to_owned(),
            (false, true) => self.dir.clone(),
            (false, false) => format!("{}/{relative}", self.dir),
        }
    }

    fn read(&self, dir: &str) -> Result<Vec<(String, String)>, GitError> {
        let full = self.full(dir);
        let prefix = if self.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", self.dir)
        };
        let paths: Vec<String> = self
            .repo
            .list_files(&self.rev, &full)?
            .into_iter()
            .filter(|p| p.ends_with(".star") && p.starts_with(&prefix))
            .collect();
        let wanted: Vec<(&str, &str)> = paths
            .iter()
            .map(|p| (self.rev.as_str(), p.as_str()))
            .collect();
        let contents = self.repo.show_files(&wanted)?;
        let mut out = Vec::with_capacity(paths.len());
        for (path, content) in paths.iter().zip(contents) {
            if let Some(text) = content? {
                out.push((path[prefix.len()..].to_owned(), text));
            }
        }
        Ok(out)
    }
}

impl TemplateTree for RevisionTree<'_> {
    fn star_files(&self, dir: &str) -> Result<Vec<(String, String)>, String> {
        self.read(dir)
            .map_err(|e| format!("`{}` at `{}`: {e}", self.full(dir), self.label))
    }

    fn display_name(&self, file: &str) -> String {
        format!("{}:{}", self.label, self.full(file))
    }
}

/// Loads the project text `text` of the matrix file at `path` (relative to the top-level) as it
/// was at revision `rev`, with the pipeline templates of that revision's tree. `name` is what
/// diagnostics call the matrix; its templates are called `LABEL:PATH`.
pub fn project_at(
    repo: &LocalRepo,
    rev: &str,
    label: &str,
    path: &str,
    name: String,
    text: String,
) -> Project {
    crate::history::load_text(Path::new(path), name, text)
        .with_templates(&RevisionTree::new(repo, rev, label, path))
}
