//! What changed between two versions of a matrix, by meaning: the release of every
//! (deployment, stage), the release definitions, the resolved rows keyed by
//! (deployment, stage, application), and the builds and deployments that follow from them.
//!
//! This is the pure comparison behind `edx-matrix diff` and the dashboard's `/diff`; rendering it,
//! and comparing the generated pipelines, is left to them.
//!
//! ```
//! use edx_matrix_model::{Change, compare};
//! # use edx_matrix_model::{Matrix, Release, Application, AppKind, Deployment, StagePin,
//! #     ReleaseMapEntry, AppVersion};
//! # let release = |name: &str| Release { name: name.into(), branch: format!("release/{name}").into(),
//! #     python: Some("3.11".into()), node: Some("24".into()), rolling: false };
//! # let old = Matrix {
//! #     stages: vec!["CI".into()],
//! #     releases: vec![release("teak"), release("ulmo")],
//! #     applications: vec![Application { name: "forum".into(), kind: AppKind::Ida,
//! #         repository: Some("https://github.com/openedx/cs_comments_service".into()), path: None }],
//! #     deployments: vec![Deployment { name: "campus".into(),
//! #         stages: vec![StagePin { stage: "CI".into(), release: "teak".into(),
//! #             vars: Default::default() }], vars: Default::default() }],
//! #     release_map: ["teak", "ulmo"].iter().map(|r| ReleaseMapEntry { release: (*r).into(),
//! #         deployment: "campus".into(), apps: vec![AppVersion::plain("forum", *r)] }).collect(),
//! # };
//! let mut new = old.clone();
//! new.deployments[0].stages[0].release = "ulmo".into();
//! let report = compare(&old, &new);
//! assert_eq!(report.stages[0].old.as_deref(), Some("teak"));
//! assert_eq!(report.stages[0].new.as_deref(), Some("ulmo"));
//! assert_eq!(report.rows[0].change, Change::Changed);
//! assert_eq!(report.rows[0].new.as_ref().map(|v| v.branch.as_str()), Some("release/ulmo"));
//! ```

mod commit_rebuilds;
pub(crate) mod commits;

use crate::lock::Lock;
use crate::resolve::resolve_entry;
use crate::{AppKind, Filter, Index, Matrix, Release, Row, resolve};
use commits::{CommitChange, commit_changes};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A stage whose release changed, appeared or disappeared.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct StageDiff {
    /// The deployment.
    pub deployment: String,
    /// The stage.
    pub stage: String,
    /// Its release in the base, if the stage was there.
    pub old: Option<String>,
    /// Its release in the head, if the stage is there.
    pub new: Option<String>,
}

/// A release definition, as far as resolution sees it.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct ReleaseDef {
    /// The release branch.
    pub branch: String,
    /// The Python version of its IDAs, when recorded.
    pub python: Option<String>,
    /// The Node version of its MFEs, when recorded.
    pub node: Option<String>,
}

impl From<&Release> for ReleaseDef {
    fn from(r: &Release) -> Self {
        ReleaseDef {
            branch: r.branch.to_string(),
            python: r.python.as_ref().map(ToString::to_string),
            node: r.node.as_ref().map(ToString::to_string),
        }
    }
}

/// A release added, removed or redefined.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct ReleaseChange {
    /// The release name.
    pub release: String,
    /// Its definition in the base, if defined there.
    pub old: Option<ReleaseDef>,
    /// Its definition in the head, if defined there.
    pub new: Option<ReleaseDef>,
}

/// What one resolved row builds.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct RowValues {
    /// The release the row is resolved for.
    pub release: String,
    /// IDA or MFE.
    #[serde(rename = "type")]
    pub kind: AppKind,
    /// The git origin.
    pub origin: String,
    /// The branch built.
    pub branch: String,
    /// The Python (IDA) or Node (MFE) version, when the release records one.
    pub runtime: Option<String>,
    /// The MFE path, for MFEs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The translation commands, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translations: Option<Vec<String>>,
}

