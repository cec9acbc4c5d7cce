//! [`Pins`]: what the timelines need from one revision's matrix, far smaller than the matrix.

use edx_matrix_model::Matrix;

/// What the timelines need from one revision's matrix: the stages in promotion order and, per
/// deployment, the release of each stage. Far smaller than the matrix, so a long history can be
/// held in memory.
#[derive(Debug)]
pub(crate) struct Pins {
    pub(super) stages: Vec<String>,
    pub(super) releases: Vec<String>,
    /// (deployment, [(stage, release)]), in file order.
    pub(super) deployments: Vec<(String, Vec<(String, String)>)>,
}

impl From<&Matrix> for Pins {
    fn from(matrix: &Matrix) -> Self {
        Pins {
            stages: matrix.stages.iter().map(ToString::to_string).collect(),
            releases: matrix.releases.iter().map(|r| r.name.to_string()).collect(),
            deployments: matrix
                .deployments
                .iter()
                .map(|d| {
                    let stages = d
                        .stages
                        .iter()
                        .map(|pin| (pin.stage.to_string(), pin.release.to_string()))
                        .collect();
                    (d.name.to_string(), stages)
                })
                .collect(),
        }
    }
}
