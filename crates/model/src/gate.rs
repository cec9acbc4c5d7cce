//! Promotion gates: what must hold before `promote` may move a stage (`[gates.STAGE]` in the
//! matrix, read by `edx_matrix_formats::gates`). A `soak` is the least time the lower stage's
//! locked commits must have run there; a `freeze` window is a weekday or a range of days when
//! the stage may not change. All times are UTC. The verdicts are pure: the caller gives each
//! locked entry's arrival time (from the lock's git history) and `now`. No I/O.

use crate::calendar::{civil_from_days, days_from_civil};
use crate::lock::format_timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

/// The gates of every stage that declares some, by stage name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gates {
    stages: BTreeMap<String, StageGate>,
}

impl Gates {
    /// Sets the gate of `stage`.
    pub fn insert(&mut self, stage: impl Into<String>, gate: StageGate) {
        self.stages.insert(stage.into(), gate);
    }

    /// Returns the gate of `stage`, if it declares one.
    pub fn of(&self, stage: &str) -> Option<&StageGate> {
        self.stages.get(stage)
    }

    /// Returns whether no stage declares a gate.
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }
}

/// The gates of one stage: what must hold before it is promoted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageGate {
    /// The least time the lower stage's locked commits must have run there.
    pub soak: Option<Soak>,
    /// When the stage may not change.
    pub freeze: Vec<Freeze>,
}

/// A minimum soak time, as written (`3d`) and in seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Soak {
    /// The text as written in the matrix.
    pub text: String,
    /// The duration in seconds.
    pub seconds: i64,
}

impl Soak {
    /// Parses a duration such as `3d`, `12h`, `1w`, `1d12h` or `90m`: whole numbers, each with
    /// one unit, the units in decreasing order and each at most once.
    pub fn parse(text: &str) -> Result<Soak, String> {
        const UNITS: [(char, i64); 4] = [('w', 604_800), ('d', 86_400), ('h', 3600), ('m', 60)];
        let forms =
            "a duration is whole numbers with units `w`, `d`, `h`, `m`, like `3d` or `1d12h`";
        let mut seconds: i64 = 0;
        let mut next_unit = 0;
        let mut digits = String::new();
        for c in text.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let Some(at) = UNITS.iter().position(|(u, _)| *u == c) else {
                return Err(format!("unknown unit `{}`: {forms}", c.escape_debug()));
            };
            if digits.is_empty() {
                return Err(format!("`{c}` without a number: {forms}"));
            }
            if at < next_unit {
                return Err(format!(
                    "units go from the largest to the smallest, each once: {forms}"
                ));
            }
            let n: i64 = digits
                .parse()
                .map_err(|_| format!("`{digits}` is too large"))?;
            seconds = n
                .checked_mul(UNITS[at].1)
                .and_then(|s| s.checked_add(seconds))
                .ok_or_else(|| format!("`{text}` is too long a duration"))?;
            digits.clear();
            next_unit = at + 1;
        }
        if !digits.is_empty() {
            return Err(format!("`{digits}` has no unit: {forms}"));
        }
        // `next_unit` moves past 0 with the first number and unit read.
        if next_unit == 0 {
            return Err(format!("an empty duration: {forms}"));
        }
        Ok(Soak {
            text: text.to_owned(),
            seconds,
        })
    }
}

/// A freeze window, as written and as days (UTC).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Freeze {
    /// The text as written in the matrix (`sat`, `2026-12-20..2027-01-04`).
    pub text: String,
    window: Window,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Window {
    /// Every such weekday, 0 = Monday.
    Weekday(i64),
    /// The days from the first to the last, both included, as days since 1970-01-01.
    Days(i64, i64),
}

const WEEKDAYS: [(&str, &str); 7] = [
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
];

