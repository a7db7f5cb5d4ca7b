//! Program News: composing an issue, each reader's own version of it (their matches' goals),
//! publishing, the paced and resumable sending, and the cohort discussion threads.
//!
//! Sending in two steps, each safe to interrupt:
//! 1. Publishing records one `news_recipients` row per active participant, in the transaction
//!    that publishes the issue.
//! 2. A worker turns pending rows into outbox mail, a batch per transaction: the row becomes
//!    `queued` with its outbox id in the same commit as the mail, so after a crash or restart
//!    every row is either pending (made again) or queued (made once), never both or neither.
//!    The outbox then delivers at its pace and records each message's state.

use crate::backend::auth::policy::{self, Action, Coordinator, SignedIn};
use crate::backend::infra::config::Config;
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, now_ms};
use crate::backend::infra::signal::Signal;
use crate::backend::{
    community::forum, infra::audit, infra::fields, infra::markdown, infra::tz, mail::outbox,
    mail::prefs,
};
use crate::error::AppError;
use crate::model::audit::AuditAction;
use crate::model::news::{
    BODY_MAX, GoalBlock, GoalLine, IssueDraft, IssueSummary, IssueView, NewsArchive, NewsEvent,
    NewsState, QUESTION_MAX, REPLY_MAX, Reply, SendProgress, SuggestedActivity, TITLE_MAX,
};
use crate::model::{ActivityKind, GoalProgress};
use crate::model::{CurrentUser, UserId};
use std::collections::BTreeMap;

/// Raised when an issue is published, for the program-mail worker (`mail::bulk`) to make its
/// recipients' messages at once.
pub static PUBLISHED: Signal = Signal::new();

/// How far ahead an issue lists forum events.
const EVENTS_AHEAD_MS: i64 = 62 * 24 * 60 * 60 * 1000;
/// Recipients made into mail per transaction.
const PREPARE_BATCH: i64 = 50;

pub struct IssueInput<'a> {
    pub title: &'a str,
    pub news: &'a str,
    pub events: &'a str,
    pub activity_id: i64,
    pub question: &'a str,
    pub goals: &'a str,
}

/// The archive: published issues, and drafts first for a coordinator (by the permit's grant).
pub async fn archive(db: &Db, reader: &SignedIn) -> Result<NewsArchive, AppError> {
    let manage = reader.coordinator().is_some();
    let rows: Vec<(i64, String, NewsState, i64)> = sqlx::query_as(
        "SELECT id, title, state, published_at FROM news_issues
         WHERE state = 'published' OR $1 = 1
         ORDER BY CASE WHEN state = 'draft' THEN 0 ELSE 1 END, published_at DESC, id DESC",
    )
    .bind(crate::backend::infra::db::flag(manage))
    .fetch_all(db)
    .await?;
    let issues = rows
        .into_iter()
        .map(|(id, title, state, published_at)| IssueSummary {
            id,
            title,
            published_on: if state == NewsState::Published {
                tz::today_utc(published_at)
            } else {
                String::new()
            },
            state,
        })
        .collect();
    Ok(NewsArchive {
        issues,
        can_manage: manage,
    })
}

/// Active participants, for the preview choice: (id, "Name (mentee, Cohort)").
async fn readers(db: &Db) -> Result<Vec<(i64, String)>, AppError> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.name, CASE WHEN m.mentee_id = u.id THEN 'mentee' ELSE 'mentor' END, c.name
         FROM matches m JOIN users u ON u.id = m.mentee_id OR u.id = m.mentor_id
         JOIN cohorts c ON c.id = m.cohort_id
         WHERE m.state = 'active' AND u.disabled = 0
         ORDER BY u.name, u.id",
    )
    .fetch_all(db)
    .await?;
    let mut seen = std::collections::BTreeSet::new();
    Ok(rows
        .into_iter()
        .filter(|(id, ..)| seen.insert(*id))
        .map(|(id, name, role, cohort)| (id, format!("{name} ({role}, {cohort})")))
        .collect())
}

