//! The dashboard's counts and, for each, the address of the list behind it. Counts of things by
//! state and of activity by week are kept up to date by triggers (migration 0006), so this reads a
//! few rows per part of the program at any size. What changes with the date (overdue sheets,
//! flagged matches) is counted from each match's kept onset, by day (`onset_days`).

use crate::backend::auth::policy::Coordinator;
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::tz;
use crate::error::AppError;
use crate::model::dashboard::{
    ATTENTION_SHOWN, Attention, Count, Dashboard, DashboardFilter, WEEKS, Week,
};
use crate::model::{ApplicationState, GoalProgress, MatchState, SheetState};

const DAY_MS: i64 = 86_400_000;
const WEEK_MS: i64 = 7 * DAY_MS;

/// The filter as SQL on the counts tables' columns (and a match's own copy of its mentee's
/// library type and region).
const FILTER: &str = "($1 = 0 OR cohort_id = $1) AND ($2 = '' OR library_type = $2)
     AND ($3 = '' OR LOWER(region) = LOWER($3))";

/// The filters that are set, as SQL on `alias`'s columns from placeholder `$first` on, and
/// their values, so a count is a plain range of an index with nothing to work out per entry.
fn set_filters(alias: &str, f: &DashboardFilter, first: usize) -> (String, Vec<Arg>) {
    let mut sql = String::new();
    let mut args = Vec::new();
    let mut n = first;
    let mut add = |cond: String, arg: Arg| {
        sql.push_str(&cond.replace('?', &format!("${n}")));
        args.push(arg);
        n += 1;
    };
    if let Some(c) = f.cohort_id.filter(|c| *c != 0) {
        add(format!(" AND {alias}cohort_id = ?"), Arg::Int(c));
    }
    if !f.library_type.trim().is_empty() {
        add(
            format!(" AND {alias}library_type = ?"),
            Arg::Text(f.library_type.trim().to_string()),
        );
    }
    if !f.region.trim().is_empty() {
        add(
            format!(" AND LOWER({alias}region) = LOWER(?)"),
            Arg::Text(f.region.trim().to_string()),
        );
    }
    (sql, args)
}

enum Arg {
    Int(i64),
    Text(String),
}

/// Active matches whose kept moment (`column`: flagged_from or sheet_overdue_from, counted in
/// onset_days as `metric`) has come by `now`: the kept per-day counts of the days before today,
/// plus today's matches from the (cohort, state, moment) index. Neither grows with the number of
/// matches once past days are merged.
async fn come(
    db: &Db,
    column: &str,
    metric: &str,
    f: &DashboardFilter,
    now: i64,
) -> Result<i64, AppError> {
    let today = now.div_euclid(DAY_MS);
    let (days_filter, days_args) = set_filters("", f, 3);
    let (match_filter, match_args) = set_filters("m.", f, 3);
    let sql = format!(
        "SELECT CAST(COALESCE((SELECT SUM(n) FROM onset_days WHERE metric = '{metric}'
                   AND day < $1{days_filter}), 0) AS BIGINT),
                (SELECT COUNT(*) FROM matches m WHERE m.state = 'active'
                   AND m.{column} >= $1 * {DAY_MS} AND m.{column} <= $2{match_filter})"
    );
    // Both halves take the same filters, in the same order, so they share the placeholders.
    debug_assert_eq!(days_args.len(), match_args.len());
    let mut q = sqlx::query_as::<_, (i64, i64)>(&sql).bind(today).bind(now);
    for arg in days_args {
        q = match arg {
            Arg::Int(v) => q.bind(v),
            Arg::Text(v) => q.bind(v),
        };
    }
    let (before_today, today_so_far) = q.fetch_one(db).await?;
    Ok(before_today + today_so_far)
}

/// Merges the per-day onset counts of days before yesterday into day -1, at most once a day
/// (whoever gets the row first does it; the others see it done).
async fn compact_onsets(db: &Db, now: i64) -> Result<(), AppError> {
    let through = now.div_euclid(DAY_MS) - 2;
    let done: i64 = sqlx::query_scalar("SELECT through_day FROM onset_compaction WHERE id = 1")
        .fetch_one(db)
        .await?;
    if done >= through {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE onset_compaction SET through_day = $1 WHERE id = 1 AND through_day < $1",
    )
    .bind(through)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO onset_days (cohort_id, library_type, region, metric, day, n)
         SELECT cohort_id, library_type, region, metric, -1, SUM(n) FROM onset_days
         WHERE day >= 0 AND day <= $1
         GROUP BY cohort_id, library_type, region, metric
         ON CONFLICT (cohort_id, metric, day, library_type, region)
         DO UPDATE SET n = onset_days.n + excluded.n",
    )
    .bind(through)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM onset_days WHERE day >= 0 AND day <= $1")
        .bind(through)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

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

