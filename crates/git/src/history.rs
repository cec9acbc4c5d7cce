//! The history of a matrix file: from every committed revision, the release each
//! (deployment, stage) ran and the commit that changed it, and the lead time of each release
//! from a deployment's first stage to its last. `edx-matrix history` prints it and the
//! dashboard of `edx-matrix serve` shows it.

use crate::{FileCommit, GitError, LocalRepo};
use edx_matrix_config::Loaded;
use edx_matrix_model::Matrix;
use edx_matrix_model::calendar::days_from_civil;
use edx_matrix_project::{Project, SourceFormat};
use serde::Serialize;
use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::Path;
use std::thread;

pub mod example;
mod narrow;

pub use narrow::parse_day;

/// The commit a change landed in.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct CommitRef {
    /// The full commit hash.
    pub hash: String,
    /// The abbreviated commit hash.
    pub short_hash: String,
    /// The committer date in strict ISO 8601.
    pub date: String,
    /// The first line of the commit message.
    pub subject: String,
}

impl From<&FileCommit> for CommitRef {
    fn from(c: &FileCommit) -> Self {
        CommitRef {
            hash: c.hash.clone(),
            short_hash: c.short_hash.clone(),
            date: c.date.clone(),
            subject: c.subject.clone(),
        }
    }
}

impl CommitRef {
    /// Returns the calendar day of the commit (`2024-06-01`).
    pub fn day(&self) -> &str {
        self.date.get(..10).unwrap_or(&self.date)
    }
}

/// A stage's release changing in a commit; `release` is `None` when the stage was removed.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct TimelineEvent {
    /// The release the stage runs from this commit on.
    pub release: Option<String>,
    /// The commit that made the change.
    pub commit: CommitRef,
}

/// The releases one (deployment, stage) ran, oldest first.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// The deployment.
    pub deployment: String,
    /// The stage.
    pub stage: String,
    /// Every change of the stage's release, oldest first.
    pub changes: Vec<TimelineEvent>,
}

/// When a release first reached the first and the last stage of a deployment.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct LeadTime {
    /// The deployment.
    pub deployment: String,
    /// The release.
    pub release: String,
    /// The first commit where the deployment's first stage runs the release.
    pub first_stage: Option<CommitRef>,
    /// The first commit where the deployment's last stage runs the release.
    pub last_stage: Option<CommitRef>,
    /// Seconds from `first_stage` to `last_stage`, when both exist in that order.
    pub seconds: Option<i64>,
}

/// A revision that was not read, and why.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The commit.
    pub commit: CommitRef,
    /// The file's path in that commit.
    pub path: String,
    /// Why it was skipped: the file is missing, or its first error.
    pub reason: String,
}

/// The history of a matrix file, as [`file_history`] reads it.
#[derive(Serialize, Debug)]
pub struct History {
    /// The file's path relative to the top-level of the working tree.
    pub file: String,
    /// The revisions of the file that were read (skipped ones included).
    pub revisions: usize,
    /// The first and last stage of the newest readable revision.
    pub first_stage: Option<String>,
    /// See `first_stage`.
    pub last_stage: Option<String>,
    /// One timeline per (deployment, stage), in order of first appearance.
    pub timelines: Vec<Timeline>,
    /// One lead time per (deployment, release) seen at the first or last stage.
    pub lead_times: Vec<LeadTime>,
    /// The revisions that do not load without errors.
    pub skipped: Vec<Skipped>,
    /// Every deployment of any readable revision, in order of first appearance.
    #[serde(skip)]
    pub deployments_seen: Vec<String>,
    /// Every release of any readable revision: the newest revision's releases in its order (the
    /// order the grid colours them by), then the releases only older revisions define, newest
    /// first.
    #[serde(skip)]
    pub releases: Vec<String>,
    /// Every stage of any readable revision, in promotion order: the newest revision's stages,
    /// then the stages only older revisions have.
    #[serde(skip)]
    pub stages: Vec<String>,
    /// Every revision read (skipped ones included), oldest first: what a change is compared with
    /// to show the commit's diff.
    #[serde(skip)]
    pub commits: Vec<CommitRef>,
}

