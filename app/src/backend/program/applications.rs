//! Applications: validating and storing them, the applicant's own view, and coordinators'
//! review. The private demographic answers are read only by `detail`, which only coordinators
//! reach (see `policy`).

use crate::backend::auth::policy::{self, Action, Coordinator, Open, SignedIn, open};
use crate::backend::auth::{passwords, users};
use crate::backend::infra::config::Config;
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{
    Db, flag, is_unique_violation, list_to_text, now_ms, text_to_list,
};
use crate::backend::infra::fields;
use crate::backend::program::{cohorts, pending_applications};
use crate::backend::{infra::audit, infra::tz, mail::outbox};
use crate::error::AppError;
use crate::model::UserId;
use crate::model::audit::AuditAction;
use crate::model::*;

/// A validated application form (account fields are handled by the caller).
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub cohort_id: i64,
    pub role: MatchRole,
    pub library_type: String,
    pub library_name: String,
    pub job_title: String,
    pub years_experience: i64,
    pub interests: Vec<String>,
    pub interests_other: String,
    pub region: String,
    pub time_zone: String,
    pub meet_ways: Vec<String>,
    pub hours_per_month: i64,
    pub hopes: String,
    pub mentor_capacity: i64,
    pub gender: String,
    pub race_ethnicity: String,
    pub wants_shared_identity: bool,
}

/// Checks every answer and returns the first problem, tied to its field.
pub fn validate(form: &ApplicationForm) -> Result<NewApplication, AppError> {
    let Some(role) = MatchRole::parse(&form.role) else {
        return Err(AppError::validation("role", "Choose mentor or mentee."));
    };
    if !LIBRARY_TYPES.iter().any(|(v, _)| *v == form.library_type) {
        return Err(AppError::validation(
            "library_type",
            "Choose the type of library you work in.",
        ));
    }
    let library_name = fields::line(
        "library_name",
        &form.library_name,
        LIBRARY_NAME_MAX,
        Some("Enter the name of your library or school."),
    )?;
    let job_title = fields::line(
        "job_title",
        &form.job_title,
        JOB_TITLE_MAX,
        Some("Enter your current role."),
    )?;
    let years_experience = fields::number(
        "years_experience",
        &form.years_experience,
        0,
        60,
        "your years of experience",
    )?;
    let mut interests = Vec::new();
    for i in &form.interests {
        if !INTERESTS.contains(&i.as_str()) {
            return Err(AppError::validation(
                "interests",
                "Choose interests from the list.",
            ));
        }
        if !interests.contains(i) {
            interests.push(i.clone());
        }
    }
    let interests_other = fields::line(
        "interests_other",
        &form.interests_other,
        INTERESTS_OTHER_MAX,
        None,
    )?;
    if interests.is_empty() && interests_other.is_empty() {
        return Err(AppError::validation(
            "interests",
            "Choose at least one area of interest, or describe your own.",
        ));
    }
    let region = fields::line(
        "region",
        &form.region,
        REGION_MAX,
        Some("Enter your region, for example a state or province."),
    )?;
    if !TIME_ZONES.contains(&form.time_zone.as_str()) {
        return Err(AppError::validation(
            "time_zone",
            "Choose a time zone from the list.",
        ));
    }
    let mut meet_ways = Vec::new();
    for w in &form.meet_ways {
        if !MEET_WAYS.iter().any(|(v, _)| v == w) {
            return Err(AppError::validation(
                "meet_ways",
                "Choose ways to meet from the list.",
            ));
        }
        if !meet_ways.contains(w) {
            meet_ways.push(w.clone());
        }
    }
    if meet_ways.is_empty() {
        return Err(AppError::validation(
            "meet_ways",
            "Choose at least one way to meet.",
        ));
    }
    let hours_per_month = fields::number(
        "hours_per_month",
        &form.hours_per_month,
        1,
        40,
        "the hours a month you can give",
    )?;
    let hopes = fields::text(
        "hopes",
        &form.hopes,
        HOPES_MAX,
        Some("Tell us what you hope to get from the year."),
    )?;
    let mentor_capacity = if role == MatchRole::Mentor {
        fields::number(
            "mentor_capacity",
            &form.mentor_capacity,
            1,
            3,
            "how many mentees you can take",
        )?
    } else {
        0
    };
    let gender = fields::line("gender", &form.gender, IDENTITY_MAX, None)?;
    let race_ethnicity = fields::line("race_ethnicity", &form.race_ethnicity, IDENTITY_MAX, None)?;
    if !form.agree {
        return Err(AppError::validation(
            "agree",
            "Please agree to the program's commitment to apply.",
        ));
    }
    Ok(NewApplication {
        cohort_id: form.cohort_id,
        role,
        library_type: form.library_type.clone(),
        library_name,
        job_title,
        years_experience,
        interests,
        interests_other,
        region,
        time_zone: form.time_zone.clone(),
        meet_ways,
        hours_per_month,
        hopes,
        mentor_capacity,
        gender,
        race_ethnicity,
        wants_shared_identity: form.wants_shared_identity,
    })
}

