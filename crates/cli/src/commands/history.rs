//! `edx-matrix history`: from the git history of the matrix file, the releases every stage ran
//! and when each change landed, and the lead time of each release from CI to Production. The
//! history itself is read by [`edx_matrix_git::history`], which the dashboard shares.

use crate::cli::{GlobalArgs, HistoryArgs, TableFormat};
use crate::error::{CmdResult, CommandError};
use crate::matrix_repo::{self, git_error};
use crate::output::{Output, render_table, table};
use edx_matrix_git::history::{CommitRef, History, file_history, format_duration};
use edx_matrix_model::suggest::did_you_mean;
use std::fmt::Write as _;
use std::process::ExitCode;

pub fn run(global: &GlobalArgs, out: &Output, args: &HistoryArgs) -> CmdResult {
    let mr = matrix_repo::open(global, "history")?;
    let history = if crate::matrix_file::is_python_package(&mr.file) {
        use edx_matrix_interop::python_package::{self, TYPES, VERSION_MATRIX};
        edx_matrix_git::package_history::package_history(
            &mr.repo,
            &mr.path,
            [TYPES, VERSION_MATRIX],
            &python_package::load,
            args.deployment.as_deref(),
        )
    } else {
        file_history(&mr.repo, &mr.path, args.deployment.as_deref())
    }
    .map_err(git_error)?;
    if history.revisions == 0 {
        return Err(CommandError::usage(format!(
            "`{}` has no committed history",
            mr.path
        )));
    }
    if let Some(want) = &args.deployment {
        if !history.deployments_seen.iter().any(|d| d == want) {
            let mut err = CommandError::usage(format!(
                "no deployment `{want}` in any revision of `{}`",
                mr.path
            ));
            if let Some(s) = did_you_mean(want, history.deployments_seen.iter().map(String::as_str))
            {
                err = err.with_hint(format!("did you mean `{s}`?"));
            }
            return Err(err);
        }
    }
    match args.format {
        TableFormat::Json => out.json(&history)?,
        TableFormat::Table => out.print(&render(&history))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn render(history: &History) -> String {
    let mut text = format!(
        "history of `{}`: {} revision{}, {} skipped\n",
        history.file,
        history.revisions,
        if history.revisions == 1 { "" } else { "s" },
        history.skipped.len()
    );
    if !history.timelines.is_empty() {
        text.push('\n');
        let mut t = table(&[
            "deployment",
            "stage",
            "release",
            "since",
            "commit",
            "subject",
        ]);
        for timeline in &history.timelines {
            for (i, change) in timeline.changes.iter().enumerate() {
                let (d, s) = if i == 0 {
                    (timeline.deployment.clone(), timeline.stage.clone())
                } else {
                    (String::new(), String::new())
                };
                t.add_row([
                    d,
                    s,
                    change
                        .release
                        .clone()
                        .unwrap_or_else(|| "(removed)".to_owned()),
                    change.commit.day().to_owned(),
                    change.commit.short_hash.clone(),
                    change.commit.subject.clone(),
                ]);
            }
        }
        text.push_str(&render_table(&t));
    }
    if !history.lead_times.is_empty() {
        let first = history.first_stage.as_deref().unwrap_or("first stage");
        let last = history.last_stage.as_deref().unwrap_or("last stage");
        let _ = writeln!(text, "\nlead time from `{first}` to `{last}`");
        let at = |c: &Option<CommitRef>| {
            c.as_ref().map_or_else(
                || "-".to_owned(),
                |c| format!("{} {}", c.day(), c.short_hash),
            )
        };
        let mut t = table(&["deployment", "release", first, last, "lead time"]);
        for lead in &history.lead_times {
            t.add_row([
                lead.deployment.clone(),
                lead.release.clone(),
                at(&lead.first_stage),
                at(&lead.last_stage),
                lead.seconds.map_or_else(|| "-".to_owned(), format_duration),
            ]);
        }
        text.push_str(&render_table(&t));
    }
    if !history.skipped.is_empty() {
        text.push_str("\nskipped revisions (the file does not load without errors)\n");
        for s in &history.skipped {
            let _ = writeln!(
                text,
                "  {}  {}  {}: {}",
                s.commit.day(),
                s.commit.short_hash,
                s.commit.subject,
                s.reason
            );
        }
    }
    text
}
