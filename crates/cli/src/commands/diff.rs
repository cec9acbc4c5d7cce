//! `edx-matrix diff`: what a change to the matrix does — stage releases, resolved rows, and the
//! builds and deployments it triggers, and the locked commits that change — between two git
//! revisions or two files.

mod commits;

use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError};
use crate::format::{Allowed, Format, formats};
use crate::matrix_file;
use crate::matrix_repo::{self, diff_error};
use crate::output::{Output, render_table, table};
use edx_matrix_model::{Change, ReleaseDef, RowChange, RowValues};
use edx_matrix_pipeline::impact::PipelineImpact;
use edx_matrix_project::Version;
use edx_matrix_project::{ProjectDiff, diff_projects};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// The formats of `diff`.
const FORMATS: Allowed = &[
    (Format::Human, "Plain text for a terminal"),
    (Format::Markdown, "Markdown, for a pull-request comment"),
    (Format::Json, "JSON"),
];

#[derive(clap::Args, Debug)]
pub(crate) struct DiffArgs {
    /// The old version: a git revision of the repository holding the matrix file (default
    /// `HEAD`), or a file when HEAD is a file too
    pub base: Option<String>,
    /// The new version: a git revision, or a file (default: the working tree)
    pub head: Option<String>,
    /// Output format
    #[arg(long, value_parser = formats(FORMATS), default_value_t = Format::Human)]
    pub format: Format,
    /// Count the commits of each locked commit range (`git rev-list --count`), after a
    /// shallow, blob-less fetch of each origin into a cache; without it `diff` stays offline
    #[arg(long)]
    pub count_commits: bool,
    /// The cache of fetched repositories for `--count-commits` [default:
    /// $XDG_CACHE_HOME/edx-matrix/repos]
    #[arg(long, value_name = "DIR", requires = "count_commits")]
    pub cache_dir: Option<std::path::PathBuf>,
    /// How many origins `--count-commits` fetches at once
    #[arg(long, short = 'j', default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64), requires = "count_commits")]
    pub jobs: u16,
    /// Seconds each git run of `--count-commits` may take
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600), requires = "count_commits")]
    pub timeout: u64,
}

/// The sign a change is shown with: `+`, `-` or `~`.
fn sign(change: Change) -> &'static str {
    match change {
        Change::Added => "+",
        Change::Removed => "-",
        Change::Changed => "~",
    }
}

/// Returns whether `name` is a matrix file or a Python package directory (file mode).
fn is_source(name: &str) -> bool {
    let path = Path::new(name);
    path.is_file() || matrix_file::is_python_package(path)
}

/// Runs the `diff` use case: two files compared in file mode, two versions of the matrix file
/// (a revision or the working tree) in git mode.
fn compute(
    global: &GlobalArgs,
    out: &Output,
    args: &DiffArgs,
) -> Result<ProjectDiff, CommandError> {
    if global.example {
        return Err(CommandError::usage(
            "`diff` compares versions of a matrix file; the built-in example has only one",
        )
        .with_hint("give two files (`edx-matrix diff OLD.toml NEW.toml`), or run it inside the repository that holds `edx-matrix.toml`"));
    }
    let counting = args.count_commits.then(|| commits::counting(args));
    let files = match (&args.base, &args.head) {
        (Some(base), Some(head)) if is_source(base) && is_source(head) => Some((base, head)),
        _ => None,
    };
    if let Some((base, head)) = files {
        let read = |name: &str| matrix_file::read(Path::new(name));
        let (old, new) = (read(base)?, read(head)?);
        return diff_projects(old, new, counting.as_ref()).map_err(|e| diff_error(out, e));
    }
    let repo_file = matrix_repo::open(global, "diff")?;
    let base = Version::Revision(args.base.clone().unwrap_or_else(|| "HEAD".to_owned()));
    let head = args
        .head
        .clone()
        .map_or(Version::WorkingTree, Version::Revision);
    repo_file
        .diff(&base, &head, counting.as_ref())
        .map_err(|e| diff_error(out, e))
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &DiffArgs) -> CmdResult {
    let diff = compute(global, out, args)?;
    match args.format {
        Format::Json => out.json(&diff)?,
        Format::Markdown => out.print(&render_markdown(&diff))?,
        _ => out.print(&render_text(&diff))?,
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
        pick(|v| v.runtime.as_deref().unwrap_or("none")),
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
        |d| {
            let or_none = |v: &Option<String>| v.as_deref().unwrap_or("none").to_owned();
            format!(
                "branch {}, python {}, node {}",
                d.branch,
                or_none(&d.python),
                or_none(&d.node)
            )
        },
    )
}

fn row_summary(diff: &ProjectDiff) -> String {
    let count = |c: Change| diff.rows.iter().filter(|r| r.change == c).count();
    format!(
        "{} added, {} removed, {} changed",
        count(Change::Added),
        count(Change::Removed),
        count(Change::Changed)
    )
}

/// Renders the diff for a terminal.
pub(crate) fn render_text(diff: &ProjectDiff) -> String {
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
    if !diff.commits.is_empty() {
        text.push_str(&commits::text(&diff.commits));
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
    if diff.pipelines.declared {
        text.push('\n');
        text.push_str(&pipelines_text(&diff.pipelines));
    }
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
pub(crate) fn code(value: &str) -> String {
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
pub(crate) fn render_markdown(diff: &ProjectDiff) -> String {
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
                cell(|v| v.runtime.as_deref().unwrap_or("none")),
            );
        }
    }
    if !diff.commits.is_empty() {
        md.push_str(&commits::markdown(&diff.commits));
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
    let impact = &diff.pipelines;
    if impact.declared {
        md.push('\n');
    }
    if !impact.declared {
        // No `[pipelines]` on either side: nothing to say about pipelines.
    } else if !impact.computed {
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
