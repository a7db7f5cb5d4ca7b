//! The coordinators' matches table (match health): every match's figures in one query (contacts and the latest,
//! kept on the match by triggers; messages in 30 days from the (match, time) index; the goal
//! sheet; when each partner was last active), the flags, and the table's filters, order and
//! pages.

use crate::backend::auth::policy::Coordinator;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::tz;
use crate::error::AppError;
use crate::model::dashboard::DashboardFilter;
use crate::model::match_table::{
    FLAGS, HealthFacts, MatchQuery, MatchTable, MatchTableRow, ROWS_PER_PAGE, flags,
};
use crate::model::{MatchId, MatchState, SheetState};

const DAY_MS: i64 = 86_400_000;

#[derive(sqlx::FromRow)]
struct Raw {
    id: i64,
    cohort_name: String,
    mentor_name: String,
    mentee_name: String,
    state: MatchState,
    started_at: i64,
    due_days: i64,
    sheet_state: Option<String>,
    amended_by: Option<String>,
    last_contact_day: Option<i64>,
    contacts: i64,
    messages_30: i64,
    mentor_active: i64,
    mentee_active: i64,
    library_type: String,
    region: String,
}

/// Every match the query selects, in its order. Private to `program`: the table and the export
/// read it behind their coordinator permits. A flag the table does not know is refused beside the
/// filter.
pub(super) async fn rows(db: &Db, q: &MatchQuery) -> Result<Vec<MatchTableRow>, AppError> {
    rows_of(db, q, None).await
}

/// The active matches whose first flag came longest ago under the dashboard's filters, at most
/// `limit`, each with its flags: read from the kept onsets on an index (`matches_attention_idx`),
/// then each match's row by its id, so the work does not grow with the program.
pub(super) async fn needing_attention(
    db: &Db,
    f: &DashboardFilter,
    now: i64,
    limit: i64,
) -> Result<Vec<MatchTableRow>, AppError> {
    let ids = sqlx::query_scalar::<_, i64>(
        "SELECT id FROM matches
         WHERE state = 'active' AND flagged_from <= $1
           AND ($2 = 0 OR cohort_id = $2) AND ($3 = '' OR library_type = $3)
           AND ($4 = '' OR LOWER(region) = LOWER($4))
         ORDER BY flagged_from, id
         LIMIT $5",
    )
    .bind(now)
    .bind(f.cohort_id.unwrap_or(0))
    .bind(f.library_type.trim())
    .bind(f.region.trim())
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        // The kept onset and the flags agree (a test holds them to it), but a flag that went off
        // between the two reads is not listed without its reason.
        let rows = rows_of(db, &MatchQuery::default(), Some(MatchId(id))).await?;
        out.extend(rows.into_iter().filter(|r| !r.flags.is_empty()));
    }
    Ok(out)
}

