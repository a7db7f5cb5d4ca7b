//! Two-step sign-in: one's own authenticator and recovery codes, and a coordinator's reset of
//! someone else's. (The sign-in's code step is `account::sign_in_second_factor`.)

use crate::error::AppError;
use crate::model::second_factor::SecondFactorStatus;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{auth::policy, auth::second_factor, auth::sessions, context};

#[server(endpoint = "get_second_factor", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "get_second_factor", skip_all)
)]
pub async fn get_second_factor() -> Result<SecondFactorStatus, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        second_factor::status(&state.db, &me).await
    })
    .await
}

/// Starts setting up an authenticator; replacing one that is on takes a code from it.
#[server(endpoint = "start_second_factor", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "start_second_factor", skip_all)
)]
pub async fn start_second_factor(current_code: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        second_factor::start(&state.db, &me, &current_code, &context::client_ip()).await
    })
    .await
}

/// Confirms the authenticator being set up with a code from it. Answers the recovery codes,
/// shown this once; every other browser of the account is signed out.
#[server(endpoint = "confirm_second_factor", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "confirm_second_factor", skip_all)
)]
pub async fn confirm_second_factor(code: String) -> Result<Vec<String>, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        let done = second_factor::confirm(&state.db, &me, &code).await?;
        context::set_cookie(sessions::set_cookie(
            state.config.is_https(),
            &done.session,
            me.who().role,
        ));
        Ok(done.recovery_codes)
    })
    .await
}

#[server(endpoint = "renew_recovery_codes", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "renew_recovery_codes", skip_all)
)]
pub async fn renew_recovery_codes(code: String) -> Result<Vec<String>, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        let codes =
            second_factor::renew_recovery_codes(&state.db, &me, &code, &context::client_ip())
                .await?;
        Ok(codes)
    })
    .await
}

/// Turns two-step sign-in off: participants, with a code.
#[server(endpoint = "turn_off_second_factor", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "turn_off_second_factor", skip_all)
)]
pub async fn turn_off_second_factor(code: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        second_factor::turn_off(&state.db, &me, &code, &context::client_ip()).await?;
        Ok(())
    })
    .await
}

/// Removes someone else's two-step sign-in, when they lost their phone and their recovery
/// codes: coordinators only, audited and told to the person.
#[server(endpoint = "reset_second_factor", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "reset_second_factor", skip_all)
)]
pub async fn reset_second_factor(email: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, by) = context::permit(policy::coordinator).await?;
        second_factor::reset_by(&state.db, &by, &email).await?;
        Ok(())
    })
    .await
}
