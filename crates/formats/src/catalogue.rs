//! The standard Open edX application catalogue: upstream repositories and MFE paths, used by
//! `edx-matrix init` and `edx-matrix app add`.

use edx_matrix_model::AppKind;

/// An application of the standard catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StandardApp {
    /// The name operators use.
    pub name: &'static str,
    /// IDA or MFE.
    pub kind: AppKind,
    /// The upstream repository (`None` for the theme, always an organisation's own).
    pub repository: Option<&'static str>,
    /// The URL path of an MFE.
    pub path: Option<&'static str>,
}

const fn ida(name: &'static str, repository: Option<&'static str>) -> StandardApp {
    StandardApp {
        name,
        kind: AppKind::Ida,
        repository,
        path: None,
    }
}

const fn mfe(name: &'static str, repository: &'static str, path: &'static str) -> StandardApp {
    StandardApp {
        name,
        kind: AppKind::Mfe,
        repository: Some(repository),
        path: Some(path),
    }
}

/// The standard catalogue, IDAs first: what Tutor 22 (Verawood) runs by default, read from
/// Tutor 22.0.3 and its plugins (`EDX_PLATFORM_REPOSITORY`, tutor-contrib-codejail 22's
/// `CODEJAIL_SERVICE_REPOSITORY`, tutor-notes' and tutor-xqueue's repositories, tutor-forum 22's
/// Python forum), then tutor-mfe 22.1's MFEs (`CORE_MFE_APPS`) and frontend-base apps
/// (`CORE_FRONTEND_APPS`), each served at its name, as tutor-mfe serves it.
pub(crate) const STANDARD: &[StandardApp] = &[
    // Renamed `openedx-platform` upstream in January 2026 (`edx_matrix_model::renames`);
    // Tutor 22.0.3's default still names the old URL, which GitHub redirects.
    ida(
        "edx-platform",
        Some("https://github.com/openedx/openedx-platform"),
    ),
    ida("forum", Some("https://github.com/openedx/forum")),
    ida(
        "notes-api",
        Some("https://github.com/openedx/edx-notes-api"),
    ),
    ida(
        "codejail",
        Some("https://github.com/openedx/codejail-service"),
    ),
    ida("xqueue", Some("https://github.com/openedx/xqueue")),
    ida(
        "xqwatcher",
        Some("https://github.com/openedx/xqueue-watcher"),
    ),
    ida("edxapp_theme", None),
    mfe(
        "learning",
        "https://github.com/openedx/frontend-app-learning",
        "learning",
    ),
    mfe(
        "authoring",
        "https://github.com/openedx/frontend-app-authoring",
        "authoring",
    ),
    mfe(
        "discussions",
        "https://github.com/openedx/frontend-app-discussions",
        "discussions",
    ),
    mfe(
        "gradebook",
        "https://github.com/openedx/frontend-app-gradebook",
        "gradebook",
    ),
    mfe(
        "learner-dashboard",
        "https://github.com/openedx/frontend-app-learner-dashboard",
        "learner-dashboard",
    ),
    mfe(
        "ora-grading",
        "https://github.com/openedx/frontend-app-ora-grading",
        "ora-grading",
    ),
    mfe(
        "communications",
        "https://github.com/openedx/frontend-app-communications",
        "communications",
    ),
    mfe(
        "account",
        "https://github.com/openedx/frontend-app-account",
        "account",
    ),
    mfe(
        "profile",
        "https://github.com/openedx/frontend-app-profile",
        "profile",
    ),
    mfe(
        "authn",
        "https://github.com/openedx/frontend-app-authn",
        "authn",
    ),
    mfe(
        "admin-console",
        "https://github.com/openedx/frontend-app-admin-console",
        "admin-console",
    ),
    mfe(
        "catalog",
        "https://github.com/openedx/frontend-app-catalog",
        "catalog",
    ),
    mfe(
        "instructor-dashboard",
        "https://github.com/openedx/frontend-app-instructor-dashboard",
        "instructor-dashboard",
    ),
    mfe(
        "notifications",
        "https://github.com/openedx/frontend-app-notifications",
        "notifications",
    ),
    mfe(
        "learner-record",
        "https://github.com/openedx/frontend-app-learner-record",
        "learner-record",
    ),
];

