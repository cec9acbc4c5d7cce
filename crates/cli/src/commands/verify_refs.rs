//! `edx-matrix verify-refs`: every (origin, branch) the matrix resolves to, checked on its
//! remote with one `git ls-remote` per distinct origin.

use crate::cli::GlobalArgs;
use crate::error::{CmdResult, Kind, exit_code};
use crate::format::{Format, TABLE, formats};
use crate::matrix_file;
use crate::matrix_repo::error_chain;
use crate::output::Output;

mod locked;
use edx_matrix_project::git::{GitCli, Progress, WantedRef, redact_url, verify_refs};
use edx_matrix_project::git::{Reference, wanted_refs};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub(crate) struct VerifyRefsArgs {
    /// How many origins to query at once
    #[arg(long, short = 'j', default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
    /// Seconds allowed for listing one origin's refs
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// How many more times to try an origin after a timeout or failure
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,
    /// Output format
    #[arg(long, value_parser = formats(TABLE), default_value_t = Format::Human)]
    pub format: Format,
    /// Also check that every locked commit (`edx-matrix.lock`) is still on its branch
    #[arg(long)]
    pub locked: bool,
}

#[derive(Serialize)]
struct JsonReport {
    file: String,
    checked_origins: usize,
    wanted: usize,
    present: usize,
    missing: Vec<JsonBranch>,
    unreachable: Vec<JsonOrigin>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locked: Option<locked::LockedReport>,
}

#[derive(Serialize)]
struct JsonBranch {
    origin: String,
    branch: String,
    references: Vec<Reference>,
}

#[derive(Serialize)]
struct JsonOrigin {
    origin: String,
    error: String,
    branches: Vec<JsonBranch>,
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &VerifyRefsArgs) -> CmdResult {
    let project = matrix_file::load_valid(global, out)?;
    if args.locked && project.lock().is_none() {
        return Err(crate::error::CommandError::usage(format!(
            "`{}` has no lock to verify",
            project.source().name
        ))
        .with_hint("write one with `edx-matrix lock`"));
    }
    let wanted = wanted_refs(&project);
    let list: Vec<WantedRef> = wanted.keys().cloned().collect();
    let git = GitCli::new().with_timeout(Duration::from_secs(args.timeout));

    let bar = std::io::stderr().is_terminal().then(|| {
        let origins = list
            .iter()
            .map(|w| w.origin.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let bar = indicatif::ProgressBar::new(origins as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} origins  {wide_msg}")
        {
            bar.set_style(style);
        }
        bar
    });
    let on_progress = |progress: Progress| {
        if let Some(bar) = &bar {
            bar.set_position(progress.done as u64);
            bar.set_message(redact_url(&progress.origin));
        }
    };
    let report = verify_refs(
        &git,
        &list,
        usize::from(args.jobs),
        args.retries,
        &on_progress,
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }

    let branch = |w: &WantedRef| JsonBranch {
        origin: redact_url(&w.origin),
        branch: w.branch.clone(),
        references: wanted.get(w).cloned().unwrap_or_default(),
    };
    let locked = if args.locked {
        Some(locked::check(
            &project,
            &git,
            usize::from(args.jobs),
            args.retries,
        )?)
    } else {
        None
    };
    let locked_ok = locked.as_ref().is_none_or(|l| l.not_on_branch.is_empty());
    let json = JsonReport {
        locked,
        file: project.source().name.clone(),
        checked_origins: report.checked_origins,
        wanted: list.len(),
        present: report.present,
        missing: report.missing.iter().map(branch).collect(),
        unreachable: report
            .unreachable
            .iter()
            .map(|(origin, err)| JsonOrigin {
                origin: redact_url(origin),
                error: error_chain(err),
                branches: list
                    .iter()
                    .filter(|w| &w.origin == origin)
                    .map(branch)
                    .collect(),
            })
            .collect(),
    };
    match args.format {
        Format::Json => out.json(&json)?,
        _ => out.print(&render(&json))?,
    }
    Ok(if report.is_ok() && locked_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit_code(Kind::CheckFailed))
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn render(report: &JsonReport) -> String {
    let mut text = String::new();
    if let Some(locked) = &report.locked {
        text.push_str(&locked.render());
    }
    if !report.missing.is_empty() {
        let _ = writeln!(
            text,
            "missing: {}",
            plural(report.missing.len(), "branch", "branches")
        );
        for missing in &report.missing {
            let _ = writeln!(text, "  `{}` in {}", missing.branch, missing.origin);
            for reference in &missing.references {
                let _ = writeln!(text, "      {}", reference.describe());
            }
        }
        text.push('\n');
    }
    if !report.unreachable.is_empty() {
        let _ = writeln!(
            text,
            "unreachable: {}",
            plural(report.unreachable.len(), "origin", "origins")
        );
        for origin in &report.unreachable {
            let _ = writeln!(text, "  {}", origin.origin);
            for line in origin.error.lines() {
                let _ = writeln!(text, "    {line}");
            }
            for branch in &origin.branches {
                let _ = writeln!(text, "    `{}` (not checked)", branch.branch);
                for reference in &branch.references {
                    let _ = writeln!(text, "      {}", reference.describe());
                }
            }
        }
        text.push('\n');
    }
    let unchecked: usize = report.unreachable.iter().map(|o| o.branches.len()).sum();
    let _ = write!(
        text,
        "{} in {}: {} present, {} missing",
        plural(report.wanted, "branch", "branches"),
        plural(report.checked_origins, "origin", "origins"),
        report.present,
        report.missing.len()
    );
    if !report.unreachable.is_empty() {
        let _ = write!(
            text,
            "; {} unreachable ({} not checked)",
            plural(report.unreachable.len(), "origin", "origins"),
            plural(unchecked, "branch", "branches")
        );
    }
    text.push('\n');
    text
}
