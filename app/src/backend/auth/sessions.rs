//! Sessions: 256-bit random tokens. The browser holds the token in an HttpOnly cookie; the
//! database holds only its SHA-256, so a leaked database does not leak live sessions.

use crate::backend::auth::users::UserRow;
use crate::backend::infra::db::{Db, now_ms};
use crate::error::AppError;
use crate::model::{Role, UserId};
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};

const HOUR_MS: i64 = 60 * 60 * 1000;
/// A participant's session ends after this long without a request...
pub const IDLE_MS: i64 = 7 * 24 * HOUR_MS;
/// ...and after this long in any case.
pub const ABSOLUTE_MS: i64 = 30 * 24 * HOUR_MS;
/// A coordinator sees every applicant's private answers, so a forgotten coordinator session on a
/// shared computer is worth less to keep: it ends after a working day idle...
pub const COORDINATOR_IDLE_MS: i64 = 8 * HOUR_MS;
/// ...and after a week in any case.
pub const COORDINATOR_ABSOLUTE_MS: i64 = 7 * 24 * HOUR_MS;

/// How long a session of someone in `role` lives: (idle, absolute), in milliseconds.
pub fn lifetime(role: Role) -> (i64, i64) {
    match role {
        Role::Participant => (IDLE_MS, ABSOLUTE_MS),
        Role::Coordinator => (COORDINATOR_IDLE_MS, COORDINATOR_ABSOLUTE_MS),
    }
}
/// `last_seen_at` is written at most this often, so reading pages does not mean writing rows.
const TOUCH_EVERY_MS: i64 = 5 * 60 * 1000;

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session and returns the token for the cookie.
pub async fn create(db: &Db, user_id: UserId) -> Result<String, AppError> {
    let token = random_token();
    let now = now_ms();
    sqlx::query("INSERT INTO sessions (user_id, token_hash, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
        .bind(user_id)
        .bind(hash_token(&token))
        .bind(now)
        .execute(db)
        .await?;
    mark_active(db, user_id, now).await?;
    Ok(token)
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: i64,
    session_created_at: i64,
    session_last_seen_at: i64,
    #[sqlx(flatten)]
    user: UserRow,
}

/// The user behind a token, if the session is live and the account enabled. An expired session
/// is deleted on sight. One query for both: it runs on every signed-in request.
pub async fn resolve(db: &Db, token: &str) -> Result<Option<UserRow>, AppError> {
    resolve_on(&mut *db.acquire().await?, token).await
}

/// `resolve` on a connection already held, so a page's reads ahead share one
/// (`RequestCache::read_ahead`): each connection handed back to the pool costs a round trip to
/// its SQLite thread.
pub async fn resolve_on(
    conn: &mut sqlx::AnyConnection,
    token: &str,
) -> Result<Option<UserRow>, AppError> {
    let Some(row) = sqlx::query_as::<_, SessionRow>(&format!(
        "SELECT s.id AS session_id, s.created_at AS session_created_at,
                s.last_seen_at AS session_last_seen_at, {}
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1",
        crate::backend::auth::users::COLUMNS_OF_U
    ))
    .bind(hash_token(token))
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let now = now_ms();
    // The role is read with the session, so a participant made coordinator gets the shorter
    // lifetime from their next request on.
    let (idle, absolute) = lifetime(row.user.role());
    if now - row.session_last_seen_at > idle || now - row.session_created_at > absolute {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(row.session_id)
            .execute(&mut *conn)
            .await?;
        return Ok(None);
    }
    if row.user.is_disabled() {
        return Ok(None);
    }
    if now - row.session_last_seen_at > TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(row.session_id)
            .execute(&mut *conn)
            .await?;
        mark_active(&mut *conn, row.user.id, now).await?;
    }
    Ok(Some(row.user))
}

/// Who a request's session cookie names, while that session lives: the one read of the cookie
/// for the plain routes (`server::request_user`). A page's read ahead holds a connection for it
/// and the matches after (`RequestCache::read_ahead`).
pub async fn current_from_headers(
    db: &Db,
    headers: &http::HeaderMap,
    https: bool,
) -> Result<Option<crate::model::CurrentUser>, AppError> {
    let Some(token) = token_from_headers(headers, https) else {
        return Ok(None);
    };
    Ok(resolve(db, &token).await?.map(|u| u.to_current()))
}

/// When the person last used Tandem; kept on the account because sessions end at sign-out.
async fn mark_active<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: UserId,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET last_active_at = $1 WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn end(db: &Db, token: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(hash_token(token))
        .execute(db)
        .await?;
    Ok(())
}

pub async fn end_all_for_user(db: &Db, user_id: UserId) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// The cookie's name: `__Host-` behind HTTPS, which browsers only accept with Secure, Path=/ and
/// no Domain, so a sibling subdomain cannot plant one.
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-tandem_session"
    } else {
        "tandem_session"
    }
}

/// A `Set-Cookie` value as Tandem's own cookies all are (the session's, the device's, a sign-in
/// waiting for its code): HttpOnly, SameSite=Lax, the whole site, Secure behind HTTPS. An empty
/// `value` with `max_age_seconds` 0 removes it.
pub fn cookie_header(name: &str, value: &str, max_age_seconds: i64, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}")
}

/// The session cookie for someone in `role`: the browser forgets it when the session would end
/// in any case.
pub fn set_cookie(https: bool, token: &str, role: Role) -> String {
    cookie_header(cookie_name(https), token, lifetime(role).1 / 1000, https)
}

pub fn clear_cookie(https: bool) -> String {
    cookie_header(cookie_name(https), "", 0, https)
}

/// The session token a request carries: the one reading of the session cookie that server
/// functions, plain routes, the chat socket and the page cache all use.
pub fn token_from_headers(headers: &http::HeaderMap, https: bool) -> Option<String> {
    cookie_from_headers(headers, cookie_name(https))
}

/// The value of cookie `name` in a request's `Cookie` headers (the session's, the device's).
pub fn cookie_from_headers(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookie_from_header(h, name))
}

/// Finds the session token in one `Cookie` header.
pub fn token_from_cookie_header(header: &str, https: bool) -> Option<String> {
    cookie_from_header(header, cookie_name(https))
}

fn cookie_from_header(header: &str, name: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}