/// The starter's applications on its stages: every application of the catalogue Tutor 22 runs
/// by default (the MFEs, notes; edx-platform and the forum), so a starter estate exported to
/// Tutor keeps them all. codejail, xqueue, xqwatcher and learner-record are in the catalogue,
/// off the stages (Tutor runs them only with their plugins enabled).
pub(crate) const STARTER_APPS: &[&str] = &[
    "edx-platform",
    "forum",
    "notes-api",
    "learning",
    "authoring",
    "discussions",
    "gradebook",
    "learner-dashboard",
    "ora-grading",
    "communications",
    "account",
    "profile",
    "authn",
    "admin-console",
    "catalog",
    "instructor-dashboard",
    "notifications",
];

/// Returns the standard application called `name`.
pub fn standard(name: &str) -> Option<&'static StandardApp> {
    STANDARD.iter().find(|a| a.name == name)
}

/// Returns the commented starter file `edx-matrix init` writes.
pub(crate) fn starter_file() -> String {
    let mut out = String::from(STARTER_HEAD);
    let width = STANDARD.iter().map(|a| a.name.len()).max().unwrap_or(0);
    for app in STANDARD {
        let mut fields = vec![format!("kind = \"{}\"", app.kind.as_lower())];
        if let Some(repository) = app.repository {
            fields.push(format!("repository = \"{repository}\""));
        }
        if let Some(path) = app.path {
            fields.push(format!("path = \"{path}\""));
        }
        let comment = if app.repository.is_none() {
            " # no upstream: every release-map entry names your fork with `origin`"
        } else {
            ""
        };
        out.push_str(&format!(
            "{:width$} = {{ {} }}{comment}\n",
            app.name,
            fields.join(", ")
        ));
    }
    out.push_str(STARTER_DEPLOYMENTS);
    let theme = "edxapp_theme";
    let width = STARTER_APPS
        .iter()
        .chain(std::iter::once(&theme))
        .map(|name| name.len())
        .max()
        .unwrap_or(0);
    for name in STARTER_APPS {
        out.push_str(&format!("{name:width$} = {{}}\n"));
    }
    out.push_str(&format!(
        "{theme:width$} = {{ origin = \"https://github.com/example/mysite-theme\", branch = \"{{release}}\" }}\n"
    ));
    out.push_str(STARTER_TAIL);
    out
}

const STARTER_HEAD: &str = r#"# edx-matrix.toml: which Open edX release each stage of each deployment runs, and which
# repository and branch every component is built from.
#
#   edx-matrix check      validate this file (every problem, with line and column)
#   edx-matrix show       the deployments x stages grid
#   edx-matrix expand     the release map with every `{release}` template spelled out
#   edx-matrix resolve    one row per (deployment, stage, application), for build tools

# The promotion order shared by every deployment.
stages = ["CI", "QA", "Production"]

# Supported releases: the upstream branch that carries each, and the default Python (IDAs)
# and Node (MFEs) versions. Named releases are ordered by name; `master` is a rolling line,
# newer than all of them. Since Teak a release's branch is `release/<name>` and its point
# releases are tags `release/<name>.N` (Tutor 22 runs the tag `release/verawood.1`).
[releases]
verawood = { branch = "release/verawood", python = "3.12", node = "24" }
master   = { branch = "master",           python = "3.12", node = "24" }

# The application catalogue. `kind` is "ida" (a Django service) or "mfe" (a micro front-end,
# served under `path`). Remove what you do not run; add your own.
[applications]
"#;

const STARTER_DEPLOYMENTS: &str = r#"
# Deployments: the release each stage runs. Stages of one deployment may run different releases
# (test the next release in CI while QA and Production get patches of the current one).
[deployments]
mysite = { CI = "master", QA = "verawood", Production = "verawood" }

# The release map: which applications each deployment includes on each release, and what they
# override (`branch`, `origin` for a fork, `runtime`, `translations` commands for MFEs, and
# `release` to take another release's defaults). `{release}` and `{deployment}` in a value are
# replaced by the names of the entry being expanded. `{}` takes every default.
# These are the applications Tutor 22 runs by default (`edx-matrix export tutor` keeps them).
[[map]]
releases    = ["master", "verawood"]
deployments = ["mysite"]
[map.apps]
"#;

const STARTER_TAIL: &str = r#"
# An application may appear once per (release, deployment). To fork one that the block above
# includes on one release, let edx-matrix move it out of the block:
#   edx-matrix set mysite verawood learning --origin https://github.com/example/frontend-app-learning --branch mysite/verawood
# An application only some releases run goes in a block of its own; uncommented, this one adds
# xqueue, built from your fork, to verawood:
#
# [[map]]
# releases    = ["verawood"]
# deployments = ["mysite"]
# [map.apps]
# xqueue = { origin = "https://github.com/example/xqueue", branch = "mysite/{release}" }
"#;
