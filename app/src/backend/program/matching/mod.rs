//! Matching a cohort: who is waiting, ranked suggestions for one mentee, a proposal for the
//! whole cohort, and creating matches safely when two coordinators work at once.

pub mod assign;
pub mod score;

use crate::backend::auth::policy::Coordinator;
use crate::backend::infra::config::Config;
use crate::backend::infra::db::{Db, now_ms, text_to_list};
use crate::backend::{infra::audit, infra::tz, mail::outbox, program::cohorts};
use crate::error::AppError;
use crate::model::audit::AuditAction;
use crate::model::*;
use score::Profile;

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: i64,
    user_id: UserId,
    name: String,
    library_type: String,
    library_name: String,
    job_title: String,
    years_experience: i64,
    interests: String,
    region: String,
    time_zone: String,
    meet_ways: String,
    mentor_capacity: i64,
    active_mentees: i64,
    gender: String,
    race_ethnicity: String,
    wants_shared_identity: i64,
}

/// A waiting person with what the score needs (private answers stay in `profile`, which never
/// leaves the server).
struct Waiting {
    candidate: Candidate,
    profile: Profile,
}

const CANDIDATE_SELECT: &str = "SELECT a.id, a.user_id, u.name, a.library_type, a.library_name,
        a.job_title, a.years_experience, a.interests, a.region, a.time_zone, a.meet_ways,
        a.mentor_capacity, a.active_mentees, a.gender, a.race_ethnicity, a.wants_shared_identity
    FROM applications a JOIN users u ON u.id = a.user_id";

fn to_waiting(r: CandidateRow, now: i64) -> Waiting {
    let interests = text_to_list(&r.interests);
    let is_mentor = r.mentor_capacity > 0;
    Waiting {
        profile: Profile {
            library_type: r.library_type.clone(),
            years_experience: r.years_experience,
            interests: interests.clone(),
            region: r.region.clone(),
            utc_offset_minutes: tz::offset_minutes(&r.time_zone, now),
            meet_ways: text_to_list(&r.meet_ways),
            gender: r.gender,
            race_ethnicity: r.race_ethnicity,
            wants_shared_identity: r.wants_shared_identity != 0,
        },
        candidate: Candidate {
            application_id: r.id,
            user_id: r.user_id.get(),
            name: r.name,
            library_type: r.library_type,
            job_title: if r.library_name.is_empty() {
                r.job_title
            } else {
                format!("{}, {}", r.job_title, r.library_name)
            },
            years_experience: r.years_experience,
            region: r.region,
            time_zone: r.time_zone,
            interests,
            room: if is_mentor {
                r.mentor_capacity - r.active_mentees
            } else {
                1
            },
            capacity: if is_mentor { r.mentor_capacity } else { 1 },
        },
    }
}

/// Accepted mentees without an active match.
async fn waiting_mentees(db: &Db, cohort_id: i64) -> Result<Vec<Waiting>, AppError> {
    let now = now_ms();
    let rows = sqlx::query_as::<_, CandidateRow>(&format!(
        "{CANDIDATE_SELECT} WHERE a.cohort_id = $1 AND a.role = 'mentee' AND a.state = 'accepted'
         ORDER BY a.created_at, a.id"
    ))
    .bind(cohort_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| to_waiting(r, now)).collect())
}

/// Accepted mentors with room for another mentee.
async fn mentors_with_room(db: &Db, cohort_id: i64) -> Result<Vec<Waiting>, AppError> {
    let now = now_ms();
    let rows = sqlx::query_as::<_, CandidateRow>(&format!(
        "{CANDIDATE_SELECT} WHERE a.cohort_id = $1 AND a.role = 'mentor'
           AND a.state IN ('accepted', 'matched') AND a.active_mentees < a.mentor_capacity
         ORDER BY a.created_at, a.id"
    ))
    .bind(cohort_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| to_waiting(r, now)).collect())
}

#[derive(sqlx::FromRow)]
struct CohortMatchRow {
    id: i64,
    mentor_name: String,
    mentee_name: String,
    state: MatchState,
    started_at: i64,
    end_reason: Option<String>,
    request_id: Option<i64>,
    requested_by: Option<String>,
    request_reason: Option<String>,
    request_at: Option<i64>,
}

async fn cohort_matches(db: &Db, cohort_id: i64) -> Result<Vec<CohortMatch>, AppError> {
    let rows = sqlx::query_as::<_, CohortMatchRow>(
        "SELECT m.id, mr.name AS mentor_name, me.name AS mentee_name, m.state, m.started_at,
                m.end_reason, r.id AS request_id, ru.name AS requested_by,
                r.reason AS request_reason, r.created_at AS request_at
         FROM matches m
         JOIN users mr ON mr.id = m.mentor_id
         JOIN users me ON me.id = m.mentee_id
         LEFT JOIN end_requests r ON r.match_id = m.id AND r.state = 'pending'
         LEFT JOIN users ru ON ru.id = r.requested_by
         WHERE m.cohort_id = $1
         ORDER BY m.state, m.started_at DESC, m.id DESC",
    )
    .bind(cohort_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CohortMatch {
            match_id: r.id,
            mentor_name: r.mentor_name,
            mentee_name: r.mentee_name,
            state: r.state,
            started_at: r.started_at,
            end_reason: r.end_reason.unwrap_or_default(),
            pending_request: r.request_id.map(|id| EndRequest {
                id,
                requested_by: r.requested_by.unwrap_or_default(),
                reason: r.request_reason.unwrap_or_default(),
                created_at: r.request_at.unwrap_or_default(),
            }),
        })
        .collect())
}

