//! Narrowing a [`History`] to one deployment and to the changes since a day, for
//! `edx-matrix history --deployment --since` and the dashboard's `/history?deployment=&since=`.

use super::{History, epoch_seconds};

/// Parses a calendar day (`2025-06-01`) into the seconds since the Unix epoch of its start (UTC).
///
/// # Errors
///
/// Returns what is wrong with `day` when it is not a valid `YYYY-MM-DD` date.
pub fn parse_day(day: &str) -> Result<i64, String> {
    let shape_ok = day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let seconds = shape_ok
        .then(|| epoch_seconds(&format!("{day}T00:00:00Z")))
        .flatten();
    // epoch_seconds accepts day 31 of any month; a round trip through the day number refuses it.
    match seconds {
        Some(s) if day_of(s) == day => Ok(s),
        _ => Err(format!(
            "`{day}` is not a date: expected YYYY-MM-DD, like 2025-06-01"
        )),
    }
}

/// Formats seconds since the epoch as the UTC calendar day (`2025-06-01`).
pub(crate) fn day_of(seconds: i64) -> String {
    crate::calendar::day_of(seconds)
}

impl History {
    /// Returns this history narrowed to `deployment` (when given) and to what happened from
    /// `since` (seconds since the epoch, when given) on: each timeline keeps the change in effect
    /// at `since` and every later one; lead times, skipped revisions and the revision count keep
    /// what is dated from `since` on (a release still in progress is kept).
    pub fn narrowed(&self, deployment: Option<&str>, since: Option<i64>) -> History {
        let from = |date: &str| since.is_none_or(|s| epoch_seconds(date).is_none_or(|d| d >= s));
        let wanted = |d: &str| deployment.is_none_or(|want| want == d);
        let timelines = (self.timelines.iter())
            .filter(|t| wanted(&t.deployment))
            .filter_map(|t| {
                let later = t.changes.iter().position(|c| from(&c.commit.date));
                let keep_from = match later {
                    Some(0) => 0,
                    Some(i) => i - 1,
                    None => t.changes.len().checked_sub(1)?,
                };
                let mut t = t.clone();
                t.changes.drain(..keep_from);
                // A stage removed before `since` is not part of the narrowed history.
                (t.changes.len() > 1 || t.changes[0].release.is_some()).then_some(t)
            })
            .collect();
        let lead_times = (self.lead_times.iter())
            .filter(|l| wanted(&l.deployment))
            .filter(|l| {
                l.last_stage.is_none()
                    || [&l.first_stage, &l.last_stage]
                        .into_iter()
                        .flatten()
                        .any(|c| from(&c.date))
            })
            .cloned()
            .collect();
        let commits: Vec<_> = (self.commits.iter())
            .filter(|c| from(&c.date))
            .cloned()
            .collect();
        History {
            file: self.file.clone(),
            revisions: if since.is_some() {
                commits.len()
            } else {
                self.revisions
            },
            first_stage: self.first_stage.clone(),
            last_stage: self.last_stage.clone(),
            timelines,
            lead_times,
            skipped: (self.skipped.iter())
                .filter(|s| from(&s.commit.date))
                .cloned()
                .collect(),
            deployments_seen: self.deployments_seen.clone(),
            releases: self.releases.clone(),
            stages: self.stages.clone(),
            commits: self.commits.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days() {
        assert_eq!(parse_day("1970-01-02"), Ok(86_400));
        assert_eq!(parse_day("2024-02-29"), Ok(1_709_164_800));
        for bad in [
            "2024-02-30",
            "2024-13-01",
            "2024-1-01",
            "yesterday",
            "",
            "2024-06-01T00",
        ] {
            assert!(parse_day(bad).is_err(), "{bad}");
        }
        assert_eq!(day_of(1_709_164_800), "2024-02-29");
    }
}
