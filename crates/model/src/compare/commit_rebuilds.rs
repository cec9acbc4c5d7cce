//! The builds a change of locked commits makes. A stage's artifact is built from its locked
//! commits, so a stage whose commit moves (a relock) runs a new build of its release even
//! when the matrix is unchanged — unless the base already built those commits for that
//! (release, deployment): a promotion carries the commits the lower stage built and tested.

use super::commits::CommitChange;
use super::{Change, Rebuild, pins};
use crate::Matrix;
use crate::lock::Lock;
use std::collections::BTreeMap;

/// Per stage (keyed by its place in the promotion order, then its name): applications.
type StageApps<'a> = BTreeMap<(usize, &'a str), Vec<&'a str>>;

/// Returns the (release, deployment) builds that `commits` alone make, those `matrix_rebuilt`
/// (rebuilt for a change of the matrix) left out, each with the stages whose commits make it.
pub(super) fn commit_rebuilds(
    (old, old_lock): (&Matrix, &Lock),
    new: &Matrix,
    commits: &[CommitChange],
    matrix_rebuilt: &[Rebuild],
) -> Vec<Rebuild> {
    let new_pins: BTreeMap<_, _> = pins(new).into_iter().collect();
    let old_pins: BTreeMap<_, _> = pins(old).into_iter().collect();
    // (release, deployment) → stage (in promotion order) → the applications whose new commit
    // is not built yet.
    let mut builds: BTreeMap<(&str, &str), StageApps<'_>> = BTreeMap::new();
    let position = |stage: &str| new.stages.iter().position(|s| s == stage);
    for c in commits {
        // A commit no longer locked builds nothing new from the lock.
        let (Change::Changed | Change::Added, Some(locked)) = (c.change, &c.new) else {
            continue;
        };
        let Some(&release) = new_pins.get(&(c.deployment.as_str(), c.stage.as_str())) else {
            continue;
        };
        if matrix_rebuilt
            .iter()
            .any(|r| r.release == release && r.deployment == c.deployment)
        {
            continue;
        }
        // Some stage of the base ran this release for this deployment at this very commit.
        let built = old_lock.entries().iter().any(|e| {
            e.deployment == c.deployment
                && e.application == c.application
                && e.origin == c.origin
                && e.commit == locked.commit
                && old_pins.get(&(e.deployment.as_str(), e.stage.as_str())) == Some(&release)
        });
        if built {
            continue;
        }
        builds
            .entry((release, c.deployment.as_str()))
            .or_default()
            .entry((position(&c.stage).unwrap_or(usize::MAX), c.stage.as_str()))
            .or_default()
            .push(c.application.as_str());
    }
    builds
        .into_iter()
        .map(|((release, deployment), stages)| {
            let per_stage: Vec<String> = stages
                .iter()
                .map(|((_, stage), apps)| {
                    let apps: Vec<String> = apps.iter().map(|a| format!("`{a}`")).collect();
                    format!("{} ({stage})", apps.join(", "))
                })
                .collect();
            Rebuild {
                release: release.to_owned(),
                deployment: deployment.to_owned(),
                reason: format!("locked commits change: {}", per_stage.join("; ")),
                stages: stages.keys().map(|(_, s)| (*s).to_owned()).collect(),
            }
        })
        .collect()
}
