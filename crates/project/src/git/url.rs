//! Checking remote URLs before they reach `git`, and removing credentials from them
//! before they reach a message: the one rule set of [`edx_matrix_model::url`]
//! ([`UrlRule::Remote`]: a repository URL or a local path) and its one redaction.

use crate::git::RemoteError;
use edx_matrix_model::url::{self, UrlRule};

/// Returns `url` with its credential masked as `***`, as every view of a URL shows it
/// ([`edx_matrix_model::url::redact_url`]).
///
/// ```
/// use edx_matrix_project::git::redact_url;
///
/// assert_eq!(redact_url("https://me:hunter2@github.com/o/r"), "https://me:***@github.com/o/r");
/// assert_eq!(redact_url("ssh://git@github.com/o/r"), "ssh://git@github.com/o/r");
/// ```
#[must_use]
pub fn redact_url(url: &str) -> String {
    url::redact_url(url).into_owned()
}

/// Returns `text` with the credential of every `scheme://` URL in it masked; used on git's
/// error output, which may echo the URL it was given.
pub(crate) fn redact_text(text: &str) -> String {
    url::redact_text(text).into_owned()
}

/// Checks that `url` is safe to hand to `git` as a remote: the rule of
/// [`UrlRule::Remote`] (a repository URL as the matrix accepts it, or a local path).
///
/// # Errors
///
/// Returns [`RemoteError::InvalidUrl`], with credentials masked in the URL.
pub(crate) fn validate_url(url: &str) -> Result<(), RemoteError> {
    match url::url_problem(url, UrlRule::Remote) {
        Some(reason) => Err(RemoteError::InvalidUrl {
            url: redact_url(url),
            reason: reason.to_owned(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_user_and_password() {
        assert_eq!(
            redact_url("https://user:pa55@example.com/org/repo.git"),
            "https://user:***@example.com/org/repo.git"
        );
        assert_eq!(
            redact_url("http://user:pa55@example.com:8080"),
            "http://user:***@example.com:8080"
        );
    }

    #[test]
    fn masks_token_used_as_user_name() {
        assert_eq!(
            redact_url("https://ghp_token@github.com/o/r"),
            "https://***@github.com/o/r"
        );
    }

    #[test]
    fn masks_password_containing_at_sign() {
        assert_eq!(
            redact_url("https://u:p@ss@host/r?x=1"),
            "https://u:***@host/r?x=1"
        );
    }

    #[test]
    fn keeps_ssh_user_but_not_ssh_password() {
        assert_eq!(redact_url("ssh://git@host/r"), "ssh://git@host/r");
        assert_eq!(redact_url("ssh://git:pw@host/r"), "ssh://git:***@host/r");
    }

    #[test]
    fn leaves_urls_without_credentials_alone() {
        for url in [
            "https://github.com/openedx/edx-platform",
            "git@github.com:openedx/edx-platform.git",
            "/srv/git/repo.git",
            "file:///srv/git/repo.git",
            "git://127.0.0.1:9418/r.git",
            "https://host/path@with-at",
        ] {
            assert_eq!(redact_url(url), url);
        }
    }

    #[test]
    fn masks_urls_inside_text() {
        let text = "fatal: unable to access 'https://u:secret@h.example/r/': refused\n\
                    also http://x:y@other";
        let redacted = redact_text(text);
        assert!(!redacted.contains("secret"), "{redacted}");
        assert!(!redacted.contains("x:y"), "{redacted}");
        assert_eq!(
            redacted,
            "fatal: unable to access 'https://u:***@h.example/r/': refused\nalso http://x:***@other"
        );
    }

    #[test]
    fn rejects_dangerous_urls() {
        for url in [
            "",
            "  ",
            "--upload-pack=touch /tmp/x",
            "-oProxyCommand=x",
            "ext::sh -c touch% /tmp/pwned",
            "EXT::sh",
            "fd::17",
            "https://host/r\nx",
            "ssh://-oProxyCommand=touch%20/tmp/x/x",
            "ftp://host/r",
        ] {
            assert!(
                matches!(validate_url(url), Err(RemoteError::InvalidUrl { .. })),
                "{url:?} should be rejected"
            );
        }
    }

    #[test]
    fn invalid_url_error_is_redacted() {
        let err = validate_url("https://u:secret@h/ext::x").err();
        let message = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("ext::"), "{message}");
        assert!(!message.contains("secret"), "{message}");
    }

    #[test]
    fn accepts_ordinary_urls_and_local_paths() {
        for url in [
            "https://github.com/openedx/edx-platform",
            "git@github.com:mitodl/edx-platform.git",
            "file:///tmp/repo.git",
            "/tmp/repo.git",
        ] {
            assert!(validate_url(url).is_ok(), "{url}");
        }
    }
}
