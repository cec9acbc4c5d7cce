//! What a (deployment, stage) becomes in Tutor: configuration overrides, plugins to enable,
//! image build arguments, and what has no Tutor equivalent; the MFEs are [`super::mfes`]'s.

use super::versions::{self, TutorTarget};
use super::with_git_suffix;
use edx_matrix_model::{AppKind, Matrix, Release, Row};

/// The IDAs Tutor builds from a repository setting: (application, Tutor plugin or `None` for
/// Tutor itself, repository setting, version setting).
pub(crate) const IDA_SETTINGS: &[(&str, Option<&str>, &str, &str)] = &[
    (
        "edx-platform",
        None,
        "EDX_PLATFORM_REPOSITORY",
        "EDX_PLATFORM_VERSION",
    ),
    (
        "notes-api",
        Some("notes"),
        "NOTES_REPOSITORY",
        "NOTES_REPOSITORY_VERSION",
    ),
    (
        "xqueue",
        Some("xqueue"),
        "XQUEUE_REPOSITORY",
        "XQUEUE_REPOSITORY_VERSION",
    ),
    (
        "codejail",
        Some("codejail"),
        "CODEJAIL_SERVICE_REPOSITORY",
        "CODEJAIL_SERVICE_VERSION",
    ),
];

/// The IDAs whose Tutor plugin clones their version with `git clone --branch` (no commit).
const CLONES_BY_BRANCH: &[&str] = &["notes-api", "xqueue"];

/// One `MFE_APPS` entry the plugin sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MfeEntry {
    /// The MFE's name (its `MFE_APPS` key, and its URL path in tutor-mfe).
    pub name: String,
    /// Its repository, ending in `.git`.
    pub repository: String,
    /// Its branch, or the commit the lock records for it ([`PluginPlan::locked`]).
    pub version: String,
    /// A port, for MFEs tutor-mfe does not know.
    pub port: Option<u16>,
}

/// One `FRONTEND_APPS` entry the plugin sets: a frontend-base app built from source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontendEntry {
    /// The app's name (its `FRONTEND_APPS` key).
    pub name: String,
    /// `source`: the repository (with `.git`) and `#ref`, what Docker's `ADD` clones.
    pub source: String,
    /// The repository, ending in `.git`.
    pub repository: String,
    /// Its branch, or the commit the lock records for it ([`PluginPlan::locked`]).
    pub version: String,
}

/// Everything the plugin and the README say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PluginPlan {
    /// `CONFIG_OVERRIDES`: (setting, value).
    pub overrides: Vec<(String, String)>,
    /// `CONFIG_OVERRIDES` from the stage's `TUTOR_*` vars, typed (see [`super::vars`]).
    pub settings: Vec<(String, edx_matrix_model::vars::VarValue)>,
    /// MFEs set in `MFE_APPS`.
    pub mfes: Vec<MfeEntry>,
    /// Catalogue MFEs the stage does not include, removed from `MFE_APPS`.
    pub removed_mfes: Vec<String>,
    /// tutor-mfe's frontend-base apps the stage builds from a repository (`FRONTEND_APPS`).
    pub frontend_apps: Vec<FrontendEntry>,
    /// tutor-mfe's frontend-base apps the stage runs as tutor-mfe builds them (from npm).
    pub npm_apps: Vec<String>,
    /// tutor-mfe's frontend-base apps the stage does not include, removed from `FRONTEND_APPS`.
    pub removed_frontend_apps: Vec<String>,
    /// tutor-mfe's default MFEs and frontend apps the matrix catalogue does not have: kept as
    /// tutor-mfe builds them.
    pub kept: Vec<String>,
    /// What the plugin changes in what Tutor runs by default, one line each (see
    /// [`super::changes`]).
    pub changes: Vec<String>,
    /// Facts about how tutor-mfe builds an app of the stage, for the README.
    pub notes: Vec<String>,
    /// Tutor plugins the export needs enabled (`mfe`, `notes`, …), in enabling order.
    pub plugins: Vec<&'static str>,
    /// The forum's repository (with `.git`) and branch, for tutor-forum before 19 (the Ruby
    /// forum), which had `FORUM_REPOSITORY` / `FORUM_REPOSITORY_VERSION`.
    pub forum: Option<(String, String)>,
    /// `--build-arg` values added to images (`IMAGES_BUILD`): (image, `NAME=value`).
    pub build_args: Vec<(&'static str, String)>,
    /// The Tutor the stage's release needs.
    pub target: Option<TutorTarget>,
    /// What has no Tutor equivalent, one line each.
    pub unmapped: Vec<String>,
    /// Warnings (conflicting Node versions).
    pub warnings: Vec<String>,
    /// The versions set to a locked commit: (where: a setting, `MFE_APPS[name]` or
    /// `FRONTEND_APPS[name]`; the branch locked; the commit), for the plugin's comments and
    /// the README.
    pub locked: Vec<Locked>,
}

/// A version the plugin sets to the commit the lock records, its branch kept visible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locked {
    /// The setting (`EDX_PLATFORM_VERSION`), or `MFE_APPS[name]` / `FRONTEND_APPS[name]`.
    pub place: String,
    /// The branch the commit was locked from.
    pub branch: String,
    /// The full commit id.
    pub commit: String,
}

