//! The match home: everything a match works with on one page, gathered in a handful of queries
//! (no query per goal, contact or activity).

use crate::backend::auth::policy::{OnMatch, access};
use crate::backend::infra::db::{Db, now_ms, text_to_list};
use crate::backend::match_work::{facts::MatchFacts, goal_sheets};
use crate::backend::{infra::tz, match_work::activities, match_work::contacts};
use crate::error::AppError;
use crate::model::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many contacts and activities the home lists.
pub const RECENT_CONTACTS: i64 = 5;
pub const RECENT_ACTIVITIES: i64 = 8;

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: UserId,
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

/// The home of the permit's match as its holder sees it.
/// `full` adds the goals' progress notes and the sheet's history (for the goal sheet page).
pub async fn load(
    db: &Db,
    permit: &OnMatch<access::Read>,
    full: bool,
) -> Result<MatchHome, AppError> {
    assemble(db, permit.facts(), permit.party(), full).await
}

/// The home of match `f` as `viewer` sees it.
async fn assemble(
    db: &Db,
    f: &MatchFacts,
    viewer: Party,
    full: bool,
) -> Result<MatchHome, AppError> {
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
    let find = |id: UserId| {
        people
            .iter()
            .find(|p| p.id == id)
            .map(|p| card(p, now))
            .ok_or(AppError::NotFound)
    };
    let mentor = find(f.mentor_id)?;
    let mentee = find(f.mentee_id)?;
    let sheet = goal_sheets::view(db, f, full).await?;
    let (pace, contact_count) = contacts::pace_of(db, f).await?;
    let recent = contacts::recent(db, f.match_id, RECENT_CONTACTS).await?;
    let acts = activities::of_match(db, f.match_id, RECENT_ACTIVITIES).await?;
    let catalogue = activities::catalogue(db).await?;
    let home = MatchHome {
        viewer: Party::Coordinator,
        summary: MyMatch {
            match_id: f.match_id.get(),
            cohort_name: f.cohort_name.clone(),
            my_role: Party::Coordinator,
            partner: mentor.clone(),
            program_start: f.program_start.clone(),
            program_end: f.program_end.clone(),
            state: f.state,
            end_requested: f.end_requests > 0,
        },
        next_steps: Vec::new(),
        mentor,
        mentee,
        active: f.active(),
        today: tz::today_utc(now),
        sheet,
        pace,
        contacts: recent,
        contact_count,
        activities: acts,
        catalogue,
    };
    Ok(for_viewer(home, viewer))
}

/// The parts of a home that depend on who reads it: their side, their partner, their next steps.
fn for_viewer(mut home: MatchHome, viewer: Party) -> MatchHome {
    let partner = match viewer {
        Party::Mentor => home.mentee.clone(),
        Party::Mentee | Party::Coordinator => home.mentor.clone(),
    };
    home.viewer = viewer;
    home.summary.my_role = viewer;
    home.summary.partner = partner;
    home.next_steps = next_steps(viewer, &home.sheet, &home.pace, home.active);
    home
}

/// Assembled match homes, kept in memory. An entry is used only while the match's facts (its
/// revision, state, cohort dates, both partners' profile stamps, the catalogue's stamp) are the
/// ones just read from the database, on the same day, and for a few minutes at most (clocks
/// and UTC offsets move). The facts are read on every request anyway, for the policy check, so
/// a hit costs no extra query and a change on any instance is seen at once.
#[derive(Default)]
pub struct HomeCache {
    entries: Mutex<HashMap<(MatchId, bool), Entry>>,
}

struct Entry {
    facts: MatchFacts,
    today: String,
    at: Instant,
    home: Arc<MatchHome>,
}

const MAX_AGE: Duration = Duration::from_secs(300);
const MAX_ENTRIES: usize = 4096;

impl HomeCache {
    /// Like `load`, from memory when nothing has changed.
    pub async fn load(
        &self,
        db: &Db,
        permit: &OnMatch<access::Read>,
        full: bool,
    ) -> Result<MatchHome, AppError> {
        let (f, viewer) = (permit.facts(), permit.party());
        let today = tz::today_utc(now_ms());
        let key = (f.match_id, full);
        let hit = {
            let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            entries
                .get(&key)
                .filter(|e| e.facts == *f && e.today == today && e.at.elapsed() < MAX_AGE)
                .map(|e| e.home.clone())
        };
        if let Some(home) = hit {
            return Ok(for_viewer((*home).clone(), viewer));
        }
        let home = assemble(db, f, Party::Coordinator, full).await?;
        {
            let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(
                key,
                Entry {
                    facts: f.clone(),
                    today,
                    at: Instant::now(),
                    home: Arc::new(home.clone()),
                },
            );
        }
        Ok(for_viewer(home, viewer))
    }
}