/// Everything the matching view of a cohort shows.
pub async fn view(db: &Db, _by: &Coordinator, cohort_id: i64) -> Result<MatchingBoard, AppError> {
    let cohort = cohorts::get(db, cohort_id).await?;
    Ok(MatchingBoard {
        cohort,
        mentees: waiting_mentees(db, cohort_id)
            .await?
            .into_iter()
            .map(|w| w.candidate)
            .collect(),
        mentors: mentors_with_room(db, cohort_id)
            .await?
            .into_iter()
            .map(|w| w.candidate)
            .collect(),
        matches: cohort_matches(db, cohort_id).await?,
    })
}

/// Mentors with room, best first, for one waiting mentee.
pub async fn suggest(
    db: &Db,
    _by: &Coordinator,
    cohort_id: i64,
    mentee_application_id: i64,
) -> Result<Vec<Suggestion>, AppError> {
    let mentee = waiting_mentees(db, cohort_id)
        .await?
        .into_iter()
        .find(|w| w.candidate.application_id == mentee_application_id)
        .ok_or_else(|| {
            AppError::Refused("That mentee is no longer waiting to be matched.".into())
        })?;
    Ok(rank(
        &mentee.profile,
        mentors_with_room(db, cohort_id).await?,
    ))
}

fn rank(mentee: &Profile, mentors: Vec<Waiting>) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = mentors
        .into_iter()
        .map(|m| {
            let (score, reasons) = score::score(mentee, &m.profile);
            Suggestion {
                mentor: m.candidate,
                score,
                reasons,
            }
        })
        .collect();
    // Best first; ties go to the mentor with more room, then to the earlier application.
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.mentor.room.cmp(&a.mentor.room))
            .then(a.mentor.application_id.cmp(&b.mentor.application_id))
    });
    out
}

/// An optimal assignment of every waiting mentee, as a draft the coordinator can change.
pub async fn propose(db: &Db, _by: &Coordinator, cohort_id: i64) -> Result<Proposal, AppError> {
    let mentees = waiting_mentees(db, cohort_id).await?;
    let mentors = mentors_with_room(db, cohort_id).await?;
    Ok(propose_for(mentees, mentors))
}

fn propose_for(mentees: Vec<Waiting>, mentors: Vec<Waiting>) -> Proposal {
    let scored: Vec<Vec<(i64, Vec<String>)>> = mentees
        .iter()
        .map(|me| {
            mentors
                .iter()
                .map(|mr| score::score(&me.profile, &mr.profile))
                .collect()
        })
        .collect();
    let scores: Vec<Vec<i64>> = scored
        .iter()
        .map(|row| row.iter().map(|(s, _)| *s).collect())
        .collect();
    let capacity: Vec<i64> = mentors.iter().map(|m| m.candidate.room).collect();
    let (total_score, assignment) = assign::assign(&scores, &capacity);
    let mut pairs = Vec::new();
    let mut unplaced = Vec::new();
    for (i, (mentee, choice)) in mentees.into_iter().zip(assignment).enumerate() {
        match choice {
            Some(j) => {
                let (score, reasons) = scored[i][j].clone();
                pairs.push(ProposedPair {
                    mentee: mentee.candidate,
                    mentor: mentors[j].candidate.clone(),
                    score,
                    reasons,
                })
            }
            None => unplaced.push(mentee.candidate),
        }
    }
    Proposal {
        pairs,
        total_score,
        unplaced,
    }
}

