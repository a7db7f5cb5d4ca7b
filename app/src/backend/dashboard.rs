//! The dashboard's counts, each one grouped query on indexed columns (applications by cohort and
//! state, matches by cohort, messages by time, contacts by match and date), never rows loaded to
//! be counted here; and for each count the address of the list behind it.

use crate::backend::db::{Db, now_ms};
use crate::backend::{health, tz};
use crate::error::AppError;
use crate::model::dashboard::{
    APPLICATION_STATES, Count, Dashboard, DashboardFilter, GOAL_PROGRESS, MATCH_STATES,
    SHEET_STATES, WEEKS, Week,
};
use crate::model::health::MatchQuery;

const DAY_MS: i64 = 86_400_000;
const WEEK_MS: i64 = 7 * DAY_MS;

/// The filter as SQL on the mentee's application `a` (library type and region) and the cohort.
const FILTER: &str = "($1 = 0 OR m.cohort_id = $1) AND ($2 = '' OR a.library_type = $2)
     AND ($3 = '' OR LOWER(a.region) = LOWER($3))";
const MENTEE_APPLICATION: &str =
    "LEFT JOIN applications a ON a.cohort_id = m.cohort_id AND a.user_id = m.mentee_id";

fn grouped(rows: &[(String, i64)], key: &str) -> i64 {
    rows.iter().filter(|(k, _)| k == key).map(|(_, n)| n).sum()
}

/// A query string of the filter plus `extra`, for the links behind the counts.
fn link(path: &str, f: &DashboardFilter, extra: &[(&str, &str)]) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = f.cohort_id {
        parts.push(format!("cohort={c}"));
    }
    for (k, v) in [
        ("library_type", f.library_type.as_str()),
        ("region", f.region.as_str()),
    ]
    .into_iter()
    .chain(extra.iter().copied())
    {
        if !v.is_empty() {
            parts.push(format!(
                "{k}={}",
                url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            ));
        }
    }
    if parts.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", parts.join("&"))
    }
}

