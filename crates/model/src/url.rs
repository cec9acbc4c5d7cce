//! Git remote URL validation: only the transports an operator would use, nothing that can run
//! code, no host git could read as an option, no hidden credential; and redaction of the
//! credentials a URL carries, for everywhere a URL is shown.
//!
//! This is the one rule set: the matrix's repository URLs follow [`UrlRule::Repository`], and
//! the remotes `edx_matrix_project::git` hands to `git` (`discover`, `verify-refs`) follow
//! [`UrlRule::Remote`], the same rule that also accepts a local path. Every URL shown is
//! redacted by [`redact_url`] (or [`redact_text`] for running text such as git's errors).

use std::borrow::Cow;

/// Which URLs a rule accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlRule {
    /// A repository URL written in the matrix: `https://`, `http://`, `ssh://`, `git://`,
    /// `file://` or scp-like `user@host:path` (see [`repository_url_problem`]).
    Repository,
    /// A remote handed to `git`: a repository URL, or a local path (`/srv/git/x.git`,
    /// `./x`, `x.git`: no `:` in it, or starting with `/`).
    Remote,
}

/// Returns why `url` is not an acceptable git repository URL, or `None` when it is.
///
/// Accepted: `https://`, `http://`, `ssh://`, `git://`, `file://` URLs and scp-like
/// `user@host:path`. Rejected: `ext::` and other remote helpers (they run commands), anything
/// starting with `-` or a host starting with `-` (it would be read as an option, as in
/// `ssh://-oProxyCommand=…`), whitespace, control characters and the other characters of
/// `crate::names::text_problem`, and `((` (a Concourse credential reference).
///
/// Credentials in a URL are not a problem of this function: see [`url_credentials`].
pub fn repository_url_problem(url: &str) -> Option<&'static str> {
    url_problem(url, UrlRule::Repository)
}

/// Returns why `url` is not acceptable under `rule`, or `None` when it is: the checks of
/// [`repository_url_problem`], and for [`UrlRule::Remote`] a local path is accepted too.
pub fn url_problem(url: &str, rule: UrlRule) -> Option<&'static str> {
    if url.is_empty() {
        return Some("a repository URL cannot be empty");
    }
    if url.starts_with('-') {
        return Some("a repository URL cannot start with `-`");
    }
    // ASCII (nearly every URL) has no hidden character, and its whitespace and control
    // characters are exactly the bytes up to the space and DEL: one byte pass finds them, `((`
    // and `::` (issue 23); the rules are still answered in their order below.
    let ascii = url.is_ascii();
    let (spaced, parens, colons) = if ascii {
        let (mut spaced, mut parens, mut colons, mut previous) = (false, false, false, 0u8);
        for &b in url.as_bytes() {
            spaced |= b <= b' ' || b == 0x7f;
            parens |= previous == b'(' && b == b'(';
            colons |= previous == b':' && b == b':';
            previous = b;
        }
        (spaced, parens, colons)
    } else {
        (
            url.chars().any(|c| c.is_whitespace() || c.is_control()),
            crate::names::has(url, "(("),
            crate::names::has(url, "::"),
        )
    };
    if spaced {
        return Some("a repository URL cannot contain whitespace or control characters");
    }
    if !ascii && url.chars().any(crate::names::is_hidden_char) {
        return Some(
            "a repository URL cannot contain line separators, NEL or bidirectional control characters",
        );
    }
    if parens {
        return Some("a repository URL cannot contain `((` (a Concourse credential reference)");
    }
    if colons {
        return Some("remote helpers such as `ext::` are not allowed");
    }
    if rule == UrlRule::Remote && (url.starts_with('/') || !url.contains(':')) {
        // A local path: nothing above can make git read it as anything else.
        return None;
    }
    for scheme in ["https://", "http://", "ssh://", "git://", "file://"] {
        if let Some(rest) = url.strip_prefix(scheme) {
            if rest.is_empty() || (scheme != "file://" && rest.starts_with('/')) {
                return Some("the URL has no host");
            }
            let authority = rest.split('/').next().unwrap_or("");
            let host = authority.rsplit('@').next().unwrap_or("");
            if host.starts_with('-') {
                return Some("the host of a repository URL cannot start with `-`");
            }
            return None;
        }
    }
    if crate::names::has(url, "://") {
        return Some(
            "only `https://`, `http://`, `ssh://`, `git://` and `file://` URLs are allowed",
        );
    }
    // scp-like: user@host:path
    if let Some((user_host, path)) = url.split_once(':') {
        if let Some((user, host)) = user_host.split_once('@') {
            if host.starts_with('-') {
                return Some("the host of a repository URL cannot start with `-`");
            }
            if !user.is_empty() && !host.is_empty() && !path.is_empty() && !host.contains('/') {
                return None;
            }
        }
    }
    Some("expected an `https://`, `ssh://`, `git://` or `file://` URL, or `user@host:path`")
}