/// The origin is redacted ([`crate::url::redact_url`]): every diff, from any revision and in any
/// format, is shown, and a credential committed in an old revision must not be. Two origins
/// differing only in their credential compare equal.
impl From<&Row<'_>> for RowValues {
    fn from(row: &Row<'_>) -> Self {
        RowValues {
            release: row.release.to_owned(),
            kind: row.kind,
            origin: crate::url::redact_url(row.git_origin).into_owned(),
            branch: row.release_branch.to_owned(),
            runtime: row.runtime_version.map(str::to_owned),
            path: row.path.map(str::to_owned),
            translations: row.translations.map(<[String]>::to_vec),
        }
    }
}

/// How a row changed.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Only in the head.
    Added,
    /// Only in the base.
    Removed,
    /// In both, with different values.
    Changed,
}

impl Change {
    /// The lowercase word, as serialised: `added`, `removed` or `changed`.
    pub fn word(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// A resolved row added, removed or changed, keyed by (deployment, stage, application).
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct RowChange {
    /// Added, removed or changed.
    pub change: Change,
    /// The deployment.
    pub deployment: String,
    /// The stage.
    pub stage: String,
    /// The application.
    pub application: String,
    /// The row in the base, unless added.
    pub old: Option<RowValues>,
    /// The row in the head, unless removed.
    pub new: Option<RowValues>,
}

/// A (release, deployment) whose build inputs changed: its artifact is rebuilt.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Rebuild {
    /// The release built.
    pub release: String,
    /// The deployment it is built for.
    pub deployment: String,
    /// Why, for people.
    pub reason: String,
    /// The stages whose locked commits alone make this build: only they run the rebuilt
    /// artifact. Empty (and left out of JSON) when the build's inputs in the matrix change:
    /// every stage running it does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<String>,
}

/// A (deployment, stage) that gets a new deployment.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Redeploy {
    /// The deployment.
    pub deployment: String,
    /// The stage.
    pub stage: String,
    /// The release it runs in the head.
    pub release: String,
    /// Why, for people.
    pub reason: String,
}

/// Everything two matrices differ in, by meaning.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Stages whose release changed, appeared or disappeared.
    pub stages: Vec<StageDiff>,
    /// Releases added, removed or redefined.
    pub releases: Vec<ReleaseChange>,
    /// Resolved rows added, removed or changed.
    pub rows: Vec<RowChange>,
    /// Builds whose inputs changed.
    pub rebuild: Vec<Rebuild>,
    /// Stages that get a new deployment.
    pub redeploy: Vec<Redeploy>,
    /// Locked commits that change (empty when neither side has a lock).
    pub commits: Vec<CommitChange>,
}

impl Comparison {
    /// Whether nothing that is built or deployed changes.
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
            && self.releases.is_empty()
            && self.rows.is_empty()
            && self.rebuild.is_empty()
            && self.redeploy.is_empty()
            && self.commits.is_empty()
    }
}

/// Compares two valid matrices by meaning: `old` is the base, `new` the head (no lock on
/// either side: see [`compare_locked`]).
pub fn compare(old: &Matrix, new: &Matrix) -> Comparison {
    compare_locked(old, &Lock::default(), new, &Lock::default())
}

/// Compares two valid matrices and their locks: what [`compare`] finds, and the locked commits
/// that change ([`commits::commit_changes`]).
pub fn compare_locked(old: &Matrix, old_lock: &Lock, new: &Matrix, new_lock: &Lock) -> Comparison {
    let commits = commit_changes(old_lock, new_lock);
    let stages = stage_changes(old, new);
    let releases = release_changes(old, new);
    let rows = row_changes(old, new);
    let mut rebuild = rebuilds(old, new);
    rebuild.extend(commit_rebuilds::commit_rebuilds(
        (old, old_lock),
        new,
        &commits,
        &rebuild,
    ));
    rebuild.sort_by(|a, b| (&a.release, &a.deployment).cmp(&(&b.release, &b.deployment)));
    let redeploy = redeploys(old, new, &rebuild, &commits);
    Comparison {
        stages,
        releases,
        rows,
        rebuild,
        redeploy,
        commits,
    }
}

