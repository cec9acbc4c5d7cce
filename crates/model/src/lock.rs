//! The lock: the exact commit each (deployment, stage, application) was built from, and how a
//! lock compares with the matrix it locks (`edx-matrix.lock`; the text form is
//! `edx_matrix_formats::lock_file`). No I/O.

use crate::calendar::{civil_from_days, days_from_civil};
use crate::resolve::Row;
use crate::url::redact_url;
use serde::Serialize;
use std::collections::BTreeSet;

/// One locked row: what (deployment, stage, application) builds, to the commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LockEntry {
    /// The deployment.
    pub deployment: String,
    /// The stage.
    pub stage: String,
    /// The application.
    pub application: String,
    /// The repository, as the matrix spells it with any credential redacted ([`lock_origin`]).
    pub origin: String,
    /// The branch (or tag) the commit was the head of.
    pub branch: String,
    /// The full 40-hex commit id.
    pub commit: String,
    /// When it was locked, RFC 3339 UTC (`2026-12-05T18:40:00Z`).
    pub locked_at: String,
    /// Why a gate was overridden (`promote --force`), if one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forced: Option<String>,
}

impl LockEntry {
    /// Returns the (deployment, stage, application) key entries are sorted and unique by.
    pub fn key(&self) -> (&str, &str, &str) {
        (&self.deployment, &self.stage, &self.application)
    }

    /// Returns whether this entry locks what `row` builds: same key, origin and branch.
    pub fn matches(&self, row: &Row<'_>) -> bool {
        self.key() == (row.deployment, row.stage, row.application)
            && self.origin == lock_origin(row.git_origin)
            && self.branch == row.release_branch
    }
}

/// A lock file's entries, sorted by [`LockEntry::key`], at most one per key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Lock {
    entries: Vec<LockEntry>,
}

impl Lock {
    /// Returns a lock of `entries`, sorted; of entries with the same key the last one is kept.
    pub fn new(entries: impl IntoIterator<Item = LockEntry>) -> Self {
        let mut entries: Vec<LockEntry> = entries.into_iter().collect();
        // A stable sort keeps equal keys in input order; keep the last of each.
        entries.sort_by(|a, b| a.key().cmp(&b.key()));
        let mut unique: Vec<LockEntry> = Vec::with_capacity(entries.len());
        for entry in entries {
            match unique.last_mut() {
                Some(last) if last.key() == entry.key() => *last = entry,
                _ => unique.push(entry),
            }
        }
        Lock { entries: unique }
    }

    /// Returns the entries, sorted.
    pub fn entries(&self) -> &[LockEntry] {
        &self.entries
    }

    /// Returns whether the lock has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Returns the entry of (`deployment`, `stage`, `application`).
    pub fn get(&self, deployment: &str, stage: &str, application: &str) -> Option<&LockEntry> {
        let key = (deployment, stage, application);
        self.entries
            .binary_search_by(|e| e.key().cmp(&key))
            .ok()
            .map(|i| &self.entries[i])
    }

    /// Returns the locked commit of `row` when the lock has an entry for it that still builds
    /// the same origin and branch (a stale entry locks nothing).
    pub fn commit_of(&self, row: &Row<'_>) -> Option<&str> {
        self.get(row.deployment, row.stage, row.application)
            .filter(|e| e.matches(row))
            .map(|e| e.commit.as_str())
    }

    /// Sets the commit of every row this lock locks (see [`Lock::commit_of`]).
    pub fn apply<'m>(&'m self, rows: &mut [Row<'m>]) {
        for row in rows {
            row.commit = self.commit_of(row);
        }
    }

    /// Returns whether any entry belongs to (`deployment`, `stage`). A binary search (the entries
    /// are sorted by key, so a stage's entries are together): `stale_entries` asks it for every
    /// row the lock has no entry for, which scanning made rows × entries.
    pub fn locks_stage(&self, deployment: &str, stage: &str) -> bool {
        let at = self
            .entries
            .partition_point(|e| (e.deployment.as_str(), e.stage.as_str()) < (deployment, stage));
        self.entries
            .get(at)
            .is_some_and(|e| e.deployment == deployment && e.stage == stage)
    }