/// The rows of `q`, or of the one match `only`.
async fn rows_of(
    db: &Db,
    q: &MatchQuery,
    only: Option<MatchId>,
) -> Result<Vec<MatchTableRow>, AppError> {
    if !known_flag(&q.flag) {
        return Err(AppError::validation("flag", "Choose a flag from the list."));
    }
    let now = now_ms();
    let search = format!("%{}%", q.search.trim().to_lowercase());
    let raw = sqlx::query_as::<_, Raw>(
        "SELECT m.id, c.name AS cohort_name, mr.name AS mentor_name, me.name AS mentee_name,
                m.state, m.started_at, c.goal_sheet_due_days AS due_days,
                s.state AS sheet_state, s.amended_by,
                m.last_contact_day, m.contacts,
                (SELECT COUNT(*) FROM messages g
                 WHERE g.match_id = m.id AND g.created_at >= $1) AS messages_30,
                mr.last_active_at AS mentor_active, me.last_active_at AS mentee_active,
                m.library_type, m.region
         FROM matches m
         JOIN cohorts c ON c.id = m.cohort_id
         JOIN users mr ON mr.id = m.mentor_id
         JOIN users me ON me.id = m.mentee_id
         LEFT JOIN goal_sheets s ON s.match_id = m.id
         WHERE ($2 = 0 OR m.cohort_id = $2)
           AND ($3 = '' OR m.library_type = $3)
           AND ($4 = '' OR LOWER(m.region) = LOWER($4))
           AND ($5 = '%%' OR LOWER(mr.name) LIKE $5 OR LOWER(me.name) LIKE $5)
           AND ($6 = '' OR m.state = $6)
           AND ($7 = '' OR EXISTS (SELECT 1 FROM goals g WHERE g.match_id = m.id AND g.progress = $7))
           AND ($8 = 0 OR m.id = $8)
         ORDER BY m.id",
    )
    .bind(now - 30 * DAY_MS)
    .bind(q.cohort_id.unwrap_or(0))
    .bind(q.library_type.trim())
    .bind(q.region.trim())
    .bind(&search)
    .bind(q.state.trim())
    .bind(q.goal.trim())
    .bind(only.map_or(0, MatchId::get))
    .fetch_all(db)
    .await?;
    let today = tz::today_utc(now);
    let idle = |at: i64| (at > 0).then(|| (now - at) / DAY_MS);
    let mut rows: Vec<MatchTableRow> = raw
        .into_iter()
        .map(|r| {
            let sheet = SheetState::from_db(
                r.sheet_state.as_deref().unwrap_or("draft"),
                r.amended_by.as_deref(),
            );
            let started_on = tz::today_utc(r.started_at);
            let active = r.state == MatchState::Active;
            let due = tz::add_days(&started_on, r.due_days);
            let days_since_contact = r.last_contact_day.map(|d| now.div_euclid(DAY_MS) - d);
            let facts = HealthFacts {
                days_matched: tz::days_between(&started_on, &today),
                days_since_contact,
                contacts: r.contacts,
                sheet_overdue: active && !sheet.is_in() && today > due,
                mentor_idle_days: idle(r.mentor_active),
                mentee_idle_days: idle(r.mentee_active),
            };
            MatchTableRow {
                match_id: r.id,
                flags: if active {
                    flags(&facts, &r.mentor_name, &r.mentee_name)
                } else {
                    Vec::new()
                },
                cohort_name: r.cohort_name,
                mentor_name: r.mentor_name,
                mentee_name: r.mentee_name,
                state: r.state,
                library_type: r.library_type,
                region: r.region,
                started_on,
                days_matched: facts.days_matched,
                days_since_contact,
                contacts: r.contacts,
                messages_30_days: r.messages_30,
                sheet,
            }
        })
        .filter(|r| q.sheet.is_empty() || r.sheet.to_db().0 == q.sheet)
        .filter(|r| match q.flag.as_str() {
            "" => true,
            "any" => !r.flags.is_empty(),
            key => r.flags.iter().any(|f| f.key == key),
        })
        .collect();
    sort(&mut rows, &q.sort);
    Ok(rows)
}

/// Orders the rows; ties keep the newest match id last so pages are stable.
fn sort(rows: &mut [MatchTableRow], key: &str) {
    let by_id = |a: &MatchTableRow, b: &MatchTableRow| a.match_id.cmp(&b.match_id);
    match key {
        "contact" => rows.sort_by(|a, b| {
            // Never contacted first, then the longest since.
            let d = |r: &MatchTableRow| r.days_since_contact.unwrap_or(i64::MAX);
            d(b).cmp(&d(a)).then(by_id(a, b))
        }),
        "messages" => rows.sort_by(|a, b| {
            a.messages_30_days
                .cmp(&b.messages_30_days)
                .then(by_id(a, b))
        }),
        "sheet" => rows.sort_by(|a, b| a.sheet.label().cmp(b.sheet.label()).then(by_id(a, b))),
        "matched" => rows.sort_by(|a, b| b.days_matched.cmp(&a.days_matched).then(by_id(a, b))),
        "name" => rows.sort_by(|a, b| {
            a.mentee_name
                .to_lowercase()
                .cmp(&b.mentee_name.to_lowercase())
                .then(by_id(a, b))
        }),
        _ => rows.sort_by(|a, b| {
            (b.state == MatchState::Active)
                .cmp(&(a.state == MatchState::Active))
                .then(b.flags.len().cmp(&a.flags.len()))
                .then(by_id(a, b))
        }),
    }
}

/// One page of the table.
pub async fn table(db: &Db, _by: &Coordinator, q: &MatchQuery) -> Result<MatchTable, AppError> {
    let all = rows(db, q).await?;
    let total = all.len() as i64;
    let flagged = all.iter().filter(|r| !r.flags.is_empty()).count() as i64;
    let pages = ((total + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE).max(1);
    let page = q.page.clamp(1, pages);
    let rows = all
        .into_iter()
        .skip(((page - 1) * ROWS_PER_PAGE) as usize)
        .take(ROWS_PER_PAGE as usize)
        .collect();
    Ok(MatchTable {
        rows,
        total,
        flagged,
        page,
        pages,
    })
}

/// The flag keys a query may name.
fn known_flag(key: &str) -> bool {
    key.is_empty() || key == "any" || FLAGS.iter().any(|(k, _)| *k == key)
}