/// Stores an application if its cohort is taking applications today and this person has not
/// applied to it yet.
const WINDOW_CLOSED: &str = "This cohort is not taking applications today. The Apply page shows when the next window opens.";

/// Refuses, as `submit` would, when the cohort is not taking applications today: checked before
/// anything is made for an application from someone without an account.
pub async fn check_window(db: &Db, cohort_id: i64) -> Result<(), AppError> {
    let today = tz::today_utc(now_ms());
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cohorts WHERE id = $1 AND state = 'open'
               AND applications_open <= $2 AND applications_close >= $2",
    )
    .bind(cohort_id)
    .bind(&today)
    .fetch_one(db)
    .await?;
    if open == 0 {
        return Err(AppError::Refused(WINDOW_CLOSED.into()));
    }
    Ok(())
}

/// The Apply page: the window taking applications now, the next one, and the visitor's own
/// applications when signed in.
pub async fn apply_info(db: &Db, viewer: &Open<open::Apply>) -> Result<ApplyInfo, AppError> {
    let today = tz::today_utc(now_ms());
    let mine = match viewer.signed_in() {
        Some(me) => mine(db, me).await?,
        None => Vec::new(),
    };
    Ok(ApplyInfo {
        viewer: viewer.who().cloned(),
        open: cohorts::open_window(db, &today).await?,
        next: cohorts::next_window(db, &today).await?,
        mine,
    })
}

/// Applying, from the Apply form. Every answer and the window are checked before anything is
/// made or mailed. Someone signed in sends it at once; a visitor's is held until they open the
/// link mailed to the address they gave (`pending_applications`), and they are told to check
/// their email whether or not the address has an account already.
pub async fn apply(
    db: &Db,
    config: &Config,
    applicant: &Open<open::SubmitApplication>,
    form: &ApplicationForm,
) -> Result<ApplyOutcome, AppError> {
    let app = validate(form)?;
    match applicant.signed_in() {
        Some(me) => {
            let id = submit(db, me, &app).await?;
            sent(db, me, id).await.map(ApplyOutcome::Sent)
        }
        None => {
            users::validate_name(&form.name)?;
            users::validate_email(&users::normalize_email(&form.email))?;
            passwords::validate("password", &form.password)?;
            check_window(db, app.cohort_id).await?;
            pending_applications::hold(db, config, form).await?;
            Ok(ApplyOutcome::CheckEmail)
        }
    }
}

/// `me`'s application `id`, as their list shows it.
pub async fn sent(db: &Db, me: &SignedIn, id: i64) -> Result<MyApplication, AppError> {
    mine(db, me)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::Internal)
}

