//! Coordinators' server functions: cohorts and the review of applications.

use crate::error::AppError;
use crate::model::{
    ApplicationDetail, ApplicationFilter, ApplicationRow, CohortDetail, CohortForm,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{
    auth::policy, auth::policy::Action, infra::context, program::applications, program::cohorts,
};

#[server(endpoint = "list_cohorts", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "list_cohorts", skip_all))]
pub async fn list_cohorts() -> Result<Vec<CohortDetail>, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::ManageProgram)?;
        cohorts::list(&state.db).await
    })
    .await
}

#[server(endpoint = "create_cohort", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_cohort", skip_all))]
pub async fn create_cohort(form: CohortForm) -> Result<i64, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        let me = policy::require(actor.as_ref(), Action::ManageProgram)?;
        cohorts::create(&state.db, me.id, &form).await
    })
    .await
}

#[server(endpoint = "set_cohort_state", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "set_cohort_state", skip_all)
)]
pub async fn set_cohort_state(cohort_id: i64, to: String) -> Result<(), AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        let me = policy::require(actor.as_ref(), Action::ManageProgram)?;
        cohorts::set_state(&state.db, &state.config, me.id, cohort_id, &to).await?;
        state.mail_wakeup.notify_one();
        Ok(())
    })
    .await
}

#[server(endpoint = "list_applications", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "list_applications", skip_all)
)]
pub async fn list_applications(filter: ApplicationFilter) -> Result<Vec<ApplicationRow>, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::ManageProgram)?;
        applications::list(&state.db, &filter).await
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
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::ManageProgram)?;
        applications::detail(&state.db, id).await
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
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        let me = policy::require(actor.as_ref(), Action::ManageProgram)?;
        let n =
            applications::decide(&state.db, &state.config, me.id, &ids, &decision, &note).await?;
        state.mail_wakeup.notify_one();
        Ok(n)
    })
    .await
}
