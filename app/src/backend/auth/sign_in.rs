//! Sign-in and password change rules, apart from cookies and HTTP so tests can drive them.

use crate::backend::auth::security_events::{self, PasswordChange, SecondFactorChange};
use crate::backend::auth::users::UserRow;
use crate::backend::auth::{pending_sign_ins, policy, second_factor};
use crate::backend::infra::db::Db;
use crate::backend::{
    auth::devices, auth::passwords, auth::rate_limit, auth::resets, auth::sessions, auth::users,
};
use crate::error::AppError;

pub const WRONG_CREDENTIALS: &str =
    "That email and password do not match an account. Check them and try again.";

/// Where a sign-in comes from: the client's address, and the device cookie its browser sent.
#[derive(Debug, Clone, Copy)]
pub struct Client<'a> {
    pub ip: &'a str,
    pub device: Option<&'a str>,
}

/// A successful sign-in: the account, and the token of a device cookie to set when this browser
/// was not yet one the account signed in with.
pub struct SignedIn {
    pub user: UserRow,
    pub new_device: Option<String>,
}

/// Where a right password leads.
pub enum SignInStep {
    Done(SignedIn),
    /// The account signs in with a code as well: the token of the sign-in waiting for it
    /// (`pending_sign_ins`), for the browser's cookie.
    CodeNeeded {
        token: String,
    },
}

pub const SIGN_IN_AGAIN: &str =
    "This sign-in has expired or was not started here. Sign in with your email and password again.";

/// `sign_in_from` for a browser with no device cookie, and an account without two-step sign-in.
pub async fn sign_in(db: &Db, email: &str, password: &str, ip: &str) -> Result<UserRow, AppError> {
    let client = Client { ip, device: None };
    match sign_in_from(db, email, password, client).await? {
        SignInStep::Done(signed) => Ok(signed.user),
        SignInStep::CodeNeeded { .. } => Err(AppError::Refused(
            "This account signs in with a code as well.".into(),
        )),
    }
}

/// Checks an email and password. A browser the account signed in with before is counted on its
/// own (`rate_limit::PER_DEVICE`) and passes a lock on the account; any other is counted per
/// account, address and network. An unknown email gets the same answer, after the same work, as
/// a wrong password.
///
/// An account with two-step sign-in gets no session here: the right password starts a sign-in
/// that waits for the code (`second_step`), and its earlier failures stand until the code is
/// right, so knowing the password buys no fresh guesses at the code.
pub async fn sign_in_from(
    db: &Db,
    email: &str,
    password: &str,
    client: Client<'_>,
) -> Result<SignInStep, AppError> {
    if email.trim().is_empty() {
        return Err(AppError::validation("email", "Enter your email address."));
    }
    if password.is_empty() {
        return Err(AppError::validation("password", "Enter your password."));
    }
    let user = users::find_by_email(db, email).await?;
    let device = match (&user, client.device) {
        (Some(u), Some(token)) => devices::trusted(db, u.id, token).await?,
        _ => None,
    };
    let (attempt, is_trusted) = claim(db, device, email, client.ip).await?;
    let stored = match &user {
        Some(u) => u.password_hash.clone(),
        None => passwords::dummy_hash().await?,
    };
    // Very long input is refused before hashing so it cannot be used to burn CPU.
    let ok = password.chars().count() <= crate::model::PASSWORD_MAX
        && passwords::verify(password.to_string(), stored).await?;
    match user {
        Some(u) if ok && !u.is_disabled() => {
            attempt.succeeded(db).await?;
            if u.has_second_factor() {
                let token = pending_sign_ins::create(db, u.id, device).await?;
                return Ok(SignInStep::CodeNeeded { token });
            }
            Ok(SignInStep::Done(
                finish(db, u, device, is_trusted, client.ip).await?,
            ))
        }
        Some(u) if ok && u.is_disabled() => {
            attempt.succeeded(db).await?;
            Err(AppError::Refused(
                "This account has been disabled. Contact the program coordinator.".into(),
            ))
        }
        Some(u) => {
            attempt.failed(db).await?;
            security_events::wrong_password(db, &u, client.ip).await?;
            Err(AppError::Refused(WRONG_CREDENTIALS.into()))
        }
        None => {
            attempt.failed(db).await?;
            Err(AppError::Refused(WRONG_CREDENTIALS.into()))
        }
    }
}

