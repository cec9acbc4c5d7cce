//! What a change to the matrix does to the generated pipelines: the pipelines to re-set (added,
//! removed, changed) and, for a changed one, its resources, jobs and other parts that differ.
//! `edx-matrix diff` and the dashboard's `/diff` show it.

use crate::{Generated, Pipeline, Settings};
use edx_matrix_model::Matrix;
pub use edx_matrix_model::compare::Change;
use serde::Serialize;

/// One side of a comparison: a matrix and its pipeline settings.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    /// What the side is called in messages (`HEAD:edx-matrix.toml`).
    pub name: &'a str,
    /// The matrix (without errors).
    pub matrix: &'a Matrix,
    /// Its `[pipelines]` settings.
    pub settings: &'a Settings,
    /// How many errors its `[pipelines]` section has: with any, nothing is generated.
    pub errors: usize,
}

/// A generated pipeline added, removed or changed.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct PipelineChange {
    /// The pipeline's name.
    pub name: String,
    /// What happens to it.
    pub change: Change,
    /// For a changed pipeline: its resources added, removed or changed, by name.
    pub resources: PartChanges,
    /// For a changed pipeline: its jobs added, removed or changed, by name.
    pub jobs: PartChanges,
    /// For a changed pipeline: the other parts that differ (`groups`, `resource types`, `team`).
    pub other: Vec<String>,
}

/// The named parts (resources or jobs) of a pipeline that differ between two versions.
#[derive(Serialize, Debug, Default, PartialEq, Eq)]
pub struct PartChanges {
    /// Only in the new version.
    pub added: Vec<String>,
    /// Only in the old version.
    pub removed: Vec<String>,
    /// In both, different.
    pub changed: Vec<String>,
}

impl PartChanges {
    /// Compares two lists of named parts: in the order of `new`, then the removed ones.
    pub fn of<T: PartialEq>(old: &[T], new: &[T], name: impl Fn(&T) -> &str) -> Self {
        let mut out = PartChanges::default();
        for n in new {
            match old.iter().find(|o| name(o) == name(n)) {
                None => out.added.push(name(n).to_owned()),
                Some(o) if o != n => out.changed.push(name(n).to_owned()),
                Some(_) => {}
            }
        }
        for o in old {
            if !new.iter().any(|n| name(n) == name(o)) {
                out.removed.push(name(o).to_owned());
            }
        }
        out
    }

    /// The three lists with the change each stands for, added first.
    pub fn lists(&self) -> [(Change, &[String]); 3] {
        [
            (Change::Added, &self.added),
            (Change::Removed, &self.removed),
            (Change::Changed, &self.changed),
        ]
    }
}

impl PipelineChange {
    /// What happens to the pipeline in Concourse, for people.
    pub fn what(&self) -> &'static str {
        match self.change {
            Change::Added => "new: set from the meta pipeline's following run",
            Change::Removed => "no longer generated: Concourse archives it",
            Change::Changed => "definition changes: re-set",
        }
    }
}

/// The pipelines to re-set, or why they were not compared.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct PipelineImpact {
    /// Whether both sides' pipelines were generated and compared.
    pub computed: bool,
    /// Why they were not, when not computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The pipelines whose definition differs, in the order of the new side, then the removed.
    pub changes: Vec<PipelineChange>,
}

impl PipelineImpact {
    /// Returns how many pipelines have `change`.
    pub fn count(&self, change: Change) -> usize {
        self.changes.iter().filter(|c| c.change == change).count()
    }

    /// `1 added, 0 removed, 2 changed`.
    pub fn summary(&self) -> String {
        format!(
            "{} added, {} removed, {} changed",
            self.count(Change::Added),
            self.count(Change::Removed),
            self.count(Change::Changed)
        )
    }
}

/// Returns the generated pipelines (as `edx-matrix pipeline render --all` writes them, the meta
/// pipeline included) whose definition differs between `old` and `new`: added, removed and
/// changed. When the `[pipelines]` settings of either side have errors, nothing is generated and
/// the reason says which side.
pub fn impact(old: Side<'_>, new: Side<'_>) -> PipelineImpact {
    let broken: Vec<String> = [&old, &new]
        .into_iter()
        .filter_map(|side| {
            let errors = side.errors;
            (errors > 0).then(|| {
                format!(
                    "`{}` has {errors} error{} in `[pipelines]`",
                    side.name,
                    if errors == 1 { "" } else { "s" }
                )
            })
        })
        .collect();
    if broken.is_empty()
        && [&old, &new]
            .iter()
            .any(|side| !side.settings.templates.is_empty())
    {
        // Template-made pipelines need the template files of both sides (at a git revision,
        // those of that revision); standard pipelines alone would be the wrong answer.
        return PipelineImpact {
            computed: false,
            reason: Some(
                "the matrix uses pipeline templates, whose impact `diff` does not compute yet \
                 (`edx-matrix pipeline render --all` on both sides shows it)"
                    .to_owned(),
            ),
            changes: Vec::new(),
        };
    }
    if !broken.is_empty() {
        return PipelineImpact {
            computed: false,
            reason: Some(format!(
                "{} (`edx-matrix check` shows them)",
                broken.join(", ")
            )),
            changes: Vec::new(),
        };
    }
    let before = crate::all(old.matrix, old.settings);
    let after = crate::all(new.matrix, new.settings);
    let changes = crate::changed(&before, &after)
        .into_iter()
        .map(|(name, change)| {
            let mut out = PipelineChange {
                change,
                resources: PartChanges::default(),
                jobs: PartChanges::default(),
                other: Vec::new(),
                name,
            };
            if let (Some((o, old_team)), Some((n, new_team))) =
                (find(&before, &out.name), find(&after, &out.name))
            {
                out.resources = PartChanges::of(&o.resources, &n.resources, |r| &r.name);
                out.jobs = PartChanges::of(&o.jobs, &n.jobs, |j| &j.name);
                if o.groups != n.groups {
                    out.other.push("groups".to_owned());
                }
                if o.resource_types != n.resource_types {
                    out.other.push("resource types".to_owned());
                }
                if old_team != new_team {
                    out.other.push(format!("team `{old_team}` → `{new_team}`"));
                }
            }
            out
        })
        .collect();
    PipelineImpact {
        computed: true,
        reason: None,
        changes,
    }
}

/// Returns the pipeline called `name` in `side`, with its team.
fn find<'g>(side: &'g [Generated], name: &str) -> Option<(&'g Pipeline, &'g str)> {
    side.iter()
        .find(|g| g.info.name == name)
        .map(|g| (&g.pipeline, g.info.team.as_str()))
}
