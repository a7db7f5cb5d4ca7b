//! Types that cross the wire between server and browser. Nothing secret lives here: password
//! hashes and session tokens have their own server-only types without `Serialize`.
//!
//! Here: the signed-in person (`CurrentUser`), the vocabularies every feature shares (roles,
//! sides, a match's states) and the limits of the profile's fields. Each feature's types are in
//! the module of its name (`applications`, `cohorts`, `matching`, `home`, `match_work`, …); the
//! ones most pages use are re-exported here by name.

use serde::{Deserialize, Serialize};
use vocabulary::vocabulary;

vocabulary! {
    /// What an account may do: take part in matches, or run the program.
    pub enum Role as "role" {
        Participant = ("participant", "Participant"),
        Coordinator = ("coordinator", "Coordinator"),
    }
}

vocabulary! {
    /// The side a person applies for and takes in a match.
    pub enum MatchRole as "match role" {
        Mentor = ("mentor", "Mentor"),
        Mentee = ("mentee", "Mentee"),
    }
}

vocabulary! {
    /// Where a match is in its year.
    pub enum MatchState as "match state" {
        Active = ("active", "Active"),
        Completed = ("completed", "Completed"),
        EndedEarly = ("ended_early", "Ended early"),
    }
}

/// The signed-in person as the browser sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub pronouns: String,
    pub time_zone: String,
    pub bio: String,
    /// Whether the account signs in with an authenticator code as well as its password. Every
    /// session of such an account passed that step: turning it on ends the others.
    pub second_factor: bool,
}

impl CurrentUser {
    pub fn is_coordinator(&self) -> bool {
        self.role == Role::Coordinator
    }

    /// A coordinator who has not set up two-step sign-in yet, and so may not open coordinator
    /// pages: they see everyone's private answers.
    pub fn needs_second_factor(&self) -> bool {
        self.is_coordinator() && !self.second_factor
    }
}

/// Time zones offered in the profile. A curated list keeps the choice short on a phone; the
/// program is North American, with a few others for members abroad.
pub const TIME_ZONES: &[&str] = &[
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "America/Halifax",
    "America/St_Johns",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
];

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const NAME_MAX: usize = 100;
pub const PRONOUNS_MAX: usize = 40;
pub const BIO_MAX: usize = 1000;

mod applications;
pub mod audit;
pub mod chat;
mod cohorts;
pub mod dashboard;
pub mod forum;
pub mod goal_sheet;
mod home;
mod ids;
pub mod live;
pub mod match_admin;
pub mod match_table;
mod match_work;
mod matching;
pub mod news;
pub mod resources;
pub mod second_factor;
pub mod vocabulary;
pub use applications::{
    ApplicationDetail, ApplicationFilter, ApplicationForm, ApplicationRow, ApplicationState,
    ApplyInfo, ApplyOutcome, FUNNEL_STAGES, HOPES_MAX, IDENTITY_MAX, INTERESTS,
    INTERESTS_OTHER_MAX, JOB_TITLE_MAX, LIBRARY_NAME_MAX, LIBRARY_TYPES, MEET_WAYS, MyApplication,
    REGION_MAX, label_of,
};
pub use cohorts::{COHORT_NAME_MAX, CohortDetail, CohortForm, CohortState, CohortWindow};
pub use goal_sheet::{Party, SheetAction, SheetState};
pub use home::{CohortSummary, HomeView, MatchRow, PastMatch};
pub use ids::{CohortId, MatchId, UserId};
pub use match_work::*;
pub use matching::{
    Candidate, CohortMatch, EndRequest, MatchingBoard, Pair, Proposal, ProposedPair, REASON_MAX,
    Suggestion,
};

/// The longest note a person writes with a contact, a planned activity, progress on a goal or a
/// decision on an application.
pub const NOTE_MAX: usize = 1000;

/// A date (YYYY-MM-DD, UTC) from milliseconds since the epoch, without a date library in the
/// browser bundle (Howard Hinnant's civil-from-days).
pub fn date_of(ms: i64) -> String {
    let z = ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The hour and minute at `offset_minutes` from UTC.
fn hour_minute_at(now_ms: i64, offset_minutes: i32) -> (i64, i64) {
    let minutes = (now_ms.div_euclid(60_000) + i64::from(offset_minutes)).rem_euclid(24 * 60);
    (minutes / 60, minutes % 60)
}

/// The clock time at `offset_minutes` from UTC as a `<time datetime>` wants it: "15:05".
pub fn clock_24_at(now_ms: i64, offset_minutes: i32) -> String {
    let (h, m) = hour_minute_at(now_ms, offset_minutes);
    format!("{h:02}:{m:02}")
}

/// The clock time at `offset_minutes` from UTC, as "3:05 PM".
pub fn clock_at(now_ms: i64, offset_minutes: i32) -> String {
    let (h, m) = hour_minute_at(now_ms, offset_minutes);
    let (h12, half) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    format!("{h12}:{m:02} {half}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_clocks() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(1_799_928_000_000), "2027-01-14");
        assert_eq!(date_of(951_782_400_000), "2000-02-29");
        // 12:00 UTC is 6:00 AM in Chicago in winter, and midnight wraps.
        assert_eq!(clock_at(1_799_928_000_000, -360), "6:00 AM");
        assert_eq!(clock_at(1_799_928_000_000, 720), "12:00 AM");
        assert_eq!(clock_at(1_799_928_000_000 + 65 * 60_000, 0), "1:05 PM");
        assert_eq!(clock_24_at(1_799_928_000_000 + 65 * 60_000, 0), "13:05");
        assert_eq!(clock_24_at(1_799_928_000_000, 720), "00:00");
    }
}
