//! Matching and the match lifecycle.

use crate::error::AppError;
use crate::model::{MatchingBoard, Pair, Proposal, Suggestion};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{
    auth::policy, auth::policy::access, context, program::lifecycle, program::matching,
};
#[cfg(feature = "ssr")]
use crate::model::{MatchId, live::Change};

#[server(endpoint = "matching_view", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "matching_view", skip_all))]
pub async fn matching_view(cohort_id: i64) -> Result<MatchingBoard, AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        matching::view(&state.db, &by, cohort_id).await
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
        let (state, by) = context::permit(policy::coordinator).await?;
        matching::suggest(&state.db, &by, cohort_id, mentee_application_id).await
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
        let (state, by) = context::permit(policy::coordinator).await?;
        matching::propose(&state.db, &by, cohort_id).await
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
        let (state, me) = context::permit(policy::coordinator).await?;
        let ids =
            matching::create_matches(&state.db, &state.config, &me, cohort_id, &pairs).await?;
        for id in &ids {
            let m = Some(MatchId(*id));
            state.live.tell_coordinators(Change::MatchStarted, m).await;
        }
        Ok(ids)
    })
    .await
}

#[server(endpoint = "end_match", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "end_match", skip_all))]
pub async fn end_match(match_id: i64, reason: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        let match_id = MatchId(match_id);
        lifecycle::end_early(&state.db, &me, match_id, &reason).await?;
        let m = Some(match_id);
        state.live.tell_coordinators(Change::MatchEnded, m).await;
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
        let (state, me) = context::permit(policy::coordinator).await?;
        lifecycle::decline_request(&state.db, &me, request_id).await
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
        let (state, permit) = context::on_match::<access::Work>(match_id).await?;
        lifecycle::request_end(&state.db, &permit, &reason).await
    })
    .await
}
