//! Applying: the Apply page, the waitlist of interest, submitting and withdrawing.

use crate::error::AppError;
use crate::model::{ApplicationForm, ApplyInfo, ApplyOutcome, MyApplication};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{
    auth::policy, auth::policy::open, context, program::applications,
    program::pending_applications, program::waitlist,
};
#[cfg(feature = "ssr")]
use crate::model::live::Change;

#[server(endpoint = "apply_page", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "apply_page", skip_all))]
pub async fn apply_page() -> Result<ApplyInfo, AppError> {
    context::respond(async move {
        let (state, viewer) = context::permit(policy::open::<open::Apply>).await?;
        applications::apply_info(&state.db, &viewer).await
    })
    .await
}

#[server(endpoint = "join_waitlist", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "join_waitlist", skip_all))]
pub async fn join_waitlist(email: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, _) = context::permit(policy::open::<open::Apply>).await?;
        waitlist::join(&state.db, &state.config, &email, &context::client_ip()).await
    })
    .await
}

/// Opens the link from the waitlist's confirmation mail: the address is listed.
#[server(endpoint = "confirm_waitlist", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "confirm_waitlist", skip_all)
)]
pub async fn confirm_waitlist(token: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, _) = context::permit(policy::open::<open::Apply>).await?;
        waitlist::confirm(&state.db, &token).await
    })
    .await
}

/// Stores an application from someone signed in. A visitor's is held until they open the link
/// mailed to the address they gave (`confirm_application`); they are told to check their email,
/// whether or not the address has an account already.
#[server(endpoint = "submit_application", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "submit_application", skip_all)
)]
pub async fn submit_application(form: ApplicationForm) -> Result<ApplyOutcome, AppError> {
    context::respond(async move {
        let (state, applicant) = context::permit(policy::open::<open::SubmitApplication>).await?;
        let outcome = applications::apply(&state.db, &state.config, &applicant, &form).await?;
        if matches!(outcome, ApplyOutcome::Sent(_)) {
            let what = Change::ApplicationArrived;
            state.live.tell_coordinators(what, None).await;
        }
        Ok(outcome)
    })
    .await
}

/// Opens the link from the apply email: makes the account, sends the application it held, and
/// signs the new applicant in (whoever this browser was signed in as before is signed out).
#[server(endpoint = "confirm_application", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "confirm_application", skip_all)
)]
pub async fn confirm_application(token: String) -> Result<MyApplication, AppError> {
    context::respond(async move {
        let (state, _) = context::permit(policy::open::<open::Apply>).await?;
        let (me, sent) = pending_applications::confirm(&state.db, &token).await?;
        context::start_session(&state, me.id(), me.who().role).await?;
        let what = Change::ApplicationArrived;
        state.live.tell_coordinators(what, None).await;
        Ok(sent)
    })
    .await
}

#[server(endpoint = "withdraw_application", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "withdraw_application", skip_all)
)]
pub async fn withdraw_application(id: i64) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        applications::withdraw(&state.db, &me, id).await
    })
    .await
}