pub async fn draft(db: &Db, _by: &Coordinator, id: i64) -> Result<IssueDraft, AppError> {
    let activities: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, title FROM activities ORDER BY title")
            .fetch_all(db)
            .await?;
    let mut d = IssueDraft {
        state: NewsState::Draft,
        activities,
        readers: readers(db).await?,
        ..IssueDraft::default()
    };
    if id != 0 {
        let row: (
            String,
            String,
            String,
            Option<i64>,
            String,
            String,
            NewsState,
        ) = sqlx::query_as(
            "SELECT title, news_md, events_md, activity_id, question, goals_md, state
             FROM news_issues WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)?;
        d.id = id;
        (d.title, d.news, d.events) = (row.0, row.1, row.2);
        d.activity_id = row.3.unwrap_or(0);
        (d.question, d.goals, d.state) = (row.4, row.5, row.6);
    }
    Ok(d)
}

/// Creates (id 0) or changes a draft. A published issue is what people were sent: it stays.
pub async fn save(
    db: &Db,
    by: &Coordinator,
    id: i64,
    input: &IssueInput<'_>,
) -> Result<i64, AppError> {
    let actor_id = by.id();
    let title = fields::line(
        "title",
        input.title,
        TITLE_MAX,
        Some("Give the issue a title, like \"December news\"."),
    )?;
    let news = fields::text("news", input.news, BODY_MAX, Some("Write the news first."))?;
    let events = fields::text("events", input.events, BODY_MAX, None)?;
    let question = fields::text("question", input.question, QUESTION_MAX, None)?;
    let goals = fields::text("goals", input.goals, BODY_MAX, None)?;
    let activity = if input.activity_id == 0 {
        None
    } else {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM activities WHERE id = $1")
            .bind(input.activity_id)
            .fetch_optional(db)
            .await?;
        Some(found.ok_or_else(|| {
            AppError::validation("activity_id", "Choose an activity from the catalogue.")
        })?)
    };
    let now = now_ms();
    if id == 0 {
        return Ok(sqlx::query_scalar::<_, i64>(
            "INSERT INTO news_issues (title, news_md, events_md, activity_id, question, goals_md,
                                      created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(&title)
        .bind(&news)
        .bind(&events)
        .bind(activity)
        .bind(&question)
        .bind(&goals)
        .bind(actor_id)
        .bind(now)
        .fetch_one(db)
        .await?);
    }
    let r = sqlx::query(
        "UPDATE news_issues SET title = $1, news_md = $2, events_md = $3, activity_id = $4,
                question = $5, goals_md = $6, updated_at = $7
         WHERE id = $8 AND state = 'draft'",
    )
    .bind(&title)
    .bind(&news)
    .bind(&events)
    .bind(activity)
    .bind(&question)
    .bind(&goals)
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    if r.rows_affected() == 0 {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT state FROM news_issues WHERE id = $1")
                .bind(id)
                .fetch_optional(db)
                .await?;
        return Err(match exists {
            None => AppError::NotFound,
            Some(_) => AppError::Refused(
                "This issue is published: it cannot be changed now that people have it.".into(),
            ),
        });
    }
    Ok(id)
}

/// The parts of an issue that are the same for every reader.
struct Content {
    id: i64,
    title: String,
    state: NewsState,
    published_at: i64,
    news_md: String,
    news_html: String,
    events_md: String,
    events_html: String,
    /// (id, title, starts_at, minutes)
    events: Vec<(i64, String, i64, i64)>,
    activity: Option<SuggestedActivity>,
    question: String,
    goals_md: String,
    goals_html: String,
}

async fn content(db: &Db, id: i64) -> Result<Content, AppError> {
    let row: (
        String,
        NewsState,
        i64,
        String,
        String,
        Option<i64>,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT title, state, published_at, news_md, events_md, activity_id, question, goals_md
         FROM news_issues WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let (title, state, published_at, news_md, events_md, activity_id, question, goals_md) = row;
    let from = if published_at > 0 {
        published_at
    } else {
        now_ms()
    };
    let events: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT id, title, starts_at, minutes FROM events
         WHERE starts_at > $1 AND starts_at <= $2 ORDER BY starts_at LIMIT 10",
    )
    .bind(from)
    .bind(from + EVENTS_AHEAD_MS)
    .fetch_all(db)
    .await?;
    let activity = match activity_id {
        None => None,
        Some(aid) => sqlx::query_as::<_, (String, ActivityKind, String)>(
            "SELECT title, kind, description FROM activities WHERE id = $1",
        )
        .bind(aid)
        .fetch_optional(db)
        .await?
        .map(|(title, kind, description)| SuggestedActivity {
            title,
            kind,
            description,
        }),
    };
    Ok(Content {
        id,
        news_html: markdown::to_html(&news_md),
        events_html: markdown::to_html(&events_md),
        goals_html: markdown::to_html(&goals_md),
        title,
        state,
        published_at,
        news_md,
        events_md,
        events,
        activity,
        question,
        goals_md,
    })
}

/// The reader's active matches and their goals, for the goal section.
async fn goals_of(db: &Db, user_id: UserId) -> Result<Vec<GoalBlock>, AppError> {
    let rows: Vec<(i64, String, Option<String>, Option<GoalProgress>)> = sqlx::query_as(
        "SELECT m.id, p.name, g.title, g.progress
         FROM matches m
         JOIN users p ON p.id = CASE WHEN m.mentor_id = $1 THEN m.mentee_id ELSE m.mentor_id END
         LEFT JOIN goals g ON g.match_id = m.id
         WHERE (m.mentor_id = $1 OR m.mentee_id = $1) AND m.state = 'active'
         ORDER BY m.id, g.position, g.id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    let mut blocks: Vec<GoalBlock> = Vec::new();
    for (match_id, partner_name, title, progress) in rows {
        if blocks.last().map(|b| b.match_id) != Some(match_id) {
            blocks.push(GoalBlock {
                match_id,
                partner_name,
                goals: Vec::new(),
            });
        }
        if let (Some(title), Some(progress), Some(block)) = (title, progress, blocks.last_mut()) {
            block.goals.push(GoalLine { title, progress });
        }
    }
    Ok(blocks)
}

/// The cohorts a participant is in through an active match (their discussion threads).
async fn cohorts_of(db: &Db, user_id: UserId) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT cohort_id FROM matches
         WHERE (mentor_id = $1 OR mentee_id = $1) AND state = 'active' ORDER BY cohort_id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?)
}

