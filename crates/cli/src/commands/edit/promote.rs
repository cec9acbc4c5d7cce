//! What `promote` says beside its edit: its gates' verdicts (judged by
//! `edx_matrix_project::plan_promotion`: refused with the reasons, or overridden with
//! `--force-gates REASON`, recorded as `forced` in the lock entries the promotion writes) and
//! what it did to the lock, on standard error; and its plan's refusals as the command's errors.

use crate::error::CommandError;
use crate::matrix_file;
use crate::output::Output;
use edx_matrix_formats::safe_lines;
use edx_matrix_model::Verdict;
use edx_matrix_project::{LockPlan, PlanError};

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

/// Turns a refused lock plan into the command's error, printing what it shows first (the
/// lock's errors, the failed gates).
pub(super) fn plan_error(out: &Output, e: PlanError<CommandError>) -> CommandError {
    match e {
        PlanError::Read(e) => matrix_file::read_error(e),
        PlanError::InvalidLock(project) => match matrix_file::require_valid_lock(out, &project) {
            Err(e) => e,
            Ok(()) => CommandError::matrix_reported(),
        },
        PlanError::Now(e) => e,
        PlanError::Refused { message, hint } => {
            let error = CommandError::refused(message);
            match hint {
                Some(hint) => error.with_hint(hint),
                None => error,
            }
        }
        PlanError::History(message) => CommandError::io(message),
        PlanError::Gates(verdicts) => {
            eprint!("{}", lines(&verdicts));
            refusal(&verdicts).unwrap_or_else(CommandError::matrix_reported)
        }
    }
}

/// Says what the promotion did to the lock (written with the matrix by the edit), on standard
/// error.
pub(super) fn finish(plan: &LockPlan, dry_run: bool) {
    for note in &plan.notes {
        eprintln!("lock: {note}");
    }
    let Some(lock) = plan.lock() else {
        return;
    };
    let name = lock.path.display();
    if !lock.changes() {
        eprintln!("lock: `{name}` unchanged");
    } else if dry_run {
        eprintln!("lock: `{name}` not written (dry run)");
    } else {
        eprintln!("lock: `{name}` written");
    }
}
