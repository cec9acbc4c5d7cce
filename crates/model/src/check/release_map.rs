//! Checks of the release map: each entry names a defined release and deployment, and every
//! (release, deployment) a stage runs has its entry.

use super::entry_apps::{EntryApps, check_entry_apps};
use super::problem::MatrixProblem;
use super::subject::Subject;
use super::undefined_release;
use crate::code::Code;
use crate::matrix::Matrix;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

pub(super) fn check_release_map(
    matrix: &Matrix,
    releases: &HashMap<&str, usize>,
    apps: &HashMap<&str, usize>,
    deployments: &HashMap<&str, usize>,
    out: &mut Vec<MatrixProblem>,
) {
    let mut entry_apps = EntryApps::new(matrix);
    let mut entries: HashMap<(&str, &str), usize> =
        HashMap::with_capacity(matrix.release_map.len());
    for (e, entry) in matrix.release_map.iter().enumerate() {
        let entry_at = Subject::Entry { index: e };
        let key = (entry.release.as_str(), entry.deployment.as_str());
        if let Some(&previous) = entries.get(&key) {
            out.push(
                MatrixProblem::new(
                    Code::DuplicateEntry,
                    entry_at,
                    format!(
                        "release `{}` has two entries for deployment `{}`",
                        entry.release, entry.deployment
                    ),
                    "second entry",
                )
                .with_related(Subject::Entry { index: previous }, "first entry"),
            );
        } else {
            entries.insert(key, e);
        }
        if !releases.contains_key(entry.release.as_str()) {
            out.push(undefined_release(matrix, entry.release.as_str(), entry_at));
        }
        if !deployments.contains_key(entry.deployment.as_str()) {
            out.push(
                MatrixProblem::new(
                    Code::UndefinedDeployment,
                    entry_at,
                    format!("deployment `{}` is not defined", entry.deployment),
                    "undefined deployment",
                )
                .with_suggestion(
                    entry.deployment.as_str(),
                    matrix.deployments.iter().map(|d| d.name.as_str()),
                ),
            );
        }
        if entry.apps.is_empty() {
            out.push(MatrixProblem::new(
                Code::EmptyEntry,
                entry_at,
                format!(
                    "the entry for release `{}` and deployment `{}` has no applications",
                    entry.release, entry.deployment
                ),
                "no applications",
            ));
        }
        check_entry_apps(matrix, e, releases, apps, &mut entry_apps, out);
    }
    check_entries_used(matrix, releases, deployments, &entries, out);
}

pub(super) fn check_entries_used(
    matrix: &Matrix,
    releases: &HashMap<&str, usize>,
    deployments: &HashMap<&str, usize>,
    entries: &HashMap<(&str, &str), usize>,
    out: &mut Vec<MatrixProblem>,
) {
    let mut used_pairs: HashSet<(&str, &str)> = HashSet::new();
    let mut used_releases: HashSet<&str> = HashSet::new();
    for (d, deployment) in matrix.deployments.iter().enumerate() {
        for (s, pin) in deployment.stages.iter().enumerate() {
            let key = (pin.release.as_str(), deployment.name.as_str());
            used_pairs.insert(key);
            used_releases.insert(pin.release.as_str());
            if releases.contains_key(pin.release.as_str()) && !entries.contains_key(&key) {
                out.push(
                    MatrixProblem::new(
                        Code::MissingEntry,
                        Subject::Stage {
                            deployment: d,
                            index: s,
                            release: true,
                        },
                        format!(
                            "stage `{}` of `{}` runs `{}`, but the release map has no entry for release `{}` and deployment `{}`",
                            pin.stage, deployment.name, pin.release, pin.release, deployment.name
                        ),
                        "no release-map entry for this",
                    )
                    .with_help(format!(
                        "add a release-map block covering release `{}` and deployment `{}`",
                        pin.release, deployment.name
                    )),
                );
            }
        }
    }
    for (e, entry) in matrix.release_map.iter().enumerate() {
        let key = (entry.release.as_str(), entry.deployment.as_str());
        // An entry for an undefined release or deployment is reported as such, not as unused.
        let defined = releases.contains_key(key.0) && deployments.contains_key(key.1);
        if defined && entries.get(&key) == Some(&e) && !used_pairs.contains(&key) {
            out.push(
                MatrixProblem::new(
                    Code::UnusedEntry,
                    Subject::Entry { index: e },
                    format!(
                        "no stage of `{}` runs `{}`: this release-map entry is unused",
                        entry.deployment, entry.release
                    ),
                    "unused entry",
                )
                .with_help("remove it, or keep it while a stage is about to run it"),
            );
        }
    }
    for (r, release) in matrix.releases.iter().enumerate() {
        if releases.get(release.name.as_str()) == Some(&r)
            && !used_releases.contains(release.name.as_str())
        {
            out.push(
                MatrixProblem::new(
                    Code::UnusedRelease,
                    Subject::Release {
                        index: r,
                        field: None,
                    },
                    format!(
                        "no stage runs release `{}`: it can be retired",
                        release.name
                    ),
                    "unused release",
                )
                .with_help(format!(
                    "retire it with `edx-matrix release retire {}`",
                    release.name
                )),
            );
        }
    }
}