/// Sends `me`'s application, while its cohort takes them.
pub async fn submit(db: &Db, me: &SignedIn, app: &NewApplication) -> Result<i64, AppError> {
    let user_id = me.id();
    let now = now_ms();
    let today = tz::today_utc(now);
    // The window is checked in the INSERT itself: a cohort closing at this moment takes nothing.
    let result = sqlx::query_scalar::<_, i64>(
        "INSERT INTO applications (cohort_id, user_id, role, library_type, library_name, job_title,
             years_experience, interests, interests_other, region, time_zone, meet_ways,
             hours_per_month, hopes, mentor_capacity, gender, race_ethnicity,
             wants_shared_identity, agreed_at, created_at, updated_at)
         SELECT c.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                $19, $19, $19
         FROM cohorts c
         WHERE c.id = $1 AND c.state = 'open' AND c.applications_open <= $20
               AND c.applications_close >= $20
         RETURNING id",
    )
    .bind(app.cohort_id)
    .bind(user_id)
    .bind(app.role)
    .bind(&app.library_type)
    .bind(&app.library_name)
    .bind(&app.job_title)
    .bind(app.years_experience)
    .bind(list_to_text(&app.interests))
    .bind(&app.interests_other)
    .bind(&app.region)
    .bind(&app.time_zone)
    .bind(list_to_text(&app.meet_ways))
    .bind(app.hours_per_month)
    .bind(&app.hopes)
    .bind(app.mentor_capacity)
    .bind(&app.gender)
    .bind(&app.race_ethnicity)
    .bind(flag(app.wants_shared_identity))
    .bind(now)
    .bind(&today)
    .fetch_optional(db)
    .await;
    match result {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(AppError::Refused(WINDOW_CLOSED.into())),
        Err(e) if is_unique_violation(&e) => {
            let first = mine(db, me)
                .await?
                .into_iter()
                .find(|a| a.cohort_id == app.cohort_id);
            Err(AppError::Refused(match first {
                Some(a) => format!(
                    "You have already applied to {} as a {}; that application is {}. See it under Your applications.",
                    a.cohort_name,
                    a.role.as_str(),
                    a.state.as_str()
                ),
                None => "You have already applied to this cohort.".into(),
            }))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(sqlx::FromRow)]
struct MineRow {
    id: i64,
    cohort_id: i64,
    cohort_name: String,
    role: MatchRole,
    state: ApplicationState,
    created_at: i64,
}

/// A person's own applications, newest first.
pub async fn mine(db: &Db, me: &SignedIn) -> Result<Vec<MyApplication>, AppError> {
    let user_id = me.id();
    let rows = sqlx::query_as::<_, MineRow>(
        "SELECT a.id, a.cohort_id, c.name AS cohort_name, a.role, a.state, a.created_at
         FROM applications a JOIN cohorts c ON c.id = a.cohort_id
         WHERE a.user_id = $1 ORDER BY a.created_at DESC, a.id DESC",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MyApplication {
            id: r.id,
            cohort_id: r.cohort_id,
            cohort_name: r.cohort_name,
            role: r.role,
            state: r.state,
            submitted_at: r.created_at,
        })
        .collect())
}

