//! The runbooks of a matrix file by release ([`Runbooks`]), and the steps due for one deploy
//! ([`Runbooks::steps_for`], falling back to the [`builtin`] ones).

use super::builtin;
use super::plan::{Origin, Plan};
use super::step::RunbookStep;

/// The runbooks of a matrix file, by release, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Runbooks {
    /// (release, steps) in file order.
    pub releases: Vec<(String, Vec<RunbookStep>)>,
}

impl Runbooks {
    /// Returns the steps written in the file for `release`, if the file has a runbook for it.
    pub fn for_release(&self, release: &str) -> Option<&[RunbookStep]> {
        self.releases
            .iter()
            .find(|(name, _)| name == release)
            .map(|(_, steps)| steps.as_slice())
    }

    /// Returns the steps due when deploying `release` to `stage` (every stage when `None`);
    /// `first_deploy` says whether this is the release's first deploy to that stage (then
    /// first-deploy steps are included too). Without a runbook for `release` in the file, the
    /// built-in steps for it are used.
    pub fn steps_for(&self, release: &str, stage: Option<&str>, first_deploy: bool) -> Plan {
        let (origin, steps) = match self.for_release(release) {
            Some(steps) => (Origin::Matrix, steps.to_vec()),
            None => (Origin::BuiltIn, builtin::steps(release)),
        };
        Plan {
            release: release.to_owned(),
            stage: stage.map(str::to_owned),
            first_deploy,
            origin,
            steps: steps
                .into_iter()
                .filter(|s| s.applies(stage, first_deploy))
                .collect(),
        }
    }
}
