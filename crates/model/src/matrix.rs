//! The validated shape of a release matrix: releases, the application catalogue, deployments
//! with their stage pins, and the release map.

use crate::names::{
    ApplicationName, BranchName, DeploymentName, GitUrl, MfePath, ReleaseName, RuntimeVersion,
    StageName,
};
use serde::{Deserialize, Serialize};

/// A whole release matrix, in the order its source gave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matrix {
    /// The stage promotion order shared by every deployment (`CI`, `QA`, `Production`).
    pub stages: Vec<StageName>,
    /// The supported releases.
    pub releases: Vec<Release>,
    /// The application catalogue.
    pub applications: Vec<Application>,
    /// The installations and the release each of their stages runs.
    pub deployments: Vec<Deployment>,
    /// For each (release, deployment), the applications it includes.
    pub release_map: Vec<ReleaseMapEntry>,
}

/// A named Open edX release or a rolling line such as `master`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    /// The release name (`ulmo`).
    pub name: ReleaseName,
    /// The upstream branch that carries it (`release/ulmo`).
    pub branch: BranchName,
    /// The default Python version of IDAs on this release, when one is recorded.
    pub python: Option<RuntimeVersion>,
    /// The default Node version of MFEs on this release, when one is recorded.
    pub node: Option<RuntimeVersion>,
    /// Whether this is a rolling line (newer than every named release).
    pub rolling: bool,
}

impl Release {
    /// Returns whether a release of this name is a rolling line by default (`master`, `main`).
    pub fn is_rolling_name(name: &str) -> bool {
        matches!(name, "master" | "main")
    }
}

/// The two kinds of application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AppKind {
    /// An independently deployable (Django) application.
    #[serde(rename = "IDA")]
    Ida,
    /// A micro front-end, served under a URL path.
    #[serde(rename = "MFE")]
    Mfe,
}

impl AppKind {
    /// Returns the upper-case name used in rows and the interchange JSON (`IDA`, `MFE`).
    pub fn as_str(self) -> &'static str {
        match self {
            AppKind::Ida => "IDA",
            AppKind::Mfe => "MFE",
        }
    }

    /// Returns the lower-case name used in `edx-matrix.toml` (`ida`, `mfe`).
    pub fn as_lower(self) -> &'static str {
        match self {
            AppKind::Ida => "ida",
            AppKind::Mfe => "mfe",
        }
    }

    /// Every spelling a file may give a kind: the lower-case name `edx-matrix.toml` uses, or
    /// the upper-case one of interchange JSON and Python enums; no other case (`Mfe` is an
    /// error). The one rule of the loader and of the editor schema (`edx-matrix schema`).
    pub const SPELLINGS: &'static [&'static str] = &["ida", "IDA", "mfe", "MFE"];

    /// Parses one of [`AppKind::SPELLINGS`].
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ida" | "IDA" => Some(AppKind::Ida),
            "mfe" | "MFE" => Some(AppKind::Mfe),
            _ => None,
        }
    }
}

impl std::fmt::Display for AppKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An application of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    /// The application name (`learning`).
    pub name: ApplicationName,
    /// IDA or MFE.
    pub kind: AppKind,
    /// The default repository; `None` when every entry must name its own (a theme).
    pub repository: Option<GitUrl>,
    /// The URL path an MFE is served under; required for MFEs, absent for IDAs.
    pub path: Option<MfePath>,
}

/// One installation of Open edX.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deployment {
    /// The deployment name (`campus`).
    pub name: DeploymentName,
    /// Its stages in promotion order, each with the release it runs.
    pub stages: Vec<StagePin>,
    /// Its values (`[deployments.<name>.vars]`), every stage's defaults.
    pub vars: crate::vars::Vars,
}

impl Deployment {
    /// Returns the release this deployment runs on `stage`, if it has that stage.
    pub fn release_of(&self, stage: &str) -> Option<&ReleaseName> {
        self.stages
            .iter()
            .find(|pin| pin.stage == stage)
            .map(|pin| &pin.release)
    }
}

