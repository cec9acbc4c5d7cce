//! What Tutor runs when nothing overrides it: the defaults of Tutor 22.0.3 and of the plugins
//! the export enables (tutor-mfe 22.1.0, tutor-notes 22.0.0, tutor-xqueue 22.0.0,
//! tutor-contrib-codejail 22.0.1), copied from their installed sources
//! (`tutor/templates/config/defaults.yml`, each plugin's `plugin.py`). The export compares what
//! it sets with these to say what it changes; `crates/cli/tests/cli/tutor_defaults.rs` reads
//! them back from the installed Tutor, so a new Tutor that changes one fails that test.

/// The Tutor major these defaults are from.
pub(crate) const TUTOR_MAJOR: u32 = 22;

/// Tutor 22's `OPENEDX_COMMON_VERSION`: a pinned point-release tag.
pub(crate) const OPENEDX_COMMON_VERSION: &str = "release/verawood.1";

/// A default that is `{{ OPENEDX_COMMON_VERSION }}`: it follows whatever that is.
pub(crate) const FOLLOWS_COMMON_VERSION: &str = "{{ OPENEDX_COMMON_VERSION }}";

/// (setting, Tutor's default) for every setting the export may override.
pub const SETTINGS: &[(&str, &str)] = &[
    ("OPENEDX_COMMON_VERSION", OPENEDX_COMMON_VERSION),
    (
        "EDX_PLATFORM_REPOSITORY",
        "https://github.com/openedx/edx-platform.git",
    ),
    ("EDX_PLATFORM_VERSION", FOLLOWS_COMMON_VERSION),
    (
        "NOTES_REPOSITORY",
        "https://github.com/openedx/edx-notes-api",
    ),
    ("NOTES_REPOSITORY_VERSION", FOLLOWS_COMMON_VERSION),
    ("XQUEUE_REPOSITORY", "https://github.com/openedx/xqueue"),
    ("XQUEUE_REPOSITORY_VERSION", "master"),
    (
        "CODEJAIL_SERVICE_REPOSITORY",
        "https://github.com/openedx/codejail-service.git",
    ),
    ("CODEJAIL_SERVICE_VERSION", FOLLOWS_COMMON_VERSION),
    ("MFE_NODE_IMAGE", "docker.io/node:24.14.1-bookworm-slim"),
];

/// Returns Tutor's default of `setting`, if the table has it.
pub(crate) fn setting(setting: &str) -> Option<&'static str> {
    SETTINGS
        .iter()
        .find(|(s, _)| *s == setting)
        .map(|(_, d)| *d)
}

/// tutor-mfe 22.1.0's `CORE_MFE_APPS`, the legacy MFEs it builds one by one (`MFE_APPS`):
/// (name, repository, port). Their version is `MFE_COMMON_VERSION`, which follows
/// `OPENEDX_COMMON_VERSION`.
pub const MFE_APPS: &[(&str, &str, u16)] = &[
    (
        "admin-console",
        "https://github.com/openedx/frontend-app-admin-console.git",
        2025,
    ),
    (
        "authn",
        "https://github.com/openedx/frontend-app-authn.git",
        1999,
    ),
    (
        "authoring",
        "https://github.com/openedx/frontend-app-authoring.git",
        2001,
    ),
    (
        "account",
        "https://github.com/openedx/frontend-app-account.git",
        1997,
    ),
    (
        "communications",
        "https://github.com/openedx/frontend-app-communications.git",
        1984,
    ),
    (
        "discussions",
        "https://github.com/openedx/frontend-app-discussions.git",
        2002,
    ),
    (
        "gradebook",
        "https://github.com/openedx/frontend-app-gradebook.git",
        1994,
    ),
    (
        "learner-dashboard",
        "https://github.com/openedx/frontend-app-learner-dashboard.git",
        1996,
    ),
    (
        "learning",
        "https://github.com/openedx/frontend-app-learning.git",
        2000,
    ),
    (
        "ora-grading",
        "https://github.com/openedx/frontend-app-ora-grading.git",
        1993,
    ),
    (
        "profile",
        "https://github.com/openedx/frontend-app-profile.git",
        1995,
    ),
    (
        "catalog",
        "https://github.com/openedx/frontend-app-catalog.git",
        1998,
    ),
];

