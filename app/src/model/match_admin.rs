//! What coordinators keep about a match that its partners never see, and the audit log.

use serde::{Deserialize, Serialize};

/// The longest private note or email body, in characters.
pub const NOTE_MAX: usize = 4000;
pub const SUBJECT_MAX: usize = 150;

/// A coordinator's private note on a match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchNote {
    pub id: i64,
    pub author_name: String,
    pub body: String,
    /// YYYY-MM-DD (UTC).
    pub written_on: String,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// "" when the system did it (no signed-in person).
    pub actor_name: String,
    pub action: String,
    /// What was acted on, as stored ("match:12", "application:7", …).
    pub subject: String,
    /// Where the subject can be seen ("" when it has no page).
    pub subject_href: String,
    pub detail: String,
    /// YYYY-MM-DD HH:MM (UTC).
    pub at: String,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The id to pass as `before` for the next (older) page; None on the last page.
    pub older: Option<i64>,
    /// The kinds of action on record, for the filter.
    pub actions: Vec<String>,
}

/// Rows per page of the audit log.
pub const AUDIT_PAGE: i64 = 50;
