//! Resolution: from stage pins and release-map entries to concrete (origin, branch, runtime)
//! rows, exactly as `docs/domain.md#resolution` defines it.

use crate::matrix::{AppKind, AppVersion, Application, Matrix, Release, ReleaseMapEntry};
use crate::names::{ApplicationName, DeploymentName, ReleaseName, StageName};
use foldhash::{HashMap, HashMapExt};
use serde::Serialize;
use std::borrow::Borrow;

mod stream;

pub use stream::resolve_stream;

/// Name lookups over a matrix, built once so resolution is linear in the matrix size.
pub struct Index<'m> {
    releases: HashMap<&'m str, &'m Release>,
    applications: HashMap<&'m str, &'m Application>,
    entries: HashMap<(&'m str, &'m str), &'m ReleaseMapEntry>,
}

impl<'m> Index<'m> {
    /// Indexes `matrix`; with duplicate names the first definition wins (duplicates are errors).
    pub fn new(matrix: &'m Matrix) -> Self {
        let mut releases = HashMap::with_capacity(matrix.releases.len());
        for release in &matrix.releases {
            releases.entry(release.name.as_str()).or_insert(release);
        }
        let mut applications = HashMap::with_capacity(matrix.applications.len());
        for app in &matrix.applications {
            applications.entry(app.name.as_str()).or_insert(app);
        }
        let mut entries = HashMap::with_capacity(matrix.release_map.len());
        for entry in &matrix.release_map {
            entries
                .entry((entry.release.as_str(), entry.deployment.as_str()))
                .or_insert(entry);
        }
        Self {
            releases,
            applications,
            entries,
        }
    }

    /// Returns the release called `name`.
    pub fn release(&self, name: &str) -> Option<&'m Release> {
        self.releases.get(name).copied()
    }

    /// Returns the application called `name`.
    pub fn application(&self, name: &str) -> Option<&'m Application> {
        self.applications.get(name).copied()
    }

    /// Returns the release-map entry for (`release`, `deployment`).
    pub fn entry(&self, release: &str, deployment: &str) -> Option<&'m ReleaseMapEntry> {
        self.entries.get(&(release, deployment)).copied()
    }

    /// Resolves one application version, or `None` when its application or release is undefined.
    pub fn resolve_version(&self, version: &'m AppVersion) -> Option<ResolvedApp<'m>> {
        let app = self.application(version.application.as_str())?;
        let own_release = self.release(version.release.as_str())?;
        let git_origin = match (&version.origin, &app.repository) {
            (Some(origin), _) => origin.as_str(),
            (None, Some(repository)) => repository.as_str(),
            (None, None) => "",
        };
        let release_branch = version
            .branch
            .as_ref()
            .unwrap_or(&own_release.branch)
            .as_str();
        let runtime_version = match (&version.runtime, app.kind) {
            (Some(runtime), _) => Some(runtime.as_str()),
            (None, AppKind::Ida) => own_release.python.as_ref().map(|v| v.as_str()),
            (None, AppKind::Mfe) => own_release.node.as_ref().map(|v| v.as_str()),
        };
        Some(ResolvedApp {
            application: app.name.as_str(),
            kind: app.kind,
            git_origin,
            release_branch,
            runtime_version,
            path: app.path.as_ref().map(|p| p.as_str()),
            translations: version.translations.as_deref(),
            extra: (!version.extra.is_empty()).then_some(&version.extra),
            own_release: version.release.as_str(),
            overridden: Overridden {
                origin: version.origin.is_some(),
                branch: version.branch.is_some(),
                runtime: version.runtime.is_some(),
            },
        })
    }
}

/// Which values of a resolved application came from an override rather than a default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Overridden {
    /// `git_origin` is a fork named by the entry.
    pub origin: bool,
    /// `release_branch` is named by the entry.
    pub branch: bool,
    /// `runtime_version` is named by the entry.
    pub runtime: bool,
}

/// One application of a release-map entry with every default applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResolvedApp<'m> {
    /// The application name.
    pub application: &'m str,
    /// IDA or MFE.
    pub kind: AppKind,
    /// The repository to build from.
    pub git_origin: &'m str,
    /// The branch to build from.
    pub release_branch: &'m str,
    /// The Python (IDA) or Node (MFE) version; `None` when the release records none.
    pub runtime_version: Option<&'m str>,
    /// The MFE's URL path.
    pub path: Option<&'m str>,
    /// Commands run before building an MFE.
    pub translations: Option<&'m [String]>,
    /// The entry's extra values, when it has any.
    pub extra: Option<&'m crate::extra::Extra>,
    /// The release whose defaults were applied (the entry's own release).
    pub own_release: &'m str,
    /// Which values are overrides.
    pub overridden: Overridden,
}

