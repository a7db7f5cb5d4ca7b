//! What the signed-in home shows: a participant's matches, applications and past matches, or a
//! coordinator's program overview.

use super::{CohortState, CurrentUser, MatchHome, MatchState, MyApplication, SheetState};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortSummary {
    pub id: i64,
    pub name: String,
    pub state: CohortState,
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
    pub state: MatchState,
    pub sheet_state: SheetState,
    pub sheet_overdue: bool,
}

/// A match that has ended, as a line on its partner's home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastMatch {
    pub match_id: i64,
    pub partner_name: String,
    pub cohort_name: String,
    pub state: MatchState,
}

/// What the signed-in home shows; which half is filled depends on the role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HomeView {
    Participant {
        me: CurrentUser,
        matches: Vec<MatchHome>,
        applications: Vec<MyApplication>,
        /// Matches that have ended, read only when there is no active one.
        past: Vec<PastMatch>,
    },
    Coordinator {
        me: CurrentUser,
        cohorts: Vec<CohortSummary>,
        matches: Vec<MatchRow>,
    },
}
