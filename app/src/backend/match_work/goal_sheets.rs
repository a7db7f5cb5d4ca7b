//! The goal sheet: reading it, saving it with optimistic concurrency, the steps of its contract
//! (submit, confirm, acknowledge, return), progress on each goal, and the history of all of it.

use crate::backend::auth::policy::{OnMatch, access};
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, list_to_text, now_ms, text_to_list};
use crate::backend::infra::fields;
use crate::backend::match_work::facts::MatchFacts;
use crate::backend::{infra::audit, infra::tz};
use crate::error::AppError;
use crate::model::audit::AuditAction;
use crate::model::*;
use crate::model::{MatchId, UserId};

#[derive(sqlx::FromRow)]
struct SheetRow {
    state: String,
    amended_by: Option<String>,
    version: i64,
    return_comment: String,
    updated_at: i64,
    updated_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct GoalRow {
    id: i64,
    title: String,
    why: String,
    measure: String,
    target_date: String,
    tags: String,
    progress: GoalProgress,
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    goal_id: i64,
    author_name: String,
    progress: GoalProgress,
    note: String,
    on_date: String,
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    actor_name: String,
    action: String,
    changes: String,
    comment: String,
    at: i64,
}

/// How many history entries the sheet shows; older ones stay in the table.
const HISTORY_SHOWN: i64 = 50;

async fn sheet_row<'e, E>(ex: E, match_id: MatchId) -> Result<Option<SheetRow>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as::<_, SheetRow>(
        "SELECT s.state, s.amended_by, s.version, s.return_comment, s.updated_at,
                u.name AS updated_by
         FROM goal_sheets s LEFT JOIN users u ON u.id = s.updated_by
         WHERE s.match_id = $1",
    )
    .bind(match_id)
    .fetch_optional(ex)
    .await?)
}

async fn goal_rows<'e, E>(ex: E, match_id: MatchId) -> Result<Vec<GoalRow>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as::<_, GoalRow>(
        "SELECT id, title, why, measure, target_date, tags, progress
         FROM goals WHERE match_id = $1 ORDER BY position, id",
    )
    .bind(match_id)
    .fetch_all(ex)
    .await?)
}

fn as_inputs(rows: &[GoalRow]) -> Vec<GoalInput> {
    rows.iter()
        .map(|g| GoalInput {
            id: g.id,
            title: g.title.clone(),
            why: g.why.clone(),
            measure: g.measure.clone(),
            target_date: g.target_date.clone(),
            tags: text_to_list(&g.tags).join(", "),
        })
        .collect()
}

/// The sheet as its readers see it: goals, state, due date, and with `full` the progress notes
/// and the history too (the goal sheet page shows them; the match home does not, and skipping
/// them keeps the home fast with a year of notes).
pub async fn view(db: &Db, f: &MatchFacts, full: bool) -> Result<SheetView, AppError> {
    let row = sheet_row(db, f.match_id).await?;
    let goals = goal_rows(db, f.match_id).await?;
    if !full {
        return Ok(assemble(f, row, goals, Vec::new(), Vec::new()));
    }
    let notes = sqlx::query_as::<_, NoteRow>(
        "SELECT n.goal_id, u.name AS author_name, n.progress, n.note, n.on_date
         FROM progress_notes n JOIN users u ON u.id = n.author_id
         WHERE n.match_id = $1 ORDER BY n.on_date, n.id",
    )
    .bind(f.match_id)
    .fetch_all(db)
    .await?;
    let history = sqlx::query_as::<_, HistoryRow>(
        "SELECT u.name AS actor_name, h.action, h.changes, h.comment, h.at
         FROM goal_sheet_history h JOIN users u ON u.id = h.actor_id
         WHERE h.match_id = $1 ORDER BY h.id DESC LIMIT $2",
    )
    .bind(f.match_id)
    .bind(HISTORY_SHOWN)
    .fetch_all(db)
    .await?;
    Ok(assemble(f, row, goals, notes, history))
}