/// Returns the user-information part of a `scheme://` URL (before the `@` of the host), if any.
fn userinfo(url: &str) -> Option<(&str, &str)> {
    let at = url.as_bytes().windows(3).position(|w| w == b"://")?;
    let (scheme, rest) = (&url[..at], &url[at + 3..]);
    let authority = rest.split('/').next().unwrap_or("");
    let (info, _) = authority.rsplit_once('@')?;
    Some((scheme, info))
}

/// Returns whether `url` carries a credential: a password (`https://user:TOKEN@host`,
/// `ssh://user:pw@host`), or any user name in an `http(s)://` URL (GitHub and GitLab take a
/// token there). `ssh://git@host/…` and `git@host:path` name a user, not a secret.
pub fn url_credentials(url: &str) -> bool {
    match userinfo(url) {
        Some((scheme, info)) => {
            info.contains(':') || (matches!(scheme, "http" | "https") && !info.is_empty())
        }
        None => false,
    }
}

/// Returns `url` with its credential replaced by `***` (`https://user:***@host/x`,
/// `https://***@host/x`), or unchanged when it has none: what every view of a URL shows.
pub fn redact_url(url: &str) -> Cow<'_, str> {
    if !url_credentials(url) {
        return Cow::Borrowed(url);
    }
    let Some((scheme, info)) = userinfo(url) else {
        return Cow::Borrowed(url);
    };
    let start = scheme.len() + 3;
    let end = start + info.len();
    let shown = match info.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None => "***".to_owned(),
    };
    Cow::Owned(format!("{}{shown}{}", &url[..start], &url[end..]))
}

