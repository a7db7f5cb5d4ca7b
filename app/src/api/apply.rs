//! Applying: the Apply page, the waitlist of interest, submitting and withdrawing.

use crate::error::AppError;
use crate::model::{ApplicationForm, ApplyInfo, ApplyOutcome, MyApplication};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::{
    auth::passwords, auth::policy, auth::policy::Action, auth::sessions, auth::users,
    infra::context, infra::db::now_ms, infra::tz, program::applications, program::cohorts,
    program::pending_applications, program::waitlist,
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
                let me = policy::signed_in(Some(me.clone()))?;
                applications::mine(&state.db, &me).await?
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
        waitlist::join(&state.db, &state.config, &email, &context::client_ip()).await?;
        state.mail_wakeup.notify_one();
        Ok(())
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
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::Apply)?;
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
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::Apply)?;
        // Check every answer, and the window, before anything is made or mailed.
        let app = applications::validate(&form)?;
        let me = match actor {
            Some(me) if me.is_coordinator() => {
                return Err(AppError::Refused(
                    "Coordinators run the program and cannot apply to it.".into(),
                ));
            }
            Some(me) => policy::signed_in(Some(me))?,
            None => {
                users::validate_name(&form.name)?;
                users::validate_email(&users::normalize_email(&form.email))?;
                passwords::validate("password", &form.password)?;
                applications::check_window(&state.db, app.cohort_id).await?;
                pending_applications::hold(&state.db, &state.config, &form).await?;
                state.mail_wakeup.notify_one();
                return Ok(ApplyOutcome::CheckEmail);
            }
        };
        let id = applications::submit(&state.db, &me, &app).await?;
        mine(&state, &me, id).await.map(ApplyOutcome::Sent)
    })
    .await
}

#[cfg(feature = "ssr")]
async fn mine(
    state: &crate::backend::infra::state::AppState,
    me: &policy::SignedIn,
    id: i64,
) -> Result<MyApplication, AppError> {
    applications::mine(&state.db, me)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::Internal)
}

/// Opens the link from the apply email: makes the account, sends the application it held, and
/// signs the new applicant in.
#[server(endpoint = "confirm_application", input = server_fn::codec::Json)]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "confirm_application", skip_all)
)]
pub async fn confirm_application(token: String) -> Result<MyApplication, AppError> {
    context::respond(async move {
        let state = context::state()?;
        let actor = context::current_user(&state).await?;
        policy::check(actor.as_ref(), Action::Apply)?;
        let held = pending_applications::take(&state.db, &token).await?;
        let form = held.form;
        let app = applications::validate(&form)?;
        applications::check_window(&state.db, app.cohort_id).await?;
        // An account made with this address since (by another of these links) keeps it.
        let id = users::create(
            &state.db,
            users::NewUser {
                email: &form.email,
                name: &form.name,
                role: crate::model::Role::Participant,
                password_hash: &held.password_hash,
                pronouns: "",
                time_zone: &app.time_zone,
                bio: "",
            },
        )
        .await
        .map_err(|e| match e {
            AppError::Validation { field, .. } if field == "email" => AppError::Refused(
                "An account with this email exists already. Sign in, then apply.".into(),
            ),
            other => other,
        })?;
        let me = policy::signed_in(Some(users::current(&state.db, id).await?))?;
        let application_id = match applications::submit(&state.db, &me, &app).await {
            Ok(application_id) => application_id,
            Err(e) => {
                // The window closed in between: an account with no application must not stay.
                users::delete_unused(&state.db, id).await?;
                return Err(e);
            }
        };
        // As at sign-in: whoever this browser was signed in as before is signed out.
        if let Some(old) = context::session_token(&state) {
            sessions::end(&state.db, &old).await?;
        }
        let token = sessions::create(&state.db, id).await?;
        context::set_cookie(sessions::set_cookie(
            state.config.is_https(),
            &token,
            crate::model::Role::Participant,
        ));
        mine(&state, &me, application_id).await
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