/// A stage of a deployment and the release it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagePin {
    /// The stage (`QA`).
    pub stage: StageName,
    /// The release the stage runs.
    pub release: ReleaseName,
    /// The stage's own values, over the deployment's.
    pub vars: crate::vars::Vars,
}

/// The applications one deployment includes on one release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseMapEntry {
    /// The release this entry is for.
    pub release: ReleaseName,
    /// The deployment this entry is for.
    pub deployment: DeploymentName,
    /// The included applications, each with its overrides.
    pub apps: Vec<AppVersion>,
}

/// One application in a release-map entry, with what it overrides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppVersion {
    /// The application.
    pub application: ApplicationName,
    /// The release whose defaults this entry takes (usually the entry's release).
    pub release: ReleaseName,
    /// Overrides the release's branch.
    pub branch: Option<BranchName>,
    /// Overrides the application's repository (a fork).
    pub origin: Option<GitUrl>,
    /// Overrides the release's Python (IDA) or Node (MFE) version.
    pub runtime: Option<RuntimeVersion>,
    /// Shell commands run before building an MFE (translation pulls).
    pub translations: Option<Vec<String>>,
    /// Values the matrix does not read but keeps (`extra`): a Python package's fields it has no
    /// place for, given back by `resolve`, the interchange JSON and `export python`.
    pub extra: crate::extra::Extra,
}

impl AppVersion {
    /// Returns an entry for `application` on `release` with no overrides.
    pub fn plain(application: impl Into<ApplicationName>, release: impl Into<ReleaseName>) -> Self {
        Self {
            application: application.into(),
            release: release.into(),
            branch: None,
            origin: None,
            runtime: None,
            translations: None,
            extra: Default::default(),
        }
    }

    /// Returns whether any value is overridden.
    pub fn has_overrides(&self) -> bool {
        self.branch.is_some()
            || self.origin.is_some()
            || self.runtime.is_some()
            || self.translations.is_some()
    }
}

impl Matrix {
    /// Returns the release called `name`.
    pub fn release(&self, name: &str) -> Option<&Release> {
        self.releases.iter().find(|r| r.name == name)
    }

    /// Returns the application called `name`.
    pub fn application(&self, name: &str) -> Option<&Application> {
        self.applications.iter().find(|a| a.name == name)
    }

    /// Returns the deployment called `name`.
    pub fn deployment(&self, name: &str) -> Option<&Deployment> {
        self.deployments.iter().find(|d| d.name == name)
    }

    /// Returns the release-map entry for (`release`, `deployment`).
    pub fn entry(&self, release: &str, deployment: &str) -> Option<&ReleaseMapEntry> {
        self.release_map
            .iter()
            .find(|e| e.release == release && e.deployment == deployment)
    }

    /// Returns the total number of application versions in the release map.
    pub fn app_version_count(&self) -> usize {
        self.release_map.iter().map(|e| e.apps.len()).sum()
    }

    /// Returns the matrix with its release map in a canonical order (entries by release, then
    /// deployment, each as listed in the matrix; applications by name), for comparing two
    /// matrices by meaning: the release map is a map, and an entry's applications a set.
    pub fn canonical(mut self) -> Self {
        let release_pos = |name: &ReleaseName| self.releases.iter().position(|r| &r.name == name);
        let deployment_pos =
            |name: &DeploymentName| self.deployments.iter().position(|d| &d.name == name);
        let mut keyed: Vec<_> = std::mem::take(&mut self.release_map)
            .into_iter()
            .map(|e| ((release_pos(&e.release), deployment_pos(&e.deployment)), e))
            .collect();
        keyed.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.release.cmp(&b.1.release))
                .then_with(|| a.1.deployment.cmp(&b.1.deployment))
        });
        self.release_map = keyed.into_iter().map(|(_, e)| e).collect();
        for entry in &mut self.release_map {
            entry.apps.sort_by(|a, b| a.application.cmp(&b.application));
        }
        self
    }
}