impl Freeze {
    /// Parses a weekday (`sat` or `saturday`), a day (`2026-12-25`) or a range of days with
    /// both ends included (`2026-12-20..2027-01-04`).
    pub fn parse(text: &str) -> Result<Freeze, String> {
        let window = if let Some(day) = WEEKDAYS
            .iter()
            .position(|(short, long)| text == *short || text == *long)
        {
            Window::Weekday(i64::try_from(day).unwrap_or(0))
        } else if let Some((first, last)) = text.split_once("..") {
            let (first, last) = (parse_day(first)?, parse_day(last)?);
            if last < first {
                return Err(format!(
                    "the range `{text}` ends before it starts: write the earlier day first"
                ));
            }
            Window::Days(first, last)
        } else if text.starts_with(|c: char| c.is_ascii_digit()) {
            let day = parse_day(text)?;
            Window::Days(day, day)
        } else {
            return Err(format!(
                "`{}` is not a weekday (`mon` … `sun`), a day (`2026-12-25`) or a range of days \
                 (`2026-12-20..2027-01-04`)",
                text.escape_debug()
            ));
        };
        Ok(Freeze {
            text: text.to_owned(),
            window,
        })
    }

    /// Returns whether the window holds `now` (seconds since the epoch, UTC).
    pub fn applies(&self, now: i64) -> bool {
        let day = now.div_euclid(86_400);
        match self.window {
            Window::Weekday(weekday) => weekday_of(day) == weekday,
            Window::Days(first, last) => (first..=last).contains(&day),
        }
    }
}

/// Returns the weekday of a day since 1970-01-01 (a Thursday), 0 = Monday.
fn weekday_of(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// Parses `YYYY-MM-DD` into days since 1970-01-01, refusing an impossible date.
fn parse_day(text: &str) -> Result<i64, String> {
    let bad = || format!("`{}` is not a day like `2026-12-25`", text.escape_debug());
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |range: std::ops::Range<usize>| -> Result<i64, String> {
        let part = text.get(range).ok_or_else(bad)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse().map_err(|_| bad())
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let day = days_from_civil(y, m, d);
    if !(1..=12).contains(&m) || civil_from_days(day) != (y, m, d) {
        return Err(format!("`{text}` is not a day of the calendar"));
    }
    Ok(day)
}

/// Formats a duration for people: `3d 4h`, `5h 2m`, `7m`.
pub(crate) fn format_span(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes}m"),
        (0, _) => format!("{hours}h {minutes}m"),
        _ => format!("{days}d {hours}h"),
    }
}

/// Which gate a verdict is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GateKind {
    /// The minimum soak time in the lower stage.
    Soak,
    /// A freeze window of the promoted stage.
    Freeze,
}

/// One gate's verdict on one promotion of one deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The gate.
    pub gate: GateKind,
    /// The deployment promoted.
    pub deployment: String,
    /// The stage promoted (the one declaring the gate).
    pub stage: String,
    /// Whether the promotion may go ahead.
    pub passed: bool,
    /// Why, in one sentence naming the gate, the stage and the figures.
    pub reason: String,
    /// A soak's required time, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_seconds: Option<i64>,
    /// A soak's measured time, in seconds (the least of the entries').
    #[serde(skip_serializing_if = "Option::is_none")]
    pub soaked_seconds: Option<i64>,
    /// The freeze window that applies, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<String>,
}

/// Since when one locked entry of the lower stage has had its commit, as the lock's history
/// tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// Committed in the lock's history with this commit since this time (seconds, UTC).
    Since(i64),
    /// The lock holds the commit but no commit of its history does yet: soaked 0.
    Uncommitted,
    /// The lower stage has no locked commit for what the promotion builds: soaked 0.
    Unlocked,
}

