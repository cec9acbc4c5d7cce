//! Git dates as epoch seconds, and durations for people (`3d 4h`).

use crate::calendar::days_from_civil;

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
}
