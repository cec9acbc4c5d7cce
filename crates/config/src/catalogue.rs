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

/// The standard catalogue, IDAs first.
pub const STANDARD: &[StandardApp] = &[
    ida(
        "edx-platform",
        Some("https://github.com/openedx/edx-platform"),
    ),
    ida(
        "forum",
        Some("https://github.com/openedx/cs_comments_service"),
    ),
    ida(
        "notes-api",
        Some("https://github.com/openedx/edx-notes-api"),
    ),
    ida(
        "codejail",
        Some("https://github.com/eduNEXT/codejailservice"),
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
        "learn",
    ),
    mfe(
        "authoring",
        "https://github.com/openedx/frontend-app-authoring",
        "authoring",
    ),
    mfe(
        "discussions",
        "https://github.com/openedx/frontend-app-discussions",
        "discuss",
    ),
    mfe(
        "gradebook",
        "https://github.com/openedx/frontend-app-gradebook",
        "gradebook",
    ),
    mfe(
        "learner-dashboard",
        "https://github.com/openedx/frontend-app-learner-dashboard",
        "dashboard",
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
        "learner-record",
        "https://github.com/openedx/frontend-app-learner-record",
        "learner-record",
    ),
];

/// Returns the standard application called `name`.
pub fn standard(name: &str) -> Option<&'static StandardApp> {
    STANDARD.iter().find(|a| a.name == name)
}

/// Returns the commented starter file `edx-matrix init` writes.
pub fn starter_file() -> String {
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
# newer than all of them.
[releases]
ulmo   = { branch = "release/ulmo", python = "3.11", node = "24" }
master = { branch = "master",       python = "3.12", node = "24" }

# The application catalogue. `kind` is "ida" (a Django service) or "mfe" (a micro front-end,
# served under `path`). Remove what you do not run; add your own.
[applications]
"#;

const STARTER_TAIL: &str = r#"
# Deployments: the release each stage runs. Stages of one deployment may run different releases
# (test the next release in CI while QA and Production get patches of the current one).
[deployments]
mysite = { CI = "master", QA = "ulmo", Production = "ulmo" }

# The release map: which applications each deployment includes on each release, and what they
# override (`branch`, `origin` for a fork, `runtime`, `translations` commands for MFEs, and
# `release` to take another release's defaults). `{release}` and `{deployment}` in a value are
# replaced by the names of the entry being expanded. `{}` takes every default.
[[map]]
releases    = ["master", "ulmo"]
deployments = ["mysite"]
[map.apps]
edx-platform = {}
forum        = {}
notes-api    = {}
edxapp_theme = { origin = "https://github.com/example/mysite-theme", branch = "{release}" }
learning     = {}
authoring    = {}
# An application may appear once per (release, deployment); a fork of one release goes in a
# block of its own:
#
# [[map]]
# releases    = ["ulmo"]
# deployments = ["mysite"]
# [map.apps]
# learning = { origin = "https://github.com/example/frontend-app-learning", branch = "mysite/{release}" }
"#;
