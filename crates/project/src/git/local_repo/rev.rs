//! Revision arguments: refused when they could be read as an option or hold control characters.

use super::git_error::GitError;

pub(super) fn check_rev(rev: &str) -> Result<(), GitError> {
    let reason = if rev.is_empty() {
        "the revision is empty"
    } else if rev.starts_with('-') {
        "a revision must not start with `-`"
    } else if rev.chars().any(char::is_control) {
        "a revision must not contain control characters"
    } else {
        return Ok(());
    };
    Err(GitError::InvalidRev {
        rev: rev.to_owned(),
        reason: reason.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_option_like_revisions() {
        assert!(matches!(
            check_rev("--output=x"),
            Err(GitError::InvalidRev { .. })
        ));
        assert!(matches!(check_rev(""), Err(GitError::InvalidRev { .. })));
        assert!(check_rev("HEAD~1").is_ok());
    }
}