fn assemble(
    f: &MatchFacts,
    row: Option<SheetRow>,
    goals: Vec<GoalRow>,
    notes: Vec<NoteRow>,
    history: Vec<HistoryRow>,
) -> SheetView {
    let state = row
        .as_ref()
        .map(|r| SheetState::from_db(&r.state, r.amended_by.as_deref()))
        .unwrap_or(SheetState::Draft);
    let due_date = f.due_date();
    let today = tz::today_utc(now_ms());
    let days_left = tz::days_between(&today, &due_date);
    SheetView {
        match_id: f.match_id.get(),
        state,
        version: row.as_ref().map_or(0, |r| r.version),
        goals: goals
            .into_iter()
            .map(|g| Goal {
                notes: notes
                    .iter()
                    .filter(|n| n.goal_id == g.id)
                    .map(|n| ProgressNote {
                        author_name: n.author_name.clone(),
                        progress: n.progress,
                        note: n.note.clone(),
                        on_date: n.on_date.clone(),
                    })
                    .collect(),
                id: g.id,
                title: g.title,
                why: g.why,
                measure: g.measure,
                target_date: g.target_date,
                tags: text_to_list(&g.tags),
                progress: g.progress,
            })
            .collect(),
        overdue: f.active() && !state.is_in() && days_left < 0,
        due_date,
        days_left,
        return_comment: row
            .as_ref()
            .map(|r| r.return_comment.clone())
            .unwrap_or_default(),
        updated_by: row
            .as_ref()
            .and_then(|r| r.updated_by.clone())
            .unwrap_or_default(),
        updated_at: row.as_ref().map_or(0, |r| r.updated_at),
        history: history
            .into_iter()
            .map(|h| HistoryEntry {
                actor_name: h.actor_name,
                action: h.action,
                changes: text_to_list(&h.changes),
                comment: h.comment,
                at: h.at,
            })
            .collect(),
    }
}

/// Marks the match as changed, so cached match homes are rebuilt. Call it in the transaction of
/// the change (or right after it).
pub async fn touch<'e, E>(ex: E, match_id: MatchId) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("UPDATE matches SET revision = revision + 1 WHERE id = $1")
        .bind(match_id)
        .execute(ex)
        .await?;
    Ok(())
}

fn too_long(field: &str, value: &str, max: usize) -> Result<(), AppError> {
    if value.chars().count() > max {
        return Err(AppError::validation(
            field,
            format!(
                "Use at most {max} characters (this has {}).",
                value.chars().count()
            ),
        ));
    }
    Ok(())
}

/// Checks the editor's slots (1 to 3; a blank slot is no goal) and gives back the goals,
/// trimmed. The first problem is reported against its field.
pub fn validate(
    slots: &[GoalInput],
    program_start: &str,
    program_end: &str,
) -> Result<Vec<GoalInput>, AppError> {
    let filled = slots.iter().filter(|g| !g.is_blank()).count();
    if filled < GOALS_MIN {
        return Err(AppError::validation(
            "goals",
            "Write at least one goal: one is required.",
        ));
    }
    if slots.len() > GOALS_MAX || filled > GOALS_MAX {
        return Err(AppError::validation(
            "goals",
            "A goal sheet holds at most three goals. Remove one to add another.",
        ));
    }
    let mut out = Vec::new();
    for (i, g) in slots.iter().enumerate() {
        if g.is_blank() {
            continue;
        }
        let slot = i + 1;
        let title = g.title.trim();
        if title.is_empty() {
            return Err(AppError::validation(
                &goal_field(slot, "title"),
                "Give this goal a title.",
            ));
        }
        too_long(&goal_field(slot, "title"), title, GOAL_TITLE_MAX)?;
        fields::one_line(&goal_field(slot, "title"), title)?;
        too_long(&goal_field(slot, "why"), g.why.trim(), GOAL_TEXT_MAX)?;
        too_long(
            &goal_field(slot, "measure"),
            g.measure.trim(),
            GOAL_TEXT_MAX,
        )?;
        let date = g.target_date.trim();
        let date_field = goal_field(slot, "target_date");
        if date.is_empty() {
            return Err(AppError::validation(&date_field, "Choose a target date."));
        }
        let date = tz::date_in(&date_field, date)?;
        let date = date.as_str();
        if date < program_start || date > program_end {
            return Err(AppError::validation(
                &date_field,
                format!("Choose a date within the program, {program_start} to {program_end}."),
            ));
        }
        let tags = split_tags(&g.tags);
        let tags_field = goal_field(slot, "tags");
        fields::one_line(&tags_field, &g.tags)?;
        if tags.len() > TAGS_MAX {
            return Err(AppError::validation(
                &tags_field,
                format!("Use at most {TAGS_MAX} tags."),
            ));
        }
        if let Some(t) = tags.iter().find(|t| t.chars().count() > TAG_MAX) {
            return Err(AppError::validation(
                &tags_field,
                format!("Keep each tag to {TAG_MAX} characters (“{t}” is longer)."),
            ));
        }
        out.push(GoalInput {
            id: g.id,
            title: title.to_string(),
            why: g.why.trim().to_string(),
            measure: g.measure.trim().to_string(),
            target_date: date.to_string(),
            tags: tags.join(", "),
        });
    }
    Ok(out)
}

