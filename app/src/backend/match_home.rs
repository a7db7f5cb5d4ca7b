//! The match home: everything a match works with on one page, gathered in a handful of queries
//! (no query per goal, contact or activity).

use crate::backend::db::{Db, now_ms, text_to_list};
use crate::backend::goal_sheets::{self, MatchFacts};
use crate::backend::{activities, contacts, tz};
use crate::error::AppError;
use crate::model::*;

/// How many contacts and activities the home lists.
pub const RECENT_CONTACTS: i64 = 5;
pub const RECENT_ACTIVITIES: i64 = 8;

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    name: String,
    pronouns: String,
    time_zone: String,
    bio: String,
    library_name: Option<String>,
    library_type: Option<String>,
    job_title: Option<String>,
    meet_ways: Option<String>,
}

fn card(r: &PersonRow, now: i64) -> PartnerCard {
    PartnerCard {
        utc_offset_minutes: tz::offset_minutes(&r.time_zone, now).unwrap_or(0),
        name: r.name.clone(),
        pronouns: r.pronouns.clone(),
        time_zone: r.time_zone.clone(),
        bio: r.bio.clone(),
        library_name: r.library_name.clone().unwrap_or_default(),
        library_type: r.library_type.clone().unwrap_or_default(),
        job_title: r.job_title.clone().unwrap_or_default(),
        meet_ways: text_to_list(r.meet_ways.as_deref().unwrap_or_default())
            .iter()
            .map(|w| label_of(MEET_WAYS, w).to_string())
            .collect(),
    }
}

/// The home of match `f` as `viewer` sees it.
pub async fn load(db: &Db, f: &MatchFacts, viewer: Party) -> Result<MatchHome, AppError> {
    let people = sqlx::query_as::<_, PersonRow>(
        "SELECT u.id, u.name, u.pronouns, u.time_zone, u.bio,
                a.library_name, a.library_type, a.job_title, a.meet_ways
         FROM users u
         LEFT JOIN applications a ON a.cohort_id = $1 AND a.user_id = u.id
         WHERE u.id IN ($2, $3)",
    )
    .bind(f.cohort_id)
    .bind(f.mentor_id)
    .bind(f.mentee_id)
    .fetch_all(db)
    .await?;
    let now = now_ms();
    let find = |id: i64| {
        people
            .iter()
            .find(|p| p.id == id)
            .map(|p| card(p, now))
            .ok_or(AppError::NotFound)
    };
    let mentor = find(f.mentor_id)?;
    let mentee = find(f.mentee_id)?;
    let end_requested: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM end_requests WHERE match_id = $1 AND state = 'pending'",
    )
    .bind(f.match_id)
    .fetch_one(db)
    .await?;
    let sheet = goal_sheets::view(db, f).await?;
    let (pace, contact_count) = contacts::pace_of(db, f).await?;
    let recent = contacts::recent(db, f.match_id, RECENT_CONTACTS).await?;
    let acts = activities::of_match(db, f.match_id, RECENT_ACTIVITIES).await?;
    let catalogue = activities::catalogue(db).await?;
    let active = f.active();
    let (my_role, partner) = match viewer {
        Party::Mentor => ("mentor", mentee.clone()),
        Party::Mentee => ("mentee", mentor.clone()),
        Party::Coordinator => ("coordinator", mentor.clone()),
    };
    Ok(MatchHome {
        viewer,
        summary: MyMatch {
            match_id: f.match_id,
            cohort_name: f.cohort_name.clone(),
            my_role: my_role.to_string(),
            partner,
            program_start: f.program_start.clone(),
            program_end: f.program_end.clone(),
            state: f.state.clone(),
            end_requested: end_requested > 0,
        },
        next_steps: next_steps(viewer, &sheet, &pace, active),
        mentor,
        mentee,
        active,
        today: tz::today_utc(now),
        sheet,
        pace,
        contacts: recent,
        contact_count,
        activities: acts,
        catalogue,
    })
}
