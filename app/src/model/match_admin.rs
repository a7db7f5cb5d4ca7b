//! What coordinators keep about a match that its partners never see.

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
