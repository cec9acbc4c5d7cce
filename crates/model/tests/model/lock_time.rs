//! A lock's timestamps at the edges of the clock: the last second of a day parses, the first
//! value past each field does not (expected seconds computed with Python's `datetime`, not by
//! the code under test).

use edx_matrix_model::parse_timestamp;

#[test]
fn the_last_second_of_a_day_parses_and_the_next_value_of_each_field_does_not() {
    assert_eq!(parse_timestamp("2026-12-05T23:59:59Z"), Some(1_796_515_199));
    assert_eq!(parse_timestamp("2026-12-05T00:00:00Z"), Some(1_796_428_800));
    assert_eq!(parse_timestamp("2024-02-29T00:00:00Z"), Some(1_709_164_800));
    for bad in [
        "2026-12-05T24:00:00Z",
        "2026-12-05T00:60:00Z",
        "2026-12-05T00:00:60Z",
        "2026-12-05T23:61:00Z",
        "2026-12-05T25:59:59Z",
        "2026-12-05T12:00:61Z",
    ] {
        assert_eq!(parse_timestamp(bad), None, "{bad}");
    }
}

#[test]
fn the_last_day_of_a_four_hundred_year_era_parses() {
    // 2000-02-29 is day 146,096 of its era, the one day the calendar's `doe / 146_096` term
    // is not zero (seconds from Python's `datetime`).
    assert_eq!(parse_timestamp("2000-02-29T00:00:00Z"), Some(951_782_400));
    assert_eq!(edx_matrix_model::civil_from_days(11_016), (2000, 2, 29));
}
