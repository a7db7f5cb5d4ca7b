//! Signing in and out, password resets, and one's own profile.

use crate::error::AppError;
use crate::model::CurrentUser;
use crate::model::second_factor::SignInOutcome;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{
    auth::devices, auth::pending_sign_ins, auth::policy, auth::policy::open, auth::resets,
    auth::sessions, auth::sign_in, auth::users, context,
};

#[server(endpoint = "current_user", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "get_current_user", skip_all)
)]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    context::respond(async move {
        let (_, reader) = context::permit(policy::open::<open::ReadSession>).await?;
        Ok(reader.who().cloned())
    })
    .await
}

#[server(endpoint = "sign_in", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "sign_in", skip_all))]
pub async fn sign_in(email: String, password: String) -> Result<SignInOutcome, AppError> {
    context::respond(async move {
        let (state, _) = context::permit(policy::open::<open::Authenticate>).await?;
        let ip = context::client_ip();
        let device = context::device_token(&state);
        let client = sign_in::Client {
            ip: &ip,
            device: device.as_deref(),
        };
        match sign_in::sign_in_from(&state.db, &email, &password, client).await? {
            sign_in::SignInStep::Done(signed) => signed_in(&state, signed).await,
            sign_in::SignInStep::CodeNeeded { token } => {
                let https = state.config.is_https();
                context::set_cookie(pending_sign_ins::set_cookie(https, &token));
                Ok(SignInOutcome::CodeNeeded)
            }
        }
    })
    .await
}

/// The second step of a sign-in, for an account with two-step sign-in: the code from the
/// authenticator app, or a recovery code.
#[server(endpoint = "sign_in_second_factor", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "sign_in_second_factor", skip_all)
)]
pub async fn sign_in_second_factor(code: String) -> Result<SignInOutcome, AppError> {
    context::respond(async move {
        let (state, _) = context::permit(policy::open::<open::Authenticate>).await?;
        let https = state.config.is_https();
        let token = context::cookie(pending_sign_ins::cookie_name(https));
        let signed =
            sign_in::second_step(&state.db, token.as_deref(), &code, &context::client_ip()).await?;
        let answer = signed_in(&state, signed).await?;
        // After the session's, which is the answer's first.
        context::set_cookie(pending_sign_ins::clear_cookie(https));
        Ok(answer)
    })
    .await
}

/// The answer to a finished sign-in: the session, then the device cookie of a browser new to the
/// account.
#[cfg(feature = "ssr")]
async fn signed_in(
    state: &crate::backend::state::AppState,
    signed: sign_in::SignedIn,
) -> Result<SignInOutcome, AppError> {
    let user = signed.user;
    context::start_session(state, user.id, user.role()).await?;
    if let Some(token) = &signed.new_device {
        context::set_cookie(devices::set_cookie(state.config.is_https(), token));
    }
    Ok(SignInOutcome::SignedIn(user.to_current()))
}

#[server(endpoint = "sign_out", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "sign_out", skip_all))]
pub async fn sign_out() -> Result<(), AppError> {
    context::respond(async move {
        let (state, _) = context::permit(policy::open::<open::Authenticate>).await?;
        context::end_session(&state).await
    })
    .await
}

#[server(endpoint = "request_password_reset", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "request_password_reset", skip_all)
)]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    context::respond(async move {
        let (state, _) = context::permit(policy::open::<open::Authenticate>).await?;
        resets::request(&state.db, &state.config, &email).await
    })
    .await
}

#[server(endpoint = "reset_password", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "reset_password", skip_all)
)]
pub async fn reset_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    context::respond(async move {
        let (state, _) = context::permit(policy::open::<open::Authenticate>).await?;
        resets::complete_form(&state.db, &token, &password, &confirm).await
    })
    .await
}

#[server(endpoint = "update_profile", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "update_profile", skip_all)
)]
pub async fn update_profile(
    name: String,
    pronouns: String,
    time_zone: String,
    bio: String,
) -> Result<CurrentUser, AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        let update = users::ProfileUpdate {
            name,
            pronouns,
            time_zone,
            bio,
        };
        users::update_profile(&state.db, &me, &update).await
    })
    .await
}

#[server(endpoint = "change_password", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "change_password", skip_all)
)]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    context::respond(async move {
        let (state, me) = context::permit(policy::signed_in).await?;
        let ip = context::client_ip();
        let token = sign_in::change_password(
            &state.db,
            &me,
            &current_password,
            &new_password,
            &confirm_password,
            &ip,
        )
        .await?;
        let https = state.config.is_https();
        context::set_cookie(sessions::set_cookie(https, &token, me.who().role));
        Ok(())
    })
    .await
}