/// The release of every (deployment, stage), in the matrix's order.
fn pins(matrix: &Matrix) -> Vec<((&str, &str), &str)> {
    matrix
        .deployments
        .iter()
        .flat_map(|d| {
            d.stages
                .iter()
                .map(|p| ((d.name.as_str(), p.stage.as_str()), p.release.as_str()))
        })
        .collect()
}

fn stage_changes(old: &Matrix, new: &Matrix) -> Vec<StageDiff> {
    let old_pins: BTreeMap<_, _> = pins(old).into_iter().collect();
    let new_pins = pins(new);
    let new_keys: BTreeSet<_> = new_pins.iter().map(|(k, _)| *k).collect();
    let mut changes = Vec::new();
    let mut push = |key: (&str, &str), o: Option<&str>, n: Option<&str>| {
        if o != n {
            changes.push(StageDiff {
                deployment: key.0.to_owned(),
                stage: key.1.to_owned(),
                old: o.map(str::to_owned),
                new: n.map(str::to_owned),
            });
        }
    };
    for (key, release) in &new_pins {
        push(*key, old_pins.get(key).copied(), Some(release));
    }
    for (key, release) in pins(old) {
        if !new_keys.contains(&key) {
            push(key, Some(release), None);
        }
    }
    changes
}

fn release_changes(old: &Matrix, new: &Matrix) -> Vec<ReleaseChange> {
    let mut changes = Vec::new();
    for r in &new.releases {
        let before = old.release(r.name.as_str()).map(ReleaseDef::from);
        let after = ReleaseDef::from(r);
        if before.as_ref() != Some(&after) {
            changes.push(ReleaseChange {
                release: r.name.to_string(),
                old: before,
                new: Some(after),
            });
        }
    }
    for r in &old.releases {
        if new.release(r.name.as_str()).is_none() {
            changes.push(ReleaseChange {
                release: r.name.to_string(),
                old: Some(ReleaseDef::from(r)),
                new: None,
            });
        }
    }
    changes
}

fn row_changes(old: &Matrix, new: &Matrix) -> Vec<RowChange> {
    let key = |r: &Row<'_>| {
        (
            r.deployment.to_owned(),
            r.stage.to_owned(),
            r.application.to_owned(),
        )
    };
    let old_rows: BTreeMap<_, RowValues> = resolve(old, &Filter::default())
        .rows
        .iter()
        .map(|r| (key(r), RowValues::from(r)))
        .collect();
    let new_rows: BTreeMap<_, RowValues> = resolve(new, &Filter::default())
        .rows
        .iter()
        .map(|r| (key(r), RowValues::from(r)))
        .collect();
    // Stages in promotion order (the new matrix's, then stages only the old one has).
    let stage_pos = |stage: &str| {
        let in_new = new.stages.iter().position(|s| s == stage);
        let in_old = old.stages.iter().position(|s| s == stage);
        in_new.map_or((1, in_old), |p| (0, Some(p)))
    };
    let mut keys: Vec<_> = old_rows
        .keys()
        .chain(new_rows.keys())
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    keys.sort_by(|a, b| {
        (&a.0, stage_pos(&a.1), &a.1, &a.2).cmp(&(&b.0, stage_pos(&b.1), &b.1, &b.2))
    });
    keys.into_iter()
        .filter_map(|k| {
            let (o, n) = (old_rows.get(&k), new_rows.get(&k));
            let change = match (o, n) {
                (None, Some(_)) => Change::Added,
                (Some(_), None) => Change::Removed,
                (Some(a), Some(b)) if a != b => Change::Changed,
                _ => return None,
            };
            let (deployment, stage, application) = k;
            Some(RowChange {
                change,
                deployment,
                stage,
                application,
                old: o.cloned(),
                new: n.cloned(),
            })
        })
        .collect()
}

