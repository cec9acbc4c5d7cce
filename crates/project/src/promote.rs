//! What `promote` does to `edx-matrix.lock`: the promoted stage gets the commits the lower stage
//! locked (QA builds exactly what CI tested), or with `relock` the branch heads, saying which of
//! them CI never tested. Planned before the matrix is written, so a promotion the lock cannot
//! follow (or whose gates fail: [`gates`]) is refused with nothing written; the lock is then
//! written together with the matrix, all or nothing ([`crate::EditTarget::Write`]'s `also`).

mod gates;

use crate::git::{GitCli, WantedRef, redact_url, resolve_refs};
use crate::{Format, LockWrite, Precondition, Project, ReadError, format_of, fsio, lock_path};
use edx_matrix_formats::edit::promote::{Promote, promote_all};
use edx_matrix_formats::{Like, write_lock_like};
use edx_matrix_model::names::{DeploymentName, StageName};
use edx_matrix_model::{
    Filter, LockEntry, PromotionOrder, Verdict, carry, error_chain, format_timestamp, lock_origin,
    resolve,
};
use std::path::Path;

/// What a promotion does beside the matrix edit: the lock it writes (with the matrix, all or
/// nothing) and its gates' verdicts.
#[derive(Debug)]
pub struct LockPlan {
    /// The lock to write, when the promotion uses one.
    lock: Option<LockWrite>,
    /// One line per promoted deployment and per commit the lower stage did not test.
    pub notes: Vec<String>,
    /// The verdict of each gate of the promoted stage, per deployment.
    pub verdicts: Vec<Verdict>,
    /// Whether `force_gates` overrode a failed gate.
    pub forced: bool,
}

impl LockPlan {
    /// Returns the lock the promotion writes, changed or not (where `force_gates` is recorded).
    pub fn lock(&self) -> Option<&LockWrite> {
        self.lock.as_ref()
    }

    /// Returns the lock to write with the matrix, when it changes.
    pub fn lock_write(&self) -> Option<&LockWrite> {
        self.lock.as_ref().filter(|l| l.changes())
    }
}

/// A promotion to plan: the edit and what the command was asked beside it.
#[derive(Clone, Copy, Debug)]
pub struct PromotePlan<'a> {
    /// The edit (`to` is the promoted stage, `from` the stage given, if any).
    pub promote: &'a Promote,
    /// The deployments promoted.
    pub deployments: &'a [String],
    /// Lock the branch heads instead of carrying the lower stage's commits.
    pub relock: bool,
    /// Override failed gates, recording this reason in the lock entries written.
    pub force_gates: Option<&'a str>,
    /// Nothing is to be written: failed gates are reported, not refused.
    pub dry_run: bool,
}

/// Why a promotion's lock plan refuses it (nothing is written).
#[derive(Debug)]
pub enum PlanError<E> {
    /// The matrix file could not be read.
    Read(ReadError),
    /// The lock has errors; the project holds them ([`Project::lock`]).
    InvalidLock(Box<Project>),
    /// The time could not be had (the caller's clock).
    Now(E),
    /// The lock cannot follow the promotion: a lower stage without the commits, a branch head
    /// missing or unreachable.
    Refused {
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: Option<String>,
    },
    /// The lock's git history, which a soak gate is measured on, could not be read.
    History(String),
    /// Gates failed, without `force_gates` or `dry_run`: their verdicts.
    Gates(Vec<Verdict>),
}