    /// Returns this lock with every entry of the stages `relocked` admits replaced by
    /// `entries`: the other stages keep theirs, byte for byte.
    pub fn relock(
        &self,
        relocked: impl Fn(&str, &str) -> bool,
        entries: impl IntoIterator<Item = LockEntry>,
    ) -> Lock {
        let kept = self
            .entries
            .iter()
            .filter(|e| !relocked(&e.deployment, &e.stage))
            .cloned();
        Lock::new(kept.chain(entries))
    }
}

/// Returns the origin a lock records for a matrix origin: the URL as written, its credential
/// (if any) replaced by `***` — a lock never holds a secret, and compares redacted.
pub fn lock_origin(origin: &str) -> String {
    redact_url(origin).into_owned()
}

/// Returns what is wrong with a commit id, or `None` for 40 lowercase hexadecimal digits.
pub fn commit_problem(commit: &str) -> Option<&'static str> {
    if commit.len() != 40 {
        return Some("a commit is 40 hexadecimal digits");
    }
    if !commit
        .bytes()
        .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Some("a commit is 40 lowercase hexadecimal digits (0-9, a-f)");
    }
    None
}

/// Formats seconds since the epoch as RFC 3339 UTC, to the second (`2026-12-05T18:40:00Z`).
pub fn format_timestamp(seconds: i64) -> String {
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Parses the RFC 3339 UTC form [`format_timestamp`] writes (`YYYY-MM-DDTHH:MM:SSZ`) into
/// seconds since the epoch; `None` for anything else or an impossible date.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let shape = b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z';
    if !shape {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || d < 1 || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    // An impossible day (February 30) does not come back as itself.
    if civil_from_days(days) != (y, mo, d) {
        return None;
    }
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
}

/// How a lock entry disagrees with the matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Stale {
    /// The row is still built, from another origin or branch than the one locked.
    Changed {
        /// The entry's index in [`Lock::entries`].
        entry: usize,
        /// The origin the matrix builds now (redacted).
        origin: String,
        /// The branch the matrix builds now.
        branch: String,
    },
    /// The entry locks a row the matrix no longer builds (the application was removed from
    /// the stage's release, or the stage moved to a release without it).
    Removed {
        /// The entry's index in [`Lock::entries`].
        entry: usize,
    },
    /// A locked stage builds an application the lock has no entry for (it was added).
    Unlocked {
        /// The deployment.
        deployment: String,
        /// The stage.
        stage: String,
        /// The application.
        application: String,
    },
}

/// Compares a lock with every resolved row of its matrix. Stages without any entry are not
/// locked and not reported; a locked stage must lock every row it builds.
pub fn stale_entries(lock: &Lock, rows: &[Row<'_>]) -> Vec<Stale> {
    let mut found = Vec::new();
    let mut built = BTreeSet::new();
    for row in rows {
        built.insert((row.deployment, row.stage, row.application));
        let key = (row.deployment, row.stage, row.application);
        match lock.entries.binary_search_by(|e| e.key().cmp(&key)) {
            Ok(i) if !lock.entries[i].matches(row) => found.push(Stale::Changed {
                entry: i,
                origin: lock_origin(row.git_origin),
                branch: row.release_branch.to_owned(),
            }),
            Ok(_) => {}
            Err(_) if lock.locks_stage(row.deployment, row.stage) => {
                found.push(Stale::Unlocked {
                    deployment: row.deployment.to_owned(),
                    stage: row.stage.to_owned(),
                    application: row.application.to_owned(),
                });
            }
            Err(_) => {}
        }
    }
    for (i, entry) in lock.entries.iter().enumerate() {
        if !built.contains(&entry.key()) {
            found.push(Stale::Removed { entry: i });
        }
    }
    found
}

/// What a promotion carries from the lower stage's lock into the promoted stage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Carried {
    /// The promoted stage's new entries: each row at the commit the lower stage locked for the
    /// same origin and branch (an entry already at that commit keeps its time).
    pub entries: Vec<LockEntry>,
    /// The rows of the promoted stage the lower stage has no matching locked commit for: it
    /// never tested them (another origin or branch, or not locked).
    pub untested: Vec<(String, String, String)>,
}

