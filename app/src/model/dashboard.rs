//! The coordinators' dashboard: a cohort at a glance, as counts a chart and a table can show, each
//! with the link to the list behind it.

use serde::{Deserialize, Serialize};

/// Which part of the program the dashboard counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFilter {
    pub cohort_id: Option<i64>,
    pub library_type: String,
    pub region: String,
}

/// One bar, slice or step: what it is, how many, and the list behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub label: String,
    pub value: i64,
    /// The page listing what was counted ("" when there is none).
    pub href: String,
}

/// One week of the program: contacts logged and messages sent in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Week {
    /// The Monday that starts it, YYYY-MM-DD (UTC).
    pub starts: String,
    pub contacts: i64,
    pub messages: i64,
}

/// How many of the matches needing attention the dashboard lists (the tile links to them all).
pub const ATTENTION_SHOWN: i64 = 5;

/// A match needing attention, with why: for the dashboard's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attention {
    pub match_id: i64,
    /// "Maria Alvarez and Sam Lee".
    pub names: String,
    /// Each flag's sentence ("No contact logged in 41 days.").
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Applied, accepted, matched (mentees and mentors together).
    pub funnel: Vec<Count>,
    /// Applications by their current state.
    pub applications: Vec<Count>,
    /// Active, completed, ended early.
    pub matches: Vec<Count>,
    /// Active matches' goal sheets by state, then how many are overdue.
    pub sheets: Vec<Count>,
    pub sheets_overdue: i64,
    /// Active matches with at least one flag, and all active matches.
    pub needing_attention: i64,
    pub active_matches: i64,
    /// The matches needing attention longest, at most `ATTENTION_SHOWN`, each with its flags.
    pub attention: Vec<Attention>,
    /// The lists behind the two figures above, with the filters.
    pub attention_href: String,
    pub overdue_href: String,
    /// The last 26 weeks, oldest first.
    pub weeks: Vec<Week>,
    /// Matches with at least one goal at each progress (not started, in progress, achieved, set
    /// aside), as the matches table filtered by goal lists them; a match can be in several.
    pub goals: Vec<Count>,
}

/// Weeks shown in the contacts and messages chart.
pub const WEEKS: i64 = 26;
