//! `edx-matrix lock`: every (origin, branch) the chosen stages build, resolved to a commit with
//! one `git ls-remote` per distinct origin, written to `edx-matrix.lock` beside the matrix. The
//! stages not chosen keep their entries byte for byte; nothing is written unless every branch
//! resolved.

use crate::cli::GlobalArgs;
use crate::commands::resolve::{RowFilter, model_filter};
use crate::error::{CmdResult, CommandError, EXIT_MATRIX};
use crate::format::{Format, TABLE, formats};
use crate::matrix_file;
use crate::matrix_repo::error_chain;
use crate::names::parse;
use crate::output::Output;
use edx_matrix_formats::{Like, write_lock_like};
use edx_matrix_model::{
    Filter,
    names::{DeploymentName, StageName},
    resolve,
};
use edx_matrix_model::{LockEntry, format_timestamp, lock_origin, parse_timestamp};
use edx_matrix_project::git::{GitCli, WantedRef, redact_url, resolve_refs};
use edx_matrix_project::lock_path;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub(crate) struct LockArgs {
    /// Only this deployment's stages
    #[arg(long, short = 'd', value_parser = parse::deployment)]
    pub deployment: Option<DeploymentName>,
    /// Only this stage (of every deployment, or of `--deployment`)
    #[arg(long, short = 's', value_parser = parse::stage)]
    pub stage: Option<StageName>,
    /// How many origins to query at once
    #[arg(long, short = 'j', default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
    /// Seconds allowed for listing one origin's refs
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// How many more times to try an origin after a timeout or failure
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,
    /// Show what would change without writing the lock
    #[arg(long)]
    pub dry_run: bool,
    /// Output format
    #[arg(long, value_parser = formats(TABLE), default_value_t = Format::Human)]
    pub format: Format,
}

/// One changed entry of the summary.
#[derive(Serialize)]
struct Change {
    deployment: String,
    stage: String,
    application: String,
    origin: String,
    branch: String,
    /// The commit locked before (`None`: newly locked).
    old: Option<String>,
    new: String,
}

#[derive(Serialize)]
struct Summary {
    lock: String,
    written: bool,
    checked_origins: usize,
    locked: usize,
    changed: Vec<Change>,
    missing: Vec<WantedRef>,
    unreachable: Vec<(String, String)>,
}

/// The time a lock records: `EDX_MATRIX_NOW` (RFC 3339 UTC, so tests and reproducible runs fix
/// it), else the clock.
pub(crate) fn now() -> Result<i64, CommandError> {
    if let Ok(text) = std::env::var("EDX_MATRIX_NOW") {
        return parse_timestamp(&text).ok_or_else(|| {
            CommandError::usage(format!(
                "EDX_MATRIX_NOW=`{}` is not RFC 3339 UTC like `2026-12-05T18:40:00Z`",
                text.escape_debug()
            ))
        });
    }
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| CommandError::io("the clock is before 1970"))?;
    i64::try_from(since.as_secs()).map_err(|_| CommandError::io("the clock is out of range"))
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &LockArgs) -> CmdResult {
    if global.example {
        return Err(CommandError::usage(
            "`lock` writes `edx-matrix.lock` beside a matrix file; the built-in example has none",
        )
        .with_hint("copy it with `edx-matrix init --example DIR` and lock that"));
    }
    let path = matrix_file::locate(global)?;
    // Lock writers take turns on the matrix file's advisory lock, as edits do.
    edx_matrix_project::fsio::with_edit_lock(&path, Duration::from_secs(10), || {
        lock_in(out, args, &path)
    })
}

