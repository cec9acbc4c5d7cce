//! Comparing two matrices by meaning, to check that an edited text says what the edit intended.
//!
//! Two files mean the same when they define the same stages (in order), the same releases,
//! applications and deployments (each deployment's stages in the promotion order), and the same release map
//! once every block is expanded: the order of sections, of blocks and of the applications in an
//! entry does not matter.

use edx_matrix_model::Matrix;
use edx_matrix_model::PromotionOrder;

/// Returns `matrix` with everything whose order does not matter sorted.
pub fn normalize(matrix: &Matrix) -> Matrix {
    let mut m = matrix.clone();
    m.releases.sort_by(|a, b| a.name.cmp(&b.name));
    m.applications.sort_by(|a, b| a.name.cmp(&b.name));
    m.deployments.sort_by(|a, b| a.name.cmp(&b.name));
    // The model's stage order; an unknown stage (None) sorts first, as before.
    let order = PromotionOrder::new(matrix);
    let rank = |stage: &str| order.rank(stage);
    let ranks: Vec<Vec<Option<usize>>> = m
        .deployments
        .iter()
        .map(|d| d.stages.iter().map(|p| rank(p.stage.as_str())).collect())
        .collect();
    for (d, ranks) in m.deployments.iter_mut().zip(ranks) {
        let mut pins: Vec<_> = ranks.into_iter().zip(d.stages.drain(..)).collect();
        pins.sort_by_key(|a| a.0);
        d.stages = pins.into_iter().map(|(_, p)| p).collect();
    }
    m.release_map.sort_by(|a, b| {
        (a.release.as_str(), a.deployment.as_str())
            .cmp(&(b.release.as_str(), b.deployment.as_str()))
    });
    for entry in &mut m.release_map {
        entry.apps.sort_by(|a, b| a.application.cmp(&b.application));
    }
    m
}

/// Returns whether two matrices mean the same.
pub fn same_meaning(a: &Matrix, b: &Matrix) -> bool {
    normalize(a) == normalize(b)
}

/// Returns a short description of the first difference between `got` and `expected`, or `None`
/// when they mean the same.
pub fn difference(got: &Matrix, expected: &Matrix) -> Option<String> {
    let got = normalize(got);
    let expected = normalize(expected);
    if got == expected {
        return None;
    }
    if got.stages != expected.stages {
        return Some(format!(
            "stages {:?} instead of {:?}",
            got.stages, expected.stages
        ));
    }
    if got.releases != expected.releases {
        return Some("the releases differ".to_owned());
    }
    if got.applications != expected.applications {
        return Some("the applications differ".to_owned());
    }
    if got.deployments != expected.deployments {
        return Some("the deployments differ".to_owned());
    }
    for e in &expected.release_map {
        match got
            .release_map
            .iter()
            .find(|g| g.release == e.release && g.deployment == e.deployment)
        {
            None => {
                return Some(format!(
                    "no entry for release `{}` and deployment `{}`",
                    e.release, e.deployment
                ));
            }
            Some(g) if g != e => {
                return Some(format!(
                    "the entry for release `{}` and deployment `{}` differs",
                    e.release, e.deployment
                ));
            }
            Some(_) => {}
        }
    }
    Some("the release map has extra entries".to_owned())
}
