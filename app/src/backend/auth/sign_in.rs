//! Sign-in and password change rules, apart from cookies and HTTP so tests can drive them.

use crate::backend::auth::security_events::{self, PasswordChange};
use crate::backend::auth::users::UserRow;
use crate::backend::infra::db::Db;
use crate::backend::{
    auth::devices, auth::passwords, auth::rate_limit, auth::resets, auth::sessions, auth::users,
};
use crate::error::AppError;
use crate::model::UserId;

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

/// `sign_in_from` for a browser with no device cookie.
pub async fn sign_in(db: &Db, email: &str, password: &str, ip: &str) -> Result<UserRow, AppError> {
    let client = Client { ip, device: None };
    Ok(sign_in_from(db, email, password, client).await?.user)
}

/// Checks an email and password. A browser the account signed in with before is counted on its
/// own (`rate_limit::PER_DEVICE`) and passes a lock on the account; any other is counted per
/// account, address and network. An unknown email gets the same answer, after the same work, as
/// a wrong password.
pub async fn sign_in_from(
    db: &Db,
    email: &str,
    password: &str,
    client: Client<'_>,
) -> Result<SignedIn, AppError> {
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
    // A known browser that has itself given too many wrong passwords is treated like any other.
    let trusted = match device {
        Some(id) => {
            let key = [(rate_limit::device_key(id), rate_limit::PER_DEVICE)];
            match rate_limit::claim(db, &key).await {
                Ok(attempt) => Some(attempt),
                Err(AppError::RateLimited(_)) => None,
                Err(e) => return Err(e),
            }
        }
        None => None,
    };
    let is_trusted = trusted.is_some();
    let attempt = match trusted {
        Some(attempt) => attempt,
        None => rate_limit::claim(db, &rate_limit::untrusted(email, client.ip)).await?,
    };
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
                        security_events::new_browser(db, &u, client.ip).await?;
                    }
                    Some(token)
                }
            };
            // The owner proved themselves from an untrusted browser, so the account was not
            // locked: its few earlier mistakes are forgiven. A trusted browser's success leaves
            // others' failures standing, since they lock everyone else out.
            if !is_trusted {
                rate_limit::clear(db, &rate_limit::account_key(email)).await?;
            }
            security_events::signed_in(db, &u, client.ip).await?;
            Ok(SignedIn {
                user: u,
                new_device,
            })
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

/// Changes a password after checking the current one; every other session of the account ends.
/// Returns the token of a fresh session for the browser that made the change.
///
/// The current password is guessed against the same limits as sign-in (per account, address and
/// network, `ip`), counted together with sign-in's failures: someone holding a forgotten session
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
