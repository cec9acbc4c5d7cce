//! `edx-matrix diff`: what a change to the matrix does — stage releases, resolved rows, and the
//! builds and deployments it triggers — between two git revisions or two files.

use crate::cli::{DiffArgs, DiffFormat, GlobalArgs};
use crate::error::{CmdResult, CommandError};
use crate::matrix_repo::{self, git_error, load_text, require_valid};
use crate::output::{Output, render_table, table};
use edx_matrix_config::Loaded;
use edx_matrix_model::Matrix;
pub use edx_matrix_model::compare::{
    Change, Comparison, Rebuild, Redeploy, ReleaseChange, ReleaseDef, RowChange, RowValues,
    StageChange,
};
use edx_matrix_pipeline::Rendered;
use serde::Serialize;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Everything `diff` reports.
#[derive(Serialize, Debug)]
pub struct MatrixDiff {
    pub base: String,
    pub head: String,
    pub stages: Vec<StageChange>,
    pub releases: Vec<ReleaseChange>,
    pub rows: Vec<RowChange>,
    pub rebuild: Vec<Rebuild>,
    pub redeploy: Vec<Redeploy>,
    /// The generated pipelines whose definition changes.
    pub pipelines: PipelineImpact,
}

/// A generated pipeline added, removed or changed.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct PipelineChange {
    pub name: String,
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
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl PartChanges {
    /// Compares two lists of named parts: in the order of `new`, then the removed ones.
    fn of<T: PartialEq>(old: &[T], new: &[T], name: impl Fn(&T) -> &str) -> Self {
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

    fn lists(&self) -> [(Change, &[String]); 3] {
        [
            (Change::Added, &self.added),
            (Change::Removed, &self.removed),
            (Change::Changed, &self.changed),
        ]
    }
}

impl PipelineChange {
    /// What happens to the pipeline in Concourse, for people.
    fn what(&self) -> &'static str {
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
    fn count(&self, change: Change) -> usize {
        self.changes.iter().filter(|c| c.change == change).count()
    }

    fn summary(&self) -> String {
        format!(
            "{} added, {} removed, {} changed",
            self.count(Change::Added),
            self.count(Change::Removed),
            self.count(Change::Changed)
        )
    }
}

/// The sign a change is shown with: `+`, `-` or `~`.
fn sign(change: Change) -> &'static str {
    match change {
        Change::Added => "+",
        Change::Removed => "-",
        Change::Changed => "~",
    }
}

impl MatrixDiff {
    fn is_empty(&self) -> bool {
        self.stages.is_empty()
            && self.releases.is_empty()
            && self.rows.is_empty()
            && self.rebuild.is_empty()
            && self.redeploy.is_empty()
    }
}

