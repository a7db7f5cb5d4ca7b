//! Types that cross the wire between server and browser. Nothing secret lives here: password
//! hashes and session tokens have their own server-only types without `Serialize`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Participant,
    Coordinator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Participant => "participant",
            Role::Coordinator => "coordinator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "participant" => Some(Role::Participant),
            "coordinator" => Some(Role::Coordinator),
            _ => None,
        }
    }
}

/// The signed-in person as the browser sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub pronouns: String,
    pub time_zone: String,
    pub bio: String,
}

impl CurrentUser {
    pub fn is_coordinator(&self) -> bool {
        self.role == Role::Coordinator
    }
}

/// One of a participant's matches, seen from their side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyMatch {
    pub match_id: i64,
    pub cohort_name: String,
    /// "mentor" or "mentee": the role of the signed-in person in this match.
    pub my_role: String,
    pub partner: PartnerCard,
    pub program_start: String,
    pub program_end: String,
    pub state: String,
    /// A request to end this match is waiting for a coordinator.
    pub end_requested: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerCard {
    pub name: String,
    pub pronouns: String,
    pub time_zone: String,
    pub bio: String,
    pub library_name: String,
    pub library_type: String,
    pub job_title: String,
    /// Labels of the partner's preferred ways to meet.
    pub meet_ways: Vec<String>,
    /// The partner's UTC offset now, so the browser can keep their clock ticking.
    pub utc_offset_minutes: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortSummary {
    pub id: i64,
    pub name: String,
    pub state: String,
    pub program_start: String,
    pub program_end: String,
    pub mentors: i64,
    pub mentees: i64,
    pub active_matches: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRow {
    pub match_id: i64,
    pub cohort_name: String,
    pub mentor_name: String,
    pub mentee_name: String,
    pub state: String,
}

/// What the signed-in home shows; which half is filled depends on the role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HomeView {
    Participant {
        matches: Vec<MyMatch>,
        applications: Vec<MyApplication>,
    },
    Coordinator {
        cohorts: Vec<CohortSummary>,
        matches: Vec<MatchRow>,
    },
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

mod apply;
pub use apply::*;
