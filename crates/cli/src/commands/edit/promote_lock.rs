//! What `promote` does to `edx-matrix.lock`: the promoted stage gets the commits the lower stage
//! locked (QA builds exactly what CI tested), or with `--relock` the branch heads, saying which
//! of them CI never tested. Planned before the matrix is written, so a promotion the lock cannot
//! follow is refused with nothing written.

use super::PromoteArgs;
use crate::cli::GlobalArgs;
use crate::commands::lock::now;
use crate::error::CommandError;
use crate::matrix_file;
use crate::matrix_repo::error_chain;
use crate::output::Output;
use edx_matrix_config::lock_file::write_lock;
use edx_matrix_edit as edit;
use edx_matrix_git::{GitCli, WantedRef, redact_url, resolve_refs};
use edx_matrix_model::lock::{LockEntry, carry, format_timestamp, lock_origin};
use edx_matrix_model::{DeploymentName, Filter, StageName, resolve};
use edx_matrix_project::{Precondition, SourceFormat, format_of, lock_path};
use std::path::PathBuf;

/// The lock a promotion writes once the matrix is written.
pub struct LockPlan {
    path: PathBuf,
    before: Option<String>,
    text: String,
    /// One line per promoted deployment and per commit the lower stage did not test.
    notes: Vec<String>,
}

/// Plans the lock of a promotion: `None` when the project has no lock and `--relock` is not
/// given (nothing to keep), or when the edit itself will be refused (the edit reports it).
pub fn plan(
    global: &GlobalArgs,
    out: &Output,
    args: &PromoteArgs,
    promote: &edit::promote::Promote,
    deployments: &[String],
) -> Result<Option<LockPlan>, CommandError> {
    if global.example {
        return Ok(None);
    }
    let path = matrix_file::locate(global)?;
    if format_of(&path) != SourceFormat::Toml || !path.is_file() {
        return Ok(None);
    }
    let project = matrix_file::read(&path)?;
    if project.lock().is_none() && !args.relock {
        return Ok(None);
    }
    matrix_file::require_valid_lock(out, &project)?;
    let to = promote.to.as_str();
    // The stage the release comes from: `--from`, else the stage before `to`.
    let stages = &project.matrix().stages;
    let from = match &args.from {
        Some(from) => from.to_string(),
        None => match stages.iter().position(|s| s.as_str() == to) {
            Some(i) if i > 0 => stages[i - 1].to_string(),
            _ => return Ok(None),
        },
    };
    let lock = project.locked();
    let Ok(edited) = project.clone().apply_edit(Precondition::Valid, |base| {
        edit::promote::promote_all(base, deployments, promote)
    }) else {
        return Ok(None);
    };
    let locked_at = format_timestamp(now()?);
    let mut new_lock = lock.clone();
    let mut notes = Vec::new();
    for deployment in deployments {
        let filter = Filter {
            deployment: Some(DeploymentName::from(deployment.as_str())),
            stage: Some(StageName::from(to)),
            ..Filter::default()
        };
        let rows = resolve(edited.after.matrix(), &filter).rows;
        let entries = if args.relock {
            let entries = heads(&rows, &locked_at)?;
            let mut beyond = 0;
            for entry in &entries {
                let tested = lock
                    .get(deployment, &from, &entry.application)
                    .filter(|t| t.origin == entry.origin && t.branch == entry.branch);
                match tested {
                    Some(t) if t.commit == entry.commit => {}
                    Some(t) => {
                        beyond += 1;
                        notes.push(format!(
                            "{deployment} {to} {}: `{}` at {} is beyond what {from} tested ({}); compare {}..{}",
                            entry.application,
                            entry.branch,
                            short(&entry.commit),
                            short(&t.commit),
                            short(&t.commit),
                            short(&entry.commit)
                        ));
                    }
                    None => {
                        beyond += 1;
                        notes.push(format!(
                            "{deployment} {to} {}: `{}` at {} was never locked in {from}",
                            entry.application,
                            entry.branch,
                            short(&entry.commit)
                        ));
                    }
                }
            }
            notes.push(format!(
                "{deployment} {to}: {} branch heads locked, {beyond} not what {from} tested",
                entries.len()
            ));
            entries
        } else {
            if !lock.locks_stage(deployment, &from) && !lock.locks_stage(deployment, to) {
                // Neither stage uses the lock: the promotion leaves it alone.
                continue;
            }
            let carried = carry(&lock, deployment, &from, &rows, &locked_at);
            if !carried.untested.is_empty() {
                let list: Vec<String> = carried
                    .untested
                    .iter()
                    .map(|(app, origin, branch)| format!("\n  `{app}`: `{branch}` of {origin}"))
                    .collect();
                return Err(CommandError::refused(format!(
                    "{from} of `{deployment}` has no locked commit for what {to} would build:{}",
                    list.concat()
                ))
                .with_hint(format!(
                    "lock {from} first (`edx-matrix lock --deployment {deployment} --stage {from}`), \
                     or take the branch heads with `promote --relock`"
                )));
            }
            notes.push(format!(
                "{deployment} {to}: {} commits carried from {from}",
                carried.entries.len()
            ));
            carried.entries
        };
        new_lock = new_lock.relock(|d, s| d == deployment && s == to, entries);
    }
    Ok(Some(LockPlan {
        path: lock_path(&path),
        before: edited_lock_text(&edited.before),
        text: write_lock(&new_lock),
        notes,
    }))
}