fn changed_since_opened() -> AppError {
    AppError::Refused(
        "The goal sheet changed since you opened it. Reload it to see the new version, then try again."
            .into(),
    )
}

async fn history<'e, E>(
    ex: E,
    match_id: MatchId,
    actor_id: UserId,
    action: &str,
    changes: &[String],
    comment: &str,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO goal_sheet_history (match_id, actor_id, action, changes, comment, at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(match_id)
    .bind(actor_id)
    .bind(action)
    .bind(list_to_text(changes))
    .bind(comment)
    .bind(now_ms())
    .execute(ex)
    .await?;
    Ok(())
}

/// Saves the goals a partner wrote on version `expected`. If the partner saved in between, nothing
/// is written and the answer carries their version, so the writer can merge by hand.
pub async fn save(
    db: &Db,
    p: &OnMatch<access::Work>,
    expected: i64,
    slots: &[GoalInput],
) -> Result<SaveOutcome, AppError> {
    let (actor_id, party, f) = (p.id(), p.party(), p.facts());
    let goals = validate(slots, &f.program_start, &f.program_end)?;
    // Read first, outside the transaction; the write below only lands if the version is still
    // the one read, so this snapshot is exactly what it replaces. Writing first inside the
    // transaction also keeps SQLite from failing a read-to-write upgrade under contention.
    let row = sheet_row(db, f.match_id).await?;
    let (state, version) = row.as_ref().map_or((SheetState::Draft, 0), |r| {
        (
            SheetState::from_db(&r.state, r.amended_by.as_deref()),
            r.version,
        )
    });
    if version != expected {
        return Ok(SaveOutcome::Conflict {
            theirs: view(db, f, false).await?,
        });
    }
    let before = as_inputs(&goal_rows(db, f.match_id).await?);
    for g in &goals {
        if g.id != 0 && !before.iter().any(|b| b.id == g.id) {
            return Err(AppError::Refused(
                "One of these goals is no longer on the sheet. Reload it, then try again.".into(),
            ));
        }
    }
    let changes = describe_changes(&before, &goals);
    if changes.is_empty() {
        // Saving what is already there changes nothing, not even the state.
        return Ok(SaveOutcome::Saved { version });
    }
    let next = state
        .apply(party, SheetAction::Edit, f.active())
        .map_err(|why| AppError::Refused(why.into()))?;
    let (next_state, amended_by) = next.to_db();
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    // The version in the WHERE clause is what makes a concurrent save lose cleanly.
    let written = if version == 0 {
        sqlx::query(
            "INSERT INTO goal_sheets (match_id, state, amended_by, version, updated_by, updated_at)
             VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (match_id) DO NOTHING",
        )
        .bind(f.match_id)
        .bind(next_state)
        .bind(amended_by)
        .bind(actor_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    } else {
        sqlx::query(
            "UPDATE goal_sheets SET state = $1, amended_by = $2, version = version + 1,
                    updated_by = $3, updated_at = $4
             WHERE match_id = $5 AND version = $6",
        )
        .bind(next_state)
        .bind(amended_by)
        .bind(actor_id)
        .bind(now)
        .bind(f.match_id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    };
    if written == 0 {
        drop(tx);
        return Ok(SaveOutcome::Conflict {
            theirs: view(db, f, false).await?,
        });
    }
    for old in &before {
        if !goals.iter().any(|g| g.id == old.id) {
            sqlx::query("DELETE FROM goals WHERE id = $1 AND match_id = $2")
                .bind(old.id)
                .bind(f.match_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    for (i, g) in goals.iter().enumerate() {
        let tags = list_to_text(&split_tags(&g.tags));
        if g.id == 0 {
            sqlx::query(
                "INSERT INTO goals (match_id, position, title, why, measure, target_date, tags)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(f.match_id)
            .bind(i as i64 + 1)
            .bind(&g.title)
            .bind(&g.why)
            .bind(&g.measure)
            .bind(&g.target_date)
            .bind(tags)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "UPDATE goals SET position = $1, title = $2, why = $3, measure = $4,
                        target_date = $5, tags = $6
                 WHERE id = $7 AND match_id = $8",
            )
            .bind(i as i64 + 1)
            .bind(&g.title)
            .bind(&g.why)
            .bind(&g.measure)
            .bind(&g.target_date)
            .bind(tags)
            .bind(g.id)
            .bind(f.match_id)
            .execute(&mut *tx)
            .await?;
        }
    }
    let action = if matches!(next, SheetState::Amended { .. }) {
        "amended"
    } else {
        "edited"
    };
    history(&mut *tx, f.match_id, actor_id, action, &changes, "").await?;
    touch(&mut *tx, f.match_id).await?;
    tx.commit().await?;
    Ok(SaveOutcome::Saved {
        version: version + 1,
    })
}

/// One step of the contract on version `expected`: submit, confirm, acknowledge or return.
/// The mentee submits the sheet.
pub async fn submit(db: &Db, p: &OnMatch<access::Submit>, expected: i64) -> Result<(), AppError> {
    step(
        db,
        p.id(),
        p.party(),
        p.facts(),
        expected,
        SheetAction::Submit,
        "",
    )
    .await
}

/// The mentor confirms a submitted sheet; either partner confirms the other's amendment (the
/// sheet's state says which of them may).
pub async fn confirm(db: &Db, p: &OnMatch<access::Work>, expected: i64) -> Result<(), AppError> {
    step(
        db,
        p.id(),
        p.party(),
        p.facts(),
        expected,
        SheetAction::Confirm,
        "",
    )
    .await
}

/// A coordinator acknowledges a confirmed sheet.
pub async fn acknowledge(
    db: &Db,
    p: &OnMatch<access::Review>,
    expected: i64,
) -> Result<(), AppError> {
    step(
        db,
        p.id(),
        Party::Coordinator,
        p.facts(),
        expected,
        SheetAction::Acknowledge,
        "",
    )
    .await
}

/// A coordinator returns a sheet to the match with a comment saying what to change.
pub async fn return_sheet(
    db: &Db,
    p: &OnMatch<access::Review>,
    expected: i64,
    comment: &str,
) -> Result<(), AppError> {
    step(
        db,
        p.id(),
        Party::Coordinator,
        p.facts(),
        expected,
        SheetAction::Return,
        comment,
    )
    .await
}

async fn step(
    db: &Db,
    actor_id: UserId,
    party: Party,
    f: &MatchFacts,
    expected: i64,
    action: SheetAction,
    comment: &str,
) -> Result<(), AppError> {
    let comment = comment.trim();
    if action == SheetAction::Return {
        if comment.is_empty() {
            return Err(AppError::validation(
                "comment",
                "Say what the match should change.",
            ));
        }
        too_long("comment", comment, COMMENT_MAX)?;
    }
    let row = sheet_row(db, f.match_id).await?;
    let (state, version) = row.as_ref().map_or((SheetState::Draft, 0), |r| {
        (
            SheetState::from_db(&r.state, r.amended_by.as_deref()),
            r.version,
        )
    });
    // The state's own refusal first: "already submitted" says more than "changed".
    let next = state
        .apply(party, action, f.active())
        .map_err(|why| AppError::Refused(why.into()))?;
    if version != expected {
        return Err(changed_since_opened());
    }
    if action == SheetAction::Submit && goal_rows(db, f.match_id).await?.is_empty() {
        return Err(AppError::validation(
            "goals",
            "Write at least one goal: one is required.",
        ));
    }
    let (next_state, amended_by) = next.to_db();
    let return_comment = match action {
        SheetAction::Return => comment.to_string(),
        SheetAction::Submit => String::new(),
        _ => row
            .as_ref()
            .map(|r| r.return_comment.clone())
            .unwrap_or_default(),
    };
    let mut tx = db.begin_write().await?;
    let written = sqlx::query(
        "UPDATE goal_sheets SET state = $1, amended_by = $2, version = version + 1,
                updated_by = $3, updated_at = $4, return_comment = $5
         WHERE match_id = $6 AND version = $7",
    )
    .bind(next_state)
    .bind(amended_by)
    .bind(actor_id)
    .bind(now_ms())
    .bind(&return_comment)
    .bind(f.match_id)
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if written == 0 {
        return Err(changed_since_opened());
    }
    let name = match (action, state) {
        (SheetAction::Submit, _) => "submitted",
        (SheetAction::Confirm, SheetState::Amended { .. }) => "confirmed the changes",
        (SheetAction::Confirm, _) => "confirmed",
        (SheetAction::Acknowledge, _) => "acknowledged",
        (SheetAction::Return, _) => "returned",
        (SheetAction::Edit, _) => "edited",
    };
    history(&mut *tx, f.match_id, actor_id, name, &[], comment).await?;
    touch(&mut *tx, f.match_id).await?;
    let audited = match action {
        SheetAction::Acknowledge => Some(AuditAction::GoalSheetAcknowledged),
        SheetAction::Return => Some(AuditAction::GoalSheetReturned),
        _ => None,
    };
    if let Some(audited) = audited {
        audit::record(
            &mut *tx,
            actor_id,
            audited,
            &format!("match:{}", f.match_id),
            comment,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records progress on one goal with a dated note, from either partner.
pub async fn record_progress(
    db: &Db,
    p: &OnMatch<access::Work>,
    goal_id: i64,
    progress: &str,
    note: &str,
    on_date: &str,
) -> Result<(), AppError> {
    let (actor_id, f) = (p.id(), p.facts());
    if !f.active() {
        return Err(AppError::Refused(
            "This match has ended; its progress can no longer change.".into(),
        ));
    }
    let Some(progress) = GoalProgress::parse(progress) else {
        return Err(AppError::validation(
            "progress",
            "Choose where this goal stands.",
        ));
    };
    let note = note.trim();
    too_long("note", note, NOTE_MAX)?;
    let on_date = tz::date_in("on_date", on_date)?;
    let on_date = on_date.as_str();
    if !tz::not_future(on_date, now_ms()) {
        return Err(AppError::validation(
            "on_date",
            "Progress is recorded for today or earlier.",
        ));
    }
    let mut tx = db.begin_write().await?;
    let updated = sqlx::query("UPDATE goals SET progress = $1 WHERE id = $2 AND match_id = $3")
        .bind(progress)
        .bind(goal_id)
        .bind(f.match_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if updated == 0 {
        return Err(AppError::Refused(
            "That goal is not on this goal sheet any more. Reload the page.".into(),
        ));
    }
    sqlx::query(
        "INSERT INTO progress_notes (goal_id, match_id, author_id, progress, note, on_date, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(goal_id)
    .bind(f.match_id)
    .bind(actor_id)
    .bind(progress)
    .bind(note)
    .bind(on_date)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    touch(&mut *tx, f.match_id).await?;
    tx.commit().await?;
    Ok(())
}