async fn thread(
    db: &Db,
    issue_id: i64,
    cohorts: Option<&[i64]>,
    with_hidden: bool,
) -> Result<Vec<Reply>, AppError> {
    let rows: Vec<(i64, i64, String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT r.id, r.cohort_id, u.name, r.body, r.created_at, r.hidden_at, c.name
         FROM news_replies r JOIN users u ON u.id = r.user_id JOIN cohorts c ON c.id = r.cohort_id
         WHERE r.issue_id = $1 AND (r.hidden_at = 0 OR $2 = 1)
         ORDER BY r.id",
    )
    .bind(issue_id)
    .bind(crate::backend::infra::db::flag(with_hidden))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| cohorts.is_none_or(|cs| cs.contains(&r.1)))
        .map(|(id, _, author, body, at, hidden_at, cohort)| Reply {
            id,
            author,
            body,
            at: tz::utc_minute(at),
            hidden: hidden_at != 0,
            cohort,
        })
        .collect())
}

/// Who an issue is shown as: the signed-in person, or for a coordinator's preview the chosen
/// participant.
pub struct Reader {
    pub id: UserId,
    pub name: String,
    pub time_zone: String,
}

async fn load_reader(db: &Db, user_id: UserId) -> Result<Reader, AppError> {
    let (id, name, time_zone): (UserId, String, String) = sqlx::query_as(
        "SELECT id, name, time_zone FROM users WHERE id = $1 AND role = 'participant'",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| AppError::validation("reader", "Choose a participant to preview as."))?;
    Ok(Reader {
        id,
        name,
        time_zone,
    })
}

/// An issue as the signed-in person sees it. A coordinator (by the policy's coordinating grant,
/// carried in the permit) sees drafts, every cohort's thread with hidden replies, and the
/// sending progress; anyone else, the published issue with their own goals and cohort's thread.
pub async fn view(db: &Db, reader: &SignedIn, id: i64) -> Result<IssueView, AppError> {
    match reader.coordinator() {
        Some(by) => issue(db, by.who(), true, id, None).await,
        None => issue(db, reader.who(), false, id, None).await,
    }
}

