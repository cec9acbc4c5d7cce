//! What a change to the matrix does to the generated pipelines: the pipelines to re-set (added,
//! removed, changed) and, for a changed one, its resources, jobs and other parts that differ.
//! `edx-matrix diff` and the dashboard's `/diff` show it.

use crate::render::{Rendered, render_all_locked};
use crate::{Settings, TemplateFiles};
pub use edx_matrix_model::Change;
use edx_matrix_model::Matrix;
use serde::Serialize;
use serde_json::Value;

/// One side of a comparison: a matrix and its pipeline settings.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    /// What the side is called in messages (`HEAD:edx-matrix.toml`).
    pub name: &'a str,
    /// The matrix (without errors).
    pub matrix: &'a Matrix,
    /// Its `[pipelines]` settings.
    pub settings: &'a Settings,
    /// Its pipeline templates as read (from that side's files: at a git revision, that
    /// revision's), or `None` when they were not read.
    pub templates: Option<&'a TemplateFiles>,
    /// How many errors its `[pipelines]` section has: with any, nothing is generated.
    pub errors: usize,
    /// Its lock, when it has one: templates see each row's locked commit (`row["commit"]`), as
    /// `pipeline render` does, so a relock changes the pipelines built from the commit.
    pub lock: Option<&'a edx_matrix_model::Lock>,
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
    /// Whether either side has a `[pipelines]` section: when neither has, there are no pipelines
    /// to compare and `diff`, `/diff` and the API say nothing about them.
    #[serde(skip)]
    pub declared: bool,
    /// Whether both sides' pipelines were generated and compared.
    pub computed: bool,
    /// Why they were not, when not computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The pipelines whose definition differs, in the order of the new side, then the removed.
    pub changes: Vec<PipelineChange>,
}

impl PipelineImpact {
    /// The impact of a change between two sides that both lack `[pipelines]`: nothing to say.
    pub fn undeclared() -> Self {
        PipelineImpact {
            declared: false,
            computed: false,
            reason: None,
            changes: Vec::new(),
        }
    }

    /// Returns whether neither side declares pipelines (what serialisers skip the field on).
    pub fn is_undeclared(&self) -> bool {
        !self.declared
    }

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

/// Returns the pipelines (as `edx-matrix pipeline render --all` writes them: standard and
/// template-made, the meta pipeline included) whose definition or team differs between `old`
/// and `new`: added, removed and changed. When the `[pipelines]` settings of either side have
/// errors, its templates were not read or fail, nothing is compared and the reason says which
/// side. A side without a `[pipelines]` section has no pipelines; when neither has one nothing
/// is rendered: [`PipelineImpact::undeclared`].
pub fn impact(old: Side<'_>, new: Side<'_>) -> PipelineImpact {
    if !old.settings.declared && !new.settings.declared {
        return PipelineImpact::undeclared();
    }
    let not_computed = |reasons: Vec<String>| PipelineImpact {
        declared: true,
        computed: false,
        reason: Some(format!(
            "{} (`edx-matrix check` shows them)",
            reasons.join(", ")
        )),
        changes: Vec::new(),
    };
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let broken: Vec<String> = [&old, &new]
        .into_iter()
        .filter_map(|side| {
            let errors = side.errors;
            (errors > 0).then(|| {
                format!(
                    "`{}` has {errors} error{} in `[pipelines]`",
                    side.name,
                    plural(errors)
                )
            })
        })
        .collect();
    if !broken.is_empty() {
        return not_computed(broken);
    }
    let unread: Vec<&str> = [&old, &new]
        .into_iter()
        .filter(|side| !side.settings.templates.is_empty() && side.templates.is_none())
        .map(|side| side.name)
        .collect();
    if !unread.is_empty() {
        return PipelineImpact {
            declared: true,
            computed: false,
            reason: Some(format!(
                "the pipeline templates of {} were not read",
                unread
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            changes: Vec::new(),
        };
    }
    let empty = TemplateFiles::default();
    let no_lock = edx_matrix_model::Lock::default();
    // A side without `[pipelines]` has no pipelines (declaring the section adds them all).
    let render = |side: &Side<'_>| match side.settings.declared {
        true => render_all_locked(
            side.matrix,
            side.settings,
            side.templates.unwrap_or(&empty),
            side.lock.unwrap_or(&no_lock),
        ),
        false => crate::render::Outcome::default(),
    };
    let (before, after) = (render(&old), render(&new));
    let failing: Vec<String> = [(&old, &before), (&new, &after)]
        .into_iter()
        .filter_map(|(side, outcome)| {
            let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
            (errors > 0).then(|| {
                format!(
                    "the pipeline templates of `{}` have {errors} error{}",
                    side.name,
                    plural(errors)
                )
            })
        })
        .collect();
    if !failing.is_empty() {
        return not_computed(failing);
    }
    let (before, after) = (before.pipelines, after.pipelines);
    let changes = crate::changed_by(&before, &after, |p| (&p.info, &p.config))
        .into_iter()
        .map(|(name, change)| {
            let mut out = PipelineChange {
                change,
                resources: PartChanges::default(),
                jobs: PartChanges::default(),
                other: Vec::new(),
                name,
            };
            if let (Some(o), Some(n)) = (find(&before, &out.name), find(&after, &out.name)) {
                out.resources = parts(&o.config, &n.config, "resources");
                out.jobs = parts(&o.config, &n.config, "jobs");
                if o.config.get("groups") != n.config.get("groups") {
                    out.other.push("groups".to_owned());
                }
                if o.config.get("resource_types") != n.config.get("resource_types") {
                    out.other.push("resource types".to_owned());
                }
                if o.info.team != n.info.team {
                    out.other
                        .push(format!("team `{}` → `{}`", o.info.team, n.info.team));
                }
            }
            out
        })
        .collect();
    PipelineImpact {
        declared: true,
        computed: true,
        reason: None,
        changes,
    }
}

/// Compares the named parts `key` (`resources`, `jobs`) of two configurations.
fn parts(old: &Value, new: &Value, key: &str) -> PartChanges {
    fn list<'v>(config: &'v Value, key: &str) -> Vec<&'v Value> {
        config
            .get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }
    PartChanges::of(&list(old, key), &list(new, key), |part| {
        part.get("name").and_then(Value::as_str).unwrap_or_default()
    })
}

/// Returns the pipeline called `name` in `side`.
fn find<'r>(side: &'r [Rendered], name: &str) -> Option<&'r Rendered> {
    side.iter().find(|p| p.info.name == name)
}