pub async fn load(db: &Db, _by: &Coordinator, f: &DashboardFilter) -> Result<Dashboard, AppError> {
    let now = now_ms();
    let cohort = f.cohort_id.unwrap_or(0);
    let (lib, region) = (f.library_type.trim(), f.region.trim());

    // Applications, matches, sheets and goals by state: the kept counts, a few rows per part of
    // the program.
    let counts = sqlx::query_as::<_, (String, String, i64)>(&format!(
        "SELECT metric, bucket, CAST(SUM(n) AS BIGINT) FROM dashboard_counts WHERE {FILTER}
         GROUP BY metric, bucket"
    ))
    .bind(cohort)
    .bind(lib)
    .bind(region)
    .fetch_all(db)
    .await?;
    let of = |metric: &str| -> Vec<(String, i64)> {
        counts
            .iter()
            .filter(|(m, _, _)| m == metric)
            .map(|(_, b, n)| (b.clone(), *n))
            .collect()
    };
    let apps = of("application");
    let apps_link = |state: &str| link("/coordinator/applications", f, &[("state", state)]);
    let applied: i64 = apps.iter().map(|(_, n)| n).sum();
    // A funnel stage holds everyone who got that far and is still there: "Accepted" includes the
    // matched, and its link lists them too (`reached`), so the figure and its list agree.
    let accepted = grouped(&apps, ApplicationState::Accepted.as_str())
        + grouped(&apps, ApplicationState::Matched.as_str());
    let funnel = vec![
        Count {
            label: "Applied".into(),
            value: applied,
            href: apps_link(""),
        },
        Count {
            label: "Accepted".into(),
            value: accepted,
            href: link("/coordinator/applications", f, &[("reached", "accepted")]),
        },
        Count {
            label: "Matched".into(),
            value: grouped(&apps, ApplicationState::Matched.as_str()),
            href: apps_link(ApplicationState::Matched.as_str()),
        },
    ];
    let applications = ApplicationState::ALL
        .iter()
        .map(|s| Count {
            label: s.label().to_string(),
            value: grouped(&apps, s.as_str()),
            href: apps_link(s.as_str()),
        })
        .collect();

    let match_counts = of("match");
    let matches = MatchState::ALL
        .iter()
        .map(|s| Count {
            label: s.label().to_string(),
            value: grouped(&match_counts, s.as_str()),
            href: link("/coordinator/matches", f, &[("state", s.as_str())]),
        })
        .collect();
    let active_matches = grouped(&match_counts, MatchState::Active.as_str());

    let sheet_counts = of("sheet");
    let sheets = SheetState::STORED
        .iter()
        .map(|s| Count {
            label: s.label().to_string(),
            value: grouped(&sheet_counts, s.stored_name()),
            href: link(
                "/coordinator/matches",
                f,
                &[
                    ("state", MatchState::Active.as_str()),
                    ("sheet", s.stored_name()),
                ],
            ),
        })
        .collect();

    // Overdue sheets and flagged matches change with the date as well as with events: each
    // match keeps the moment its first flag comes on (and its sheet becomes overdue), and those
    // moments are counted by day, so neither is worked out here match by match.
    compact_onsets(db, now).await?;
    let sheets_overdue = come(db, "sheet_overdue_from", "overdue", f, now).await?;
    let needing_attention = come(db, "flagged_from", "flagged", f, now).await?;
    let attention = super::match_table::needing_attention(db, f, now, ATTENTION_SHOWN)
        .await?
        .into_iter()
        .map(|r| Attention {
            match_id: r.match_id,
            names: format!("{} and {}", r.mentor_name, r.mentee_name),
            reasons: r.flags.into_iter().map(|f| f.reason).collect(),
        })
        .collect();

    // The last WEEKS weeks, Monday to Sunday (UTC).
    let midnight = now - now.rem_euclid(DAY_MS);
    // 1970-01-01 was a Thursday: days since the epoch + 3, mod 7, is days since Monday.
    let monday = midnight - ((midnight / DAY_MS + 3).rem_euclid(7)) * DAY_MS;
    let origin = monday - (WEEKS - 1) * WEEK_MS;
    let mut weeks: Vec<Week> = (0..WEEKS)
        .map(|i| Week {
            starts: tz::today_utc(origin + i * WEEK_MS),
            contacts: 0,
            messages: 0,
        })
        .collect();
    let first_week = (origin / DAY_MS + 3).div_euclid(7);
    let activity = sqlx::query_as::<_, (i64, i64, i64)>(&format!(
        "SELECT week, CAST(SUM(messages) AS BIGINT), CAST(SUM(contacts) AS BIGINT)
         FROM activity_weeks WHERE week >= $4 AND {FILTER} GROUP BY week"
    ))
    .bind(cohort)
    .bind(lib)
    .bind(region)
    .bind(first_week)
    .fetch_all(db)
    .await?;
    for (wk, messages, contacts) in activity {
        if let Some(w) = usize::try_from(wk - first_week)
            .ok()
            .and_then(|i| weeks.get_mut(i))
        {
            w.messages += messages;
            w.contacts += contacts;
        }
    }

    let goal_counts = of("goal");
    let goals = GoalProgress::ALL
        .iter()
        .map(|p| Count {
            label: p.label().to_string(),
            value: grouped(&goal_counts, p.as_str()),
            href: link("/coordinator/matches", f, &[("goal", p.as_str())]),
        })
        .collect();

    Ok(Dashboard {
        funnel,
        applications,
        matches,
        sheets,
        sheets_overdue,
        needing_attention,
        attention,
        active_matches,
        attention_href: link(
            "/coordinator/matches",
            f,
            &[("state", MatchState::Active.as_str()), ("flag", "any")],
        ),
        overdue_href: link(
            "/coordinator/matches",
            f,
            &[
                ("state", MatchState::Active.as_str()),
                ("flag", "sheet_overdue"),
            ],
        ),
        weeks,
        goals,
    })
}
