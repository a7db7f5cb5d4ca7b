//! What each person's home shows: a participant's matches (and past ones, while none is active)
//! with their applications, or a coordinator's program overview (`program::overview`).

use crate::backend::auth::policy::{self, Home, SignedIn, access};
use crate::backend::infra::db::Db;
use crate::backend::match_work::facts::ActiveMatch;
use crate::backend::match_work::match_home::HomeCache;
use crate::backend::program::{applications, overview};
use crate::error::AppError;
use crate::model::{HomeView, MatchHome, MatchState, PastMatch};

/// The home of whoever the policy's `home` grant names; `active` are a participant's active
/// matches (`facts::of_partner`), read with the page's header.
pub async fn view(
    db: &Db,
    homes: &HomeCache,
    home: &Home,
    active: &[ActiveMatch],
) -> Result<HomeView, AppError> {
    match home {
        Home::Coordinator(by) => Ok(HomeView::Coordinator {
            me: by.who().clone(),
            cohorts: overview::cohorts(db, by).await?,
            matches: overview::recent_matches(db, by, 50).await?,
        }),
        Home::Participant(me) => {
            let matches = my_match_homes(db, homes, me, active).await?;
            // Ended matches only matter while there is no active one (and cost a query).
            let past = if matches.is_empty() {
                past_matches(db, me).await?
            } else {
                Vec::new()
            };
            Ok(HomeView::Participant {
                matches,
                applications: applications::mine(db, me).await?,
                me: me.who().clone(),
                past,
            })
        }
    }
}

/// The match home of each of a person's active matches, each read through the policy.
pub async fn my_match_homes(
    db: &Db,
    cache: &HomeCache,
    me: &SignedIn,
    active: &[ActiveMatch],
) -> Result<Vec<MatchHome>, AppError> {
    let mut homes = Vec::with_capacity(active.len());
    for a in active {
        let permit = policy::on_match::<access::Read>(Some(me.who().clone()), a.facts.clone())?;
        homes.push(cache.load(db, &permit, false).await?);
    }
    Ok(homes)
}

#[derive(sqlx::FromRow)]
struct PastRow {
    id: i64,
    partner_name: String,
    cohort_name: String,
    state: MatchState,
}

/// The ended matches a person was in, newest first.
pub async fn past_matches(db: &Db, me: &SignedIn) -> Result<Vec<PastMatch>, AppError> {
    let user_id = me.id();
    let rows = sqlx::query_as::<_, PastRow>(
        "SELECT m.id, p.name AS partner_name, c.name AS cohort_name, m.state
         FROM matches m
         JOIN cohorts c ON c.id = m.cohort_id
         JOIN users p ON p.id = CASE WHEN m.mentor_id = $1 THEN m.mentee_id ELSE m.mentor_id END
         WHERE (m.mentor_id = $1 OR m.mentee_id = $1) AND m.state <> 'active'
         ORDER BY m.started_at DESC, m.id DESC",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PastMatch {
            match_id: r.id,
            partner_name: r.partner_name,
            cohort_name: r.cohort_name,
            state: r.state,
        })
        .collect())
}
