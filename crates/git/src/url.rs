//! Checking remote URLs before they reach `git`, and removing credentials from them
//! before they reach a message.

use crate::RemoteError;

/// Returns `url` with any credentials removed from its userinfo part.
///
/// `https://user:secret@host/repo` becomes `https://host/repo`. A user name alone is
/// removed too for every scheme except `ssh` (`https://TOKEN@host/` is a common way to
/// pass a token), so `ssh://git@host/repo` is kept as it is. Strings that are not
/// `scheme://` URLs (local paths, `git@host:repo`) carry no password and are returned
/// unchanged.
///
/// ```
/// use edx_matrix_git::redact_url;
///
/// assert_eq!(redact_url("https://me:hunter2@github.com/o/r"), "https://github.com/o/r");
/// assert_eq!(redact_url("ssh://git@github.com/o/r"), "ssh://git@github.com/o/r");
/// ```
#[must_use]
pub fn redact_url(url: &str) -> String {
    redact_text(url)
}

/// Returns `text` with the credentials of every `scheme://user:password@` URL in it
/// removed; used on git's error output, which may echo the URL it was given.
pub(crate) fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let (before, after) = rest.split_at(pos);
        let after = &after[3..];
        out.push_str(before);
        out.push_str("://");
        // The authority ends at the first path, query or fragment delimiter, or at
        // anything that cannot be part of a URL in running text.
        let end = after
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '\'' | '"' | '`' | '<' | '>') || c.is_whitespace()
            })
            .unwrap_or(after.len());
        let authority = &after[..end];
        match authority.rfind('@') {
            Some(at) if !keeps_user(before, &authority[..at]) => out.push_str(&authority[at + 1..]),
            _ => out.push_str(authority),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Tells whether the userinfo `userinfo` of a URL whose scheme ends `before` is a
/// plain user name that is safe and useful to show (`ssh://git@host`).
fn keeps_user(before: &str, userinfo: &str) -> bool {
    let scheme: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let scheme = scheme.to_ascii_lowercase();
    !userinfo.contains(':') && matches!(scheme.as_str(), "ssh" | "git+ssh" | "ssh+git")
}

/// Checks that `url` is safe to hand to `git` as a remote.
///
/// Rejects empty URLs, URLs starting with `-` (they would be read as options), URLs
/// with control characters, and the `ext::` and `fd::` transports, which run
/// arbitrary commands or use inherited file descriptors.
///
/// # Errors
///
/// Returns [`RemoteError::InvalidUrl`], with credentials removed from the URL.
pub fn validate_url(url: &str) -> Result<(), RemoteError> {
    let reason = if url.trim().is_empty() {
        Some("the url is empty")
    } else if url.starts_with('-') {
        Some("a url must not start with `-`")
    } else if url.chars().any(char::is_control) {
        Some("a url must not contain control characters")
    } else {
        let lower = url.to_ascii_lowercase();
        if lower.contains("ext::") {
            Some("the `ext::` transport is not allowed")
        } else if lower.contains("fd::") {
            Some("the `fd::` transport is not allowed")
        } else {
            None
        }
    };
    match reason {
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
    fn redacts_user_and_password() {
        assert_eq!(
            redact_url("https://user:pa55@example.com/org/repo.git"),
            "https://example.com/org/repo.git"
        );
        assert_eq!(
            redact_url("http://user:pa55@example.com:8080"),
            "http://example.com:8080"
        );
    }

    #[test]
    fn redacts_token_used_as_user_name() {
        assert_eq!(
            redact_url("https://ghp_token@github.com/o/r"),
            "https://github.com/o/r"
        );
    }

    #[test]
    fn redacts_password_containing_at_sign() {
        assert_eq!(
            redact_url("https://u:p@ss@host/r?x=1"),
            "https://host/r?x=1"
        );
    }

    #[test]
    fn keeps_ssh_user_but_not_ssh_password() {
        assert_eq!(redact_url("ssh://git@host/r"), "ssh://git@host/r");
        assert_eq!(redact_url("ssh://git:pw@host/r"), "ssh://host/r");
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
    fn redacts_urls_inside_text() {
        let text = "fatal: unable to access 'https://u:secret@h.example/r/': refused\n\
                    also http://x:y@other";
        let redacted = redact_text(text);
        assert!(!redacted.contains("secret"), "{redacted}");
        assert!(!redacted.contains("x:y"), "{redacted}");
        assert_eq!(
            redacted,
            "fatal: unable to access 'https://h.example/r/': refused\nalso http://other"
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
    fn accepts_ordinary_urls() {
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