impl PluginPlan {
    /// Returns the version Tutor builds for `row` at `place`: its locked commit when it has one
    /// (recorded in [`Self::locked`]), its branch otherwise.
    pub(super) fn version(&mut self, place: String, row: &Row<'_>) -> String {
        let Some(commit) = row.commit else {
            return row.release_branch.to_owned();
        };
        self.locked.push(Locked {
            place,
            branch: row.release_branch.to_owned(),
            commit: commit.to_owned(),
        });
        commit.to_owned()
    }

    /// Returns the branch `place` is built from, when its version is a locked commit.
    pub(crate) fn locked_branch(&self, place: &str) -> Option<&str> {
        self.locked
            .iter()
            .find(|l| l.place == place)
            .map(|l| l.branch.as_str())
    }

    pub(super) fn plugin(&mut self, name: &'static str) {
        if !self.plugins.contains(&name) {
            self.plugins.push(name);
        }
    }
}

/// Builds the plan for the `rows` of one stage running `release`.
pub(crate) fn plan(matrix: &Matrix, release: Option<&Release>, rows: &[Row<'_>]) -> PluginPlan {
    let mut plan = PluginPlan::default();
    if let Some(release) = release {
        plan.target = Some(versions::target(release));
        plan.overrides.push((
            "OPENEDX_COMMON_VERSION".into(),
            release.branch.as_str().to_owned(),
        ));
    }
    let mut mfe_rows = Vec::new();
    for row in rows {
        if row.kind == AppKind::Mfe {
            mfe_rows.push(row);
            continue;
        }
        if let Some((_, plugin, repository, version)) =
            IDA_SETTINGS.iter().find(|s| s.0 == row.application)
        {
            if let Some(plugin) = plugin {
                plan.plugin(plugin);
            }
            plan.overrides
                .push(((*repository).into(), with_git_suffix(row.git_origin)));
            // Docker's `ADD repo#ref` (edx-platform, codejail) takes a commit; tutor-notes and
            // tutor-xqueue run `git clone --branch`, which takes none: they keep the branch.
            let value = if CLONES_BY_BRANCH.contains(&row.application) {
                if let Some(commit) = row.commit {
                    plan.unmapped.push(format!(
                        "{} locked at {commit}: {} clones with `git clone --branch {}`, which takes no commit; Tutor builds the branch's head",
                        row.application,
                        plugin.map_or("Tutor", |p| p),
                        row.release_branch
                    ));
                }
                row.release_branch.to_owned()
            } else {
                plan.version((*version).into(), row)
            };
            plan.overrides.push(((*version).into(), value));
            match row.application {
                "edx-platform" => python(&mut plan, row),
                "codejail" => {
                    // The service's Python comes from Ubuntu packages `python<X.Y>`; a row
                    // without a runtime keeps the image's default.
                    if let Some(runtime) = row.runtime_version {
                        let minor: Vec<&str> = runtime.split('.').take(2).collect();
                        plan.build_args
                            .push(("codejail", format!("APP_PY_VER={}", minor.join("."))));
                    }
                }
                _ => {}
            }
            continue;
        }
        match row.application {
            "forum" => {
                plan.plugin("forum");
                plan.forum = Some((with_git_suffix(row.git_origin), row.release_branch.to_owned()));
                plan.unmapped.push(format!(
                    "forum {} at {}: tutor-forum 19 and later run the forum as the `openedx-forum` Python package that edx-platform's requirements pin (their only setting, `FORUM_VERSION`, is the plugin's own version); the plugin sets `FORUM_REPOSITORY` / `FORUM_REPOSITORY_VERSION` only under tutor-forum before 19 (the Ruby forum)",
                    row.git_origin, row.release_branch
                ));
            }
            "xqwatcher" => plan.unmapped.push(format!(
                "xqwatcher {} at {}: no Tutor plugin of the tested set runs xqueue-watcher",
                row.git_origin, row.release_branch
            )),
            name if name.contains("theme") => plan.unmapped.push(format!(
                "theme {name} {} at {}: Tutor installs themes from directories (`tutor config save --set` of the theme, or a theme plugin), not from a repository and branch",
                row.git_origin, row.release_branch
            )),
            name => plan.unmapped.push(format!(
                "IDA {name} {} at {}: no Tutor setting",
                row.git_origin, row.release_branch
            )),
        }
    }
    let branch = release.map(|r| r.branch.as_str());
    super::mfes::map(&mut plan, matrix, branch, &mfe_rows);
    plan.changes = super::changes::of(&plan);
    plan
}

/// The edx-platform Python: a full version becomes the `PYTHON_VERSION` build argument.
fn python(plan: &mut PluginPlan, row: &Row<'_>) {
    // No runtime in the matrix: Tutor's image keeps its own Python.
    let Some(version) = row.runtime_version else {
        return;
    };
    let parts = version.split('.').count();
    if parts >= 3 {
        for image in ["openedx", "openedx-dev"] {
            plan.build_args
                .push((image, format!("PYTHON_VERSION={version}")));
        }
    } else if !versions::TUTOR_22_PYTHON.starts_with(&format!("{version}.")) {
        plan.unmapped.push(format!(
            "edx-platform on Python {version}: Tutor 22's openedx image builds Python {} with pyenv, which needs a full version; give the matrix a full version (e.g. `{version}.x`) to have the plugin pass `--build-arg=PYTHON_VERSION`, or build with `tutor images build openedx --build-arg PYTHON_VERSION={version}.<patch>`",
            versions::TUTOR_22_PYTHON
        ));
    }
}