/// An issue as the participant `as_reader` will get it (their goals, their cohort's thread), for
/// the coordinator composing it.
pub async fn preview(
    db: &Db,
    by: &Coordinator,
    id: i64,
    as_reader: UserId,
) -> Result<IssueView, AppError> {
    issue(db, by.who(), true, id, Some(as_reader)).await
}

/// `manage` comes only from a coordinator permit (`view` and `preview` above).
async fn issue(
    db: &Db,
    me: &CurrentUser,
    manage: bool,
    id: i64,
    preview_as: Option<UserId>,
) -> Result<IssueView, AppError> {
    let c = content(db, id).await?;
    if c.state != NewsState::Published && !manage {
        return Err(AppError::NotFound);
    }
    let reader = match preview_as {
        Some(uid) => Some(load_reader(db, uid).await?),
        None if manage => None,
        None => Some(Reader {
            id: me.id,
            name: me.name.clone(),
            time_zone: me.time_zone.clone(),
        }),
    };
    let zone = reader
        .as_ref()
        .map(|r| r.time_zone.clone())
        .unwrap_or_else(|| me.time_zone.clone());
    let (goals, cohorts) = match &reader {
        Some(r) => (goals_of(db, r.id).await?, Some(cohorts_of(db, r.id).await?)),
        None => (Vec::new(), None),
    };
    let thread = thread(db, id, cohorts.as_deref(), manage).await?;
    let progress = if manage && c.state == NewsState::Published {
        Some(sending(db, id).await?)
    } else {
        None
    };
    Ok(IssueView {
        id: c.id,
        published_on: if c.published_at > 0 {
            tz::today_utc(c.published_at)
        } else {
            String::new()
        },
        events: c
            .events
            .iter()
            .map(|(eid, title, starts_at, minutes)| NewsEvent {
                id: *eid,
                title: title.clone(),
                when: forum::span_in(*starts_at, *minutes, &zone),
            })
            .collect(),
        reader_name: reader.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
        can_reply: !manage
            && c.state == NewsState::Published
            && cohorts.as_ref().is_some_and(|cs| !cs.is_empty()),
        can_manage: manage,
        title: c.title,
        state: c.state,
        news_html: c.news_html,
        events_html: c.events_html,
        activity: c.activity,
        question: c.question,
        goals_intro_html: c.goals_html,
        goals,
        thread,
        progress,
    })
}

/// Publishes a draft: it joins the archive, and every active participant gets a recipient row
/// (those who turned news off are recorded as skipped). Returns the progress.
pub async fn publish(db: &Db, by: &Coordinator, id: i64) -> Result<SendProgress, AppError> {
    let actor_id = by.id();
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE news_issues SET state = 'published', published_at = $1, updated_at = $1
         WHERE id = $2 AND state = 'draft'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() == 0 {
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM news_issues WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        return Err(match state {
            None => AppError::NotFound,
            Some(_) => AppError::Refused("This issue is already published.".into()),
        });
    }
    let made = sqlx::query(
        "INSERT INTO news_recipients (issue_id, user_id, state)
         SELECT $1, u.id, CASE WHEN u.news_email = 1 THEN 'pending' ELSE 'skipped' END
         FROM users u
         WHERE u.role = 'participant' AND u.disabled = 0
           AND EXISTS (SELECT 1 FROM matches m WHERE m.state = 'active'
                       AND (m.mentor_id = u.id OR m.mentee_id = u.id))",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        actor_id,
        AuditAction::NewsPublish,
        &format!("news:{id}"),
        &format!("{} recipients", made.rows_affected()),
    )
    .await?;
    tx.commit().await?;
    PUBLISHED.raise();
    sending(db, id).await
}

pub async fn progress(db: &Db, _by: &Coordinator, id: i64) -> Result<SendProgress, AppError> {
    sending(db, id).await
}