/// Carries the commits `from` locked in `deployment` into the rows `to_rows` (one stage of
/// that deployment, as the matrix resolves it after the promotion), timed `locked_at`.
pub fn carry(
    lock: &Lock,
    deployment: &str,
    from: &str,
    to_rows: &[Row<'_>],
    locked_at: &str,
) -> Carried {
    let mut carried = Carried::default();
    for row in to_rows {
        let origin = lock_origin(row.git_origin);
        let tested = lock
            .get(deployment, from, row.application)
            .filter(|e| e.origin == origin && e.branch == row.release_branch);
        let Some(tested) = tested else {
            carried.untested.push((
                row.application.to_owned(),
                origin,
                row.release_branch.to_owned(),
            ));
            continue;
        };
        let current = lock.get(row.deployment, row.stage, row.application);
        match current.filter(|e| e.matches(row) && e.commit == tested.commit) {
            Some(same) => carried.entries.push(same.clone()),
            None => carried.entries.push(LockEntry {
                deployment: row.deployment.to_owned(),
                stage: row.stage.to_owned(),
                application: row.application.to_owned(),
                origin,
                branch: row.release_branch.to_owned(),
                commit: tested.commit.clone(),
                locked_at: locked_at.to_owned(),
                forced: None,
            }),
        }
    }
    carried
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(deployment: &str, stage: &str, application: &str) -> LockEntry {
        LockEntry {
            deployment: deployment.to_owned(),
            stage: stage.to_owned(),
            application: application.to_owned(),
            origin: "https://example.com/o".to_owned(),
            branch: "b".to_owned(),
            commit: "0".repeat(40),
            locked_at: "2026-12-05T18:40:00Z".to_owned(),
            forced: None,
        }
    }

    #[test]
    fn locks_stage_finds_a_stage_wherever_its_entries_sort() {
        // Prefixes and neighbours on purpose: `QA` sorts between `CI` and `QA2`, `site` before
        // `site-b`; the expected answers are read off the list, not computed.
        let lock = Lock::new([
            entry("site-b", "QA", "forum"),
            entry("site", "QA2", "forum"),
            entry("site", "CI", "learning"),
            entry("site", "CI", "forum"),
            entry("a", "Production", "x"),
        ]);
        for (deployment, stage, locked) in [
            ("site", "CI", true),
            ("site", "QA2", true),
            ("site-b", "QA", true),
            ("a", "Production", true),
            ("site", "QA", false),
            ("site", "Q", false),
            ("site-b", "CI", false),
            ("a", "CI", false),
            ("z", "CI", false),
            ("", "", false),
        ] {
            assert_eq!(
                lock.locks_stage(deployment, stage),
                locked,
                "{deployment} {stage}"
            );
        }
        assert!(!Lock::default().locks_stage("site", "CI"));
    }

    #[test]
    fn timestamps_round_trip_and_refuse_impossible_dates() {
        // 2024-02-29T12:34:56Z, computed by `date -u -d @1709210096`.
        assert_eq!(format_timestamp(1_709_210_096), "2024-02-29T12:34:56Z");
        assert_eq!(parse_timestamp("2024-02-29T12:34:56Z"), Some(1_709_210_096));
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:00+01:00",
            "2024-01-01T00:00:0xZ",
            "+024-01-01T00:00:00Z",
            "",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn commits_are_forty_lowercase_hex_digits() {
        assert_eq!(commit_problem(&"a1".repeat(20)), None);
        assert!(commit_problem(&"A1".repeat(20)).is_some());
        assert!(commit_problem(&"a".repeat(39)).is_some());
        assert!(commit_problem(&"g".repeat(40)).is_some());
    }
}
