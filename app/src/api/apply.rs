//! Applying: the Apply page, the waitlist of interest, submitting and withdrawing.

use crate::error::AppError;
use crate::model::{ApplicationForm, ApplyInfo, MyApplication};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{
    auth::passwords, auth::policy, auth::policy::Action, auth::sessions, auth::users,
    infra::context, infra::db::now_ms, infra::tz, program::applications, program::cohorts,
};

#[server(endpoint = "apply_page", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "apply_page", skip_all))]
pub async fn apply_page() -> Result<ApplyInfo, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::Apply)?;
        let today = tz::today_utc(now_ms());
        let mine = match &actor {
            Some(me) => {
                policy::check(Some(me), Action::ViewOwnApplications)?;
                applications::mine(&state.db, me.id).await?
            }
            None => Vec::new(),
        };
        Ok(ApplyInfo {
            viewer: actor,
            open: cohorts::open_window(&state.db, &today).await?,
            next: cohorts::next_window(&state.db, &today).await?,
            mine,
        })
    })
    .await
}

#[server(endpoint = "join_waitlist", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "join_waitlist", skip_all))]
pub async fn join_waitlist(email: String) -> Result<(), AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::Apply)?;
        cohorts::join_waitlist(&state.db, &email).await
    })
    .await
}

/// Stores an application. A visitor creates their account in the same step and is signed in.
#[server(endpoint = "submit_application", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "submit_application", skip_all)
)]
pub async fn submit_application(form: ApplicationForm) -> Result<MyApplication, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::Apply)?;
        // Check every answer before creating anything, so a mistake never leaves half an
        // account behind.
        let app = applications::validate(&form)?;
        let user_id = match actor {
            Some(me) if me.is_coordinator() => {
                return Err(AppError::Refused(
                    "Coordinators run the program and cannot apply to it.".into(),
                ));
            }
            Some(me) => me.id,
            None => {
                users::validate_name(&form.name)?;
                let email = users::normalize_email(&form.email);
                users::validate_email(&email)?;
                passwords::validate("password", &form.password)?;
                if users::find_by_email(&state.db, &email).await?.is_some() {
                    return Err(AppError::validation(
                        "email",
                        "An account with this email already exists. Sign in first, then apply.",
                    ));
                }
                let hash = passwords::hash(form.password.clone()).await?;
                let id = users::create(
                    &state.db,
                    users::NewUser {
                        email: &email,
                        name: &form.name,
                        role: crate::model::Role::Participant,
                        password_hash: &hash,
                        pronouns: "",
                        time_zone: &app.time_zone,
                        bio: "",
                    },
                )
                .await?;
                let token = sessions::create(&state.db, id).await?;
                context::set_cookie(sessions::set_cookie(
                    state.config.is_https(),
                    &token,
                    crate::model::Role::Participant,
                ));
                id
            }
        };
        let id = applications::submit(&state.db, user_id, &app).await?;
        applications::mine(&state.db, user_id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(AppError::Internal)
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
        let owner_id = applications::owner(&state.db, id).await?;
        policy::check(Some(me.who()), Action::WithdrawApplication { owner_id })?;
        applications::withdraw(&state.db, &me, id).await
    })
    .await
}