/// How far the sending of issue `id` has got (for `progress`, and for a coordinator's view).
async fn sending(db: &Db, id: i64) -> Result<SendProgress, AppError> {
    let rows: Vec<(String, Option<String>, Option<i64>, i64)> = sqlx::query_as(
        "SELECT r.state, o.state, o.attempts, COUNT(*) FROM news_recipients r
         LEFT JOIN outbox o ON o.id = r.outbox_id
         WHERE r.issue_id = $1 GROUP BY r.state, o.state, o.attempts",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let mut p = SendProgress::default();
    for (state, mail_state, attempts, n) in rows {
        p.recipients += n;
        match (state.as_str(), mail_state.as_deref()) {
            ("pending", _) => p.waiting += n,
            ("skipped", _) => p.skipped += n,
            (_, Some("sent")) => p.sent += n,
            (_, Some("queued")) if attempts.unwrap_or(0) > 0 => p.retrying += n,
            _ => p.queued += n,
        }
    }
    Ok(p)
}

/// A participant's reply in their cohort's thread.
/// `me`'s answer to the issue's question, in their cohort's thread (a participant in two
/// cohorts answers in the first one's).
pub async fn reply(db: &Db, me: &SignedIn, issue_id: i64, body: &str) -> Result<(), AppError> {
    let cohorts = cohorts_of(db, me.id()).await?;
    policy::check(
        Some(me.who()),
        Action::ReplyInCohort {
            member: !cohorts.is_empty(),
        },
    )?;
    let cohort_id = cohorts.first().copied().ok_or(AppError::Forbidden)?;
    let user_id = me.id();
    let body = fields::text("reply", body, REPLY_MAX, Some("Write your answer first."))?;
    let state: Option<NewsState> =
        sqlx::query_scalar("SELECT state FROM news_issues WHERE id = $1")
            .bind(issue_id)
            .fetch_optional(db)
            .await?;
    if state != Some(NewsState::Published) {
        return Err(AppError::NotFound);
    }
    sqlx::query(
        "INSERT INTO news_replies (issue_id, cohort_id, user_id, body, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(issue_id)
    .bind(cohort_id)
    .bind(user_id)
    .bind(&body)
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn hide_reply(
    db: &Db,
    by: &Coordinator,
    reply_id: i64,
    hidden: bool,
) -> Result<(), AppError> {
    let actor_id = by.id();
    let mut tx = db.begin_write().await?;
    let r = sqlx::query("UPDATE news_replies SET hidden_at = $1, hidden_by = $2 WHERE id = $3")
        .bind(if hidden { now_ms() } else { 0 })
        .bind(hidden.then_some(actor_id))
        .bind(reply_id)
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        actor_id,
        if hidden {
            AuditAction::NewsHideReply
        } else {
            AuditAction::NewsShowReply
        },
        &format!("news_reply:{reply_id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One reader's email: (subject, text, HTML body).
fn render_mail(
    c: &Content,
    config: &Config,
    r: &Reader,
    goals: &[GoalBlock],
) -> (String, String, String) {
    use markdown::escape;
    let page = config.link(&format!("/news/{}", c.id));
    let mut text = format!(
        "{}\nProgram News\n\nHello {},\n\n{}\n",
        c.title, r.name, c.news_md
    );
    let mut html = format!(
        "<h1>{}</h1>\n<p>Hello {},</p>\n{}\n",
        escape(&c.title),
        escape(&r.name),
        c.news_html
    );
    if !c.events.is_empty() || !c.events_md.is_empty() {
        text.push_str("\nEVENTS\n");
        html.push_str("<h2>Events</h2>\n<ul>\n");
        for (id, title, starts_at, minutes) in &c.events {
            let when = forum::span_in(*starts_at, *minutes, &r.time_zone);
            let link = config.link(&format!("/forum/{id}"));
            text.push_str(&format!("- {title}: {when}\n  {link}\n"));
            html.push_str(&format!(
                "<li><a href=\"{}\">{}</a>: {}</li>\n",
                escape(&link),
                escape(title),
                escape(&when)
            ));
        }
        html.push_str("</ul>\n");
        html.push_str(&c.events_html);
        text.push_str(&format!("{}\n", c.events_md));
    }
    if let Some(a) = &c.activity {
        text.push_str(&format!(
            "\nSUGGESTED ACTIVITY\n{} ({})\n{}\n",
            a.title,
            a.kind.label(),
            a.description
        ));
        html.push_str(&format!(
            "<h2>Suggested activity</h2>\n<p><strong>{}</strong> ({})</p>\n<p>{}</p>\n",
            escape(&a.title),
            escape(a.kind.label()),
            escape(&a.description)
        ));
    }
    if !c.question.is_empty() {
        text.push_str(&format!(
            "\nDISCUSSION QUESTION\n{}\nAnswer in your cohort's thread: {page}\n",
            c.question
        ));
        html.push_str(&format!(
            "<h2>Discussion question</h2>\n<p>{}</p>\n<p><a href=\"{}\">Answer in your cohort's thread</a></p>\n",
            escape(&c.question),
            escape(&page)
        ));
    }
    text.push_str("\nYOUR GOALS\n");
    html.push_str("<h2>Your goals</h2>\n");
    if !c.goals_md.is_empty() {
        text.push_str(&format!("{}\n", c.goals_md));
        html.push_str(&c.goals_html);
    }
    for b in goals {
        text.push_str(&format!("With {}:\n", b.partner_name));
        html.push_str(&format!("<h3>With {}</h3>\n", escape(&b.partner_name)));
        if b.goals.is_empty() {
            text.push_str("- No goals written yet.\n");
            html.push_str("<p>No goals written yet.</p>\n");
        } else {
            html.push_str("<ul>\n");
            for g in &b.goals {
                text.push_str(&format!("- {}: {}\n", g.title, g.progress.label()));
                html.push_str(&format!(
                    "<li>{}: <strong>{}</strong></li>\n",
                    escape(&g.title),
                    escape(g.progress.label())
                ));
            }
            html.push_str("</ul>\n");
        }
    }
    text.push_str(&format!("\nRead it online: {page}\n"));
    html.push_str(&format!(
        "<p><a href=\"{}\">Read it online</a></p>\n",
        escape(&page)
    ));
    (format!("Program News: {}", c.title), text, html)
}

/// Makes up to `limit` pending recipients' mail, `PREPARE_BATCH` per transaction. Returns how
/// many rows it settled (queued or skipped).
pub async fn prepare_pending(db: &Db, config: &Config, limit: i64) -> Result<usize, AppError> {
    let pending: Vec<(i64, UserId)> = sqlx::query_as(
        "SELECT issue_id, user_id FROM news_recipients WHERE state = 'pending'
         ORDER BY issue_id, user_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut contents: BTreeMap<i64, Content> = BTreeMap::new();
    let mut settled = 0;
    for chunk in pending.chunks(PREPARE_BATCH as usize) {
        let mut tx = outbox::MailTx::begin(db).await?;
        for (issue_id, user_id) in chunk {
            if !contents.contains_key(issue_id) {
                contents.insert(*issue_id, content(db, *issue_id).await?);
            }
            let Some(c) = contents.get(issue_id) else {
                continue;
            };
            let person: Option<(String, String, String, i64, i64)> = sqlx::query_as(
                "SELECT email, name, time_zone, news_email, disabled FROM users WHERE id = $1",
            )
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            let wants = person.as_ref().is_some_and(|p| p.3 == 1 && p.4 == 0);
            let (state, outbox_id) = match person {
                Some((email, name, time_zone, _, _)) if wants => {
                    let r = Reader {
                        id: *user_id,
                        name,
                        time_zone,
                    };
                    let goals = goals_of(db, *user_id).await?;
                    let (subject, text, html) = render_mail(c, config, &r, &goals);
                    let unsubscribe =
                        prefs::unsubscribe_url(&mut tx, config, *user_id, "news").await?;
                    let id = outbox::enqueue_mail(
                        &mut tx,
                        &outbox::Outgoing {
                            to: &email,
                            subject: &subject,
                            text: &text,
                            html: Some(&html),
                            unsubscribe_url: Some(&unsubscribe),
                        },
                    )
                    .await?;
                    ("queued", Some(id))
                }
                _ => ("skipped", None),
            };
            // Guarded on 'pending': were another instance to have made this one meanwhile, this
            // batch would roll back rather than mail anyone twice.
            let r = sqlx::query(
                "UPDATE news_recipients SET state = $1, outbox_id = $2
                 WHERE issue_id = $3 AND user_id = $4 AND state = 'pending'",
            )
            .bind(state)
            .bind(outbox_id)
            .bind(issue_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            if r.rows_affected() != 1 {
                return Err(AppError::Refused(
                    "another worker is sending this issue".into(),
                ));
            }
            settled += 1;
        }
        tx.commit().await?;
    }
    Ok(settled)
}