/// Creates the given matches, all or none. Each mentee must still be waiting and each mentor
/// must still have room, checked by conditional UPDATEs inside the transaction: when two
/// coordinators match the same mentee at once, one commits and the other is refused with
/// nothing written. Both partners get an introduction by email.
pub async fn create_matches(
    db: &Db,
    config: &Config,
    by: &Coordinator,
    cohort_id: i64,
    pairs: &[Pair],
) -> Result<Vec<i64>, AppError> {
    let actor_id = by.id();
    if pairs.is_empty() {
        return Err(AppError::Refused(
            "Choose at least one pair to match.".into(),
        ));
    }
    let cohort = cohorts::get(db, cohort_id).await?;
    if !matches!(
        cohort.state,
        CohortState::Open | CohortState::Matching | CohortState::Active
    ) {
        return Err(AppError::Refused(format!(
            "{} is {}; matches can be made while it is open, matching or active.",
            cohort.name,
            cohort.state.as_str()
        )));
    }
    let mut tx = outbox::MailTx::begin(db).await?;
    let now = now_ms();
    let mut created = Vec::new();
    for pair in pairs {
        // The first statement writes, so SQLite takes its write lock before reading anything.
        let mentee: Option<UserId> = sqlx::query_scalar(
            "UPDATE applications SET state = 'matched', updated_at = $1
             WHERE id = $2 AND cohort_id = $3 AND role = 'mentee' AND state = 'accepted'
             RETURNING user_id",
        )
        .bind(now)
        .bind(pair.mentee_application_id)
        .bind(cohort_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(mentee_id) = mentee else {
            let name = name_of(db, pair.mentee_application_id).await;
            return Err(AppError::Refused(format!(
                "{name} is no longer waiting to be matched (someone may have matched them a moment ago). Nothing was saved; reload to see the current list."
            )));
        };
        let mentor: Option<UserId> = sqlx::query_scalar(
            "UPDATE applications SET active_mentees = active_mentees + 1, state = 'matched',
                    updated_at = $1
             WHERE id = $2 AND cohort_id = $3 AND role = 'mentor'
               AND state IN ('accepted', 'matched') AND active_mentees < mentor_capacity
             RETURNING user_id",
        )
        .bind(now)
        .bind(pair.mentor_application_id)
        .bind(cohort_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(mentor_id) = mentor else {
            let name = name_of(db, pair.mentor_application_id).await;
            return Err(AppError::Refused(format!(
                "{name} has no room for another mentee. Nothing was saved; choose another mentor."
            )));
        };
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO matches (cohort_id, mentor_id, mentee_id, state, started_at)
             VALUES ($1, $2, $3, 'active', $4) RETURNING id",
        )
        .bind(cohort_id)
        .bind(mentor_id)
        .bind(mentee_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let match_id = match inserted {
            Ok(id) => id,
            Err(e) if crate::backend::infra::db::is_unique_violation(&e) => {
                return Err(AppError::Refused(
                    "That mentee was matched by someone else a moment ago. Nothing was saved."
                        .into(),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        audit::record(
            &mut *tx,
            actor_id,
            AuditAction::MatchCreate,
            &format!("match:{match_id}"),
            &format!("mentor {mentor_id}, mentee {mentee_id}"),
        )
        .await?;
        introduce(&mut tx, config, &cohort, mentor_id, mentee_id).await?;
        created.push(match_id);
    }
    tx.commit().await?;
    Ok(created)
}

async fn name_of(db: &Db, application_id: i64) -> String {
    sqlx::query_scalar::<_, String>(
        "SELECT u.name FROM applications a JOIN users u ON u.id = a.user_id WHERE a.id = $1",
    )
    .bind(application_id)
    .fetch_optional(db)
    .await
    .ok()
    .flatten()
    .unwrap_or_else(|| "That person".into())
}

#[derive(sqlx::FromRow)]
struct IntroRow {
    email: String,
    name: String,
    pronouns: String,
    library_name: String,
    job_title: String,
    time_zone: String,
    meet_ways: String,
}

/// Emails each partner an introduction to the other.
async fn introduce(
    tx: &mut outbox::MailTx,
    config: &Config,
    cohort: &CohortDetail,
    mentor_id: UserId,
    mentee_id: UserId,
) -> Result<(), AppError> {
    let load = |user_id: UserId| {
        sqlx::query_as::<_, IntroRow>(
            "SELECT u.email, u.name, u.pronouns, a.library_name, a.job_title, a.time_zone, a.meet_ways
             FROM users u JOIN applications a ON a.user_id = u.id AND a.cohort_id = $2
             WHERE u.id = $1",
        )
        .bind(user_id)
        .bind(cohort.id)
    };
    let mentor = load(mentor_id).fetch_one(&mut **tx).await?;
    let mentee = load(mentee_id).fetch_one(&mut **tx).await?;
    for (me, other, other_role) in [(&mentor, &mentee, "mentee"), (&mentee, &mentor, "mentor")] {
        let ways: Vec<String> = text_to_list(&other.meet_ways)
            .iter()
            .map(|w| label_of(MEET_WAYS, w).to_string())
            .collect();
        let pronouns = if other.pronouns.is_empty() {
            String::new()
        } else {
            format!(" ({})", other.pronouns)
        };
        let body = format!(
            "Hello {},\n\nWelcome to {}. Your {other_role} is {}{pronouns}.\n\n\
             Library: {}, {}\nTime zone: {}\nPrefers to meet by: {}\n\n\
             Say hello soon: the program asks matches to be in touch about twice a month, and your first step together is the goal sheet.\n\n\
             See your match: {}\n",
            me.name,
            cohort.name,
            other.name,
            other.job_title,
            other.library_name,
            other.time_zone.replace('_', " "),
            ways.join(", "),
            config.link("/home"),
        );
        outbox::enqueue(
            &mut *tx,
            &me.email,
            &format!("Meet your {other_role}, {}", other.name),
            &body,
        )
        .await?;
    }
    Ok(())
}
