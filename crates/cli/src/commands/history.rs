//! `edx-matrix history`: from the git history of the matrix file, the releases every stage ran
//! and when each change landed, and the lead time of each release from CI to Production.

use crate::cli::{GlobalArgs, HistoryArgs, TableFormat};
use crate::error::{CmdResult, CommandError};
use crate::matrix_repo::{self, first_error, git_error, load_text};
use crate::output::{Output, render_table, table};
use edx_matrix_git::{FileCommit, GitError};
use edx_matrix_model::suggest::did_you_mean;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// The commit a change landed in.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct CommitRef {
    pub hash: String,
    pub short_hash: String,
    pub date: String,
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
    /// The calendar day of the commit (`2024-06-01`).
    fn day(&self) -> &str {
        self.date.get(..10).unwrap_or(&self.date)
    }
}

/// A stage's release changing in a commit; `release` is `None` when the stage was removed.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct StageChange {
    pub release: Option<String>,
    pub commit: CommitRef,
}

/// The releases one (deployment, stage) ran, oldest first.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub deployment: String,
    pub stage: String,
    pub changes: Vec<StageChange>,
}

/// When a release first reached the first and the last stage of a deployment.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct LeadTime {
    pub deployment: String,
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
    pub commit: CommitRef,
    pub path: String,
    pub reason: String,
}

/// Everything `history` reports.
#[derive(Serialize, Debug)]
pub struct History {
    pub file: String,
    /// The revisions of the file that were read (skipped ones included).
    pub revisions: usize,
    /// The first and last stage of the newest readable revision.
    pub first_stage: Option<String>,
    pub last_stage: Option<String>,
    pub timelines: Vec<Timeline>,
    pub lead_times: Vec<LeadTime>,
    pub skipped: Vec<Skipped>,
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
        }
    }

    fn add(&mut self, commit: &CommitRef, matrix: &edx_matrix_model::Matrix) {
        let first = matrix.stages.first().map(ToString::to_string);
        let last = matrix.stages.last().map(ToString::to_string);
        let mut present = Vec::new();
        for d in &matrix.deployments {
            let name = d.name.as_str();
            if !self.seen_deployments.iter().any(|s| s == name) {
                self.seen_deployments.push(name.to_owned());
            }
            if self.deployment.is_some_and(|want| want != name) {
                continue;
            }
            for pin in &d.stages {
                let key = (name.to_owned(), pin.stage.to_string());
                let release = pin.release.to_string();
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
                    changes.push(StageChange {
                        release: Some(release.clone()),
                        commit: commit.clone(),
                    });
                }
                let at_first = first.as_deref() == Some(pin.stage.as_str());
                let at_last = last.as_deref() == Some(pin.stage.as_str());
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
                timeline.changes.push(StageChange {
                    release: None,
                    commit: commit.clone(),
                });
            }
        }
        self.first_stage = first;
        self.last_stage = last;
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

