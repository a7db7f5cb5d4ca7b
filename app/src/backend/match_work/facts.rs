//! The facts about one match that every match-scoped server function reads first: who its
//! partners are (for the policy), its state and dates, and the revisions the home cache keys on.

use crate::backend::infra::db::Db;
use crate::backend::infra::tz;
use crate::error::AppError;
use crate::model::{CohortId, MatchId, MatchState, UserId};
use std::sync::LazyLock;

/// The match and cohort facts every match-scoped operation needs, in one query: the policy
/// reads the partners from them, the goal sheet its dates, the home cache its revisions.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MatchFacts {
    pub match_id: MatchId,
    pub cohort_id: CohortId,
    pub cohort_name: String,
    pub mentor_id: UserId,
    pub mentee_id: UserId,
    pub state: MatchState,
    pub started_at: i64,
    pub program_start: String,
    pub program_end: String,
    pub due_days: i64,
    /// Requests to end the match waiting for a coordinator.
    pub end_requests: i64,
    /// What the match home's cache is keyed by: the match's own revision, when either partner's
    /// profile and the activities catalogue last changed (and every field above).
    pub revision: i64,
    pub mentor_updated_at: i64,
    pub mentee_updated_at: i64,
    pub catalogue_at: i64,
}

impl MatchFacts {
    pub fn active(&self) -> bool {
        self.state == MatchState::Active
    }

    /// The sheet is due `due_days` after the match started.
    pub fn due_date(&self) -> String {
        tz::add_days(&tz::today_utc(self.started_at), self.due_days)
    }
}

/// The columns of `MatchFacts`, over `FROM_MATCH`.
const COLUMNS: &str = "m.id AS match_id, m.cohort_id, c.name AS cohort_name, m.mentor_id,
        m.mentee_id, m.state, m.started_at, c.program_start, c.program_end,
        c.goal_sheet_due_days AS due_days,
        (SELECT COUNT(*) FROM end_requests er WHERE er.match_id = m.id AND er.state = 'pending')
            AS end_requests,
        m.revision, mr.updated_at AS mentor_updated_at, me.updated_at AS mentee_updated_at,
        (SELECT COALESCE(MAX(a.updated_at), 0) FROM activities a) AS catalogue_at";

const FROM_MATCH: &str = "FROM matches m
     JOIN cohorts c ON c.id = m.cohort_id
     JOIN users mr ON mr.id = m.mentor_id
     JOIN users me ON me.id = m.mentee_id";

/// The statements, put together once (sqlx keys its prepared statements by their text).
static OF_MATCH: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {COLUMNS} {FROM_MATCH} WHERE m.id = $1"));
static OF_PARTNER: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {COLUMNS}, {UNREAD_OF_M} AS unread {FROM_MATCH}
         LEFT JOIN chat_reads r ON r.match_id = m.id AND r.user_id = $1
         WHERE (m.mentor_id = $1 OR m.mentee_id = $1) AND m.state = 'active'
         ORDER BY m.started_at DESC, m.id DESC"
    )
});

pub async fn of_match(db: &Db, match_id: MatchId) -> Result<MatchFacts, AppError> {
    sqlx::query_as::<_, MatchFacts>(&OF_MATCH)
        .bind(match_id)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// How many of the partner's messages `$1` has not read in the match `m`, given `$1`'s read
/// mark `r` (a LEFT JOIN on `chat_reads`): the count behind the navigation's chat badge.
pub const UNREAD_OF_M: &str = "(SELECT COUNT(*) FROM messages msg
     WHERE msg.match_id = m.id AND msg.sender_id <> $1
       AND msg.seq > COALESCE(r.last_read_seq, 0))";

/// One of a participant's active matches: its facts, and how many of the partner's messages
/// wait unread.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActiveMatch {
    #[sqlx(flatten)]
    pub facts: MatchFacts,
    pub unread: i64,
}

/// Every active match `user_id` is a partner in, newest first, with its unread count: one query
/// for what a participant's page needs of their matches (the header's badge, the home, the
/// permit of a match page).
pub async fn of_partner<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: UserId,
) -> Result<Vec<ActiveMatch>, AppError> {
    Ok(sqlx::query_as::<_, ActiveMatch>(&OF_PARTNER)
        .bind(user_id)
        .fetch_all(db)
        .await?)
}