/// What one (release, deployment) build is made of: its applications with every default applied.
type BuildInputs = BTreeMap<String, RowValues>;

/// The build inputs of every (release, deployment) some stage runs.
fn builds(matrix: &Matrix) -> BTreeMap<(String, String), BuildInputs> {
    let index = Index::new(matrix);
    let mut out = BTreeMap::new();
    for d in &matrix.deployments {
        for pin in &d.stages {
            let key = (pin.release.to_string(), d.name.to_string());
            if out.contains_key(&key) {
                continue;
            }
            let apps = resolve_entry(&index, pin.release.as_str(), d.name.as_str())
                .unwrap_or_default()
                .into_iter()
                .map(|a| {
                    let values = RowValues {
                        release: a.own_release.to_owned(),
                        kind: a.kind,
                        // Redacted as the rows are: a credential is not a build input.
                        origin: crate::url::redact_url(a.git_origin).into_owned(),
                        branch: a.release_branch.to_owned(),
                        runtime: a.runtime_version.map(str::to_owned),
                        path: a.path.map(str::to_owned),
                        translations: a.translations.map(<[String]>::to_vec),
                    };
                    (a.application.to_owned(), values)
                })
                .collect();
            out.insert(key, apps);
        }
    }
    out
}

fn rebuilds(old: &Matrix, new: &Matrix) -> Vec<Rebuild> {
    let before = builds(old);
    let mut out = Vec::new();
    for ((release, deployment), apps) in builds(new) {
        let reason = match before.get(&(release.clone(), deployment.clone())) {
            None => "new build: no stage ran this release before".to_owned(),
            Some(old_apps) if *old_apps != apps => {
                let names: BTreeSet<&String> = old_apps.keys().chain(apps.keys()).collect();
                let changed: Vec<String> = names
                    .into_iter()
                    .filter(|name| old_apps.get(*name) != apps.get(*name))
                    .map(|name| format!("`{name}`"))
                    .collect();
                format!("changed: {}", changed.join(", "))
            }
            Some(_) => continue,
        };
        out.push(Rebuild {
            release,
            deployment,
            reason,
            stages: Vec::new(),
        });
    }
    out
}

fn redeploys(
    old: &Matrix,
    new: &Matrix,
    rebuild: &[Rebuild],
    commits: &[CommitChange],
) -> Vec<Redeploy> {
    let old_pins: BTreeMap<_, _> = pins(old).into_iter().collect();
    // A build its stages' locked commits alone make is redeployed only where they changed
    // (below), not on every stage running its release.
    let rebuilt: BTreeSet<(&str, &str)> = rebuild
        .iter()
        .filter(|r| r.stages.is_empty())
        .map(|r| (r.release.as_str(), r.deployment.as_str()))
        .collect();
    let mut out = Vec::new();
    for ((deployment, stage), release) in pins(new) {
        let reason = match old_pins.get(&(deployment, stage)) {
            None => "new stage".to_owned(),
            Some(before) if *before != release => format!("release `{before}` → `{release}`"),
            Some(_) if rebuilt.contains(&(release, deployment)) => {
                format!("`{release}` is rebuilt for `{deployment}`")
            }
            // Same release, other commits locked: the stage builds other code.
            Some(_) => {
                let moved: Vec<String> = commits
                    .iter()
                    .filter(|c| c.deployment == deployment && c.stage == stage)
                    .map(|c| format!("`{}`", c.application))
                    .collect();
                if moved.is_empty() {
                    continue;
                }
                format!("locked commits change: {}", moved.join(", "))
            }
        };
        out.push(Redeploy {
            deployment: deployment.to_owned(),
            stage: stage.to_owned(),
            release: release.to_owned(),
            reason,
        });
    }
    out
}
