//! The history of a matrix file as data: from every revision, the release each (deployment,
//! stage) ran and the commit that changed it, and the lead time of each release from a
//! deployment's first stage to its last. Reading it from git is the application's job; charts
//! and pages render these values.

mod dates;
mod narrow;

pub use dates::{epoch_seconds, format_duration};
pub use narrow::parse_day;
use serde::Serialize;

/// The commit a change landed in.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct CommitRef {
    /// The full commit hash.
    pub hash: String,
    /// The abbreviated commit hash.
    pub short_hash: String,
    /// The author date in strict ISO 8601: when the change was written (kept through rebases,
    /// cherry-picks and merges of a pull request, unlike the committer date).
    pub date: String,
    /// The first line of the commit message.
    pub subject: String,
}

/// A stage's release changing in a commit; `release` is `None` when the stage was removed, or
/// when the revision cannot be read (`unreadable`): what the stage ran from there until the next
/// readable revision is unknown, and no state is carried across the gap.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct TimelineEvent {
    /// The release the stage runs from this commit on.
    pub release: Option<String>,
    /// The commit that made the change.
    pub commit: CommitRef,
    /// Set when this revision could not be read: the start of a gap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<Unreadable>,
}

/// Why a revision could not be read.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The first error, or why the file is not there.
    pub reason: String,
    /// Where: the file's path in that commit.
    pub location: String,
}

/// Which way a lead time measured across a gap of unreadable revisions may be off.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The first stage may have got the release inside the gap, earlier: at least this long.
    AtLeast,
    /// The last stage may have got it inside the gap, earlier: at most this long.
    AtMost,
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
    /// A rolling line (`master`): the last stage never "finishes" it, so no lead time is due.
    pub rolling: bool,
    /// Set when a gap of unreadable revisions comes right before one end: `seconds` is a bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<Bound>,
    /// Why `seconds` is omitted when gaps come before both ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<String>,
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

/// The history of a matrix file, as the application reads it from git.
#[derive(Serialize, Debug, Default)]
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

impl CommitRef {
    /// Returns the calendar day of the commit (`2024-06-01`).
    pub fn day(&self) -> &str {
        self.date.get(..10).unwrap_or(&self.date)
    }
}

impl History {
    /// Returns the revision read just before the one at `hash`, if any.
    pub fn previous(&self, hash: &str) -> Option<&CommitRef> {
        let at = self.commits.iter().position(|c| c.hash == hash)?;
        at.checked_sub(1).map(|i| &self.commits[i])
    }
}
