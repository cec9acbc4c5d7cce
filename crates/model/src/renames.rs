//! Upstream repositories known to have been renamed: `check` warns on an application whose
//! repository still names the old one (`renamed-repository`). The host keeps redirecting the
//! old name, so nothing breaks today, but the redirect goes when someone creates a repository
//! under the old name. Each entry says when and how the rename is known.

/// One known rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rename {
    /// The old repository, `host/owner/name` (lower case, no scheme, no `.git`).
    pub from: &'static str,
    /// The repository URL to use instead.
    pub to: &'static str,
    /// When upstream renamed it (`YYYY-MM`).
    pub date: &'static str,
    /// How the rename is known.
    pub source: &'static str,
}

/// Every known rename (docs/diagnostics.md#renamed-repository lists them).
pub(crate) const KNOWN: &[Rename] = &[Rename {
    from: "github.com/openedx/edx-platform",
    to: "https://github.com/openedx/openedx-platform",
    date: "2026-01",
    source: "GitHub redirects the old name's smart-HTTP `info/refs` to `openedx/openedx-platform` \
             (`release add --from-upstream` reports it); Tutor 22.0.3 accepts both names \
             (tutor/plugins/openedx.py)",
}];

/// The known rename of the repository at `url`, if any: `https://`, `http://`, `ssh://git@`,
/// `git://` and scp-like `git@host:` URLs all match, with or without `.git` and a final `/`,
/// in any case (GitHub's names are case-insensitive).
#[must_use]
pub fn renamed(url: &str) -> Option<&'static Rename> {
    let (host, path) = repository_parts(url)?;
    KNOWN.iter().find(|r| {
        // `from` is lower case, so comparing ignoring ASCII case is comparing lower-cased.
        r.from
            .split_once('/')
            .is_some_and(|(from_host, from_path)| {
                from_host.eq_ignore_ascii_case(host) && from_path.eq_ignore_ascii_case(path)
            })
    })
}

/// The host and the `owner/name` path of a repository URL, as written (no scheme, user or
/// port; no final `/` or `.git`). Slices of `url`: `check` asks this of every application's
/// repository, so it allocates nothing (issue 23).
fn repository_parts(url: &str) -> Option<(&str, &str)> {
    let (host, path) = if let Some((_, after)) = url.split_once("://") {
        // Drop a user (`git@`) and a port.
        let after = after.rsplit_once('@').map_or(after, |(_, host)| host);
        let (host, path) = after.split_once('/')?;
        (host.split(':').next().unwrap_or(host), path)
    } else {
        // scp-like: `git@github.com:openedx/edx-platform.git`.
        let (user_host, path) = url.split_once(':')?;
        (
            user_host.rsplit_once('@').map_or(user_host, |(_, h)| h),
            path,
        )
    };
    let path = path.trim_end_matches('/');
    // `.git` in any case, as the comparison ignores case.
    let tail = path
        .len()
        .checked_sub(4)
        .and_then(|i| Some((i, path.get(i..)?)));
    Some(match tail {
        Some((i, tail)) if tail.eq_ignore_ascii_case(".git") => (host, &path[..i]),
        _ => (host, path),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_the_old_url_matches() {
        for url in [
            "https://github.com/openedx/edx-platform",
            "https://github.com/openedx/edx-platform.git",
            "https://github.com/openedx/edx-platform/",
            "https://github.com/OpenEdx/Edx-Platform",
            "https://GitHub.com/openedx/edx-platform.GIT/",
            "http://github.com/openedx/edx-platform",
            "ssh://git@github.com/openedx/edx-platform.git",
            "ssh://git@github.com:22/openedx/edx-platform.git",
            "git@github.com:openedx/edx-platform.git",
            "https://user:token@github.com/openedx/edx-platform",
        ] {
            assert_eq!(
                renamed(url).map(|r| r.to),
                Some("https://github.com/openedx/openedx-platform"),
                "{url}"
            );
        }
    }

    #[test]
    fn other_repositories_do_not() {
        for url in [
            "https://github.com/openedx/openedx-platform",
            "https://github.com/acme-edu/edx-platform",
            "https://github.com/openedx/edx-platform-extra",
            "https://gitlab.com/openedx/edx-platform",
            "https://github.com/openedx/edx-platform/tree/master",
            "https://github.com/openedx/edx-platform.gitx",
            // Non-ASCII next to where `.git` would be: no slicing inside a character.
            "https://github.com/openedx/edx-platform\u{e9}t",
            "https://github.com/\u{e9}\u{e9}",
            "git@github.com:",
            "file:///srv/git/edx-platform",
            "/srv/git/edx-platform",
            "",
        ] {
            assert_eq!(renamed(url), None, "{url}");
        }
    }
}