fn edited_lock_text(project: &edx_matrix_project::Project) -> Option<String> {
    project.lock().map(|l| l.source.text.clone())
}

/// The branch heads of `rows`, one `ls-remote` per origin; refused when any is missing.
fn heads(
    rows: &[edx_matrix_model::Row<'_>],
    locked_at: &str,
) -> Result<Vec<LockEntry>, CommandError> {
    let wanted = WantedRef::of_rows(rows);
    let resolved = resolve_refs(&GitCli::new(), &wanted, 16, 1, &|_| {});
    if !resolved.is_ok() {
        let mut text = String::from("cannot lock the branch heads:");
        for m in &resolved.missing {
            text.push_str(&format!(
                "\n  missing: `{}` in {}",
                m.branch,
                redact_url(&m.origin)
            ));
        }
        for (origin, e) in &resolved.unreachable {
            text.push_str(&format!(
                "\n  unreachable: {}: {}",
                redact_url(origin),
                error_chain(e)
            ));
        }
        return Err(CommandError::refused(text));
    }
    Ok(rows
        .iter()
        .filter_map(|r| {
            let commit = resolved
                .commits
                .get(&WantedRef::new(r.git_origin, r.release_branch))?;
            Some(LockEntry {
                deployment: r.deployment.to_owned(),
                stage: r.stage.to_owned(),
                application: r.application.to_owned(),
                origin: lock_origin(r.git_origin),
                branch: r.release_branch.to_owned(),
                commit: commit.clone(),
                locked_at: locked_at.to_owned(),
                forced: None,
            })
        })
        .collect())
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

/// Writes the planned lock (unless `dry_run`) and says what it carried, on standard error.
pub fn finish(plan: &LockPlan, dry_run: bool) -> Result<(), CommandError> {
    for note in &plan.notes {
        eprintln!("lock: {note}");
    }
    let name = plan.path.display();
    if plan.before.as_deref() == Some(plan.text.as_str()) {
        eprintln!("lock: `{name}` unchanged");
        return Ok(());
    }
    if dry_run {
        eprintln!("lock: `{name}` not written (dry run)");
        return Ok(());
    }
    if plan.before.is_some() {
        edx_matrix_fsio::replace(&plan.path, plan.text.as_bytes())?;
    } else {
        edx_matrix_fsio::create(
            &plan.path,
            plan.text.as_bytes(),
            edx_matrix_fsio::Mode::Public,
            false,
        )?;
    }
    eprintln!("lock: `{name}` written");
    Ok(())
}