/// One resolved row: what one stage of one deployment builds for one application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Row<'m> {
    /// The deployment.
    pub deployment: &'m str,
    /// The stage.
    pub stage: &'m str,
    /// The stage's release.
    pub release: &'m str,
    /// The application.
    pub application: &'m str,
    /// IDA or MFE.
    #[serde(rename = "type")]
    pub kind: AppKind,
    /// The repository to build from.
    pub git_origin: &'m str,
    /// The branch to build from.
    pub release_branch: &'m str,
    /// The Python (IDA) or Node (MFE) version; `None` when the release records none.
    pub runtime_version: Option<&'m str>,
    /// The MFE's URL path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<&'m str>,
    /// Commands run before building an MFE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translations: Option<&'m [String]>,
    /// The release whose defaults were applied, when it differs from `release`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_release: Option<&'m str>,
    /// The entry's extra values (`extra`), when it has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<&'m crate::extra::Extra>,
    /// Which values are overrides.
    pub overridden: Overridden,
    /// The locked commit of this row (`None` until [`Lock::apply`](crate::lock::Lock::apply)
    /// finds one, or without a lock).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<&'m str>,
}

impl<'m> Row<'m> {
    fn new(deployment: &'m str, stage: &'m str, release: &'m str, app: ResolvedApp<'m>) -> Self {
        Row {
            deployment,
            stage,
            release,
            application: app.application,
            kind: app.kind,
            git_origin: app.git_origin,
            release_branch: app.release_branch,
            runtime_version: app.runtime_version,
            path: app.path,
            translations: app.translations,
            entry_release: (app.own_release != release).then_some(app.own_release),
            extra: app.extra,
            overridden: app.overridden,
            commit: None,
        }
    }

    /// Returns the sort key the domain defines: every identifying field in order.
    pub fn sort_key(&self) -> (&str, &str, &str, &str, AppKind, &str, &str, &str) {
        (
            self.deployment,
            self.stage,
            self.release,
            self.application,
            self.kind,
            self.git_origin,
            self.release_branch,
            self.runtime_version.unwrap_or(""),
        )
    }
}

/// Restricts resolution to matching rows; `None` fields match everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this deployment.
    pub deployment: Option<DeploymentName>,
    /// Only this stage.
    pub stage: Option<StageName>,
    /// Only stages on this release.
    pub release: Option<ReleaseName>,
    /// Only this application.
    pub application: Option<ApplicationName>,
    /// Only IDAs or only MFEs.
    pub kind: Option<AppKind>,
}

impl Filter {
    /// Returns whether a row of (`deployment`, `stage`, `release`, `application`, `kind`)
    /// passes the filter.
    pub fn admits(
        &self,
        deployment: &str,
        stage: &str,
        release: &str,
        application: &str,
        kind: AppKind,
    ) -> bool {
        matches(&self.deployment, deployment)
            && matches(&self.stage, stage)
            && matches(&self.release, release)
            && matches(&self.application, application)
            && self.kind.is_none_or(|k| k == kind)
    }
}

fn matches<N: Borrow<str>>(filter: &Option<N>, value: &str) -> bool {
    filter.as_ref().is_none_or(|f| f.borrow() == value)
}

/// A (deployment, stage) that could not be resolved, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Unresolved<'m> {
    /// The deployment.
    pub deployment: &'m str,
    /// The stage.
    pub stage: &'m str,
    /// The stage's release.
    pub release: &'m str,
    /// Why it could not be resolved.
    pub reason: &'static str,
}

/// The result of resolving a matrix.
#[derive(Clone, Debug, Default)]
pub struct Resolution<'m> {
    /// Every resolved row, sorted by [`Row::sort_key`].
    pub rows: Vec<Row<'m>>,
    /// Stages that could not be resolved (only in a matrix with errors), by (deployment, stage,
    /// release).
    pub unresolved: Vec<Unresolved<'m>>,
}

/// Resolves every (deployment, stage) of `matrix` that passes `filter`: the
/// [`resolve_stream`] collected, for the callers that need every row at once.
pub fn resolve<'m>(matrix: &'m Matrix, filter: &Filter) -> Resolution<'m> {
    let mut resolution = Resolution::default();
    for item in resolve_stream(matrix, filter) {
        match item {
            Ok(row) => resolution.rows.push(row),
            Err(unresolved) => resolution.unresolved.push(unresolved),
        }
    }
    resolution
}

/// Resolves the applications of the release-map entry for (`release`, `deployment`),
/// independent of any stage; `None` when there is no such entry.
pub fn resolve_entry<'m>(
    index: &Index<'m>,
    release: &str,
    deployment: &str,
) -> Option<Vec<ResolvedApp<'m>>> {
    let entry = index.entry(release, deployment)?;
    Some(
        entry
            .apps
            .iter()
            .filter_map(|v| index.resolve_version(v))
            .collect(),
    )
}
