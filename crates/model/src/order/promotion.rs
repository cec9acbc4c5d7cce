//! The promotion order of one deployment's pins: the one rule behind `check`'s
//! `promotion-order` warning, `promote`'s refusal and "the stage before" it promotes from, and
//! the order `query stages` lists stages in (docs/domain.md, "Promotion order").
//!
//! The rule for a matrix with errors: a pin whose stage the stage order does not name
//! (`undefined-stage`) has no place in the order and is left out; a pin whose release is not
//! defined (`undefined-release`) keeps its place but has no age, so it is left out of the
//! neighbouring pairs and its neighbours are compared with each other (bridged).

use crate::matrix::{Deployment, Matrix, Release, StagePin};
use std::collections::HashMap;

/// A deployment's pin at its place in the promotion order.
#[derive(Clone, Copy, Debug)]
pub struct PlacedPin<'m> {
    /// Its index in [`Deployment::stages`] (the order the file writes).
    pub index: usize,
    /// The pin.
    pub pin: &'m StagePin,
    /// Its release, `None` when the matrix does not define it.
    pub release: Option<&'m Release>,
}

/// Two neighbouring pins in the promotion order, both with a defined release.
#[derive(Clone, Copy, Debug)]
pub struct Neighbours<'m> {
    /// The earlier stage's pin.
    pub earlier: PlacedPin<'m>,
    /// The later stage's pin.
    pub later: PlacedPin<'m>,
    /// The earlier stage's release.
    pub earlier_release: &'m Release,
    /// The later stage's release.
    pub later_release: &'m Release,
}

impl Neighbours<'_> {
    /// Returns whether the later stage runs a newer release than the earlier one: the
    /// `promotion-order` problem.
    pub fn out_of_order(&self) -> bool {
        super::compare_releases(self.later_release, self.earlier_release)
            == std::cmp::Ordering::Greater
    }
}

/// A matrix's stage order and releases, indexed once to order the pins of its deployments.
#[derive(Clone, Debug)]
pub struct PromotionOrder<'m> {
    stages: HashMap<&'m str, usize>,
    releases: HashMap<&'m str, &'m Release>,
}

impl<'m> PromotionOrder<'m> {
    /// Indexes `matrix`'s stage order and releases (a name listed twice counts where it is first
    /// listed, as `check` reports it).
    pub fn new(matrix: &'m Matrix) -> Self {
        let mut stages = HashMap::new();
        for (i, stage) in matrix.stages.iter().enumerate() {
            stages.entry(stage.as_str()).or_insert(i);
        }
        let mut releases = HashMap::new();
        for release in &matrix.releases {
            releases.entry(release.name.as_str()).or_insert(release);
        }
        PromotionOrder { stages, releases }
    }

    /// Returns the place of `stage` in the stage order, `None` for a stage it does not name.
    pub fn rank(&self, stage: &str) -> Option<usize> {
        self.stages.get(stage).copied()
    }

