//! Checks of deployments: their stage pins and the promotion order of releases along the
//! stages.

use super::problem::MatrixProblem;
use super::subject::Subject;
use super::{list, undefined_release, unique_names};
use crate::code::Code;
use crate::matrix::Matrix;
use crate::order::PromotionOrder;
use foldhash::{HashMap, HashMapExt};

pub(super) fn check_deployments<'m>(
    matrix: &'m Matrix,
    stage_order: &HashMap<&str, usize>,
    releases: &HashMap<&str, usize>,
    out: &mut Vec<MatrixProblem>,
) -> HashMap<&'m str, usize> {
    let names = unique_names(
        matrix.deployments.iter().map(|d| d.name.as_str()),
        "deployment",
        |index| Subject::Deployment { index },
        out,
    );
    let order = PromotionOrder::new(matrix);
    for (d, deployment) in matrix.deployments.iter().enumerate() {
        if deployment.stages.is_empty() {
            out.push(MatrixProblem::new(
                Code::EmptyDeployment,
                Subject::Deployment { index: d },
                format!("deployment `{}` has no stages", deployment.name),
                "no stages",
            ));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (s, pin) in deployment.stages.iter().enumerate() {
            let stage_at = Subject::Stage {
                deployment: d,
                index: s,
                release: false,
            };
            if let Some(&previous) = seen.get(pin.stage.as_str()) {
                out.push(
                    MatrixProblem::new(
                        Code::DuplicateName,
                        stage_at,
                        format!(
                            "deployment `{}` lists stage `{}` twice",
                            deployment.name, pin.stage
                        ),
                        "listed again here",
                    )
                    .with_related(
                        Subject::Stage {
                            deployment: d,
                            index: previous,
                            release: false,
                        },
                        "first listed here",
                    ),
                );
            } else {
                seen.insert(pin.stage.as_str(), s);
            }
            if !stage_order.contains_key(pin.stage.as_str()) {
                out.push(
                    MatrixProblem::new(
                        Code::UndefinedStage,
                        stage_at,
                        format!("stage `{}` is not in the stage order", pin.stage),
                        "unknown stage",
                    )
                    .with_suggestion(pin.stage.as_str(), matrix.stages.iter().map(|s| s.as_str()))
                    .with_help(format!(
                        "the stage order is {}",
                        list(matrix.stages.iter().map(|s| s.as_str()))
                    )),
                );
            }
            if !releases.contains_key(pin.release.as_str()) {
                out.push(undefined_release(
                    matrix,
                    pin.release.as_str(),
                    Subject::Stage {
                        deployment: d,
                        index: s,
                        release: true,
                    },
                ));
            }
        }
        check_promotion_order(matrix, d, &order, out);
    }
    names
}

pub(super) fn check_promotion_order(
    matrix: &Matrix,
    d: usize,
    order: &PromotionOrder,
    out: &mut Vec<MatrixProblem>,
) {
    let deployment = &matrix.deployments[d];
    // Unknown stages and releases are reported elsewhere; `neighbours` leaves them out.
    for pair in order.neighbours(deployment) {
        if pair.out_of_order() {
            let (earlier, later) = (pair.earlier.index, pair.later.index);
            let earlier_pin = pair.earlier.pin;
            let later_pin = pair.later.pin;
            out.push(
                MatrixProblem::new(
                    Code::PromotionOrder,
                    Subject::Stage {
                        deployment: d,
                        index: later,
                        release: true,
                    },
                    format!(
                        "stage `{}` of `{}` runs `{}`, newer than `{}` on the earlier stage `{}`",
                        later_pin.stage,
                        deployment.name,
                        later_pin.release,
                        earlier_pin.release,
                        earlier_pin.stage
                    ),
                    "newer than the stage before it",
                )
                .with_related(
                    Subject::Stage {
                        deployment: d,
                        index: earlier,
                        release: true,
                    },
                    "earlier stage",
                )
                .with_help("releases are promoted from earlier to later stages; promote instead of skipping ahead"),
            );
        }
    }
}
