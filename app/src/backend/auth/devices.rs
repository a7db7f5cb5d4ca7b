//! Browsers an account has signed in with: OWASP's device cookies. At each successful sign-in
//! the browser gets a long-lived cookie naming it for that account. A later sign-in from it is
//! counted on its own, so wrong passwords that others send to the account (which lock it for
//! every other browser) never lock its owner out; and a sign-in from a browser without it is
//! told to the owner by email. The cookie holds a random token; only its hash is stored, as for
//! sessions, so a copy of the database cannot be used to pass a lock.

use crate::backend::auth::sessions;
use crate::backend::infra::db::{Db, now_ms};
use crate::error::AppError;
use crate::model::UserId;

/// A year: long enough that a person's phone stays known between program years' sign-ins.
const COOKIE_MAX_AGE_SECONDS: i64 = 365 * 24 * 60 * 60;

/// `__Host-` behind HTTPS, as the session cookie.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-tandem_device"
    } else {
        "tandem_device"
    }
}

pub fn set_cookie(https: bool, token: &str) -> String {
    sessions::cookie_header(cookie_name(https), token, COOKIE_MAX_AGE_SECONDS, https)
}

pub fn token_from_headers(headers: &http::HeaderMap, https: bool) -> Option<String> {
    sessions::cookie_from_headers(headers, cookie_name(https))
}

/// The id of the device `token` names, if `user_id` has signed in with it.
pub async fn trusted(db: &Db, user_id: UserId, token: &str) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM trusted_devices WHERE token_hash = $1 AND user_id = $2")
            .bind(sessions::hash_token(token))
            .bind(user_id)
            .fetch_optional(db)
            .await?,
    )
}

/// Whether `user_id` has signed in with any browser before.
pub async fn any(db: &Db, user_id: UserId) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM trusted_devices WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}

/// Remembers a browser for `user_id`; returns the token for its cookie.
pub async fn remember(db: &Db, user_id: UserId) -> Result<String, AppError> {
    let token = sessions::random_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO trusted_devices (user_id, token_hash, created_at, last_used_at) \
         VALUES ($1, $2, $3, $3)",
    )
    .bind(user_id)
    .bind(sessions::hash_token(&token))
    .bind(now)
    .execute(db)
    .await?;
    Ok(token)
}

pub async fn touch(db: &Db, device_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE trusted_devices SET last_used_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(device_id)
        .execute(db)
        .await?;
    Ok(())
}