/// Returns the generated pipelines (as `edx-matrix pipeline render --all` writes them, the meta
/// pipeline included) whose definition differs between `old` and `new`: added, removed and
/// changed. When the `[pipelines]` settings of either side have errors, nothing is generated and
/// the reason says which side.
pub fn pipeline_impact(old: &Loaded, new: &Loaded) -> PipelineImpact {
    let (old_settings, old_diagnostics) = edx_matrix_pipeline::settings_of(old);
    let (new_settings, new_diagnostics) = edx_matrix_pipeline::settings_of(new);
    let broken: Vec<String> = [(old, &old_diagnostics), (new, &new_diagnostics)]
        .into_iter()
        .filter_map(|(side, diagnostics)| {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            (errors > 0).then(|| {
                format!(
                    "`{}` has {errors} error{} in `[pipelines]`",
                    side.source.name,
                    if errors == 1 { "" } else { "s" }
                )
            })
        })
        .collect();
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
    let render = |side: &Loaded, settings: &edx_matrix_pipeline::Settings| {
        let (files, problems) = crate::pipeline_templates::read(side, settings);
        if !problems.is_empty() {
            return Err(format!(
                "the pipeline templates of `{}` cannot be read (at a git revision only the working tree's are)",
                side.source.name
            ));
        }
        let outcome = edx_matrix_pipeline::render_all(&side.matrix, settings, &files);
        if outcome.has_errors() {
            return Err(format!(
                "the pipeline templates of `{}` have errors (`edx-matrix check` shows them)",
                side.source.name
            ));
        }
        Ok(outcome.pipelines)
    };
    let (before, after) = match (render(old, &old_settings), render(new, &new_settings)) {
        (Ok(b), Ok(a)) => (b, a),
        (Err(reason), _) | (_, Err(reason)) => {
            return PipelineImpact {
                computed: false,
                reason: Some(reason),
                changes: Vec::new(),
            };
        }
    };
    let changes = edx_matrix_pipeline::changed_rendered(&before, &after)
        .into_iter()
        .map(|(name, change)| {
            let mut out = PipelineChange {
                change: match change {
                    edx_matrix_pipeline::Change::Added => Change::Added,
                    edx_matrix_pipeline::Change::Removed => Change::Removed,
                    edx_matrix_pipeline::Change::Changed => Change::Changed,
                },
                resources: PartChanges::default(),
                jobs: PartChanges::default(),
                other: Vec::new(),
                name,
            };
            if let (Some((o, old_team)), Some((n, new_team))) =
                (find(&before, &out.name), find(&after, &out.name))
            {
                out.resources =
                    PartChanges::of(parts(o, "resources"), parts(n, "resources"), name_of);
                out.jobs = PartChanges::of(parts(o, "jobs"), parts(n, "jobs"), name_of);
                if o.get("groups") != n.get("groups") {
                    out.other.push("groups".to_owned());
                }
                if o.get("resource_types") != n.get("resource_types") {
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
fn find<'g>(side: &'g [Rendered], name: &str) -> Option<(&'g Value, &'g str)> {
    side.iter()
        .find(|g| g.info.name == name)
        .map(|g| (&g.config, g.info.team.as_str()))
}

/// Returns the list `key` of a pipeline configuration (`jobs`, `resources`).
fn parts<'v>(config: &'v Value, key: &str) -> &'v [Value] {
    config
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn name_of(part: &Value) -> &str {
    part.get("name").and_then(Value::as_str).unwrap_or_default()
}

/// Compares two valid matrices by meaning, and the pipelines generated from them.
pub fn diff_matrices(old: &Loaded, new: &Loaded) -> MatrixDiff {
    let mut diff = diff_models(
        old.source.name.clone(),
        new.source.name.clone(),
        &old.matrix,
        &new.matrix,
    );
    diff.pipelines = pipeline_impact(old, new);
    diff
}

/// Compares two valid models by meaning (the pipelines are left not computed).
pub fn diff_models(base: String, head: String, old: &Matrix, new: &Matrix) -> MatrixDiff {
    let Comparison {
        stages,
        releases,
        rows,
        rebuild,
        redeploy,
    } = edx_matrix_model::compare::compare(old, new);
    MatrixDiff {
        base,
        head,
        stages,
        releases,
        rows,
        rebuild,
        redeploy,
        pipelines: PipelineImpact {
            computed: false,
            reason: Some("not compared".to_owned()),
            changes: Vec::new(),
        },
    }
}

/// Reads one side: a file in file mode, a revision (or the working tree) in git mode.
fn load_sides(global: &GlobalArgs, args: &DiffArgs) -> Result<(Loaded, Loaded), CommandError> {
    if global.example {
        return Err(CommandError::usage(
            "`diff` compares versions of a matrix file; the built-in example has only one",
        )
        .with_hint("give two files (`edx-matrix diff OLD.toml NEW.toml`), or run it inside the repository that holds `edx-matrix.toml`"));
    }
    let files = match (&args.base, &args.head) {
        (Some(base), Some(head)) if Path::new(base).is_file() && Path::new(head).is_file() => {
            Some((base, head))
        }
        _ => None,
    };
    if let Some((base, head)) = files {
        let read = |name: &str| -> Result<Loaded, CommandError> {
            let text = fs_err::read_to_string(name)?;
            Ok(load_text(Path::new(name), name.to_owned(), text))
        };
        return Ok((read(base)?, read(head)?));
    }
    let mr = matrix_repo::open(global, "diff")?;
    let at = |rev: &str| -> Result<Loaded, CommandError> {
        let text = mr
            .repo
            .show_file(rev, &mr.path)
            .map_err(git_error)?
            .ok_or_else(|| {
                CommandError::usage(format!("`{}` does not exist at revision `{rev}`", mr.path))
            })?;
        Ok(load_text(
            Path::new(&mr.path),
            format!("{rev}:{}", mr.path),
            text,
        ))
    };
    let base = at(args.base.as_deref().unwrap_or("HEAD"))?;
    let head = match &args.head {
        Some(rev) => at(rev)?,
        None => {
            let text = fs_err::read_to_string(&mr.file)?;
            load_text(&mr.file, format!("{} (working tree)", mr.path), text)
        }
    };
    Ok((base, head))
}

pub fn run(global: &GlobalArgs, out: &Output, args: &DiffArgs) -> CmdResult {
    let (base, head) = load_sides(global, args)?;
    let base = require_valid(out, base)?;
    let head = require_valid(out, head)?;
    let diff = diff_matrices(&base, &head);
    match args.format {
        DiffFormat::Json => out.json(&diff)?,
        DiffFormat::Table => out.print(&render_text(&diff))?,
        DiffFormat::Markdown => out.print(&render_markdown(&diff))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn or_none(value: Option<&str>) -> &str {
    value.unwrap_or("(none)")
}

/// `old → new` when they differ, else the value.
fn change_of(old: Option<&str>, new: Option<&str>) -> String {
    match (old, new) {
        (Some(a), Some(b)) if a == b => a.to_owned(),
        (Some(a), Some(b)) => format!("{a} → {b}"),
        (Some(a), None) => a.to_owned(),
        (None, Some(b)) => b.to_owned(),
        (None, None) => String::new(),
    }
}

/// The cells of a row change: release, origin, branch, runtime.
fn row_cells(row: &RowChange) -> [String; 4] {
    let (o, n) = (row.old.as_ref(), row.new.as_ref());
    let pick = |f: fn(&RowValues) -> &str| change_of(o.map(f), n.map(f));
    [
        pick(|v| &v.release),
        pick(|v| &v.origin),
        pick(|v| &v.branch),
        pick(|v| &v.runtime),
    ]
}

/// Notes on the changes the four columns do not show (type, path, translations).
fn row_note(row: &RowChange) -> String {
    let (Some(o), Some(n)) = (&row.old, &row.new) else {
        return String::new();
    };
    let mut notes = Vec::new();
    if o.kind != n.kind {
        notes.push(format!("type {} → {}", o.kind, n.kind));
    }
    if o.path != n.path {
        notes.push(format!(
            "path {} → {}",
            or_none(o.path.as_deref()),
            or_none(n.path.as_deref())
        ));
    }
    if o.translations != n.translations {
        notes.push("translation commands changed".to_owned());
    }
    notes.join("; ")
}

fn release_def(def: Option<&ReleaseDef>) -> String {
    def.map_or_else(
        || "(none)".to_owned(),
        |d| format!("branch {}, python {}, node {}", d.branch, d.python, d.node),
    )
}

fn row_summary(diff: &MatrixDiff) -> String {
    let count = |c: Change| diff.rows.iter().filter(|r| r.change == c).count();
    format!(
        "{} added, {} removed, {} changed",
        count(Change::Added),
        count(Change::Removed),
        count(Change::Changed)
    )
}

/// Renders the diff for a terminal.
pub fn render_text(diff: &MatrixDiff) -> String {
    let mut text = format!("{} → {}\n", diff.base, diff.head);
    if diff.is_empty() {
        if diff.pipelines.changes.is_empty() {
            text.push_str("\nno change to what is built or deployed\n");
        } else {
            text.push_str("\nno change to the resolved matrix: only the pipelines change\n");
        }
    }
    if !diff.stages.is_empty() {
        text.push_str("\nstage releases\n");
        let mut t = table(&["deployment", "stage", "release"]);
        for s in &diff.stages {
            t.add_row([
                s.deployment.clone(),
                s.stage.clone(),
                format!(
                    "{} → {}",
                    or_none(s.old.as_deref()),
                    or_none(s.new.as_deref())
                ),
            ]);
        }
        text.push_str(&render_table(&t));
    }
    if !diff.releases.is_empty() {
        text.push_str("\nreleases\n");
        for r in &diff.releases {
            let _ = writeln!(
                text,
                "  {}: {} → {}",
                r.release,
                release_def(r.old.as_ref()),
                release_def(r.new.as_ref())
            );
        }
    }
    if !diff.rows.is_empty() {
        let _ = writeln!(text, "\nresolved rows: {}", row_summary(diff));
        let mut t = table(&[
            "",
            "deployment",
            "stage",
            "application",
            "release",
            "origin",
            "branch",
            "runtime",
            "note",
        ]);
        for row in &diff.rows {
            let [release, origin, branch, runtime] = row_cells(row);
            t.add_row([
                sign(row.change).to_owned(),
                row.deployment.clone(),
                row.stage.clone(),
                row.application.clone(),
                release,
                origin,
                branch,
                runtime,
                row_note(row),
            ]);
        }
        text.push_str(&render_table(&t));
    }
    if !diff.rebuild.is_empty() {
        text.push_str("\nrebuild\n");
        let mut t = table(&["release", "deployment", "why"]);
        for r in &diff.rebuild {
            t.add_row([r.release.clone(), r.deployment.clone(), r.reason.clone()]);
        }
        text.push_str(&render_table(&t));
    }
    if !diff.redeploy.is_empty() {
        text.push_str("\nredeploy\n");
        let mut t = table(&["deployment", "stage", "release", "why"]);
        for r in &diff.redeploy {
            t.add_row([
                r.deployment.clone(),
                r.stage.clone(),
                r.release.clone(),
                r.reason.clone(),
            ]);
        }
        text.push_str(&render_table(&t));
    }
    text.push('\n');
    text.push_str(&pipelines_text(&diff.pipelines));
    text
}

fn pipelines_text(impact: &PipelineImpact) -> String {
    if !impact.computed {
        return format!(
            "pipeline impact: not computed: {}\n",
            impact.reason.as_deref().unwrap_or("unknown reason")
        );
    }
    if impact.changes.is_empty() {
        return "pipeline impact: no pipeline changes\n".to_owned();
    }
    let mut text = format!("pipelines to re-set: {}\n", impact.summary());
    for p in &impact.changes {
        let _ = writeln!(text, "{} {}: {}", sign(p.change), p.name, p.what());
        for (what, parts) in [("resources", &p.resources), ("jobs", &p.jobs)] {
            let mut label = what;
            for (change, names) in parts.lists() {
                if !names.is_empty() {
                    let _ = writeln!(
                        text,
                        "    {label:<10} {} {}",
                        sign(change),
                        names.join(", ")
                    );
                    label = "";
                }
            }
        }
        for other in &p.other {
            let _ = writeln!(text, "    {other} changed");
        }
    }
    text
}

/// Returns `value` as a Markdown code span that is safe inside a table cell.
fn code(value: &str) -> String {
    let value = value.replace('|', "\\|");
    if value.contains('`') {
        format!("`` {value} ``")
    } else {
        format!("`{value}`")
    }
}

/// `old` → `new` as code spans, or one code span when equal.
fn md_change(old: Option<&str>, new: Option<&str>) -> String {
    match (old, new) {
        (Some(a), Some(b)) if a != b => format!("{} → **{}**", code(a), code(b)),
        (Some(a), _) | (None, Some(a)) => code(a),
        (None, None) => String::new(),
    }
}

/// Renders the diff as Markdown for a pull-request comment.
pub fn render_markdown(diff: &MatrixDiff) -> String {
    let mut md = format!(
        "### edx-matrix diff\n\n{} → {}\n",
        code(&diff.base),
        code(&diff.head)
    );
    if diff.is_empty() {
        if diff.pipelines.changes.is_empty() {
            md.push_str("\nNo change to what is built or deployed.\n");
        } else {
            md.push_str("\nNo change to the resolved matrix: only the pipelines change.\n");
        }
    }
    if !diff.stages.is_empty() {
        md.push_str("\n#### Stage releases\n\n| Deployment | Stage | Release |\n|---|---|---|\n");
        for s in &diff.stages {
            let _ = writeln!(
                md,
                "| {} | {} | {} |",
                code(&s.deployment),
                code(&s.stage),
                md_change(
                    Some(or_none(s.old.as_deref())),
                    Some(or_none(s.new.as_deref()))
                )
            );
        }
    }
    if !diff.releases.is_empty() {
        md.push_str("\n#### Releases\n\n");
        for r in &diff.releases {
            let _ = writeln!(
                md,
                "- {}: {} → {}",
                code(&r.release),
                release_def(r.old.as_ref()),
                release_def(r.new.as_ref())
            );
        }
    }
    if !diff.rows.is_empty() {
        let _ = write!(
            md,
            "\n#### Resolved rows ({})\n\n\
             | | Deployment | Stage | Application | Release | Origin | Branch | Runtime |\n\
             |---|---|---|---|---|---|---|---|\n",
            row_summary(diff)
        );
        for row in &diff.rows {
            let (o, n) = (row.old.as_ref(), row.new.as_ref());
            let cell = |f: fn(&RowValues) -> &str| md_change(o.map(f), n.map(f));
            let note = row_note(row);
            let _ = writeln!(
                md,
                "| {} | {} | {} | {}{} | {} | {} | {} | {} |",
                match row.change {
                    Change::Added => "added",
                    Change::Removed => "removed",
                    Change::Changed => "changed",
                },
                code(&row.deployment),
                code(&row.stage),
                code(&row.application),
                if note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", note.replace('|', "\\|"))
                },
                cell(|v| &v.release),
                cell(|v| &v.origin),
                cell(|v| &v.branch),
                cell(|v| &v.runtime),
            );
        }
    }
    if !diff.rebuild.is_empty() {
        md.push_str("\n#### Rebuild\n\n");
        for r in &diff.rebuild {
            let _ = writeln!(
                md,
                "- {} for {}: {}",
                code(&r.release),
                code(&r.deployment),
                r.reason
            );
        }
    }
    if !diff.redeploy.is_empty() {
        md.push_str("\n#### Redeploy\n\n");
        for r in &diff.redeploy {
            let _ = writeln!(
                md,
                "- {} {} ({}): {}",
                code(&r.deployment),
                code(&r.stage),
                code(&r.release),
                r.reason
            );
        }
    }
    md.push('\n');
    let impact = &diff.pipelines;
    if !impact.computed {
        let _ = writeln!(
            md,
            "_Pipeline impact: not computed: {}._",
            impact.reason.as_deref().unwrap_or("unknown reason")
        );
    } else if impact.changes.is_empty() {
        md.push_str("_No pipeline changes._\n");
    } else {
        let _ = writeln!(md, "#### Pipelines to re-set ({})\n", impact.summary());
        for p in &impact.changes {
            let _ = writeln!(md, "- {}: {}", code(&p.name), p.what());
            for (what, parts) in [("resources", &p.resources), ("jobs", &p.jobs)] {
                for (change, names) in parts.lists() {
                    if !names.is_empty() {
                        let names: Vec<String> = names.iter().map(|n| code(n)).collect();
                        let _ = writeln!(md, "  - {what} {}: {}", change.word(), names.join(", "));
                    }
                }
            }
            for other in &p.other {
                let _ = writeln!(md, "  - {other} changed");
            }
        }
    }
    md
}