/// One of tutor-mfe 22.1.0's `CORE_FRONTEND_APPS`: an app converted to frontend-base, built as
/// an npm package into the one shared site (`FRONTEND_APPS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrontendApp {
    /// Its `FRONTEND_APPS` key.
    pub name: &'static str,
    /// `npm_package`.
    pub npm_package: &'static str,
    /// `npm_version`: the range the site's `package.json` asks for (a source build's
    /// `package.json` must satisfy it; `0.0.0-dev` is what the repositories carry).
    pub npm_version: &'static str,
    /// `enabled`: whether the site serves it. A disabled app is still built into the site, and
    /// its legacy MFE (same name in `MFE_APPS`) is served instead.
    pub enabled: bool,
    /// Its repository, for the messages (tutor-mfe installs it from npm).
    pub repository: &'static str,
}

/// tutor-mfe 22.1.0's `CORE_FRONTEND_APPS`.
pub const FRONTEND_APPS: &[FrontendApp] = &[
    FrontendApp {
        name: "authn",
        npm_package: "@openedx/frontend-app-authn",
        npm_version: "^1.0.0 || 0.0.0-dev",
        enabled: false,
        repository: "https://github.com/openedx/frontend-app-authn.git",
    },
    FrontendApp {
        name: "learner-dashboard",
        npm_package: "@openedx/frontend-app-learner-dashboard",
        npm_version: "^1.0.0 || 0.0.0-dev",
        enabled: false,
        repository: "https://github.com/openedx/frontend-app-learner-dashboard.git",
    },
    FrontendApp {
        name: "instructor-dashboard",
        npm_package: "@openedx/frontend-app-instructor-dashboard",
        npm_version: "^1.0.0 || 0.0.0-dev",
        enabled: true,
        repository: "https://github.com/openedx/frontend-app-instructor-dashboard.git",
    },
    FrontendApp {
        name: "notifications",
        npm_package: "@openedx/frontend-app-notifications",
        npm_version: "^3.0.0 || 0.0.0-dev",
        enabled: true,
        repository: "https://github.com/openedx/frontend-app-notifications.git",
    },
];

/// Returns tutor-mfe's legacy MFE called `name`: (repository, port).
pub(crate) fn mfe_app(name: &str) -> Option<(&'static str, u16)> {
    MFE_APPS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, r, p)| (*r, *p))
}

/// Returns tutor-mfe's frontend-base app called `name`.
pub(crate) fn frontend_app(name: &str) -> Option<&'static FrontendApp> {
    FRONTEND_APPS.iter().find(|a| a.name == name)
}

/// The pip package each Tutor plugin the export enables comes from (`tutor plugins enable
/// NAME` needs it installed first).
pub(crate) const PIP_PACKAGES: &[(&str, &str)] = &[
    ("mfe", "tutor-mfe"),
    ("notes", "tutor-notes"),
    ("xqueue", "tutor-xqueue"),
    ("forum", "tutor-forum"),
    ("codejail", "tutor-contrib-codejail"),
];

/// Returns the pip package of a Tutor plugin.
pub(crate) fn pip_package(plugin: &str) -> Option<&'static str> {
    PIP_PACKAGES
        .iter()
        .find(|(p, _)| *p == plugin)
        .map(|(_, package)| *package)
}

/// Whether two repository URLs name the same repository: a trailing `/` or `.git` and letter
/// case do not count (GitHub's paths are case-insensitive).
///
/// A repository and its new name after a known upstream rename are the same repository
/// ([`edx_matrix_model::renames`]): Tutor 22's default `openedx/edx-platform` is redirected to
/// `openedx/openedx-platform`, so a matrix naming the new one changes nothing Tutor runs.
pub(crate) fn same_repository(a: &str, b: &str) -> bool {
    fn key(url: &str) -> String {
        let url = edx_matrix_model::renamed(url).map_or(url, |rename| rename.to);
        url.trim_end_matches('/')
            .trim_end_matches(".git")
            .to_ascii_lowercase()
    }
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renamed_repository_is_its_new_name() {
        assert!(same_repository(
            "https://github.com/openedx/openedx-platform",
            "https://github.com/openedx/edx-platform.git"
        ));
        assert!(!same_repository(
            "https://github.com/acme/openedx-platform",
            "https://github.com/openedx/edx-platform.git"
        ));
    }

    #[test]
    fn repositories_compare_without_their_git_suffix() {
        assert!(same_repository(
            "https://github.com/openedx/edx-notes-api",
            "https://github.com/openedx/edx-notes-api.git"
        ));
        assert!(!same_repository(
            "https://github.com/eduNEXT/codejailservice.git",
            "https://github.com/openedx/codejail-service.git"
        ));
    }

    #[test]
    fn every_enabled_plugin_has_a_package() {
        for plugin in ["mfe", "notes", "xqueue", "forum", "codejail"] {
            assert!(pip_package(plugin).is_some(), "{plugin}");
        }
    }
}