/// Judges a soak gate: the promotion of `deployment` from `from` into `to` needs every
/// application's arrival in `from` (`arrivals`, by application) at least `soak` before `now`.
/// Exactly the required time passes.
pub fn soak_verdict(
    deployment: &str,
    from: &str,
    to: &str,
    soak: &Soak,
    arrivals: &[(String, Arrival)],
    now: i64,
) -> Verdict {
    let soaked = |a: &Arrival| match a {
        Arrival::Since(t) => (now - t).max(0),
        Arrival::Uncommitted | Arrival::Unlocked => 0,
    };
    // The youngest entry decides; the first such in application order is named.
    let youngest = arrivals
        .iter()
        .min_by_key(|(app, a)| (soaked(a), app.clone()));
    let (actual, why) = match youngest {
        None => (0, format!("{from} of `{deployment}` has nothing locked")),
        Some((app, a)) => {
            let actual = soaked(a);
            let why = match a {
                Arrival::Since(t) => format!(
                    "{from} of `{deployment}` has run its locked commits for {} (`{app}` since {})",
                    format_span(actual),
                    format_timestamp(*t)
                ),
                Arrival::Uncommitted => format!(
                    "{from} of `{deployment}` locked `{app}` at a commit the lock's git history \
                     does not hold yet (soaked 0m: commit the lock)"
                ),
                Arrival::Unlocked => {
                    format!("{from} of `{deployment}` has no locked commit for `{app}` (soaked 0m)")
                }
            };
            (actual, why)
        }
    };
    let passed = youngest.is_some() && actual >= soak.seconds;
    let verdict = if passed { "met" } else { "not met" };
    Verdict {
        gate: GateKind::Soak,
        deployment: deployment.to_owned(),
        stage: to.to_owned(),
        passed,
        reason: format!(
            "soak of {to} {verdict}: {why}; {to} requires {} ({})",
            format_span(soak.seconds),
            soak.text
        ),
        required_seconds: Some(soak.seconds),
        soaked_seconds: Some(actual),
        window: None,
    }
}

