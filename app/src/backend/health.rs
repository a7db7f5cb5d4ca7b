//! Match health for coordinators: every match's figures in one query (contacts, days since the
//! last one, messages in 30 days, the goal sheet, when each partner was last active), the flags,
//! and the table's filters, order and pages. Also the CSV export of the same rows.

use crate::backend::db::{Db, now_ms};
use crate::backend::tz;
use crate::error::AppError;
use crate::model::SheetState;
use crate::model::health::{
    FLAGS, HealthFacts, HealthRow, MatchQuery, MatchTable, ROWS_PER_PAGE, flags,
};

const DAY_MS: i64 = 86_400_000;

#[derive(sqlx::FromRow)]
struct Raw {
    id: i64,
    cohort_name: String,
    mentor_name: String,
    mentee_name: String,
    state: String,
    started_at: i64,
    due_days: i64,
    sheet_state: Option<String>,
    amended_by: Option<String>,
    last_contact: Option<String>,
    contacts: i64,
    messages_30: i64,
    mentor_active: i64,
    mentee_active: i64,
    library_type: Option<String>,
    region: Option<String>,
}

/// Every match the filters select (all pages), with its flags. One query: the per-match figures
/// are subqueries on indexed columns (contacts by match and date, messages by match and time),
/// never a query per row.
pub async fn rows(db: &Db, q: &MatchQuery) -> Result<Vec<HealthRow>, AppError> {
    let now = now_ms();
    let search = format!("%{}%", q.search.trim().to_lowercase());
    let raw = sqlx::query_as::<_, Raw>(
        "SELECT m.id, c.name AS cohort_name, mr.name AS mentor_name, me.name AS mentee_name,
                m.state, m.started_at, c.goal_sheet_due_days AS due_days,
                s.state AS sheet_state, s.amended_by,
                (SELECT MAX(x.on_date) FROM contacts x WHERE x.match_id = m.id) AS last_contact,
                (SELECT COUNT(*) FROM contacts x WHERE x.match_id = m.id) AS contacts,
                (SELECT COUNT(*) FROM messages g
                 WHERE g.match_id = m.id AND g.created_at >= $1) AS messages_30,
                mr.last_active_at AS mentor_active, me.last_active_at AS mentee_active,
                a.library_type, a.region
         FROM matches m
         JOIN cohorts c ON c.id = m.cohort_id
         JOIN users mr ON mr.id = m.mentor_id
         JOIN users me ON me.id = m.mentee_id
         LEFT JOIN goal_sheets s ON s.match_id = m.id
         LEFT JOIN applications a ON a.cohort_id = m.cohort_id AND a.user_id = m.mentee_id
         WHERE ($2 = 0 OR m.cohort_id = $2)
           AND ($3 = '' OR a.library_type = $3)
           AND ($4 = '' OR LOWER(a.region) = LOWER($4))
           AND ($5 = '%%' OR LOWER(mr.name) LIKE $5 OR LOWER(me.name) LIKE $5)
           AND ($6 = '' OR m.state = $6)
         ORDER BY m.id",
    )
    .bind(now - 30 * DAY_MS)
    .bind(q.cohort_id.unwrap_or(0))
    .bind(q.library_type.trim())
    .bind(q.region.trim())
    .bind(&search)
    .bind(q.state.trim())
    .fetch_all(db)
    .await?;
    let today = tz::today_utc(now);
    let idle = |at: i64| (at > 0).then(|| (now - at) / DAY_MS);
    let mut rows: Vec<HealthRow> = raw
        .into_iter()
        .map(|r| {
            let sheet = SheetState::from_db(
                r.sheet_state.as_deref().unwrap_or("draft"),
                r.amended_by.as_deref(),
            );
            let started_on = tz::today_utc(r.started_at);
            let active = r.state == "active";
            let due = tz::add_days(&started_on, r.due_days);
            let days_since_contact = r
                .last_contact
                .as_deref()
                .map(|d| tz::days_between(d, &today));
            let facts = HealthFacts {
                days_matched: tz::days_between(&started_on, &today),
                days_since_contact,
                contacts: r.contacts,
                sheet_overdue: active && !sheet.is_in() && today > due,
                mentor_idle_days: idle(r.mentor_active),
                mentee_idle_days: idle(r.mentee_active),
            };
            HealthRow {
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
                library_type: r.library_type.unwrap_or_default(),
                region: r.region.unwrap_or_default(),
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
fn sort(rows: &mut [HealthRow], key: &str) {
    let by_id = |a: &HealthRow, b: &HealthRow| a.match_id.cmp(&b.match_id);
    match key {
        "contact" => rows.sort_by(|a, b| {
            // Never contacted first, then the longest since.
            let d = |r: &HealthRow| r.days_since_contact.unwrap_or(i64::MAX);
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
            (b.state == "active")
                .cmp(&(a.state == "active"))
                .then(b.flags.len().cmp(&a.flags.len()))
                .then(by_id(a, b))
        }),
    }
}

/// One page of the table.
pub async fn table(db: &Db, q: &MatchQuery) -> Result<MatchTable, AppError> {
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

/// A cell as a spreadsheet should see it: a value starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be read as a formula, so it gets a leading apostrophe.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The matches the filters select, all pages, as CSV (UTF-8, RFC 4180 quoting by the `csv`
/// crate, formula-looking cells neutralised).
pub async fn csv(db: &Db, q: &MatchQuery) -> Result<String, AppError> {
    let rows = rows(db, q).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, cells: Vec<String>| {
        w.write_record(cells.iter().map(|c| neutralise(c)))
            .map_err(|e| {
                tracing::error!(error = %e, "writing CSV");
                AppError::Internal
            })
    };
    write(
        &mut w,
        [
            "match_id",
            "cohort",
            "mentor",
            "mentee",
            "state",
            "library_type",
            "region",
            "matched_on",
            "days_matched",
            "days_since_contact",
            "contacts",
            "messages_last_30_days",
            "goal_sheet",
            "flags",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    )?;
    for r in rows {
        let flags = r
            .flags
            .iter()
            .map(|f| f.reason.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        write(
            &mut w,
            vec![
                r.match_id.to_string(),
                r.cohort_name,
                r.mentor_name,
                r.mentee_name,
                r.state,
                r.library_type,
                r.region,
                r.started_on,
                r.days_matched.to_string(),
                r.days_since_contact
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                r.contacts.to_string(),
                r.messages_30_days.to_string(),
                r.sheet.label().to_string(),
                flags,
            ],
        )?;
    }
    let bytes = w.into_inner().map_err(|e| {
        tracing::error!(error = %e, "finishing CSV");
        AppError::Internal
    })?;
    String::from_utf8(bytes).map_err(|_| AppError::Internal)
}

/// The flag keys a query may name.
pub fn known_flag(key: &str) -> bool {
    key.is_empty() || key == "any" || FLAGS.iter().any(|(k, _)| *k == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("Zoë"), "Zoë");
        assert_eq!(neutralise(""), "");
    }
}