/// Counts an attempt at `email`'s password or code from `ip`: on the trusted browser `device`
/// when it has one and that browser is under its own limit, else per account, address and
/// network (a known browser that has itself guessed too often is treated like any other).
/// Returns the attempt and whether it was counted as trusted.
async fn claim(
    db: &Db,
    device: Option<i64>,
    email: &str,
    ip: &str,
) -> Result<(rate_limit::Attempt, bool), AppError> {
    if let Some(id) = device {
        let key = [(rate_limit::device_key(id), rate_limit::PER_DEVICE)];
        match rate_limit::claim(db, &key).await {
            Ok(attempt) => return Ok((attempt, true)),
            Err(AppError::RateLimited(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let attempt = rate_limit::claim(db, &rate_limit::untrusted(email, ip)).await?;
    Ok((attempt, false))
}

/// What every sign-in ends with, after the password and, where the account has it, the code:
/// the browser is remembered (or told to the owner when new), the account's earlier failures
/// are forgiven when it was not locked, and the sign-in is recorded.
async fn finish(
    db: &Db,
    u: UserRow,
    device: Option<i64>,
    is_trusted: bool,
    ip: &str,
) -> Result<SignedIn, AppError> {
    let new_device = match device {
        Some(id) => {
            rate_limit::clear(db, &rate_limit::device_key(id)).await?;
            devices::touch(db, id).await?;
            None
        }
        None => {
            let known_elsewhere = devices::any(db, u.id).await?;
            let token = devices::remember(db, u.id).await?;
            if known_elsewhere {
                security_events::new_browser(db, &u, ip).await?;
            }
            Some(token)
        }
    };
    // The owner proved themselves from an untrusted browser, so the account was not locked: its
    // few earlier mistakes are forgiven. A trusted browser's success leaves others' failures
    // standing, since they lock everyone else out.
    if !is_trusted {
        rate_limit::clear(db, &rate_limit::account_key(&u.email)).await?;
    }
    security_events::signed_in(db, &u, ip).await?;
    Ok(SignedIn {
        user: u,
        new_device,
    })
}

/// The second step of a sign-in: the code from the authenticator, or a recovery code, for the
/// sign-in `token` names. Counted like a password, where the password was counted: on the
/// trusted browser it came from, or per account, address and network.
pub async fn second_step(
    db: &Db,
    token: Option<&str>,
    code: &str,
    ip: &str,
) -> Result<SignedIn, AppError> {
    let pending = match token {
        Some(t) => pending_sign_ins::find(db, t).await?,
        None => None,
    };
    let Some(pending) = pending else {
        return Err(AppError::Refused(SIGN_IN_AGAIN.into()));
    };
    let Some(user) = users::find_by_id(db, pending.user_id)
        .await?
        .filter(|u| !u.is_disabled() && u.has_second_factor())
    else {
        return Err(AppError::Refused(SIGN_IN_AGAIN.into()));
    };
    if code.trim().is_empty() {
        return Err(AppError::validation("code", second_factor::ENTER_CODE));
    }
    let (attempt, is_trusted) = claim(db, pending.device_id, &user.email, ip).await?;
    match second_factor::verify(db, user.id, code, true).await? {
        Some(proof) => {
            attempt.succeeded(db).await?;
            if let Some(t) = token {
                pending_sign_ins::end(db, t).await?;
            }
            if proof == second_factor::Proof::RecoveryCode {
                security_events::second_factor_changed(
                    db,
                    &user,
                    SecondFactorChange::RecoveryCodeUsed,
                    None,
                )
                .await?;
            }
            finish(db, user, pending.device_id, is_trusted, ip).await
        }
        None => {
            attempt.failed(db).await?;
            security_events::wrong_code(db, &user, ip).await?;
            Err(AppError::validation("code", second_factor::WRONG_CODE))
        }
    }
}

/// Changes a password after checking the current one; every other session of the account ends.
/// Returns the token of a fresh session for the browser that made the change.
///
/// The current password is guessed against the same limits as sign-in (per account, address and
/// network, `ip`), counted together with sign-in's failures: someone holding a forgotten session
/// gets no more guesses at the password than someone at the sign-in form.
pub async fn change_password(
    db: &Db,
    me: &policy::SignedIn,
    current: &str,
    new: &str,
    confirm: &str,
    ip: &str,
) -> Result<String, AppError> {
    let user_id = me.id();
    let user = users::find_by_id(db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if current.is_empty() {
        return Err(AppError::validation(
            "current_password",
            "Enter your current password.",
        ));
    }
    let attempt = rate_limit::claim(db, &rate_limit::untrusted(&user.email, ip)).await?;
    let ok = current.chars().count() <= crate::model::PASSWORD_MAX
        && passwords::verify(current.to_string(), user.password_hash.clone()).await?;
    if !ok {
        attempt.failed(db).await?;
        security_events::wrong_password(db, &user, ip).await?;
        return Err(AppError::validation(
            "current_password",
            "That is not your current password.",
        ));
    }
    attempt.succeeded(db).await?;
    rate_limit::clear(db, &rate_limit::account_key(&user.email)).await?;
    passwords::validate("new_password", new)?;
    if new != confirm {
        return Err(AppError::validation(
            "confirm_password",
            "The two new passwords differ.",
        ));
    }
    let hash = passwords::hash(new.to_string()).await?;
    users::set_password_hash(db, user_id, &hash).await?;
    // A reset link asked for before the change must not undo it.
    resets::end_all(db, user_id).await?;
    sessions::end_all_for_user(db, user_id).await?;
    security_events::password_changed(db, &user, PasswordChange::Changed).await?;
    sessions::create(db, user_id).await
}
