//! Sign-in and password change rules, apart from cookies and HTTP so tests can drive them.

use crate::backend::auth::security_events::{self, PasswordChange};
use crate::backend::auth::users::UserRow;
use crate::backend::infra::db::Db;
use crate::backend::{
    auth::passwords, auth::rate_limit, auth::resets, auth::sessions, auth::users,
};
use crate::error::AppError;
use crate::model::UserId;

pub const WRONG_CREDENTIALS: &str =
    "That email and password do not match an account. Check them and try again.";

/// Checks an email and password, throttled per account and per address. An unknown email gets
/// the same answer, after the same work, as a wrong password.
pub async fn sign_in(db: &Db, email: &str, password: &str, ip: &str) -> Result<UserRow, AppError> {
    if email.trim().is_empty() {
        return Err(AppError::validation("email", "Enter your email address."));
    }
    if password.is_empty() {
        return Err(AppError::validation("password", "Enter your password."));
    }
    let account_key = rate_limit::account_key(email);
    let address_key = rate_limit::address_key(ip);
    rate_limit::check(db, &address_key, rate_limit::PER_ADDRESS).await?;
    rate_limit::check(db, &account_key, rate_limit::PER_ACCOUNT).await?;
    let user = users::find_by_email(db, email).await?;
    let stored = match &user {
        Some(u) => u.password_hash.clone(),
        None => passwords::dummy_hash().await?,
    };
    // Very long input is refused before hashing so it cannot be used to burn CPU.
    let ok = password.chars().count() <= crate::model::PASSWORD_MAX
        && passwords::verify(password.to_string(), stored).await?;
    match user {
        Some(u) if ok && !u.is_disabled() => {
            rate_limit::clear(db, &account_key).await?;
            security_events::signed_in(db, &u, ip).await?;
            Ok(u)
        }
        Some(u) if ok && u.is_disabled() => Err(AppError::Refused(
            "This account has been disabled. Contact the program coordinator.".into(),
        )),
        Some(u) => {
            rate_limit::record_failure(db, &[&account_key, &address_key]).await?;
            security_events::wrong_password(db, &u, ip).await?;
            Err(AppError::Refused(WRONG_CREDENTIALS.into()))
        }
        None => {
            rate_limit::record_failure(db, &[&account_key, &address_key]).await?;
            Err(AppError::Refused(WRONG_CREDENTIALS.into()))
        }
    }
}

/// Changes a password after checking the current one; every other session of the account ends.
/// Returns the token of a fresh session for the browser that made the change.
///
/// The current password is guessed against the same limits as sign-in (per account and per
/// address, `ip`), counted together with sign-in's failures: someone holding a forgotten session
/// gets no more guesses at the password than someone at the sign-in form.
pub async fn change_password(
    db: &Db,
    user_id: UserId,
    current: &str,
    new: &str,
    confirm: &str,
    ip: &str,
) -> Result<String, AppError> {
    let user = users::find_by_id(db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if current.is_empty() {
        return Err(AppError::validation(
            "current_password",
            "Enter your current password.",
        ));
    }
    let account_key = rate_limit::account_key(&user.email);
    let address_key = rate_limit::address_key(ip);
    rate_limit::check(db, &address_key, rate_limit::PER_ADDRESS).await?;
    rate_limit::check(db, &account_key, rate_limit::PER_ACCOUNT).await?;
    let ok = current.chars().count() <= crate::model::PASSWORD_MAX
        && passwords::verify(current.to_string(), user.password_hash.clone()).await?;
    if !ok {
        rate_limit::record_failure(db, &[&account_key, &address_key]).await?;
        security_events::wrong_password(db, &user, ip).await?;
        return Err(AppError::validation(
            "current_password",
            "That is not your current password.",
        ));
    }
    rate_limit::clear(db, &account_key).await?;
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
