//! Applications as the browser sees them: the Apply form and page, an applicant's own view, and
//! the coordinators' list and review. The private demographic answers appear only in
//! `ApplicationDetail`, which only coordinators can request.

use super::MatchRole;
use super::cohorts::CohortWindow;
use super::vocabulary::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// Where an application is, in the funnel's order.
    pub enum ApplicationState as "application state" {
        Submitted = ("submitted", "Submitted"),
        Waitlisted = ("waitlisted", "Waitlisted"),
        Accepted = ("accepted", "Accepted"),
        Matched = ("matched", "Matched"),
        Declined = ("declined", "Declined"),
        Withdrawn = ("withdrawn", "Withdrawn"),
    }
}

impl ApplicationState {
    /// The state as the applicant reads it, with what happens next.
    pub fn status(self) -> &'static str {
        match self {
            ApplicationState::Submitted => "Submitted, waiting for review",
            ApplicationState::Accepted => "Accepted, waiting for a match",
            ApplicationState::Waitlisted => "On the waitlist",
            ApplicationState::Declined => "Not offered a place",
            ApplicationState::Withdrawn => "Withdrawn",
            ApplicationState::Matched => "Matched",
        }
    }

    /// The applicant may still withdraw it.
    pub fn can_withdraw(self) -> bool {
        matches!(
            self,
            ApplicationState::Submitted | ApplicationState::Accepted | ApplicationState::Waitlisted
        )
    }
}

pub const LIBRARY_TYPES: &[(&str, &str)] = &[
    ("public", "Public library"),
    ("school", "School library"),
    ("academic", "Academic library"),
    ("special", "Special library"),
    ("other", "Other"),
];

/// Areas of children's library service an applicant can pick (the value is also the label).
pub const INTERESTS: &[&str] = &[
    "Storytime",
    "Early literacy",
    "Programming for ages 6 to 12",
    "Teens",
    "Collection development",
    "School librarianship",
    "Outreach",
    "Equity, diversity and inclusion",
    "Management",
    "Technology",
    "Advocacy",
];

pub const MEET_WAYS: &[(&str, &str)] = &[
    ("phone", "Phone"),
    ("email", "Email"),
    ("video", "Video call"),
    ("chat", "Chat"),
    ("conference", "In person at conferences"),
];

pub const REGION_MAX: usize = 80;
pub const LIBRARY_NAME_MAX: usize = 120;
pub const JOB_TITLE_MAX: usize = 100;
pub const INTERESTS_OTHER_MAX: usize = 200;
pub const HOPES_MAX: usize = 2000;
pub const IDENTITY_MAX: usize = 100;

pub fn label_of<'a>(pairs: &'a [(&'a str, &'a str)], value: &'a str) -> &'a str {
    pairs
        .iter()
        .find(|(v, _)| *v == value)
        .map(|(_, l)| *l)
        .unwrap_or(value)
}

/// What the Apply form sends. Account fields are used only when nobody is signed in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationForm {
    pub cohort_id: i64,
    pub role: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub library_type: String,
    pub library_name: String,
    pub job_title: String,
    pub years_experience: String,
    pub interests: Vec<String>,
    pub interests_other: String,
    pub region: String,
    pub time_zone: String,
    pub meet_ways: Vec<String>,
    pub hours_per_month: String,
    pub hopes: String,
    pub mentor_capacity: String,
    pub gender: String,
    pub race_ethnicity: String,
    pub wants_shared_identity: bool,
    pub agree: bool,
}

/// Everything the Apply page needs: the open window (if any), the next one, and the signed-in
/// person's own applications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyInfo {
    /// Who is looking (None for a visitor).
    pub viewer: Option<crate::model::CurrentUser>,
    pub open: Option<CohortWindow>,
    pub next: Option<CohortWindow>,
    pub mine: Vec<MyApplication>,
}

/// What sending the Apply form led to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplyOutcome {
    /// Someone signed in applied: the application is in.
    Sent(MyApplication),
    /// A visitor applied: the application waits for the link mailed to the address they gave.
    CheckEmail,
}

/// An applicant's view of their own application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplication {
    pub id: i64,
    pub cohort_id: i64,
    pub cohort_name: String,
    pub role: MatchRole,
    pub state: ApplicationState,
    pub submitted_at: i64,
}

impl MyApplication {
    pub fn can_withdraw(&self) -> bool {
        self.state.can_withdraw()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationFilter {
    pub cohort_id: Option<i64>,
    pub role: String,
    pub state: String,
    pub search: String,
    /// "" for all, else one of the library types.
    #[serde(default)]
    pub library_type: String,
    /// Matched ignoring case; "" for all.
    #[serde(default)]
    pub region: String,
    /// A stage of the dashboard's funnel ("accepted", "matched"): applications that got at least
    /// that far and are still there, so "accepted" also holds the matched ones. "" for all.
    #[serde(default)]
    pub reached: String,
}

/// The funnel's stages an application can be listed by (`ApplicationFilter::reached`), with the
/// states that count as having reached each.
pub const FUNNEL_STAGES: &[(&str, &str, &[ApplicationState])] = &[
    (
        "accepted",
        "Accepted (matched or not)",
        &[ApplicationState::Accepted, ApplicationState::Matched],
    ),
    ("matched", "Matched", &[ApplicationState::Matched]),
];

impl ApplicationFilter {
    /// The states `reached` stands for; empty for any state (and for a stage it does not know).
    pub fn reached_states(&self) -> &'static [ApplicationState] {
        FUNNEL_STAGES
            .iter()
            .find(|(k, _, _)| *k == self.reached.trim())
            .map(|(_, _, states)| *states)
            .unwrap_or(&[])
    }
}

/// A row in the coordinator's list of applications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRow {
    pub id: i64,
    pub cohort_name: String,
    pub name: String,
    pub email: String,
    pub role: MatchRole,
    pub state: ApplicationState,
    pub library_type: String,
    pub region: String,
    pub submitted_at: i64,
}

/// One application in full, for coordinators only (it carries the private answers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDetail {
    pub id: i64,
    pub cohort_id: i64,
    pub cohort_name: String,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub pronouns: String,
    pub role: MatchRole,
    pub state: ApplicationState,
    pub library_type: String,
    pub library_name: String,
    pub job_title: String,
    pub years_experience: i64,
    pub interests: Vec<String>,
    pub interests_other: String,
    pub region: String,
    pub time_zone: String,
    pub meet_ways: Vec<String>,
    pub hours_per_month: i64,
    pub hopes: String,
    pub mentor_capacity: i64,
    pub active_mentees: i64,
    pub gender: String,
    pub race_ethnicity: String,
    pub wants_shared_identity: bool,
    pub decision_note: String,
    pub submitted_at: i64,
    /// The applicant's account is disabled: they cannot sign in (a coordinator's choice).
    pub account_disabled: bool,
}
