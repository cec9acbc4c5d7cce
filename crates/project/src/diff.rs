//! What a change to a project does — stage releases, resolved rows, the builds and
//! deployments it triggers, and the pipelines to re-set — as `edx-matrix diff` reports it.

use crate::Project;
use edx_matrix_model::Matrix;
use edx_matrix_model::compare::commits::CommitChange;
use edx_matrix_model::compare::{
    Comparison, Rebuild, Redeploy, ReleaseChange, RowChange, StageDiff,
};
use edx_matrix_model::lock::Lock;
use edx_matrix_pipeline::impact::{PipelineImpact, impact};
use serde::Serialize;

/// Everything `diff` reports.
#[derive(Serialize, Debug)]
pub struct ProjectDiff {
    /// What the old side is called.
    pub base: String,
    /// What the new side is called.
    pub head: String,
    /// The stages whose release changes.
    pub stages: Vec<StageDiff>,
    /// The releases added, removed or redefined.
    pub releases: Vec<ReleaseChange>,
    /// The resolved rows added, removed or changed.
    pub rows: Vec<RowChange>,
    /// The builds the change triggers.
    pub rebuild: Vec<Rebuild>,
    /// The deployments the change triggers.
    pub redeploy: Vec<Redeploy>,
    /// The locked commits that change (empty when neither side has a lock).
    pub commits: Vec<CommitChange>,
    /// The generated pipelines whose definition changes (left out when neither side has a
    /// `[pipelines]` section).
    #[serde(skip_serializing_if = "PipelineImpact::is_undeclared")]
    pub pipelines: PipelineImpact,
}

impl ProjectDiff {
    /// Returns whether the resolved matrix is unchanged (the pipelines may still change).
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
            && self.releases.is_empty()
            && self.rows.is_empty()
            && self.rebuild.is_empty()
            && self.redeploy.is_empty()
            && self.commits.is_empty()
    }
}

/// Returns the pipelines to re-set between two projects (see
/// [`edx_matrix_pipeline::impact::impact`]).
pub fn pipeline_impact(old: &Project, new: &Project) -> PipelineImpact {
    impact(old.pipeline_side(), new.pipeline_side())
}

/// Compares two valid matrices by meaning, their locks, and the pipelines generated from them.
pub fn diff(old: &Project, new: &Project) -> ProjectDiff {
    let mut diff = diff_locked(
        old.source().name.clone(),
        new.source().name.clone(),
        (old.matrix(), &old.locked()),
        (new.matrix(), &new.locked()),
    );
    diff.pipelines = pipeline_impact(old, new);
    diff
}

/// Compares two valid models by meaning (no lock; the pipelines are left not computed).
pub fn diff_models(base: String, head: String, old: &Matrix, new: &Matrix) -> ProjectDiff {
    let none = Lock::default();
    diff_locked(base, head, (old, &none), (new, &none))
}

/// Compares two valid models and their locks (the pipelines are left not computed).
pub fn diff_locked(
    base: String,
    head: String,
    (old, old_lock): (&Matrix, &Lock),
    (new, new_lock): (&Matrix, &Lock),
) -> ProjectDiff {
    let Comparison {
        stages,
        releases,
        rows,
        rebuild,
        redeploy,
        commits,
    } = edx_matrix_model::compare::compare_locked(old, old_lock, new, new_lock);
    ProjectDiff {
        base,
        head,
        stages,
        releases,
        rows,
        rebuild,
        redeploy,
        commits,
        pipelines: PipelineImpact {
            declared: true,
            computed: false,
            reason: Some("not compared".to_owned()),
            changes: Vec::new(),
        },
    }
}
