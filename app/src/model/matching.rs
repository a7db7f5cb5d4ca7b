//! Matching as the browser sees it: who waits, suggestions and a proposal for the whole cohort,
//! the cohort's matches, and requests to end them.

use super::cohorts::CohortDetail;
use serde::{Deserialize, Serialize};

/// The longest reason given for ending a match, or for asking to.
pub const REASON_MAX: usize = 1000;

/// A person waiting to be matched, as the matching view lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub application_id: i64,
    pub user_id: i64,
    pub name: String,
    pub library_type: String,
    pub job_title: String,
    pub years_experience: i64,
    pub region: String,
    pub time_zone: String,
    pub interests: Vec<String>,
    /// Mentors: places left (capacity minus current mentees). Mentees: 1.
    pub room: i64,
    pub capacity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub mentor: Candidate,
    pub score: i64,
    pub reasons: Vec<String>,
}

/// One pair in a proposal or a confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    pub mentee_application_id: i64,
    pub mentor_application_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedPair {
    pub mentee: Candidate,
    pub mentor: Candidate,
    pub score: i64,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub pairs: Vec<ProposedPair>,
    pub total_score: i64,
    /// Mentees the proposal could not place (more mentees than places).
    pub unplaced: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortMatch {
    pub match_id: i64,
    pub mentor_name: String,
    pub mentee_name: String,
    pub state: super::MatchState,
    pub started_at: i64,
    pub end_reason: String,
    pub pending_request: Option<EndRequest>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndRequest {
    pub id: i64,
    pub requested_by: String,
    pub reason: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchingBoard {
    pub cohort: CohortDetail,
    pub mentees: Vec<Candidate>,
    pub mentors: Vec<Candidate>,
    pub matches: Vec<CohortMatch>,
}
