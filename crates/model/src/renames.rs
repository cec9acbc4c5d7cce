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
    let key = repository_key(url)?;
    KNOWN.iter().find(|r| r.from == key)
}

/// `host/owner/name` of a repository URL, lower case.
fn repository_key(url: &str) -> Option<String> {
    let rest = if let Some((_, after)) = url.split_once("://") {
        // Drop a user (`git@`) and a port.
        let after = after.rsplit_once('@').map_or(after, |(_, host)| host);
        let (host, path) = after.split_once('/')?;
        let host = host.split(':').next().unwrap_or(host);
        format!("{host}/{path}")
    } else {
        // scp-like: `git@github.com:openedx/edx-platform.git`.
        let (user_host, path) = url.split_once(':')?;
        let host = user_host.rsplit_once('@').map_or(user_host, |(_, h)| h);
        format!("{host}/{path}")
    };
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    Some(rest.to_ascii_lowercase())
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
            "file:///srv/git/edx-platform",
            "/srv/git/edx-platform",
            "",
        ] {
            assert_eq!(renamed(url), None, "{url}");
        }
    }
}