/// One revision of a matrix file, for [`history_of_revisions`]: the commit, the file's path in
/// it, and its text or why there is none.
#[derive(Debug, Clone)]
pub struct Revision {
    /// The commit.
    pub commit: CommitRef,
    /// The file's path in that commit.
    pub path: String,
    /// The file's text, or why it cannot be read (the revision is then skipped).
    pub text: Result<String, String>,
}

impl History {
    /// Returns the revision read just before the one at `hash`, if any.
    pub fn previous(&self, hash: &str) -> Option<&CommitRef> {
        let at = self.commits.iter().position(|c| c.hash == hash)?;
        at.checked_sub(1).map(|i| &self.commits[i])
    }
}

/// What the timelines need from one revision's matrix: the stages in promotion order and, per
/// deployment, the release of each stage. Far smaller than the matrix, so a long history can be
/// held in memory.
#[derive(Debug)]
pub(crate) struct Pins {
    stages: Vec<String>,
    releases: Vec<String>,
    /// (deployment, [(stage, release)]), in file order.
    deployments: Vec<(String, Vec<(String, String)>)>,
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

/// Builds timelines from matrices in commit order (oldest first). `matrices` yields, for each
/// commit, the matrix or why it was skipped.
struct Builder<'a> {
    deployment: Option<&'a str>,
    timelines: Vec<Timeline>,
    slots: HashMap<(String, String), usize>,
    leads: Vec<LeadTime>,
    lead_slots: HashMap<(String, String), usize>,
    seen_deployments: Vec<String>,
    first_stage: Option<String>,
    last_stage: Option<String>,
    /// The releases of each readable revision, oldest first.
    releases: Vec<Vec<String>>,
    /// The stages of each readable revision, oldest first.
    stages: Vec<Vec<String>>,
}

impl<'a> Builder<'a> {
    fn new(deployment: Option<&'a str>) -> Self {
        Builder {
            deployment,
            timelines: Vec::new(),
            slots: HashMap::new(),
            leads: Vec::new(),
            lead_slots: HashMap::new(),
            seen_deployments: Vec::new(),
            first_stage: None,
            last_stage: None,
            releases: Vec::new(),
            stages: Vec::new(),
        }
    }

    fn add(&mut self, commit: &CommitRef, pins: &Pins) {
        let first = pins.stages.first().cloned();
        let last = pins.stages.last().cloned();
        if self.releases.last() != Some(&pins.releases) {
            self.releases.push(pins.releases.clone());
        }
        if self.stages.last() != Some(&pins.stages) {
            self.stages.push(pins.stages.clone());
        }
        let mut present = Vec::new();
        for (name, stages) in &pins.deployments {
            let name = name.as_str();
            if !self.seen_deployments.iter().any(|s| s == name) {
                self.seen_deployments.push(name.to_owned());
            }
            if self.deployment.is_some_and(|want| want != name) {
                continue;
            }
            for (stage, release) in stages {
                let key = (name.to_owned(), stage.clone());
                let release = release.clone();
                let slot = *self.slots.entry(key.clone()).or_insert_with(|| {
                    self.timelines.push(Timeline {
                        deployment: key.0.clone(),
                        stage: key.1.clone(),
                        changes: Vec::new(),
                    });
                    self.timelines.len() - 1
                });
                present.push(slot);
                let changes = &mut self.timelines[slot].changes;
                if changes.last().map(|c| c.release.as_deref()) != Some(Some(release.as_str())) {
                    changes.push(TimelineEvent {
                        release: Some(release.clone()),
                        commit: commit.clone(),
                    });
                }
                let at_first = first.as_ref() == Some(stage);
                let at_last = last.as_ref() == Some(stage);
                if at_first || at_last {
                    let lead_key = (name.to_owned(), release.clone());
                    let slot = *self.lead_slots.entry(lead_key).or_insert_with(|| {
                        self.leads.push(LeadTime {
                            deployment: name.to_owned(),
                            release: release.clone(),
                            first_stage: None,
                            last_stage: None,
                            seconds: None,
                        });
                        self.leads.len() - 1
                    });
                    let lead = &mut self.leads[slot];
                    if at_first && lead.first_stage.is_none() {
                        lead.first_stage = Some(commit.clone());
                    }
                    if at_last && lead.last_stage.is_none() {
                        lead.last_stage = Some(commit.clone());
                    }
                }
            }
        }
        // Stages that disappeared in this revision.
        for (slot, timeline) in self.timelines.iter_mut().enumerate() {
            let still_there = present.contains(&slot);
            let was_there = timeline.changes.last().is_some_and(|c| c.release.is_some());
            if !still_there && was_there {
                timeline.changes.push(TimelineEvent {
                    release: None,
                    commit: commit.clone(),
                });
            }
        }
        self.first_stage = first;
        self.last_stage = last;
    }

