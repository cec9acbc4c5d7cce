//! A promotion's gates: the promoted stage's `[gates.STAGE]` judged for each deployment (the
//! soak of the lower stage's locked commits, measured from the lock file's git history, and the
//! freeze windows).

use super::PlanError;
use crate::git::arrivals;
use edx_matrix_model::{
    Arrival, LockEntry, Matrix, StageGate, Verdict, freeze_verdict, soak_verdict,
};
use std::path::Path;

/// What one deployment's promotion is judged on: for each application the promoted stage
/// builds, the lower stage's entry that tested exactly what it will build (if any).
pub(super) struct Tested {
    /// The deployment.
    pub(super) deployment: String,
    /// The stage it is promoted from (its own stage before the promoted one, or `from`).
    pub(super) from: String,
    /// (application, the lower stage's matching entry).
    pub(super) rows: Vec<(String, Option<LockEntry>)>,
}

/// Judges `gate` for every deployment promoted (each from its own stage) into `to` at `now`.
pub(super) fn judge<E>(
    gate: &StageGate,
    to: &str,
    tested: &[Tested],
    lock_path: &Path,
    matrix: &Matrix,
    now: i64,
) -> Result<Vec<Verdict>, PlanError<E>> {
    let mut verdicts = Vec::new();
    let mut times = Vec::new();
    if gate.soak.is_some() {
        // One walk of the lock's history for every entry of every deployment.
        let wanted: Vec<&LockEntry> = tested
            .iter()
            .flat_map(|t| t.rows.iter().filter_map(|(_, e)| e.as_ref()))
            .collect();
        times = arrivals(lock_path, matrix, &wanted).map_err(|e| {
            PlanError::History(format!(
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
