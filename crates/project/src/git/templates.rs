//! A matrix's pipeline templates as they were at a git revision: `diff REV` and the server's
//! `/diff` read a revision's templates from that revision's tree (`git ls-tree`, then `git
//! cat-file --batch` for each file a template runs or loads, no other), never from the working
//! tree.

use crate::git::{GitError, LocalRepo};
use crate::templates::{MAX_FILE_BYTES, too_large};
use crate::{Project, TemplateTree};
use std::path::Path;

/// The directory of a matrix file in the tree of one revision.
#[derive(Debug)]
pub(crate) struct RevisionTree<'r> {
    repo: &'r LocalRepo,
    rev: String,
    label: String,
    /// The matrix file's directory, relative to the top-level (`""` for the top-level).
    dir: String,
}

impl<'r> RevisionTree<'r> {
    /// The directory of the matrix file at `path` (relative to the top-level, forward slashes)
    /// in revision `rev`; diagnostics call its files `LABEL:PATH`.
    pub(crate) fn new(repo: &'r LocalRepo, rev: &str, label: &str, path: &str) -> Self {
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

    fn list(&self, dir: &str) -> Result<Vec<String>, GitError> {
        let full = self.full(dir);
        let prefix = if self.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", self.dir)
        };
        Ok(self
            .repo
            .list_files(&self.rev, &full)?
            .into_iter()
            .filter(|p| p.ends_with(".star") && p.starts_with(&prefix))
            .map(|p| p[prefix.len()..].to_owned())
            .collect())
    }
}

impl TemplateTree for RevisionTree<'_> {
    fn star_files(&self, dir: &str) -> Result<Vec<String>, String> {
        self.list(dir)
            .map_err(|e| format!("`{}` at `{}`: {e}", self.full(dir), self.label))
    }

    fn read(&self, file: &str) -> Result<String, String> {
        let full = self.full(file);
        let shown = |e: GitError| format!("`{full}` at `{}`: {e}", self.label);
        let mut contents = self
            .repo
            .show_files(&[(self.rev.as_str(), full.as_str())])
            .map_err(shown)?;
        let text = match contents.pop() {
            Some(content) => content.map_err(shown)?,
            None => None,
        };
        let text = text.ok_or_else(|| format!("no file `{full}` at `{}`", self.label))?;
        match text.len() as u64 {
            n if n > MAX_FILE_BYTES => Err(too_large(n)),
            _ => Ok(text),
        }
    }

    fn display_name(&self, file: &str) -> String {
        format!("{}:{}", self.label, self.full(file))
    }
}

/// Loads the project text `text` of the matrix file at `path` (relative to the top-level) as it
/// was at revision `rev`, with the pipeline templates and the lock (`edx-matrix.lock` beside
/// it, when that revision has one) of that revision's tree. `name` is what diagnostics call the
/// matrix; its templates and lock are called `LABEL:PATH`.
pub fn project_at(
    repo: &LocalRepo,
    rev: &str,
    label: &str,
    path: &str,
    name: String,
    text: String,
) -> Project {
    let project = crate::git::history::load_text(Path::new(path), name, text)
        .with_templates(&RevisionTree::new(repo, rev, label, path));
    let lock = crate::lock_path(Path::new(path))
        .to_string_lossy()
        .into_owned();
    // A lock git cannot show is no lock: `diff` then shows no commit change for that side.
    match repo.show_file(rev, &lock) {
        Ok(Some(text)) => project.with_lock(format!("{label}:{lock}"), text),
        _ => project,
    }
}
