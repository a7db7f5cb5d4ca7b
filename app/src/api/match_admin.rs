//! Coordinators' work on one match: private notes and an email to both partners.
//! Coordinators only: every function asks the policy for `ManageProgram`.

use crate::error::AppError;
use crate::model::match_admin::MatchNote;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, context, program::match_admin};

#[server(endpoint = "match_notes", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "match_notes", skip_all))]
pub async fn match_notes(match_id: i64) -> Result<Vec<MatchNote>, AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        match_admin::notes(&state.db, &by, crate::model::MatchId(match_id)).await
    })
    .await
}

#[server(endpoint = "add_match_note", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "add_match_note", skip_all)
)]
pub async fn add_match_note(match_id: i64, body: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        match_admin::add_note(&state.db, &me, crate::model::MatchId(match_id), &body).await
    })
    .await
}

/// Returns how many people it was sent to.
#[server(endpoint = "email_partners", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "email_partners", skip_all)
)]
pub async fn email_partners(
    match_id: i64,
    subject: String,
    body: String,
) -> Result<usize, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        let n = match_admin::email_partners(
            &state.db,
            &me,
            crate::model::MatchId(match_id),
            &subject,
            &body,
        )
        .await?;
        Ok(n)
    })
    .await
}