/// Plans the lock and judges the gates of a promotion of the TOML matrix at `path` (`None`: the
/// built-in example, which has none) at the time `now` gives: `None` when the project has no
/// lock, `relock` is not asked and the promoted stage has no gate (nothing to keep or judge),
/// or when the edit itself will be refused (the edit reports it). A failed gate is refused
/// here, before anything is written, unless `force_gates` or `dry_run` is given.
pub fn plan_promotion<E>(
    path: Option<&Path>,
    plan: PromotePlan<'_>,
    now: impl FnOnce() -> Result<i64, E>,
) -> Result<Option<LockPlan>, PlanError<E>> {
    let Some(path) = path else {
        return Ok(None);
    };
    if format_of(path) != Format::Toml || !path.is_file() {
        return Ok(None);
    }
    let project = Project::load(path).map_err(PlanError::Read)?;
    let PromotePlan {
        promote,
        deployments,
        ..
    } = plan;
    let to = promote.to.as_str();
    let gate = project
        .gates
        .of(to)
        .filter(|g| g.soak.is_some() || !g.freeze.is_empty())
        .cloned();
    let uses_lock = project.lock().is_some() || plan.relock;
    if !uses_lock && gate.is_none() {
        return Ok(None);
    }
    if project.lock().is_some_and(|l| l.has_errors()) {
        return Err(PlanError::InvalidLock(Box::new(project)));
    }
    let order = PromotionOrder::new(project.matrix());
    let lock = project.locked();
    let Ok(edited) = project.clone().apply_edit(Precondition::Valid, |base| {
        promote_all(base, deployments, promote)
    }) else {
        return Ok(None);
    };
    let now = now().map_err(PlanError::Now)?;
    let locked_at = format_timestamp(now);
    let mut written = Vec::new();
    let mut tested = Vec::new();
    let mut notes = Vec::new();
    for deployment in deployments {
        // The stage the release comes from, as the edit takes it: `from`, else the
        // deployment's own stage before `to` (not the stage order's: it may not pin that one).
        let before = project
            .matrix()
            .deployment(deployment)
            .and_then(|d| order.stage_before(d, to));
        let from = match (&promote.from, before) {
            (Some(from), _) => from.clone(),
            (None, Some(pin)) => pin.stage.to_string(),
            // The edit refuses a first stage: unreachable once it succeeded.
            (None, None) => return Ok(None),
        };
        let filter = Filter {
            deployment: Some(DeploymentName::from(deployment.as_str())),
            stage: Some(StageName::from(to)),
            ..Filter::default()
        };
        let rows = resolve(edited.after.matrix(), &filter).rows;
        let entries = if !uses_lock {
            Vec::new()
        } else if plan.relock {
            let entries = heads(&rows, &locked_at)?;
            notes.extend(beyond(&lock, deployment, &from, to, &entries));
            entries
        } else if !lock.locks_stage(deployment, &from) && !lock.locks_stage(deployment, to) {
            // Neither stage uses the lock: the promotion leaves it alone.
            Vec::new()
        } else {
            let carried = carry(&lock, deployment, &from, &rows, &locked_at);
            if !carried.untested.is_empty() {
                let list: Vec<String> = carried
                    .untested
                    .iter()
                    .map(|(app, origin, branch)| format!("\n  `{app}`: `{branch}` of {origin}"))
                    .collect();
                return Err(PlanError::Refused {
                    message: format!(
                        "{from} of `{deployment}` has no locked commit for what {to} would build:{}",
                        list.concat()
                    ),
                    hint: Some(format!(
                        "lock {from} first (`edx-matrix lock --deployment {deployment} --stage {from}`), \
                         or take the branch heads with `promote --relock`"
                    )),
                });
            }
            notes.push(format!(
                "{deployment} {to}: {} commits carried from {from}",
                carried.entries.len()
            ));
            carried.entries
        };
        // What the lower stage tested of each row: its entry for the same origin and branch,
        // and, when a commit is written, at that commit.
        let rows_tested = rows
            .iter()
            .map(|row| {
                let origin = lock_origin(row.git_origin);
                let writes = entries.iter().find(|e| e.application == row.application);
                let entry = lock
                    .get(deployment, &from, row.application)
                    .filter(|t| t.origin == origin && t.branch == row.release_branch)
                    .filter(|t| writes.is_none_or(|w| w.commit == t.commit))
                    .cloned();
                (row.application.to_owned(), entry)
            })
            .collect();
        tested.push(gates::Tested {
            deployment: deployment.clone(),
            from: from.clone(),
            rows: rows_tested,
        });
        written.push((deployment, entries));
    }
    let lock_path = lock_path(path);
    let verdicts = match &gate {
        Some(gate) => gates::judge(gate, to, &tested, &lock_path, edited.before.matrix(), now)?,
        None => Vec::new(),
    };
    let failed = verdicts.iter().any(|v| !v.passed);
    let forced = failed && plan.force_gates.is_some();
    if failed && !forced && !plan.dry_run {
        return Err(PlanError::Gates(verdicts));
    }
    let mut new_lock = lock.clone();
    for (deployment, mut entries) in written {
        if forced {
            for entry in &mut entries {
                entry.forced = plan.force_gates.map(str::to_owned);
            }
        }
        new_lock = new_lock.relock(|d, s| d == deployment && s == to, entries);
    }
    // The user's line endings: the old lock's, or for a new one the matrix's (as `lock` keeps them).
    let like = project
        .lock()
        .map_or(Like::Matrix(&project.source().text), |l| {
            Like::Lock(&l.source.text)
        });
    let lock = uses_lock.then(|| LockWrite {
        before: edited_lock_bytes(&edited.before, &lock_path),
        path: lock_path,
        text: write_lock_like(&new_lock, like),
    });
    Ok(Some(LockPlan {
        lock,
        notes,
        verdicts,
        forced,
    }))
}

/// The notes of `relock`: each head beyond what `from` tested, and a count.
fn beyond(
    lock: &edx_matrix_model::Lock,
    deployment: &str,
    from: &str,
    to: &str,
    entries: &[LockEntry],
) -> Vec<String> {
    let mut notes = Vec::new();
    let mut beyond = 0;
    for entry in entries {
        let tested = lock
            .get(deployment, from, &entry.application)
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
    notes
}

/// The lock file's bytes as they are now (`None` when the project has no lock): what the write
/// checks the file still holds.
fn edited_lock_bytes(project: &Project, path: &Path) -> Option<Vec<u8>> {
    project.lock()?;
    fsio::read_bytes(path).ok()
}

/// The branch heads of `rows`, one `ls-remote` per origin; refused when any is missing.
fn heads<E>(
    rows: &[edx_matrix_model::Row<'_>],
    locked_at: &str,
) -> Result<Vec<LockEntry>, PlanError<E>> {
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
        return Err(PlanError::Refused {
            message: text,
            hint: None,
        });
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
