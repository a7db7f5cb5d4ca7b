//! Program News: the monthly issue, each participant's own version of it, and the discussion
//! thread of each cohort.

use super::vocabulary::vocabulary;
use super::{ActivityKind, GoalProgress};
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 150;
pub const BODY_MAX: usize = 20_000;
pub const QUESTION_MAX: usize = 500;
pub const REPLY_MAX: usize = 2_000;

vocabulary! {
    /// An issue is written as a draft, then published (and mailed) once.
    pub enum NewsState as "news issue state" {
        Draft = ("draft", "Draft"),
        Published = ("published", "Published"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueSummary {
    pub id: i64,
    pub title: String,
    pub state: NewsState,
    /// YYYY-MM-DD ("" for a draft).
    pub published_on: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsArchive {
    pub issues: Vec<IssueSummary>,
    pub can_manage: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendProgress {
    pub recipients: i64,
    /// Not yet in the outbox.
    pub waiting: i64,
    /// In the outbox, not yet accepted by the mail server.
    pub queued: i64,
    pub sent: i64,
    /// In the outbox after a failed try.
    pub retrying: i64,
    /// Turned news emails off before their copy was made.
    pub skipped: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsEvent {
    pub id: i64,
    pub title: String,
    pub when: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestedActivity {
    pub title: String,
    pub kind: ActivityKind,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalLine {
    pub title: String,
    pub progress: GoalProgress,
}

/// One of the reader's matches in the goal section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalBlock {
    pub match_id: i64,
    pub partner_name: String,
    pub goals: Vec<GoalLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub at: String,
    /// Only coordinators see hidden replies (marked as such).
    pub hidden: bool,
    pub cohort: String,
}

/// An issue as one reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueView {
    pub id: i64,
    pub title: String,
    pub state: NewsState,
    pub published_on: String,
    pub news_html: String,
    pub events: Vec<NewsEvent>,
    pub events_html: String,
    pub activity: Option<SuggestedActivity>,
    pub question: String,
    pub goals_intro_html: String,
    /// The reader's name (the participant previewed, for a coordinator's preview).
    pub reader_name: String,
    pub goals: Vec<GoalBlock>,
    pub thread: Vec<Reply>,
    /// The reader's cohort thread they may write in.
    pub can_reply: bool,
    pub can_manage: bool,
    pub progress: Option<SendProgress>,
}

/// The compose form's starting values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueDraft {
    pub id: i64,
    pub title: String,
    pub news: String,
    pub events: String,
    pub activity_id: i64,
    pub question: String,
    pub goals: String,
    pub state: NewsState,
    /// (id, title) of the catalogue, for the activity choice.
    pub activities: Vec<(i64, String)>,
    /// (user id, "Name (mentee, Cohort)") of active participants, for the preview.
    pub readers: Vec<(i64, String)>,
}

/// A person's email choices for program mail (account mail cannot be turned off).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettings {
    pub news: bool,
    pub reminders: bool,
}

/// What an unsubscribe link is about, shown before the person confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribeInfo {
    pub what: String,
    /// The address, partly hidden.
    pub email: String,
    pub already_off: bool,
}

/// A new issue starts as a draft.
impl Default for NewsState {
    fn default() -> NewsState {
        NewsState::Draft
    }
}
