//! Time zones: UTC offsets and local clock times from the tz database compiled into chrono-tz,
//! so daylight saving is right whatever the server's own zone is.

use crate::error::AppError;
use chrono::{Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// The zone's offset from UTC in minutes at the instant `at_ms`, or None for an unknown zone.
pub fn offset_minutes(zone: &str, at_ms: i64) -> Option<i32> {
    let tz: Tz = zone.parse().ok()?;
    let utc = Utc.timestamp_millis_opt(at_ms).single()?;
    Some(
        tz.offset_from_utc_datetime(&utc.naive_utc())
            .fix()
            .local_minus_utc()
            / 60,
    )
}

/// Today's date in UTC as YYYY-MM-DD, the form cohort dates are stored in.
pub fn today_utc(at_ms: i64) -> String {
    Utc.timestamp_millis_opt(at_ms)
        .single()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// A moment in UTC as YYYY-MM-DD HH:MM, for logs coordinators read.
pub fn utc_minute(at_ms: i64) -> String {
    Utc.timestamp_millis_opt(at_ms)
        .single()
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// A date `days` after `date` (YYYY-MM-DD), for demo data relative to today.
pub fn add_days(date: &str, days: i64) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_signed(chrono::Duration::days(days)))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| date.to_string())
}

/// Whole days from `from` to `to` (both YYYY-MM-DD): negative when `to` is earlier, 0 when
/// either is not a date.
pub fn days_between(from: &str, to: &str) -> i64 {
    let parse = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    match (parse(from), parse(to)) {
        (Some(a), Some(b)) => (b - a).num_days(),
        _ => 0,
    }
}

/// A date typed into field `field`, trimmed, or the message for that field.
pub fn date_in(field: &str, value: &str) -> Result<String, AppError> {
    let value = value.trim();
    if is_date(value) {
        Ok(value.to_string())
    } else {
        Err(AppError::validation(field, "Enter the date as YYYY-MM-DD."))
    }
}

/// Whether `date` is today or earlier for someone somewhere: a day of slack for people ahead of
/// UTC, whose today is UTC's tomorrow.
pub fn not_future(date: &str, now_ms: i64) -> bool {
    date <= today_utc(now_ms + 86_400_000).as_str()
}

/// True when `s` is a real calendar date written YYYY-MM-DD.
pub fn is_date(s: &str) -> bool {
    s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_daylight_saving() {
        // 2027-01-14 and 2027-07-15 at noon UTC.
        let winter = 1_799_928_000_000;
        let summer = 1_815_652_800_000;
        assert_eq!(offset_minutes("America/Chicago", winter), Some(-360));
        assert_eq!(offset_minutes("America/Chicago", summer), Some(-300));
        // Arizona keeps standard time all year.
        assert_eq!(offset_minutes("America/Phoenix", summer), Some(-420));
        assert_eq!(offset_minutes("Not/AZone", summer), None);
    }

    #[test]
    fn dates() {
        assert!(is_date("2027-02-28"));
        assert!(!is_date("2027-02-30"));
        assert!(!is_date("27-2-3"));
        assert_eq!(add_days("2026-12-30", 3), "2027-01-02");
        assert_eq!(today_utc(1_799_928_000_000), "2027-01-14");
    }
}
