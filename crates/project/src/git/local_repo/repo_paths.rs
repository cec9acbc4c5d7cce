//! Paths inside the repository: normalised, relative, never outside the working tree.

use super::git_error::GitError;
use std::path::{Component, Path, PathBuf};

/// Turns `./a//b/` into `a/b`; refuses absolute paths and `..`.
pub(super) fn normalize_repo_path(path: &str) -> Result<String, GitError> {
    let invalid = |reason: &str| GitError::InvalidPath {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    if path.starts_with('/') || Path::new(path).is_absolute() {
        return Err(invalid(
            "the path must be relative to the repository top-level",
        ));
    }
    if path.chars().any(char::is_control) {
        return Err(invalid("the path must not contain control characters"));
    }
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(invalid("the path must not contain `..`")),
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err(invalid("the path is empty"));
    }
    Ok(parts.join("/"))
}

/// Removes `.` and resolves `..` components without touching the file system.
pub(super) fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Canonicalises the longest existing ancestor of `path` and appends the rest.
pub(super) fn resolve_existing_prefix(path: &Path) -> PathBuf {
    let mut existing = path.to_owned();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut resolved = canonical;
            resolved.extend(rest.iter().rev());
            return resolved;
        }
        match existing.file_name() {
            Some(name) => {
                rest.push(name.to_owned());
                existing.pop();
            }
            None => return path.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_repo_paths() {
        assert_eq!(normalize_repo_path("./a//b/").ok().as_deref(), Some("a/b"));
        for bad in ["", ".", "/etc/passwd", "../x", "a/../../x", "a\nb"] {
            assert!(
                matches!(normalize_repo_path(bad), Err(GitError::InvalidPath { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            lexically_normal(Path::new("/a/./b/../c")),
            PathBuf::from("/a/c")
        );
    }
}
