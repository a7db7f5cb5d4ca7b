//! Cohorts as the browser sees them: their states, the coordinators' form and detail, and the
//! application window the Apply page shows.

use super::vocabulary::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// The states a cohort moves through, in order.
    pub enum CohortState as "cohort state" {
        Draft = ("draft", "Draft"),
        Open = ("open", "Open"),
        Matching = ("matching", "Matching"),
        Active = ("active", "Active"),
        Closed = ("closed", "Closed"),
    }
}

impl CohortState {
    /// The button that moves a cohort into this state.
    pub fn move_label(self) -> &'static str {
        match self {
            CohortState::Draft => "Back to draft",
            CohortState::Open => "Open for applications",
            CohortState::Matching => "Start matching",
            CohortState::Active => "Start the program",
            CohortState::Closed => "Close (completes matches)",
        }
    }

    /// Where a cohort may go from here: the next step, and back from matching to open (to take
    /// late applications).
    pub fn next_states(self) -> &'static [CohortState] {
        use CohortState::*;
        match self {
            Draft => &[Open],
            Open => &[Matching],
            Matching => &[Open, Active],
            Active => &[Closed],
            Closed => &[],
        }
    }
}

pub const COHORT_NAME_MAX: usize = 100;

/// An application window as Apply shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortWindow {
    pub cohort_id: i64,
    pub name: String,
    pub applications_open: String,
    pub applications_close: String,
    pub program_start: String,
    pub program_end: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortForm {
    pub name: String,
    pub applications_open: String,
    pub applications_close: String,
    pub program_start: String,
    pub program_end: String,
    pub mentee_capacity: String,
    pub goal_sheet_due_days: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortDetail {
    pub id: i64,
    pub name: String,
    pub state: CohortState,
    pub applications_open: String,
    pub applications_close: String,
    pub program_start: String,
    pub program_end: String,
    pub mentee_capacity: i64,
    pub goal_sheet_due_days: i64,
    pub applications: i64,
    pub active_matches: i64,
}
