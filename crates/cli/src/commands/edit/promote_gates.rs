//! `promote`'s gates: the promoted stage's `[gates.STAGE]` judged for each deployment (the soak
//! of the lower stage's locked commits, measured from the lock file's git history, and the
//! freeze windows), then either refused with the reasons, or overridden with `--force-gates
//! REASON` (recorded as `forced` in the lock entries the promotion writes).

use crate::error::CommandError;
use edx_matrix_formats::safe_lines;
use edx_matrix_model::LockEntry;
use edx_matrix_model::Matrix;
use edx_matrix_model::{Arrival, StageGate, Verdict, freeze_verdict, soak_verdict};
use edx_matrix_project::git::arrivals;
use std::path::Path;

/// What one deployment's promotion is judged on: for each application the promoted stage
/// builds, the lower stage's entry that tested exactly what it will build (if any).
pub(super) struct Tested {
    /// The deployment.
    pub deployment: String,
    /// The stage it is promoted from (its own stage before the promoted one, or `--from`).
    pub from: String,
    /// (application, the lower stage's matching entry).
    pub rows: Vec<(String, Option<LockEntry>)>,
}

/// Judges `gate` for every deployment promoted (each from its own stage) into `to` at `now`.
pub(super) fn judge(
    gate: &StageGate,
    to: &str,
    tested: &[Tested],
    lock_path: &Path,
    matrix: &Matrix,
    now: i64,
) -> Result<Vec<Verdict>, CommandError> {
    let mut verdicts = Vec::new();
    let mut times = Vec::new();
    if gate.soak.is_some() {
        // One walk of the lock's history for every entry of every deployment.
        let wanted: Vec<&LockEntry> = tested
            .iter()
            .flat_map(|t| t.rows.iter().filter_map(|(_, e)| e.as_ref()))
            .collect();
        times = arrivals(lock_path, matrix, &wanted).map_err(|e| {
            CommandError::io(format!(
                "cannot read the history of `{}` for the soak gate: {e}",
                lock_path.display()
            ))
        })?;
    }
    let mut times = times.into_iter();
    for t in tested {
        if let Some(soak) = &gate.soak {
            let arrived: Vec<(String, Arrival)> = t
                .rows
                .iter()
                .map(|(app, entry)| {
                    let arrival = match entry {
                        Some(_) => times.next().unwrap_or(Arrival::Uncommitted),
                        None => Arrival::Unlocked,
                    };
                    (app.clone(), arrival)
                })
                .collect();
            verdicts.push(soak_verdict(
                &t.deployment,
                &t.from,
                to,
                soak,
                &arrived,
                now,
            ));
        }
        if !gate.freeze.is_empty() {
            verdicts.push(freeze_verdict(&t.deployment, to, &gate.freeze, now));
        }
    }
    Ok(verdicts)
}

/// Checks a `--force-gates` reason: one line of text.
pub(super) fn check_reason(reason: &str) -> Result<(), CommandError> {
    if reason.trim().is_empty() || reason.chars().any(char::is_control) {
        return Err(CommandError::usage(
            "`--force-gates` needs a reason on one line, like `--force-gates \"hotfix INC-123\"`",
        ));
    }
    Ok(())
}

/// The lines `promote` prints about its gates, on standard error.
pub(super) fn lines(verdicts: &[Verdict]) -> String {
    let mut text = String::new();
    for v in verdicts {
        let mark = if v.passed { "pass" } else { "FAIL" };
        text.push_str(&format!(
            "gate: {mark} {}: {}\n",
            v.deployment,
            safe_lines(&v.reason)
        ));
    }
    text
}

/// The refusal of a promotion some gate failed, naming each failure.
pub(super) fn refusal(verdicts: &[Verdict]) -> Option<CommandError> {
    let failed: Vec<&Verdict> = verdicts.iter().filter(|v| !v.passed).collect();
    if failed.is_empty() {
        return None;
    }
    let mut text = String::from("the promotion is refused by its gates:");
    for v in failed {
        text.push_str(&format!("\n  {}: {}", v.deployment, safe_lines(&v.reason)));
    }
    Some(CommandError::refused(text).with_hint(
        "wait until the gates pass, or override them with `--force-gates \"REASON\"` \
         (the reason is recorded in the lock)",
    ))
}