    /// The names of every revision, newest revision's order first.
    fn all(names: &[Vec<String>]) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        for names in names.iter().rev() {
            for r in names {
                if !all.contains(r) {
                    all.push(r.clone());
                }
            }
        }
        all
    }

    fn finish(mut self) -> (Vec<Timeline>, Vec<LeadTime>, Option<String>, Option<String>) {
        for lead in &mut self.leads {
            if let (Some(a), Some(b)) = (&lead.first_stage, &lead.last_stage) {
                if let (Some(start), Some(end)) = (epoch_seconds(&a.date), epoch_seconds(&b.date)) {
                    lead.seconds = (end >= start).then_some(end - start);
                }
            }
        }
        (
            self.timelines,
            self.leads,
            self.first_stage,
            self.last_stage,
        )
    }
}

/// Reads the history of the matrix file at `path` (relative to the top-level of `repo`, as
/// [`LocalRepo::relative_path`] returns it), oldest change first. With `deployment`, only that
/// deployment's timelines and lead times are kept ([`History::deployments_seen`] still lists
/// every deployment, to suggest a name).
///
/// A file without committed history gives a history of 0 revisions. Revisions that do not load
/// without errors are listed in [`History::skipped`].
///
/// # Errors
///
/// Returns the [`GitError`] when git fails to list or read the revisions.
pub fn file_history(
    repo: &LocalRepo,
    path: &str,
    deployment: Option<&str>,
) -> Result<History, GitError> {
    let mut log = repo.file_log(path)?;
    log.reverse();
    // One `git cat-file --batch` for every revision: a process per revision would dominate.
    let wanted: Vec<(&str, &str)> = log
        .iter()
        .map(|c| (c.hash.as_str(), c.path_at_commit.as_str()))
        .collect();
    let contents = if wanted.is_empty() {
        Vec::new()
    } else {
        repo.show_files(&wanted)?
    };
    let mut revisions = Vec::with_capacity(contents.len());
    for (commit, content) in log.iter().zip(contents) {
        let text = match content {
            Ok(Some(text)) => Ok(text),
            Ok(None) => Err("the file does not exist in this commit".to_owned()),
            Err(err @ (GitError::NotUtf8 { .. } | GitError::NotAFile { .. })) => {
                Err(err.to_string())
            }
            Err(err) => return Err(err),
        };
        revisions.push(Revision {
            commit: CommitRef::from(commit),
            path: commit.path_at_commit.clone(),
            text,
        });
    }
    Ok(history_of_revisions(path, revisions, deployment))
}

/// Computes the history of a matrix file from its revisions, oldest first, as [`file_history`]
/// does from git: the built-in example's history ([`example::revisions`]) goes through here too.
/// With `deployment`, only that deployment's timelines and lead times are kept.
pub fn history_of_revisions(
    file: &str,
    revisions: Vec<Revision>,
    deployment: Option<&str>,
) -> History {
    history_in_format(file, revisions, None, deployment)
}