    /// Returns the pins of `deployment` whose stage the stage order names, sorted by it
    /// (whatever order the file writes them in; a stage pinned twice keeps its written order).
    /// A pin with an unknown stage is left out.
    pub fn pins(&self, deployment: &'m Deployment) -> Vec<PlacedPin<'m>> {
        let mut pins: Vec<(usize, PlacedPin<'m>)> = deployment
            .stages
            .iter()
            .enumerate()
            .filter_map(|(index, pin)| {
                let rank = self.rank(pin.stage.as_str())?;
                let release = self.releases.get(pin.release.as_str()).copied();
                Some((
                    rank,
                    PlacedPin {
                        index,
                        pin,
                        release,
                    },
                ))
            })
            .collect();
        // A stable sort: equal ranks (a stage pinned twice) stay in written order.
        pins.sort_by_key(|(rank, _)| *rank);
        pins.into_iter().map(|(_, pin)| pin).collect()
    }

    /// Returns the neighbouring pairs of `deployment`'s pins in promotion order, leaving out pins
    /// with an undefined release so that the pins around them are compared.
    pub fn neighbours(&self, deployment: &'m Deployment) -> Vec<Neighbours<'m>> {
        let dated: Vec<(PlacedPin<'m>, &'m Release)> = self
            .pins(deployment)
            .into_iter()
            .filter_map(|p| Some((p, p.release?)))
            .collect();
        dated
            .windows(2)
            .map(|pair| Neighbours {
                earlier: pair[0].0,
                later: pair[1].0,
                earlier_release: pair[0].1,
                later_release: pair[1].1,
            })
            .collect()
    }

    /// Returns the stage before `stage` among `deployment`'s pins in promotion order: the stage
    /// `promote` takes the release from. `None` when `stage` is the deployment's first or it
    /// does not pin `stage`.
    pub fn stage_before(&self, deployment: &'m Deployment, stage: &str) -> Option<&'m StagePin> {
        let pins = self.pins(deployment);
        let at = pins.iter().position(|p| p.pin.stage == stage)?;
        Some(pins.get(at.checked_sub(1)?)?.pin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::{Matrix, Release};

    fn release(name: &str) -> Release {
        Release {
            name: name.into(),
            branch: "b".into(),
            python: None,
            node: None,
            rolling: Release::is_rolling_name(name),
        }
    }

    /// A matrix with stages CI, QA, Staging, Production, releases teak, ulmo, master, and one
    /// deployment pinning `pins` (stage, release) in the order given.
    fn matrix(pins: &[(&str, &str)]) -> Matrix {
        Matrix {
            stages: ["CI", "QA", "Staging", "Production"]
                .map(Into::into)
                .to_vec(),
            releases: vec![release("teak"), release("ulmo"), release("master")],
            deployments: vec![Deployment {
                name: "campus".into(),
                stages: pins
                    .iter()
                    .map(|(stage, release)| StagePin {
                        stage: (*stage).into(),
                        release: (*release).into(),
                        vars: Default::default(),
                    })
                    .collect(),
                vars: Default::default(),
            }],
            ..Matrix::default()
        }
    }

    fn stages(pins: &[PlacedPin]) -> Vec<String> {
        pins.iter().map(|p| p.pin.stage.to_string()).collect()
    }

    fn pairs(matrix: &Matrix) -> Vec<(String, String, bool)> {
        PromotionOrder::new(matrix)
            .neighbours(&matrix.deployments[0])
            .iter()
            .map(|n| {
                (
                    n.earlier.pin.stage.to_string(),
                    n.later.pin.stage.to_string(),
                    n.out_of_order(),
                )
            })
            .collect()
    }

    #[test]
    fn pins_come_in_the_stage_order_whatever_order_the_file_writes() {
        let m = matrix(&[("Production", "teak"), ("CI", "master"), ("QA", "ulmo")]);
        let pins = PromotionOrder::new(&m).pins(&m.deployments[0]);
        assert_eq!(stages(&pins), ["CI", "QA", "Production"]);
        assert_eq!(pins.iter().map(|p| p.index).collect::<Vec<_>>(), [1, 2, 0]);
    }

    #[test]
    fn an_unknown_stage_is_left_out() {
        let m = matrix(&[("Dev", "master"), ("CI", "ulmo"), ("QA", "teak")]);
        let order = PromotionOrder::new(&m);
        assert_eq!(stages(&order.pins(&m.deployments[0])), ["CI", "QA"]);
        assert_eq!(order.rank("Dev"), None);
        // Dev (master) is newer than CI, but has no place: no pair includes it.
        assert_eq!(pairs(&m), [("CI".into(), "QA".into(), false)]);
    }

    #[test]
    fn an_undefined_release_is_bridged() {
        let m = matrix(&[("CI", "teak"), ("QA", "nope"), ("Production", "ulmo")]);
        assert_eq!(pairs(&m), [("CI".into(), "Production".into(), true)]);
        // It keeps its place as a stage: the stage before Production is QA.
        let order = PromotionOrder::new(&m);
        let before = order.stage_before(&m.deployments[0], "Production");
        assert_eq!(before.map(|p| p.stage.as_str()), Some("QA"));
    }

    #[test]
    fn the_stage_before_skips_stages_the_deployment_does_not_pin() {
        let m = matrix(&[("Production", "teak"), ("CI", "ulmo")]);
        let order = PromotionOrder::new(&m);
        let d = &m.deployments[0];
        let before = order.stage_before(d, "Production");
        assert_eq!(before.map(|p| p.stage.as_str()), Some("CI"));
        assert!(order.stage_before(d, "CI").is_none());
        assert!(order.stage_before(d, "QA").is_none());
    }

    #[test]
    fn a_rolling_line_after_a_named_release_is_out_of_order() {
        let m = matrix(&[("CI", "ulmo"), ("QA", "master"), ("Production", "teak")]);
        assert_eq!(
            pairs(&m),
            [
                ("CI".into(), "QA".into(), true),
                ("QA".into(), "Production".into(), false)
            ]
        );
    }
}
