//! Time-axis ticks: calendar days, months or years, whichever gives at most a handful of labels.

use edx_matrix_model::{civil_from_days, days_from_civil};

/// The UTC day of seconds since the epoch, as `2025-06-01`.
pub(crate) fn day(seconds: i64) -> String {
    edx_matrix_model::day_of(seconds)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Returns the ticks between `from` and `to` (seconds since the epoch), at most `most` of them:
/// (seconds, label), at the start of a day, month or year.
pub(crate) fn ticks(from: i64, to: i64, most: usize) -> Vec<(i64, String)> {
    let most = most.max(2) as i64;
    let span_days = ((to - from) / 86_400).max(1);
    let mut out = Vec::new();
    if span_days <= most * 7 {
        // Days, every 1, 2, 7 or 14.
        let step = [1, 2, 7, 14]
            .into_iter()
            .find(|s| span_days / s < most)
            .unwrap_or(14);
        let mut d = from.div_euclid(86_400) + 1;
        while d * 86_400 <= to {
            let (_, m, dd) = civil_from_days(d);
            if (d % step) == 0 || step == 1 {
                out.push((d * 86_400, format!("{} {dd}", MONTHS[(m - 1) as usize])));
            }
            d += 1;
        }
        return out;
    }
    let span_months = span_days / 30;
    let step = [1, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|s| span_months / s < most)
        .unwrap_or(120);
    let (mut y, mut m, _) = civil_from_days(from.div_euclid(86_400));
    // The first month start after `from` that is on the step.
    loop {
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
        let index = y * 12 + (m - 1);
        if index % step == 0 {
            break;
        }
    }
    loop {
        let at = days_from_civil(y, m, 1) * 86_400;
        if at > to {
            break;
        }
        let label = if step >= 12 || m == 1 {
            format!("{y}")
        } else if out.is_empty() {
            format!("{} {y}", MONTHS[(m - 1) as usize])
        } else {
            MONTHS[(m - 1) as usize].to_owned()
        };
        out.push((at, label));
        m += step;
        while m > 12 {
            m -= 12;
            y += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ticks_over_half_a_year() {
        // 2025-03-03 to 2025-08-10.
        let ticks = ticks(1_740_960_000, 1_754_784_000, 10);
        let labels: Vec<_> = ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Apr 2025", "May", "Jun", "Jul", "Aug"]);
        assert_eq!(day(ticks[0].0), "2025-04-01");
    }

    #[test]
    fn year_ticks_over_a_decade() {
        // 2015-01-01 to 2025-01-01: every year, or every two to stay under 8.
        let ticks = ticks(1_420_070_400, 1_735_689_600, 8);
        let labels: Vec<_> = ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["2016", "2018", "2020", "2022", "2024"]);
    }
}