fn lock_in(out: &Output, args: &LockArgs, path: &Path) -> CmdResult {
    let project = matrix_file::require_valid(out, matrix_file::read(path)?, true)?;
    matrix_file::require_valid_lock(out, &project)?;
    let filter = model_filter(
        project.matrix(),
        &RowFilter {
            deployment: args.deployment.clone(),
            stage: args.stage.clone(),
            ..RowFilter::default()
        },
    )?;
    let rows = resolve(project.matrix(), &filter).rows;
    let wanted = WantedRef::of_rows(&rows);
    let git = GitCli::new().with_timeout(Duration::from_secs(args.timeout));
    let resolved = resolve_refs(&git, &wanted, usize::from(args.jobs), args.retries, &|_| {});

    let old = project.locked();
    let locked_at = format_timestamp(now()?);
    let mut entries = Vec::new();
    let mut changed = Vec::new();
    for row in &rows {
        let Some(commit) = resolved
            .commits
            .get(&WantedRef::new(row.git_origin, row.release_branch))
        else {
            continue;
        };
        let before = old.get(row.deployment, row.stage, row.application);
        // An entry whose commit, origin and branch are unchanged keeps its time: a re-lock
        // that changes nothing is byte-identical.
        let same = before.filter(|e| e.matches(row) && &e.commit == commit);
        if let Some(e) = same {
            entries.push(e.clone());
            continue;
        }
        changed.push(Change {
            deployment: row.deployment.to_owned(),
            stage: row.stage.to_owned(),
            application: row.application.to_owned(),
            origin: lock_origin(row.git_origin),
            branch: row.release_branch.to_owned(),
            old: before.map(|e| e.commit.clone()),
            new: commit.clone(),
        });
        entries.push(LockEntry {
            deployment: row.deployment.to_owned(),
            stage: row.stage.to_owned(),
            application: row.application.to_owned(),
            origin: lock_origin(row.git_origin),
            branch: row.release_branch.to_owned(),
            commit: commit.clone(),
            locked_at: locked_at.clone(),
            forced: None,
        });
    }
    let chosen = |d: &str, s: &str| admits(&filter, d, s);
    let new_lock = old.relock(chosen, entries);
    let lock_file = lock_path(path);
    let ok = resolved.is_ok();
    let before = project.lock().map(|l| l.source.text.as_str());
    // The user's line endings: the old lock's, or for a new one the matrix's.
    let like = before.map_or(Like::Matrix(&project.source().text), Like::Lock);
    let text = write_lock_like(&new_lock, like);
    let write = ok && !args.dry_run && before != Some(text.as_str());
    if write {
        if before.is_some() {
            edx_matrix_project::fsio::replace(&lock_file, text.as_bytes())?;
        } else {
            edx_matrix_project::fsio::create(
                &lock_file,
                text.as_bytes(),
                edx_matrix_project::fsio::Mode::Public,
                false,
            )?;
        }
    }
    let summary = Summary {
        lock: lock_file.display().to_string(),
        written: write,
        checked_origins: resolved.checked_origins,
        locked: rows.len(),
        changed,
        missing: resolved
            .missing
            .iter()
            .map(|w| WantedRef::new(redact_url(&w.origin), w.branch.clone()))
            .collect(),
        unreachable: resolved
            .unreachable
            .iter()
            .map(|(o, e)| (redact_url(o), error_chain(e)))
            .collect(),
    };
    match args.format {
        Format::Json => out.json(&summary)?,
        _ => out.print(&render(&summary, args.dry_run))?,
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_MATRIX)
    })
}

/// Whether the (deployment, stage) is one `lock` re-locks: `--deployment` and `--stage` only.
fn admits(filter: &Filter, deployment: &str, stage: &str) -> bool {
    filter
        .deployment
        .as_ref()
        .is_none_or(|d| d.as_str() == deployment)
        && filter.stage.as_ref().is_none_or(|s| s.as_str() == stage)
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

fn render(summary: &Summary, dry_run: bool) -> String {
    let mut text = String::new();
    for c in &summary.changed {
        let _ = writeln!(
            text,
            "{} {} {}: {} `{}` {}{}",
            c.deployment,
            c.stage,
            c.application,
            c.origin,
            c.branch,
            c.old
                .as_deref()
                .map_or(String::new(), |o| format!("{}..", short(o))),
            short(&c.new)
        );
    }
    for m in &summary.missing {
        let _ = writeln!(text, "missing: `{}` in {}", m.branch, m.origin);
    }
    for (origin, error) in &summary.unreachable {
        let _ = writeln!(text, "unreachable: {origin}: {error}");
    }
    let verb = if summary.written {
        "written"
    } else if !summary.missing.is_empty() || !summary.unreachable.is_empty() {
        "not written"
    } else if dry_run {
        "not written (--dry-run)"
    } else {
        "unchanged"
    };
    let _ = writeln!(
        text,
        "{} rows from {} origin{}: {} changed; `{}` {verb}",
        summary.locked,
        summary.checked_origins,
        if summary.checked_origins == 1 {
            ""
        } else {
            "s"
        },
        summary.changed.len(),
        summary.lock,
    );
    text
}