pub fn run(global: &GlobalArgs, out: &Output, args: &HistoryArgs) -> CmdResult {
    let mr = matrix_repo::open(global, "history")?;
    let mut log = mr.repo.file_log(&mr.path).map_err(git_error)?;
    if log.is_empty() {
        return Err(CommandError::usage(format!(
            "`{}` has no committed history",
            mr.path
        )));
    }
    log.reverse();
    let mut builder = Builder::new(args.deployment.as_deref());
    let mut skipped = Vec::new();
    // One `git cat-file --batch` for every revision: a process per revision would dominate.
    let wanted: Vec<(&str, &str)> = log
        .iter()
        .map(|c| (c.hash.as_str(), c.path_at_commit.as_str()))
        .collect();
    let contents = mr.repo.show_files(&wanted).map_err(git_error)?;
    for (commit, content) in log.iter().zip(contents) {
        let commit_ref = CommitRef::from(commit);
        let path = &commit.path_at_commit;
        let skip = |reason: String| Skipped {
            commit: commit_ref.clone(),
            path: path.clone(),
            reason,
        };
        let text = match content {
            Ok(Some(text)) => text,
            Ok(None) => {
                skipped.push(skip("the file does not exist in this commit".to_owned()));
                continue;
            }
            Err(err @ (GitError::NotUtf8 { .. } | GitError::NotAFile { .. })) => {
                skipped.push(skip(err.to_string()));
                continue;
            }
            Err(err) => return Err(git_error(err)),
        };
        let name = format!("{}:{path}", commit.short_hash);
        let loaded = load_text(Path::new(path), name, text);
        if loaded.has_errors() {
            skipped.push(skip(first_error(&loaded)));
            continue;
        }
        builder.add(&commit_ref, &loaded.matrix);
    }
    if let Some(want) = &args.deployment {
        if !builder.seen_deployments.iter().any(|d| d == want) {
            let mut err = CommandError::usage(format!(
                "no deployment `{want}` in any revision of `{}`",
                mr.path
            ));
            if let Some(s) = did_you_mean(want, builder.seen_deployments.iter().map(String::as_str))
            {
                err = err.with_hint(format!("did you mean `{s}`?"));
            }
            return Err(err);
        }
    }
    let (timelines, lead_times, first_stage, last_stage) = builder.finish();
    let history = History {
        file: mr.path.clone(),
        revisions: log.len(),
        first_stage,
        last_stage,
        timelines,
        lead_times,
        skipped,
    };
    match args.format {
        TableFormat::Json => out.json(&history)?,
        TableFormat::Table => out.print(&render(&history))?,
    }
    Ok(ExitCode::SUCCESS)
}

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

fn render(history: &History) -> String {
    let mut text = format!(
        "history of `{}`: {} revision{}, {} skipped\n",
        history.file,
        history.revisions,
        if history.revisions == 1 { "" } else { "s" },
        history.skipped.len()
    );
    if !history.timelines.is_empty() {
        text.push('\n');
        let mut t = table(&[
            "deployment",
            "stage",
            "release",
            "since",
            "commit",
            "subject",
        ]);
        for timeline in &history.timelines {
            for (i, change) in timeline.changes.iter().enumerate() {
                let (d, s) = if i == 0 {
                    (timeline.deployment.clone(), timeline.stage.clone())
                } else {
                    (String::new(), String::new())
                };
                t.add_row([
                    d,
                    s,
                    change
                        .release
                        .clone()
                        .unwrap_or_else(|| "(removed)".to_owned()),
                    change.commit.day().to_owned(),
                    change.commit.short_hash.clone(),
                    change.commit.subject.clone(),
                ]);
            }
        }
        text.push_str(&render_table(&t));
    }
    if !history.lead_times.is_empty() {
        let first = history.first_stage.as_deref().unwrap_or("first stage");
        let last = history.last_stage.as_deref().unwrap_or("last stage");
        let _ = writeln!(text, "\nlead time from `{first}` to `{last}`");
        let at = |c: &Option<CommitRef>| {
            c.as_ref().map_or_else(
                || "-".to_owned(),
                |c| format!("{} {}", c.day(), c.short_hash),
            )
        };
        let mut t = table(&["deployment", "release", first, last, "lead time"]);
        for lead in &history.lead_times {
            t.add_row([
                lead.deployment.clone(),
                lead.release.clone(),
                at(&lead.first_stage),
                at(&lead.last_stage),
                lead.seconds.map_or_else(|| "-".to_owned(), format_duration),
            ]);
        }
        text.push_str(&render_table(&t));
    }
    if !history.skipped.is_empty() {
        text.push_str("\nskipped revisions (the file does not load without errors)\n");
        for s in &history.skipped {
            let _ = writeln!(
                text,
                "  {}  {}  {}: {}",
                s.commit.day(),
                s.commit.short_hash,
                s.commit.subject,
                s.reason
            );
        }
    }
    text
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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
}
