//! The runbook an edit makes due: `upgrade` and `promote` move a stage to a release, and print
//! the steps of that release for that stage.

use super::{Plan, Runbooks};
use edx_matrix_model::Matrix;

/// Returns the runbook steps due for `stage` of `deployments` once `before` became `after`:
/// those of the release the stage runs in `after`, with first-deploy steps when one of the
/// deployments' stage ran another release in `before`. `None` when no deployment has the stage.
pub fn due_after(
    runbooks: &Runbooks,
    before: &Matrix,
    after: &Matrix,
    deployments: &[String],
    stage: &str,
) -> Option<Plan> {
    let release_in = |matrix: &Matrix, deployment: &str| {
        matrix
            .deployment(deployment)
            .and_then(|d| d.release_of(stage))
            .map(|r| r.as_str().to_owned())
    };
    let release = deployments.iter().find_map(|d| release_in(after, d))?;
    let first_deploy = deployments
        .iter()
        .any(|d| release_in(before, d).as_deref() != Some(release.as_str()));
    Some(runbooks.steps_for(&release, Some(stage), first_deploy))
}
