//! Coordinators' server functions for the review of applications: the list, one application,
//! decisions on several at once. (The applicant's side is `apply`.)

use crate::error::AppError;
use crate::model::{ApplicationDetail, ApplicationFilter, ApplicationRow};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, context, program::applications};

#[server(endpoint = "list_applications", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "list_applications", skip_all)
)]
pub async fn list_applications(filter: ApplicationFilter) -> Result<Vec<ApplicationRow>, AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        applications::list(&state.db, &by, &filter).await
    })
    .await
}

#[server(endpoint = "get_application", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "get_application", skip_all)
)]
pub async fn get_application(id: i64) -> Result<ApplicationDetail, AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        applications::detail(&state.db, &by, id).await
    })
    .await
}

#[server(endpoint = "decide_applications", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "decide_applications", skip_all)
)]
pub async fn decide_applications(
    ids: Vec<i64>,
    decision: String,
    note: String,
) -> Result<usize, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::coordinator).await?;
        let n = applications::decide(&state.db, &state.config, &me, &ids, &decision, &note).await?;
        Ok(n)
    })
    .await
}

/// Disables the applicant's account (signed out everywhere, cannot sign in) or enables it again:
/// coordinators only, participants' accounts only.
#[server(endpoint = "set_account_disabled", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "set_account_disabled", skip_all)
)]
pub async fn set_account_disabled(user_id: i64, disabled: bool) -> Result<(), AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        crate::backend::auth::users::disable_by(
            &state.db,
            &by,
            crate::model::UserId(user_id),
            disabled,
        )
        .await
    })
    .await
}
