//! Checks of the release map: each entry names a defined release and deployment, and every
//! (release, deployment) a stage runs has its entry.

use super::entry_apps::{EntryApps, check_entry_apps};
use super::problem::MatrixProblem;
use super::subject::Subject;
use super::undefined_release;
use crate::code::Code;
use crate::matrix::Matrix;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

/// Application versions from which the entries are checked on several threads
/// ([`crate::parallel`]): about 50 ms of checks on one.
const THREADS_FROM: usize = 200_000;

pub(super) fn check_release_map(
    matrix: &Matrix,
    releases: &HashMap<&str, usize>,
    apps: &HashMap<&str, usize>,
    deployments: &HashMap<&str, usize>,
    out: &mut Vec<MatrixProblem>,
) {
    let mut entries: HashMap<(&str, &str), usize> =
        HashMap::with_capacity(matrix.release_map.len());
    // Each entry's earlier twin, found first: the rest of an entry's checks need only it.
    let previous: Vec<Option<usize>> = (matrix.release_map.iter().enumerate())
        .map(|(e, entry)| {
            let key = (entry.release.as_str(), entry.deployment.as_str());
            let previous = entries.get(&key).copied();
            if previous.is_none() {
                entries.insert(key, e);
            }
            previous
        })
        .collect();
    let versions = matrix.release_map.iter().map(|e| e.apps.len()).sum();
    let threads = crate::parallel::threads_for(versions, THREADS_FROM);
    let lookups = Lookups {
        releases,
        apps,
        deployments,
    };
    check_entries(matrix, &previous, &lookups, threads, out);
    check_entries_used(matrix, releases, deployments, &entries, out);
}

/// The names an entry's checks look up.
struct Lookups<'a, 'm> {
    releases: &'a HashMap<&'m str, usize>,
    apps: &'a HashMap<&'m str, usize>,
    deployments: &'a HashMap<&'m str, usize>,
}

/// Checks every entry, on `threads` threads (0: on this one); the problems are the same, in
/// the same order, whatever the number.
fn check_entries(
    matrix: &Matrix,
    previous: &[Option<usize>],
    lookups: &Lookups<'_, '_>,
    threads: usize,
    out: &mut Vec<MatrixProblem>,
) {
    let check = |range: std::ops::Range<usize>, out: &mut Vec<MatrixProblem>| {
        // What one entry's check carries to the next: each thread its own.
        let mut entry_apps = EntryApps::new(matrix);
        for e in range {
            check_entry(matrix, e, previous[e], lookups, &mut entry_apps, out);
        }
    };
    let entry_count = matrix.release_map.len();
    if threads == 0 {
        check(0..entry_count, out);
    } else {
        // Contiguous ranges of entries, their problems joined in order: the same list.
        let ranges = crate::parallel::balanced_ranges(entry_count, threads, |e| {
            1 + matrix.release_map[e].apps.len()
        });
        let parts: Vec<Vec<MatrixProblem>> = std::thread::scope(|scope| {
            let handles: Vec<_> = ranges
                .into_iter()
                .map(|range| {
                    scope.spawn(move || {
                        let mut part = Vec::new();
                        check(range, &mut part);
                        part
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        });
        out.extend(parts.into_iter().flatten());
    }
}

/// The checks of entry `e` itself and of its applications; `previous` is its earlier twin.
fn check_entry<'m>(
    matrix: &'m Matrix,
    e: usize,
    previous: Option<usize>,
    lookups: &Lookups<'_, '_>,
    entry_apps: &mut EntryApps<'m>,
    out: &mut Vec<MatrixProblem>,
) {
    let Lookups {
        releases,
        apps,
        deployments,
    } = *lookups;
    let entry = &matrix.release_map[e];
    let entry_at = Subject::Entry { index: e };
    if let Some(previous) = previous {
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
    check_entry_apps(matrix, e, releases, apps, entry_apps, out);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::{AppVersion, ReleaseMapEntry};

    /// Entries of every kind of problem (twins, undefined names, no applications, unknown
    /// and repeated applications), the same whatever the number of threads.
    #[test]
    fn the_threads_find_what_one_thread_finds() {
        let mut matrix = Matrix::default();
        for e in 0..90 {
            let release = ["r0", "r1", "nope"][e % 3];
            let deployment = format!("d{}", e % 25);
            let apps = (0..e % 7)
                .map(|a| AppVersion::plain(format!("a{}", a % 4), release))
                .collect();
            matrix.release_map.push(ReleaseMapEntry {
                release: release.into(),
                deployment: deployment.as_str().into(),
                apps,
            });
        }
        for (name, repository) in [("a0", None), ("a1", Some("https://github.com/o/a1"))] {
            matrix.applications.push(crate::matrix::Application {
                name: name.into(),
                kind: crate::matrix::AppKind::Ida,
                repository: repository.map(Into::into),
                path: None,
            });
        }
        let releases: HashMap<&str, usize> = [("r0", 0), ("r1", 1)].into_iter().collect();
        let apps: HashMap<&str, usize> = [("a0", 0), ("a1", 1)].into_iter().collect();
        let names: Vec<String> = (0..20).map(|d| format!("d{d}")).collect();
        let deployments: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(d, n)| (n.as_str(), d))
            .collect();
        let lookups = Lookups {
            releases: &releases,
            apps: &apps,
            deployments: &deployments,
        };
        let mut twins = HashMap::new();
        let previous: Vec<Option<usize>> = (matrix.release_map.iter().enumerate())
            .map(|(e, entry)| {
                let key = (entry.release.as_str(), entry.deployment.as_str());
                let previous = twins.get(&key).copied();
                twins.entry(key).or_insert(e);
                previous
            })
            .collect();
        let run = |threads| {
            let mut out = Vec::new();
            // The matrix has no applications or releases defined: the lookups say what is.
            check_entries(&matrix, &previous, &lookups, threads, &mut out);
            out
        };
        let one = run(0);
        let codes: std::collections::BTreeSet<String> =
            one.iter().map(|p| format!("{:?}", p.code)).collect();
        for code in [
            "DuplicateEntry",
            "UndefinedRelease",
            "UndefinedDeployment",
            "EmptyEntry",
            "DuplicateApplication",
            "UnknownApplication",
            "EmptyOrigin",
        ] {
            assert!(codes.contains(code), "{code} not among {codes:?}");
        }
        for threads in 1..=5 {
            assert!(run(threads) == one, "{threads} threads found otherwise");
        }
    }
}