pub async fn load(db: &Db, f: &DashboardFilter) -> Result<Dashboard, AppError> {
    let now = now_ms();
    let cohort = f.cohort_id.unwrap_or(0);
    let (lib, region) = (f.library_type.trim(), f.region.trim());

    // Applications, by state (the applications page filters by cohort only).
    let apps = sqlx::query_as::<_, (String, i64)>(
        "SELECT a.state, COUNT(*) FROM applications a
         WHERE ($1 = 0 OR a.cohort_id = $1) AND ($2 = '' OR a.library_type = $2)
           AND ($3 = '' OR LOWER(a.region) = LOWER($3))
         GROUP BY a.state",
    )
    .bind(cohort)
    .bind(lib)
    .bind(region)
    .fetch_all(db)
    .await?;
    let apps_link = |state: &str| {
        link(
            "/coordinator/applications",
            &DashboardFilter {
                cohort_id: f.cohort_id,
                ..Default::default()
            },
            &[("state", state)],
        )
    };
    let applied: i64 = apps.iter().map(|(_, n)| n).sum();
    let accepted = grouped(&apps, "accepted") + grouped(&apps, "matched");
    let funnel = vec![
        Count {
            label: "Applied".into(),
            value: applied,
            href: apps_link(""),
        },
        Count {
            label: "Accepted".into(),
            value: accepted,
            href: apps_link("accepted"),
        },
        Count {
            label: "Matched".into(),
            value: grouped(&apps, "matched"),
            href: apps_link("matched"),
        },
    ];
    let applications = APPLICATION_STATES
        .iter()
        .map(|(k, label)| Count {
            label: label.to_string(),
            value: grouped(&apps, k),
            href: apps_link(k),
        })
        .collect();

    let match_counts = sqlx::query_as::<_, (String, i64)>(&format!(
        "SELECT m.state, COUNT(*) FROM matches m {MENTEE_APPLICATION} WHERE {FILTER} GROUP BY m.state"
    ))
    .bind(cohort)
    .bind(lib)
    .bind(region)
    .fetch_all(db)
    .await?;
    let matches = MATCH_STATES
        .iter()
        .map(|(k, label)| Count {
            label: label.to_string(),
            value: grouped(&match_counts, k),
            href: link("/coordinator/matches", f, &[("state", *k)]),
        })
        .collect();
    let active_matches = grouped(&match_counts, "active");

    // Active matches' sheets by state; overdue as the matches table judges it: still a draft
    // or only submitted on a day after the due date (UTC days).
    let sheet_counts = sqlx::query_as::<_, (String, i64, i64)>(&format!(
        "SELECT COALESCE(s.state, 'draft') AS st, COUNT(*),
                COALESCE(SUM(CASE WHEN COALESCE(s.state, 'draft') IN ('draft', 'submitted')
                     AND $4 >= m.started_at - (m.started_at % {DAY_MS})
                               + (c.goal_sheet_due_days + 1) * {DAY_MS}
                     THEN 1 ELSE 0 END), 0)
         FROM matches m JOIN cohorts c ON c.id = m.cohort_id
         LEFT JOIN goal_sheets s ON s.match_id = m.id {MENTEE_APPLICATION}
         WHERE m.state = 'active' AND {FILTER}
         GROUP BY COALESCE(s.state, 'draft')"
    ))
    .bind(cohort)
    .bind(lib)
    .bind(region)
    .bind(now)
    .fetch_all(db)
    .await?;
    let sheets = SHEET_STATES
        .iter()
        .map(|(k, label)| Count {
            label: label.to_string(),
            value: sheet_counts
                .iter()
                .filter(|(s, _, _)| s.as_str() == *k)
                .map(|(_, n, _)| n)
                .sum(),
            href: link(
                "/coordinator/matches",
                f,
                &[("state", "active"), ("sheet", *k)],
            ),
        })
        .collect();
    let sheets_overdue = sheet_counts.iter().map(|(_, _, o)| o).sum();

    // Flags need each match's figures: the matches table's one query.
    let needing_attention = health::rows(
        db,
        &MatchQuery {
            cohort_id: f.cohort_id,
            library_type: lib.to_string(),
            region: region.to_string(),
            flag: "any".into(),
            state: "active".into(),
            ..Default::default()
        },
    )
    .await?
    .len() as i64;

    // The last WEEKS weeks, Monday to Sunday (UTC).
    let today = now - now.rem_euclid(DAY_MS);
    // 1970-01-01 was a Thursday: days since the epoch + 3, mod 7, is days since Monday.
    let monday = today - ((today / DAY_MS + 3).rem_euclid(7)) * DAY_MS;
    let origin = monday - (WEEKS - 1) * WEEK_MS;
    let mut weeks: Vec<Week> = (0..WEEKS)
        .map(|i| Week {
            starts: tz::today_utc(origin + i * WEEK_MS),
            contacts: 0,
            messages: 0,
        })
        .collect();
    // Counted per match and week from the (match, time) index first, then filtered through the
    // much smaller result: joining every message to its match and application was 5 times slower.
    let messages = sqlx::query_as::<_, (i64, i64)>(&format!(
        "SELECT w.wk, CAST(SUM(w.n) AS BIGINT) FROM
           (SELECT g.match_id, (g.created_at - $4) / {WEEK_MS} AS wk, COUNT(*) AS n
            FROM messages g WHERE g.created_at >= $4 GROUP BY g.match_id, (g.created_at - $4) / {WEEK_MS}) w
         JOIN matches m ON m.id = w.match_id {MENTEE_APPLICATION}
         WHERE {FILTER}
         GROUP BY w.wk"
    ))
    .bind(cohort)
    .bind(lib)
    .bind(region)
    .bind(origin)
    .fetch_all(db)
    .await?;
    for (wk, n) in messages {
        if let Some(w) = usize::try_from(wk).ok().and_then(|i| weeks.get_mut(i)) {
            w.messages += n;
        }
    }
    // Contacts carry the date they happened on: counted per day in SQL, put in weeks here.
    let contacts = sqlx::query_as::<_, (String, i64)>(&format!(
        "SELECT x.on_date, COUNT(*)
         FROM contacts x JOIN matches m ON m.id = x.match_id {MENTEE_APPLICATION}
         WHERE x.on_date >= $4 AND {FILTER}
         GROUP BY x.on_date"
    ))
    .bind(cohort)
    .bind(lib)
    .bind(region)
    .bind(tz::today_utc(origin))
    .fetch_all(db)
    .await?;
    let first = tz::today_utc(origin);
    for (day, n) in contacts {
        let i = tz::days_between(&first, &day) / 7;
        if let Some(w) = usize::try_from(i).ok().and_then(|i| weeks.get_mut(i)) {
            w.contacts += n;
        }
    }

    let goal_counts = sqlx::query_as::<_, (String, i64)>(&format!(
        "SELECT g.progress, COUNT(*) FROM goals g JOIN matches m ON m.id = g.match_id
         {MENTEE_APPLICATION} WHERE {FILTER} GROUP BY g.progress"
    ))
    .bind(cohort)
    .bind(lib)
    .bind(region)
    .fetch_all(db)
    .await?;
    let goals = GOAL_PROGRESS
        .iter()
        .map(|(k, label)| Count {
            label: label.to_string(),
            value: grouped(&goal_counts, k),
            href: String::new(),
        })
        .collect();

    Ok(Dashboard {
        funnel,
        applications,
        matches,
        sheets,
        sheets_overdue,
        needing_attention,
        active_matches,
        weeks,
        goals,
    })
}
