//! Working with a match: its home, the goal sheet and its steps, progress, contacts, activities,
//! and the activities catalogue. Every function asks the policy layer before anything else.

use crate::error::AppError;
use crate::model::{Activity, GoalInput, MatchHome, SaveOutcome};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{
    auth::policy::{self, access},
    context,
    match_work::activities,
    match_work::contacts,
    match_work::goal_sheets,
};
#[cfg(feature = "ssr")]
use crate::model::live::{Change, NoticeKind};

/// `full` adds progress notes and the sheet's history (the goal sheet page).
#[server(endpoint = "load_match_home", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "load_match_home", skip_all)
)]
pub async fn load_match_home(match_id: i64, full: bool) -> Result<MatchHome, AppError> {
    context::respond(async move {
        let (state, permit) = context::on_match::<access::Read>(match_id).await?;
        state.homes.load(&state.db, &permit, full).await
    })
    .await
}

#[server(endpoint = "save_goal_sheet", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "save_goal_sheet", skip_all)
)]
pub async fn save_goal_sheet(
    match_id: i64,
    version: i64,
    goals: Vec<GoalInput>,
) -> Result<SaveOutcome, AppError> {
    context::respond(async move {
        let (state, permit) = context::on_match::<access::Work>(match_id).await?;
        goal_sheets::save(&state.db, &permit, version, &goals).await
    })
    .await
}

#[server(endpoint = "submit_goal_sheet", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "submit_goal_sheet", skip_all)
)]
pub async fn submit_goal_sheet(match_id: i64, version: i64) -> Result<(), AppError> {
    context::respond(async move {
        let (state, permit) = context::on_match::<access::Submit>(match_id).await?;
        goal_sheets::submit(&state.db, &permit, version).await?;
        let (m, by) = (permit.match_id(), permit.id());
        state
            .live
            .goal_sheet_step(m, by, NoticeKind::GoalSheetSubmitted)
            .await;
        Ok(())
    })
    .await
}

/// The mentor confirms a submitted sheet; either partner confirms the other's amendment.
#[server(endpoint = "confirm_goal_sheet", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "confirm_goal_sheet", skip_all)
)]
pub async fn confirm_goal_sheet(match_id: i64, version: i64) -> Result<(), AppError> {
    context::respond(async move {
        let (state, permit) = context::on_match::<access::Work>(match_id).await?;
        goal_sheets::confirm(&state.db, &permit, version).await?;
        let (m, by) = (permit.match_id(), permit.id());
        state
            .live
            .goal_sheet_step(m, by, NoticeKind::GoalSheetConfirmed)
            .await;
        Ok(())
    })
    .await
}

#[server(endpoint = "acknowledge_goal_sheet", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "acknowledge_goal_sheet", skip_all)
)]
pub async fn acknowledge_goal_sheet(match_id: i64, version: i64) -> Result<(), AppError> {
    context::respond(async move {
        let (state, permit) = context::on_match::<access::Review>(match_id).await?;
        goal_sheets::acknowledge(&state.db, &permit, version).await?;
        let m = Some(permit.match_id());
        state
            .live
            .tell_coordinators(Change::GoalSheetReviewed, m)
            .await;
        Ok(())
    })
    .await
}

#[server(endpoint = "return_goal_sheet", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "return_goal_sheet", skip_all)
)]
pub async fn return_goal_sheet(
    match_id: i64,
    version: i64,
    comment: String,
) -> Result<(), AppError> {
    context::respond(async move {
        let (state, permit) = context::on_match::<access::Review>(match_id).await?;
        goal_sheets::return_sheet(&state.db, &permit, version, &comment).await?;
        let m = Some(permit.match_id());
        state
            .live
            .tell_coordinators(Change::GoalSheetReviewed, m)
            .await;
        Ok(())
    })
    .await
}

#[server(endpoint = "record_progress", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "record_progress", skip_all)
)]
pub async fn record_progress(
    match_id: i64,
    goal_id: i64,
    progress: String,
    note: String,
    on_date: String,
) -> Result<(), AppError> {
    context::respond(async move {
        let (state, permit) = context::on_match::<access::Work>(match_id).await?;
        goal_sheets::record_progress(&state.db, &permit, goal_id, &progress, &note, &on_date).await
    })
    .await
}

/// `minutes` arrives as typed so a word in it gets a message by the field, not a transport error.
#[server(endpoint = "log_contact", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "log_contact", skip_all))]
pub async fn log_contact(
    match_id: i64,
    way: String,
    on_date: String,
    minutes: String,
    note: String,
) -> Result<i64, AppError> {
    context::respond(async move {
        let (state, permit) = context::on_match::<access::Work>(match_id).await?;
        let minutes = minutes
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::validation("minutes", "Enter how many minutes, as a number."))?;
        let id = contacts::log(
            &state.db,
            &permit,
            contacts::ContactInput {
                way: &way,
                on_date: &on_date,
                minutes,
                note: &note,
            },
        )
        .await?;
        let m = Some(permit.match_id());
        state.live.tell_coordinators(Change::ContactLogged, m).await;
        Ok(id)
    })
    .await
}

#[server(endpoint = "plan_activity", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "plan_activity", skip_all))]
pub async fn plan_activity(
    match_id: i64,
    activity_id: i64,
    goal_id: i64,
    state: String,
    on_date: String,
    note: String,
) -> Result<i64, AppError> {
    context::respond(async move {
        let (app, permit) = context::on_match::<access::Work>(match_id).await?;
        activities::plan(
            &app.db,
            &permit,
            activities::PlanInput {
                activity_id,
                goal_id,
                state: &state,
                on_date: &on_date,
                note: &note,
            },
        )
        .await
    })
    .await
}

#[server(endpoint = "mark_activity_done", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "mark_activity_done", skip_all)
)]
pub async fn mark_activity_done(
    match_id: i64,
    match_activity_id: i64,
    on_date: String,
) -> Result<(), AppError> {
    context::respond(async move {
        let (state, permit) = context::on_match::<access::Work>(match_id).await?;
        activities::mark_done(&state.db, &permit, match_activity_id, &on_date).await
    })
    .await
}

/// The catalogue is public: the Activities page shows it to everyone.
#[server(endpoint = "list_activities", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "list_activities", skip_all)
)]
pub async fn list_activities() -> Result<Vec<Activity>, AppError> {
    context::respond(async move {
        let (state, _) = context::permit(policy::open::<policy::open::ReadActivities>).await?;
        activities::catalogue(&state.db).await
    })
    .await
}

/// The catalogue for its editors: the same list, behind the coordinators' door.
#[server(endpoint = "edit_catalogue", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "edit_catalogue", skip_all)
)]
pub async fn edit_catalogue() -> Result<Vec<Activity>, AppError> {
    context::respond(async move {
        let (state, _editor) = context::permit(policy::coordinator).await?;
        activities::catalogue(&state.db).await
    })
    .await
}

#[server(endpoint = "save_activity", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "save_activity", skip_all))]
pub async fn save_activity(
    id: i64,
    kind: String,
    title: String,
    description: String,
) -> Result<i64, AppError> {
    context::respond(async move {
        let (state, editor) = context::permit(policy::coordinator).await?;
        activities::save(&state.db, &editor, id, &kind, &title, &description).await
    })
    .await
}
