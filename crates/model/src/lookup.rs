//! The everyday questions operators ask of a matrix (`docs/domain.md#the-lookups`).

use crate::matrix::{Deployment, Matrix};
use crate::resolve::Index;

/// A deployment that runs a release, with the stages that run it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DeploymentOnRelease<'m> {
    /// The deployment.
    pub deployment: &'m str,
    /// Its stages on the release, in promotion order.
    pub stages: Vec<&'m str>,
}

/// Returns the deployments that run `release` in any stage, and if `application` is given,
/// only those whose entry for that release includes it.
pub fn deployments_running<'m>(
    matrix: &'m Matrix,
    index: &Index<'m>,
    release: &str,
    application: Option<&str>,
) -> Vec<DeploymentOnRelease<'m>> {
    matrix
        .deployments
        .iter()
        .filter_map(|deployment| {
            let stages = stages_on(matrix, deployment, release);
            if stages.is_empty() {
                return None;
            }
            if let Some(app) = application {
                let entry = index.entry(release, deployment.name.as_str())?;
                if !entry.apps.iter().any(|v| v.application == app) {
                    return None;
                }
            }
            Some(DeploymentOnRelease {
                deployment: deployment.name.as_str(),
                stages,
            })
        })
        .collect()
}

/// Returns the stages of `deployment` that run `release`, in promotion order (the matrix's
/// `stages`, whatever order the deployment's table writes them in; a stage the order does not
/// name, which `check` reports, comes last).
pub fn stages_on<'m>(matrix: &Matrix, deployment: &'m Deployment, release: &str) -> Vec<&'m str> {
    let mut stages: Vec<&str> = deployment
        .stages
        .iter()
        .filter(|pin| pin.release == release)
        .map(|pin| pin.stage.as_str())
        .collect();
    // Listed, not compared: an unknown stage is kept (last) rather than left out.
    let order = crate::order::PromotionOrder::new(matrix);
    stages.sort_by_key(|stage| order.rank(stage).unwrap_or(usize::MAX));
    stages
}