/// Judges a stage's freeze windows at `now`: refused when any holds (the first one is named).
pub fn freeze_verdict(deployment: &str, stage: &str, freeze: &[Freeze], now: i64) -> Verdict {
    let applies = freeze.iter().find(|f| f.applies(now));
    let at = format_timestamp(now);
    let reason = match applies {
        Some(f) => format!(
            "freeze of {stage}: {stage} is frozen by `{}` (it is {at}, {})",
            f.text,
            WEEKDAYS[usize::try_from(weekday_of(now.div_euclid(86_400))).unwrap_or(0)].1
        ),
        None => format!("freeze of {stage}: no freeze window applies at {at}"),
    };
    Verdict {
        gate: GateKind::Freeze,
        deployment: deployment.to_owned(),
        stage: stage.to_owned(),
        passed: applies.is_none(),
        reason,
        required_seconds: None,
        soaked_seconds: None,
        window: applies.map(|f| f.text.clone()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    // 2026-12-05 is a Saturday (`date -u -d 2026-12-05 +%A`); 1796428800 is its midnight
    // (`date -u -d 2026-12-05 +%s`).
    const SAT: i64 = 1_796_428_800;

    #[test]
    fn durations() {
        assert_eq!(Soak::parse("3d").unwrap().seconds, 259_200);
        assert_eq!(Soak::parse("1w").unwrap().seconds, 604_800);
        assert_eq!(Soak::parse("1d12h").unwrap().seconds, 129_600);
        assert_eq!(Soak::parse("90m").unwrap().seconds, 5400);
        assert_eq!(Soak::parse("0h").unwrap().seconds, 0);
        for bad in [
            "",
            "3",
            "d",
            "3x",
            "3 d",
            "1h1d",
            "1d1d",
            "-1d",
            "99999999999999999999d",
        ] {
            assert!(Soak::parse(bad).is_err(), "{bad}");
        }
        assert!(Soak::parse("3x").unwrap_err().contains("unknown unit `x`"));
    }

    #[test]
    fn weekdays_and_days() {
        assert_eq!(weekday_of(0), 3, "1970-01-01 was a Thursday");
        let sat = Freeze::parse("sat").unwrap();
        assert!(sat.applies(SAT));
        assert!(sat.applies(SAT + 86_399));
        assert!(!sat.applies(SAT - 1), "Friday 23:59:59");
        assert!(!sat.applies(SAT + 86_400), "Sunday");
        assert!(Freeze::parse("sunday").unwrap().applies(SAT + 86_400));
        let range = Freeze::parse("2026-12-20..2027-01-04").unwrap();
        // 2026-12-20 00:00 UTC is SAT + 15 days; 2027-01-04 ends 31 days later.
        assert!(!range.applies(SAT + 15 * 86_400 - 1));
        assert!(range.applies(SAT + 15 * 86_400));
        assert!(range.applies(SAT + 31 * 86_400 - 1));
        assert!(!range.applies(SAT + 31 * 86_400));
        let day = Freeze::parse("2026-12-05").unwrap();
        assert!(day.applies(SAT) && !day.applies(SAT + 86_400));
        for bad in [
            "saturdays",
            "Sat",
            "2026-02-30",
            "2026-13-01",
            "2027-01-04..2026-12-20",
            "2026-12-20..",
            "2026-1-2",
        ] {
            assert!(Freeze::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn spans() {
        assert_eq!(format_span(3 * 86_400 + 4 * 3600 + 59), "3d 4h");
        assert_eq!(format_span(5 * 3600 + 120), "5h 2m");
        assert_eq!(format_span(59), "0m");
    }

    #[test]
    fn soak_at_the_boundary_passes() {
        let soak = Soak::parse("3d").unwrap();
        let arrivals = |t| vec![("a".to_owned(), Arrival::Since(SAT)), ("b".to_owned(), t)];
        let at = SAT + 259_200;
        let v = soak_verdict(
            "site",
            "CI",
            "QA",
            &soak,
            &arrivals(Arrival::Since(SAT)),
            at,
        );
        assert!(v.passed, "{}", v.reason);
        assert_eq!(v.soaked_seconds, Some(259_200));
        let v = soak_verdict(
            "site",
            "CI",
            "QA",
            &soak,
            &arrivals(Arrival::Since(SAT + 1)),
            at,
        );
        assert!(!v.passed);
        assert_eq!(v.soaked_seconds, Some(259_199));
        assert!(
            v.reason.contains("`b` since 2026-12-05T00:00:01Z"),
            "{}",
            v.reason
        );
        assert!(v.reason.contains("QA requires 3d 0h (3d)"), "{}", v.reason);
        for zero in [Arrival::Uncommitted, Arrival::Unlocked] {
            let v = soak_verdict("site", "CI", "QA", &soak, &arrivals(zero), at);
            assert!(!v.passed && v.soaked_seconds == Some(0), "{}", v.reason);
        }
        let none = soak_verdict("site", "CI", "QA", &soak, &[], at);
        assert!(!none.passed && none.reason.contains("nothing locked"));
    }

    #[test]
    fn freeze_names_the_window() {
        let freeze = [
            Freeze::parse("2026-12-20..2027-01-04").unwrap(),
            Freeze::parse("sat").unwrap(),
        ];
        let v = freeze_verdict("site", "Production", &freeze, SAT + 3600);
        assert!(!v.passed);
        assert_eq!(v.window.as_deref(), Some("sat"));
        assert_eq!(
            v.reason,
            "freeze of Production: Production is frozen by `sat` (it is 2026-12-05T01:00:00Z, saturday)"
        );
        let v = freeze_verdict("site", "Production", &freeze, SAT + 2 * 86_400);
        assert!(v.passed && v.window.is_none(), "{}", v.reason);
    }

    #[test]
    fn gates_are_kept_per_stage() {
        let mut gates = Gates::default();
        assert!(gates.is_empty());
        assert_eq!(gates.of("QA"), None);
        let gate = StageGate {
            soak: Some(Soak::parse("2d").unwrap()),
            freeze: vec![],
        };
        gates.insert("QA", gate.clone());
        assert!(!gates.is_empty());
        assert_eq!(gates.of("QA"), Some(&gate));
        assert_eq!(gates.of("Production"), None);
    }

    #[test]
    fn a_range_of_one_day_is_that_day_and_a_day_has_exactly_ten_characters() {
        let christmas = Freeze::parse("2026-12-25..2026-12-25").unwrap();
        // 2026-12-25 is 20 days after SAT (2026-12-05).
        assert!(christmas.applies(SAT + 20 * 86_400));
        assert!(!christmas.applies(SAT + 21 * 86_400));
        for bad in [
            "2026",
            "2026-12-255",
            "2026-12-2",
            "12026-12-25",
            "2026-12+25",
            "2026+12-25",
        ] {
            assert!(Freeze::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_empty_duration_or_a_unit_alone_is_refused() {
        assert!(Soak::parse("").is_err());
        assert!(Soak::parse("d").is_err());
        assert_eq!(Soak::parse("0d").unwrap().seconds, 0);
    }
}
