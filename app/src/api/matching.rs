//! Matching and the match lifecycle.

use crate::error::AppError;
use crate::model::{MatchingBoard, Pair, Proposal, Suggestion};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{
    auth::policy, auth::policy::Action, infra::context, program::lifecycle, program::matching,
};

#[server(endpoint = "matching_view", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "matching_view", skip_all))]
pub async fn matching_view(cohort_id: i64) -> Result<MatchingBoard, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::ManageProgram)?;
        matching::view(&state.db, cohort_id).await
    })
    .await
}

#[server(endpoint = "suggest_mentors", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "suggest_mentors", skip_all)
)]
pub async fn suggest_mentors(
    cohort_id: i64,
    mentee_application_id: i64,
) -> Result<Vec<Suggestion>, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::ManageProgram)?;
        matching::suggest(&state.db, cohort_id, mentee_application_id).await
    })
    .await
}

#[server(endpoint = "propose_matches", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "propose_matches", skip_all)
)]
pub async fn propose_matches(cohort_id: i64) -> Result<Proposal, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::ManageProgram)?;
        matching::propose(&state.db, cohort_id).await
    })
    .await
}

#[server(endpoint = "confirm_matches", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "confirm_matches", skip_all)
)]
pub async fn confirm_matches(cohort_id: i64, pairs: Vec<Pair>) -> Result<Vec<i64>, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        let me = policy::require(actor.as_ref(), Action::ManageProgram)?;
        let ids =
            matching::create_matches(&state.db, &state.config, me.id, cohort_id, &pairs).await?;
        state.mail_wakeup.notify_one();
        Ok(ids)
    })
    .await
}

#[server(endpoint = "end_match", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "end_match", skip_all))]
pub async fn end_match(match_id: i64, reason: String) -> Result<(), AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        let me = policy::require(actor.as_ref(), Action::ManageProgram)?;
        lifecycle::end_early(&state.db, me.id, match_id, &reason).await?;
        state.mail_wakeup.notify_one();
        Ok(())
    })
    .await
}

#[server(endpoint = "decline_end_request", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "decline_end_request", skip_all)
)]
pub async fn decline_end_request(request_id: i64) -> Result<(), AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        let me = policy::require(actor.as_ref(), Action::ManageProgram)?;
        lifecycle::decline_request(&state.db, me.id, request_id).await
    })
    .await
}

/// A partner asks a coordinator to end their match.
#[server(endpoint = "request_end_match", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "request_end_match", skip_all)
)]
pub async fn request_end_match(match_id: i64, reason: String) -> Result<(), AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::ViewOwnHome)?;
        let p = lifecycle::parties(&state.db, match_id).await?;
        let me = policy::require(
            actor.as_ref(),
            Action::RequestEndOfMatch {
                mentor_id: p.mentor_id,
                mentee_id: p.mentee_id,
            },
        )?;
        lifecycle::request_end(&state.db, me.id, &p, &reason).await
    })
    .await
}