/// Returns `text` with every `scheme://` URL in it redacted as [`redact_url`] does: for
/// running text that may echo a URL, such as git's error output.
pub fn redact_text(text: &str) -> Cow<'_, str> {
    if !text.contains("://") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let scheme_start = rest[..pos]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |i| {
                i + rest[i..].chars().next().map_or(1, char::len_utf8)
            });
        let after = &rest[pos + 3..];
        // The authority ends at the first path, query or fragment delimiter, or at anything
        // that cannot be part of a URL in running text.
        let end = after
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '\'' | '"' | '`' | '<' | '>') || c.is_whitespace()
            })
            .unwrap_or(after.len());
        let url_end = pos + 3 + end;
        out.push_str(&rest[..scheme_start]);
        out.push_str(&redact_url(&rest[scheme_start..url_end]));
        rest = &rest[url_end..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{
        UrlRule, redact_text, redact_url, repository_url_problem, url_credentials, url_problem,
    };

    /// `((` and `::` are found wherever they are, in ASCII and non-ASCII URLs alike, a single
    /// `(` or `:` is not them, and the rules answer in their order (whitespace first).
    #[test]
    fn pairs_are_found_anywhere_and_the_rules_keep_their_order() {
        const PARENS: &str =
            "a repository URL cannot contain `((` (a Concourse credential reference)";
        const COLONS: &str = "remote helpers such as `ext::` are not allowed";
        for tail in ["", "\u{e9}"] {
            for (pair, why) in [("((", PARENS), ("::", COLONS)] {
                for url in [
                    format!("https://host.example/{pair}x{tail}"),
                    format!("https://host.example/x{tail}{pair}"),
                    format!("https://host.example/{tail}x{pair}y"),
                ] {
                    assert_eq!(url_problem(&url, UrlRule::Repository), Some(why), "{url}");
                }
            }
            let single = format!("https://host.example/a(b:c({tail}");
            assert_eq!(url_problem(&single, UrlRule::Repository), None, "{single}");
            let both = format!("https://host.example/a((b::c {tail}");
            assert_eq!(
                url_problem(&both, UrlRule::Repository),
                Some("a repository URL cannot contain whitespace or control characters")
            );
            let both = format!("https://host.example/a::b((c{tail}");
            assert_eq!(url_problem(&both, UrlRule::Repository), Some(PARENS));
        }
    }

    #[test]
    fn every_ascii_whitespace_and_control_character_is_refused_and_no_other() {
        // The oracle is `char`'s own classification; the check reads ASCII by bytes.
        for b in 0u8..=0x7f {
            let c = char::from(b);
            let url = format!("https://host.example/a{c}b");
            let refused = url_problem(&url, UrlRule::Remote)
                == Some("a repository URL cannot contain whitespace or control characters");
            assert_eq!(refused, c.is_whitespace() || c.is_control(), "{b:#04x}");
        }
        for c in ['\u{a0}', '\u{2003}', '\u{80}', '\u{9f}'] {
            let url = format!("https://h\u{e9}st.example/a{c}b");
            assert_eq!(
                url_problem(&url, UrlRule::Remote),
                Some("a repository URL cannot contain whitespace or control characters"),
                "{:#x}",
                u32::from(c)
            );
        }
        assert!(
            url_problem("https://h\u{e9}st.example/a\u{202e}b", UrlRule::Remote)
                .is_some_and(|p| p.contains("bidirectional"))
        );
        assert_eq!(
            url_problem("https://h\u{e9}st.example/r", UrlRule::Remote),
            None
        );
    }

    #[test]
    fn urls_in_text_are_redacted() {
        let text = "fatal: unable to access 'https://u:secret@h.example/r/': refused\n\
                    also http://x:y@other and ssh://git@host/r";
        assert_eq!(
            redact_text(text),
            "fatal: unable to access 'https://u:***@h.example/r/': refused\n\
             also http://x:***@other and ssh://git@host/r"
        );
        assert_eq!(redact_text("no url here"), "no url here");
        assert_eq!(redact_text("é https://T@h/x"), "é https://***@h/x");
    }

    #[test]
    fn a_remote_may_also_be_a_local_path() {
        for path in ["/tmp/repo.git", "./x", "../x.git", "repo.git", "/srv/a:b"] {
            assert_eq!(url_problem(path, UrlRule::Remote), None, "{path}");
            assert!(repository_url_problem(path).is_some(), "{path}");
        }
        for bad in [
            "",
            "-oProxyCommand=x",
            "--upload-pack=touch /tmp/x",
            "ext::sh -c touch% /tmp/pwned",
            "fd::17",
            "/tmp/a\nb",
            "ftp://x/y",
            "ssh://-oProxyCommand=x/y",
        ] {
            assert!(url_problem(bad, UrlRule::Remote).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn credentials_are_found_and_redacted() {
        for (url, shown) in [
            ("https://user:TOKEN@host/x", "https://user:***@host/x"),
            ("https://TOKEN@github.com/a/b", "https://***@github.com/a/b"),
            ("ssh://git:pw@host/x", "ssh://git:***@host/x"),
            ("http://a:b@h:80/p@q", "http://a:***@h:80/p@q"),
        ] {
            assert!(url_credentials(url), "{url}");
            assert_eq!(redact_url(url), shown);
        }
        for url in [
            "https://github.com/a/b",
            "ssh://git@github.com/a/b",
            "git@github.com:a/b.git",
            "file:///tmp/x@y",
        ] {
            assert!(!url_credentials(url), "{url}");
            assert_eq!(redact_url(url), url);
        }
    }

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
            "ssh://-oProxyCommand=touch%20/tmp/x/x",
            "ssh://git@-oProxyCommand=x/y",
            "x@-oProxyCommand=touch:y",
            "git://-x/y",
            "https://attacker.example/((registry-password))",
            "https://github.com/a\u{2028}b",
            "https://github.com/\u{202e}b",
            "https://github.com/a\u{85}",
        ] {
            assert!(repository_url_problem(bad).is_some(), "{bad:?}");
        }
    }
}
