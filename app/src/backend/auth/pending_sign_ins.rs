//! Sign-ins between the password and the code: the password was right, and the account signs
//! in with an authenticator code as well. No session exists yet; the browser holds a short-lived
//! cookie naming this half-done sign-in, and only the token's hash is kept, as for sessions.

use crate::backend::auth::sessions;
use crate::backend::infra::db::{Db, now_ms};
use crate::error::AppError;
use crate::model::UserId;

/// Long enough to open an app and type a code on a slow phone, short enough that a browser left
/// at the code step is not half signed in for long.
pub const LIFETIME_MS: i64 = 10 * 60 * 1000;

/// `__Host-` behind HTTPS, as the session cookie.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-tandem_sign_in"
    } else {
        "tandem_sign_in"
    }
}

pub fn set_cookie(https: bool, token: &str) -> String {
    sessions::cookie_header(cookie_name(https), token, LIFETIME_MS / 1000, https)
}

pub fn clear_cookie(https: bool) -> String {
    sessions::cookie_header(cookie_name(https), "", 0, https)
}

/// A sign-in waiting for its code.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Pending {
    pub user_id: UserId,
    /// The trusted browser the password came from (`devices`), if any.
    pub device_id: Option<i64>,
}

/// Starts one for `user_id` and returns the token for its cookie. Others of the account stay (a
/// person signing in on a phone and a laptop at once); expired ones of anyone go.
pub async fn create(db: &Db, user_id: UserId, device_id: Option<i64>) -> Result<String, AppError> {
    let token = sessions::random_token();
    let now = now_ms();
    sqlx::query("DELETE FROM pending_sign_ins WHERE created_at < $1")
        .bind(now - LIFETIME_MS)
        .execute(db)
        .await?;
    sqlx::query(
        "INSERT INTO pending_sign_ins (token_hash, user_id, device_id, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(sessions::hash_token(&token))
    .bind(user_id)
    .bind(device_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(token)
}

/// The sign-in `token` names, if it is still waiting.
pub async fn find(db: &Db, token: &str) -> Result<Option<Pending>, AppError> {
    Ok(sqlx::query_as::<_, Pending>(
        "SELECT user_id, device_id FROM pending_sign_ins WHERE token_hash = $1 AND created_at > $2",
    )
    .bind(sessions::hash_token(token))
    .bind(now_ms() - LIFETIME_MS)
    .fetch_optional(db)
    .await?)
}

/// Ends the one `token` names (it finished, or the browser signed out).
pub async fn end(db: &Db, token: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM pending_sign_ins WHERE token_hash = $1")
        .bind(sessions::hash_token(token))
        .execute(db)
        .await?;
    Ok(())
}