/// Who owns an application, for the policy check.
async fn owner(db: &Db, id: i64) -> Result<UserId, AppError> {
    sqlx::query_scalar::<_, UserId>("SELECT user_id FROM applications WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Withdraws `me`'s application `id`, while it is still waiting for a decision or a match.
pub async fn withdraw(db: &Db, me: &SignedIn, id: i64) -> Result<(), AppError> {
    let owner_id = owner(db, id).await?;
    policy::check(Some(me.who()), Action::WithdrawApplication { owner_id })?;
    let user_id = me.id();
    let mut tx = db.begin_write().await?;
    let n = sqlx::query(
        "UPDATE applications SET state = 'withdrawn', updated_at = $1
         WHERE id = $2 AND user_id = $3 AND state IN ('submitted', 'accepted', 'waitlisted')",
    )
    .bind(now_ms())
    .bind(id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AppError::Refused(
            "This application can no longer be withdrawn. If you are matched, ask your coordinator."
                .into(),
        ));
    }
    audit::record(
        &mut *tx,
        user_id,
        AuditAction::ApplicationWithdraw,
        &format!("application:{id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: i64,
    cohort_name: String,
    name: String,
    email: String,
    role: MatchRole,
    state: ApplicationState,
    library_type: String,
    region: String,
    created_at: i64,
}

/// Applications matching the filter, for coordinators; at most 500 rows, newest first.
pub async fn list(
    db: &Db,
    _by: &Coordinator,
    f: &ApplicationFilter,
) -> Result<Vec<ApplicationRow>, AppError> {
    rows(db, f, 500).await
}

/// Applications matching the filter, newest first, at most `limit` of them. Private to
/// `program`: the list and the export read it behind their coordinator permits.
pub(super) async fn rows(
    db: &Db,
    f: &ApplicationFilter,
    limit: i64,
) -> Result<Vec<ApplicationRow>, AppError> {
    // Empty filters match everything; the search is a case-insensitive name or email match.
    let search = format!("%{}%", f.search.trim().to_lowercase());
    let reached = f.reached_states();
    debug_assert!(reached.len() <= 2, "the query takes two states of a stage");
    let rows = sqlx::query_as::<_, ListRow>(
        "SELECT a.id, c.name AS cohort_name, u.name, u.email, a.role, a.state, a.library_type,
                a.region, a.created_at
         FROM applications a
         JOIN cohorts c ON c.id = a.cohort_id
         JOIN users u ON u.id = a.user_id
         WHERE ($1 = 0 OR a.cohort_id = $1)
           AND ($2 = '' OR a.role = $2)
           AND ($3 = '' OR a.state = $3)
           AND (LOWER(u.name) LIKE $4 OR LOWER(u.email) LIKE $4)
           AND ($5 = '' OR a.library_type = $5)
           AND ($6 = '' OR LOWER(a.region) = LOWER($6))
           AND ($7 = '' OR a.state = $7 OR a.state = $8)
         ORDER BY a.created_at DESC, a.id DESC
         LIMIT $9",
    )
    .bind(f.cohort_id.unwrap_or(0))
    .bind(&f.role)
    .bind(&f.state)
    .bind(&search)
    .bind(f.library_type.trim())
    .bind(f.region.trim())
    // A funnel stage is at most two states (FUNNEL_STAGES); the second repeats the first.
    .bind(reached.first().map_or("", |s| s.as_str()))
    .bind(reached.last().map_or("", |s| s.as_str()))
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ApplicationRow {
            id: r.id,
            cohort_name: r.cohort_name,
            name: r.name,
            email: r.email,
            role: r.role,
            state: r.state,
            library_type: r.library_type,
            region: r.region,
            submitted_at: r.created_at,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    cohort_id: i64,
    cohort_name: String,
    user_id: UserId,
    name: String,
    email: String,
    disabled: i64,
    pronouns: String,
    role: MatchRole,
    state: ApplicationState,
    library_type: String,
    library_name: String,
    job_title: String,
    years_experience: i64,
    interests: String,
    interests_other: String,
    region: String,
    time_zone: String,
    meet_ways: String,
    hours_per_month: i64,
    hopes: String,
    mentor_capacity: i64,
    active_mentees: i64,
    gender: String,
    race_ethnicity: String,
    wants_shared_identity: i64,
    decision_note: String,
    created_at: i64,
}

/// One application in full, private answers included: coordinators only.
pub async fn detail(db: &Db, _by: &Coordinator, id: i64) -> Result<ApplicationDetail, AppError> {
    let r = sqlx::query_as::<_, DetailRow>(
        "SELECT a.id, a.cohort_id, c.name AS cohort_name, a.user_id, u.name, u.email, u.disabled,
                u.pronouns,
                a.role, a.state, a.library_type, a.library_name, a.job_title, a.years_experience,
                a.interests, a.interests_other, a.region, a.time_zone, a.meet_ways,
                a.hours_per_month, a.hopes, a.mentor_capacity, a.active_mentees, a.gender,
                a.race_ethnicity, a.wants_shared_identity, a.decision_note, a.created_at
         FROM applications a
         JOIN cohorts c ON c.id = a.cohort_id
         JOIN users u ON u.id = a.user_id
         WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(ApplicationDetail {
        id: r.id,
        cohort_id: r.cohort_id,
        cohort_name: r.cohort_name,
        user_id: r.user_id.get(),
        name: r.name,
        email: r.email,
        pronouns: r.pronouns,
        role: r.role,
        state: r.state,
        library_type: r.library_type,
        library_name: r.library_name,
        job_title: r.job_title,
        years_experience: r.years_experience,
        interests: text_to_list(&r.interests),
        interests_other: r.interests_other,
        region: r.region,
        time_zone: r.time_zone,
        meet_ways: text_to_list(&r.meet_ways),
        hours_per_month: r.hours_per_month,
        hopes: r.hopes,
        mentor_capacity: r.mentor_capacity,
        active_mentees: r.active_mentees,
        gender: r.gender,
        race_ethnicity: r.race_ethnicity,
        wants_shared_identity: r.wants_shared_identity != 0,
        account_disabled: r.disabled != 0,
        decision_note: r.decision_note,
        submitted_at: r.created_at,
    })
}

/// A coordinator's decision: the state it sets, the states it may come from (as SQL), and what
/// the audit log calls it. None for a word that is not a decision.
fn decision_of(word: &str) -> Option<(ApplicationState, &'static str, AuditAction)> {
    match ApplicationState::parse(word)? {
        ApplicationState::Accepted => Some((
            ApplicationState::Accepted,
            "'submitted', 'waitlisted'",
            AuditAction::ApplicationAccepted,
        )),
        ApplicationState::Waitlisted => Some((
            ApplicationState::Waitlisted,
            "'submitted', 'accepted'",
            AuditAction::ApplicationWaitlisted,
        )),
        ApplicationState::Declined => Some((
            ApplicationState::Declined,
            "'submitted', 'waitlisted', 'accepted'",
            AuditAction::ApplicationDeclined,
        )),
        _ => None,
    }
}

/// Accepts, waitlists or declines applications, all or none, and emails each applicant.
/// Returns how many changed.
pub async fn decide(
    db: &Db,
    config: &Config,
    by: &Coordinator,
    ids: &[i64],
    decision: &str,
    note: &str,
) -> Result<usize, AppError> {
    let actor_id = by.id();
    let Some((decision, from, action)) = decision_of(decision) else {
        return Err(AppError::validation(
            "decision",
            "Choose accept, waitlist or decline.",
        ));
    };
    let note = fields::text("note", note, NOTE_MAX, None)?;
    // A list sent twice the same id would otherwise refuse itself on the second copy.
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::Refused("Select at least one application.".into()));
    }
    let mut tx = outbox::MailTx::begin(db).await?;
    let now = now_ms();
    for &id in &ids {
        let row: Option<(i64, MatchRole, String, String, String, i64)> = sqlx::query_as(&format!(
            "UPDATE applications SET state = $1, decision_note = $2, decided_by = $3, decided_at = $4,
                    updated_at = $4
             WHERE id = $5 AND state IN ({from})
             RETURNING cohort_id, role, (SELECT email FROM users WHERE users.id = applications.user_id),
                       (SELECT name FROM users WHERE users.id = applications.user_id),
                       (SELECT name FROM cohorts WHERE cohorts.id = applications.cohort_id),
                       (SELECT mentee_capacity FROM cohorts WHERE cohorts.id = applications.cohort_id)"
        ))
        .bind(decision)
        .bind(&note)
        .bind(actor_id)
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((cohort_id, role, email, name, cohort_name, capacity)) = row else {
            let who = detail(db, by, id)
                .await
                .map(|d| format!("{} ({})", d.name, d.state.as_str()));
            return Err(AppError::Refused(match who {
                Ok(who) => format!(
                    "{who} cannot be {}; nothing was changed.",
                    decision.as_str()
                ),
                Err(_) => {
                    "One of the selected applications no longer exists; nothing was changed.".into()
                }
            }));
        };
        if decision == ApplicationState::Accepted && role == MatchRole::Mentee {
            let taken: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM applications WHERE cohort_id = $1 AND role = 'mentee'
                 AND state IN ('accepted', 'matched')",
            )
            .bind(cohort_id)
            .fetch_one(&mut *tx)
            .await?;
            if taken > capacity {
                return Err(AppError::Refused(format!(
                    "{cohort_name} takes {capacity} mentees and would have {taken}; waitlist some instead. Nothing was changed."
                )));
            }
        }
        audit::record(
            &mut *tx,
            actor_id,
            action,
            &format!("application:{id}"),
            &note,
        )
        .await?;
        outbox::enqueue(
            &mut tx,
            &email,
            &decision_subject(decision),
            &decision_body(config, decision, &name, &cohort_name, role, &note),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}

fn decision_subject(decision: ApplicationState) -> String {
    match decision {
        ApplicationState::Accepted => "Your application was accepted".into(),
        ApplicationState::Waitlisted => "Your application is on the waitlist".into(),
        _ => "About your application".into(),
    }
}

fn decision_body(
    config: &Config,
    decision: ApplicationState,
    name: &str,
    cohort: &str,
    role: MatchRole,
    note: &str,
) -> String {
    let role = role.as_str();
    let what = match decision {
        ApplicationState::Accepted => format!(
            "Your application to {cohort} as a {role} has been accepted. We will introduce you to your match soon."
        ),
        ApplicationState::Waitlisted => format!(
            "Your application to {cohort} as a {role} is on the waitlist. We will write if a place opens."
        ),
        _ => format!(
            "Thank you for applying to {cohort}. We are not able to offer you a place as a {role} this year."
        ),
    };
    let note = if note.is_empty() {
        String::new()
    } else {
        format!("\nA note from the coordinator:\n{note}\n")
    };
    format!(
        "Hello {name},\n\n{what}\n{note}\nSee your application: {}\n",
        config.link("/apply")
    )
}