/// [`history_of_revisions`] with the format of every revision's text given (a Python package's
/// text, see `edx_matrix_project::package_text`), or `None` for the format of its path.
pub(crate) fn history_in_format(
    file: &str,
    revisions: Vec<Revision>,
    format: Option<SourceFormat>,
    deployment: Option<&str>,
) -> History {
    let mut builder = Builder::new(deployment);
    let mut skipped = Vec::new();
    let count = revisions.len();
    let commits: Vec<CommitRef> = revisions.iter().map(|r| r.commit.clone()).collect();
    let paths: Vec<String> = revisions.iter().map(|r| r.path.clone()).collect();
    for ((commit, path), revision) in commits
        .iter()
        .zip(paths)
        .zip(load_revisions(revisions, format))
    {
        match revision {
            Ok(pins) => builder.add(commit, &pins),
            Err(reason) => skipped.push(Skipped {
                commit: commit.clone(),
                path,
                reason,
            }),
        }
    }
    let deployments_seen = builder.seen_deployments.clone();
    let releases = Builder::all(&builder.releases);
    let stages = Builder::all(&builder.stages);
    let (timelines, lead_times, first_stage, last_stage) = builder.finish();
    History {
        file: file.to_owned(),
        revisions: count,
        first_stage,
        last_stage,
        timelines,
        lead_times,
        skipped,
        deployments_seen,
        releases,
        stages,
        commits,
    }
}

/// Loads project text read from git or a file, in the format of `path` (see
/// [`edx_matrix_project::format_of`]). `name` is what diagnostics call the source.
pub fn load_text(path: &Path, name: String, text: String) -> Project {
    Project::from_path_text(path, name, text)
}

/// Describes the first error of a matrix that has errors, with its line when it has one:
/// `2 errors; first: line 3: unknown release `ulmo``.
pub fn first_error(loaded: &Loaded) -> String {
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    let Some(first) = errors.first() else {
        return "no errors".to_owned();
    };
    let place = first
        .line_col(&loaded.source)
        .map(|(line, _)| format!("line {line}: "))
        .unwrap_or_default();
    format!(
        "{} error{}; first: {place}{}",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        first.message
    )
}

