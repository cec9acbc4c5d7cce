//! Git remote URL validation: only the transports an operator would use, nothing that can run code.

/// Returns why `url` is not an acceptable git repository URL, or `None` when it is.
///
/// Accepted: `https://`, `http://`, `ssh://`, `git://`, `file://` URLs and scp-like
/// `user@host:path`. Rejected: `ext::` and other remote helpers (they run commands), anything
/// starting with `-` (it would be read as an option), whitespace and control characters.
pub fn repository_url_problem(url: &str) -> Option<&'static str> {
    if url.is_empty() {
        return Some("a repository URL cannot be empty");
    }
    if url.starts_with('-') {
        return Some("a repository URL cannot start with `-`");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("a repository URL cannot contain whitespace or control characters");
    }
    if url.contains("::") {
        return Some("remote helpers such as `ext::` are not allowed");
    }
    for scheme in ["https://", "http://", "ssh://", "git://", "file://"] {
        if let Some(rest) = url.strip_prefix(scheme) {
            if rest.is_empty() || (scheme != "file://" && rest.starts_with('/')) {
                return Some("the URL has no host");
            }
            return None;
        }
    }
    if url.contains("://") {
        return Some(
            "only `https://`, `http://`, `ssh://`, `git://` and `file://` URLs are allowed",
        );
    }
    // scp-like: user@host:path
    if let Some((user_host, path)) = url.split_once(':') {
        if let Some((user, host)) = user_host.split_once('@') {
            if !user.is_empty() && !host.is_empty() && !path.is_empty() && !host.contains('/') {
                return None;
            }
        }
    }
    Some("expected an `https://`, `ssh://`, `git://` or `file://` URL, or `user@host:path`")
}

#[cfg(test)]
mod tests {
    use super::repository_url_problem;

    #[test]
    fn accepts() {
        for ok in [
            "https://github.com/openedx/edx-platform",
            "http://127.0.0.1:8080/repo.git",
            "ssh://git@github.com/acme/x.git",
            "git://127.0.0.1:9418/x",
            "file:///tmp/x.git",
            "git@github.com:acme-edu/edx-platform.git",
        ] {
            assert_eq!(repository_url_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            "-uhttps://x",
            "ext::sh -c touch% /tmp/pwned",
            "https://github.com/a b",
            "https://github.com/a\nb",
            "ftp://x/y",
            "github.com/x",
            "https://",
            "/local/path",
            "fd::17",
        ] {
            assert!(repository_url_problem(bad).is_some(), "{bad:?}");
        }
    }
}
