//! CSV exports for coordinators: the matches table, applications and goals, each with the filters
//! of the page it comes from. UTF-8, RFC 4180 quoting by the `csv` crate, and every cell that a
//! spreadsheet would read as a formula neutralised.

use crate::backend::auth::policy::Coordinator;
use crate::backend::infra::db::Db;
use crate::backend::{infra::tz, program::applications, program::match_table};
use crate::error::AppError;
use crate::model::ApplicationFilter;
use crate::model::MatchId;
use crate::model::dashboard::DashboardFilter;
use crate::model::match_table::MatchQuery;

/// A cell as a spreadsheet should see it: a value starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be read as a formula, so it gets a leading apostrophe.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// A header and rows as CSV text.
pub fn to_csv(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<String, AppError> {
    let fail = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "writing CSV");
        AppError::Internal
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header.iter().map(|c| neutralise(c)))
        .map_err(|e| fail(&e))?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c)))
            .map_err(|e| fail(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| fail(&e))?;
    String::from_utf8(bytes).map_err(|e| fail(&e))
}

/// The matches the filters select, all pages.
pub async fn matches(db: &Db, _by: &Coordinator, q: &MatchQuery) -> Result<String, AppError> {
    let rows = match_table::rows(db, q).await?;
    to_csv(
        &[
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
        ],
        rows.into_iter().map(|r| {
            let flags = r
                .flags
                .iter()
                .map(|f| f.reason.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            vec![
                r.match_id.to_string(),
                r.cohort_name,
                r.mentor_name,
                r.mentee_name,
                r.state.as_str().to_string(),
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
            ]
        }),
    )
}

/// Every application the filters select (no page limit).
pub async fn applications(
    db: &Db,
    _by: &Coordinator,
    f: &ApplicationFilter,
) -> Result<String, AppError> {
    let rows = applications::rows(db, f, i64::MAX).await?;
    to_csv(
        &[
            "application_id",
            "cohort",
            "name",
            "email",
            "role",
            "state",
            "library_type",
            "region",
            "submitted_on",
        ],
        rows.into_iter().map(|r| {
            vec![
                r.id.to_string(),
                r.cohort_name,
                r.name,
                r.email,
                r.role.as_str().to_string(),
                r.state.as_str().to_string(),
                r.library_type,
                r.region,
                tz::today_utc(r.submitted_at),
            ]
        }),
    )
}

#[derive(sqlx::FromRow)]
struct GoalRow {
    match_id: MatchId,
    cohort_name: String,
    mentor_name: String,
    mentee_name: String,
    library_type: String,
    region: String,
    position: i64,
    title: String,
    measure: String,
    target_date: String,
    progress: String,
}

/// Every goal in the matches the filters select (`progress`: "" for all), by match and position.
pub async fn goals(
    db: &Db,
    _by: &Coordinator,
    f: &DashboardFilter,
    progress: &str,
) -> Result<String, AppError> {
    let rows = sqlx::query_as::<_, GoalRow>(
        "SELECT m.id AS match_id, c.name AS cohort_name, mr.name AS mentor_name,
                me.name AS mentee_name, m.library_type, m.region, g.position, g.title, g.measure,
                g.target_date, g.progress
         FROM goals g JOIN matches m ON m.id = g.match_id JOIN cohorts c ON c.id = m.cohort_id
         JOIN users mr ON mr.id = m.mentor_id JOIN users me ON me.id = m.mentee_id
         WHERE ($1 = 0 OR m.cohort_id = $1) AND ($2 = '' OR m.library_type = $2)
           AND ($3 = '' OR LOWER(m.region) = LOWER($3)) AND ($4 = '' OR g.progress = $4)
         ORDER BY m.id, g.position, g.id",
    )
    .bind(f.cohort_id.unwrap_or(0))
    .bind(f.library_type.trim())
    .bind(f.region.trim())
    .bind(progress.trim())
    .fetch_all(db)
    .await?;
    to_csv(
        &[
            "match_id",
            "cohort",
            "mentor",
            "mentee",
            "library_type",
            "region",
            "goal",
            "title",
            "measure",
            "target_date",
            "progress",
        ],
        rows.into_iter().map(|r| {
            vec![
                r.match_id.to_string(),
                r.cohort_name,
                r.mentor_name,
                r.mentee_name,
                r.library_type,
                r.region,
                r.position.to_string(),
                r.title,
                r.measure,
                r.target_date,
                r.progress.replace('_', " "),
            ]
        }),
    )
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

    #[test]
    fn quoting_follows_rfc_4180() {
        let out = to_csv(
            &["a", "b"],
            [vec!["Zoë, \"Z\"".into(), "line\nbreak".into()]],
        )
        .unwrap();
        assert_eq!(out, "a,b\n\"Zoë, \"\"Z\"\"\",\"line\nbreak\"\n");
    }
}