/// Loads the text of each revision (or takes why it has none), in order: the matrix's stage pins,
/// or why the revision is skipped. Loading is almost all of `history`'s time, so a long history is split
/// into contiguous runs loaded on one thread per core (at most 8).
fn load_revisions(
    revisions: Vec<Revision>,
    format: Option<SourceFormat>,
) -> Vec<Result<Pins, String>> {
    let load = |revision: Revision| -> Result<Pins, String> {
        let path = &revision.path;
        let name = format!("{}:{path}", revision.commit.short_hash);
        let loaded = match format {
            Some(format) => Project::from_text(name, format, revision.text?),
            None => load_text(Path::new(path), name, revision.text?),
        };
        if loaded.has_errors() {
            Err(first_error(&loaded.loaded))
        } else {
            Ok(Pins::from(loaded.matrix()))
        }
    };
    let threads = thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(8);
    if threads < 2 || revisions.len() < 2 * PER_THREAD_AT_LEAST {
        return revisions.into_iter().map(load).collect();
    }
    let run = revisions.len().div_ceil(threads).max(PER_THREAD_AT_LEAST);
    let mut items = revisions.into_iter();
    let mut runs = Vec::new();
    loop {
        let next: Vec<_> = items.by_ref().take(run).collect();
        if next.is_empty() {
            break;
        }
        runs.push(next);
    }
    thread::scope(|scope| {
        let handles: Vec<_> = runs
            .into_iter()
            .map(|run| scope.spawn(move || run.into_iter().map(load).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Below this many revisions per thread, starting threads costs more than it saves.
const PER_THREAD_AT_LEAST: usize = 32;

/// Formats a duration in seconds as days and hours (`19d 4h`).
pub fn format_duration(seconds: i64) -> String {
    let hours = seconds / 3600;
    let (days, hours) = (hours / 24, hours % 24);
    if days == 0 && hours == 0 {
        format!("{}m", seconds / 60)
    } else {
        format!("{days}d {hours}h")
    }
}

/// Parses a strict ISO 8601 date as git prints it (`2024-06-01T12:00:00+02:00`, or with `Z`)
/// into seconds since the Unix epoch.
pub fn epoch_seconds(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    let num = |from: usize, to: usize| -> Option<i64> { date.get(from..to)?.parse().ok() };
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(10) != Some(&b'T') {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let offset = match b.get(19) {
        Some(b'Z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let minutes = num(20, 22)? * 60 + num(23, 25)?;
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
            - offset * 60,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_git_dates() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_seconds("1970-01-02T02:00:00+02:00"), Some(86_400));
        assert_eq!(
            epoch_seconds("2024-03-01T00:00:00+00:00"),
            Some(1_709_251_200)
        );
        assert_eq!(
            epoch_seconds("2000-02-29T12:30:00-01:30"),
            Some(951_832_800)
        );
        assert_eq!(epoch_seconds("yesterday"), None);
        assert_eq!(epoch_seconds("2024-13-01T00:00:00Z"), None);
    }

    #[test]
    fn formats_durations() {
        assert_eq!(format_duration(19 * 86_400 + 4 * 3600 + 59), "19d 4h");
        assert_eq!(format_duration(3 * 3600), "0d 3h");
        assert_eq!(format_duration(120), "2m");
    }

    /// Enough revisions to load on several threads: every outcome stays with its revision.
    #[test]
    fn loads_many_revisions_in_order() {
        const PRO: &str =
            r#"pro            = { CI = "verawood", QA = "ulmo",     Production = "teak" }"#;
        let acme = edx_matrix_config::example::TEXT;
        assert!(acme.contains(PRO));
        let n = 8 * PER_THREAD_AT_LEAST + 5;
        let commit = |i: usize| CommitRef {
            hash: format!("{i:040x}"),
            short_hash: format!("{i:07x}"),
            date: "2024-01-01T00:00:00Z".to_owned(),
            subject: format!("revision {i}"),
        };
        // Revision i pins `pro`'s CI stage to a release that encodes i % 3; every 7th does not
        // parse, every 11th has no file.
        let releases = ["teak", "ulmo", "verawood"];
        let revisions = (0..n)
            .map(|i| match i {
                _ if i % 11 == 5 => Err(format!("no file in {i}")),
                _ if i % 7 == 3 => Ok(format!("{acme}\n[broken\n")),
                _ => Ok(acme.replace(
                    PRO,
                    &format!(
                        r#"pro = {{ CI = "{}", QA = "ulmo", Production = "teak" }}"#,
                        releases[i % 3]
                    ),
                )),
            })
            .enumerate()
            .map(|(i, text)| Revision {
                commit: commit(i),
                path: "edx-matrix.toml".to_owned(),
                text,
            })
            .collect();
        let loaded = load_revisions(revisions, None);
        assert_eq!(loaded.len(), n);
        for (i, revision) in loaded.iter().enumerate() {
            match revision {
                Ok(pins) => {
                    assert!(i % 11 != 5 && i % 7 != 3, "{i}");
                    assert_eq!(pins.stages, ["CI", "QA", "Production"]);
                    let pro = pins
                        .deployments
                        .iter()
                        .find(|(d, _)| d == "pro")
                        .expect("pro");
                    let ci = ("CI".to_owned(), releases[i % 3].to_owned());
                    assert_eq!(pro.1[0], ci, "{i}");
                }
                Err(reason) if i % 11 == 5 => assert_eq!(reason, &format!("no file in {i}")),
                Err(reason) => {
                    assert_eq!(i % 7, 3, "{i}: {reason}");
                    assert!(reason.contains("invalid TOML"), "{i}: {reason}");
                }
            }
        }
    }
}
