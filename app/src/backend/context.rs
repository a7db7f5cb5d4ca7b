//! What a server function knows about its request: the shared state, the signed-in user (from
//! the session cookie), the permits it asks the policy for, the caller's address, and the
//! cookies of its answer (a session started or ended). The top layer of the backend: it reads the
//! request, which no feature folder does.

use crate::backend::auth::{pending_sign_ins, policy, sessions};
use crate::backend::infra::db::Db;
use crate::backend::match_work::facts::{self, ActiveMatch};
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::MatchId;
use crate::model::{CurrentUser, Role, UserId};
use http::header::SET_COOKIE;
use http::request::Parts;
use leptos::prelude::{use_context, with_context};
use std::sync::Arc;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// Reads the request's head in place: `use_context` would clone it (its headers and every
/// extension) each time, and a page asks several times.
fn with_parts<T>(read: impl FnOnce(&Parts) -> Option<T>) -> Option<T> {
    with_context::<Parts, _>(read).flatten()
}

/// The raw session token from the request's cookie, if any.
pub fn session_token(state: &AppState) -> Option<String> {
    with_parts(|p| sessions::token_from_headers(&p.headers, state.config.is_https()))
}

/// The device cookie's token (`auth::devices`), if the browser sent one.
pub fn device_token(state: &AppState) -> Option<String> {
    with_parts(|p| {
        crate::backend::auth::devices::token_from_headers(&p.headers, state.config.is_https())
    })
}

/// The value of the request's cookie `name`, if it sent one.
pub fn cookie(name: &str) -> Option<String> {
    with_parts(|p| sessions::cookie_from_headers(&p.headers, name))
}

/// What several parts of one page ask of the database, read once per request: who is signed in
/// (the header and the content both ask), and a participant's active matches (the header's chat
/// badge, the home, the permit of a match page). The router provides one per request: read ahead
/// for a page (`read_ahead`), empty for a server function or a form post, which read on first use.
#[derive(Clone, Default)]
pub struct RequestCache {
    user: Arc<tokio::sync::OnceCell<Option<CurrentUser>>>,
    active_matches: Arc<tokio::sync::OnceCell<(UserId, Arc<Vec<ActiveMatch>>)>>,
}

impl RequestCache {
    /// Reads both before a page renders (`server::request_user::read_ahead`): a page's parts
    /// then find them ready, and no Suspense boundary starts a read that another one waits on
    /// (one left unpolled while the other waited hung the page).
    pub async fn read_ahead(state: &AppState, headers: &http::HeaderMap) -> Result<Self, AppError> {
        let cache = RequestCache::default();
        let Some(token) = sessions::token_from_headers(headers, state.config.is_https()) else {
            // A visitor: nothing to read, and no connection taken.
            let _ = cache.user.set(None);
            return Ok(cache);
        };
        // One connection for both reads: each connection handed back to the pool is a round
        // trip to its SQLite thread (sqlx pings it), about as dear as a statement.
        let mut conn = state.db.acquire().await?;
        let user = sessions::resolve_on(&mut conn, &token)
            .await?
            .map(|u| u.to_current());
        if let Some(me) = user.as_ref().filter(|u| u.role == Role::Participant) {
            let matches = facts::of_partner(&mut *conn, me.id).await?;
            // A fresh cell: `set` cannot fail.
            let _ = cache.active_matches.set((me.id, Arc::new(matches)));
        }
        let _ = cache.user.set(user);
        Ok(cache)
    }

    /// The cache the request arrived with (read ahead), or an empty one that reads on first use.
    pub fn of_request() -> Self {
        with_parts(|p| p.extensions.get::<RequestCache>().cloned()).unwrap_or_default()
    }
}

/// Who this page is for, when the request's session was read ahead (`RequestCache::read_ahead`):
/// a page's synchronous parts ask without waiting. `None` for a visitor, and where nothing was
/// read ahead (a server function, a form post).
pub fn reader_read_ahead() -> Option<UserId> {
    let cache = use_context::<RequestCache>()?;
    cache.user.get()?.as_ref().map(|u| u.id)
}

/// The request's path and query, as the browser asked for them.
pub fn address() -> Option<String> {
    with_parts(|p| p.uri.path_and_query().map(|a| a.as_str().to_string()))
}

pub async fn current_user(state: &AppState) -> Result<Option<CurrentUser>, AppError> {
    let lookup = || async {
        let Some(token) = session_token(state) else {
            return Ok(None);
        };
        Ok(sessions::resolve(&state.db, &token)
            .await?
            .map(|u| u.to_current()))
    };
    match use_context::<RequestCache>() {
        Some(cache) => cache.user.get_or_try_init(lookup).await.cloned(),
        None => lookup().await,
    }
}

/// The active matches `user_id` is a partner in, with their unread counts (`facts::of_partner`),
/// read once per request.
pub async fn active_matches(db: &Db, user_id: UserId) -> Result<Arc<Vec<ActiveMatch>>, AppError> {
    let read =
        || async { Ok::<_, AppError>((user_id, Arc::new(facts::of_partner(db, user_id).await?))) };
    match use_context::<RequestCache>() {
        Some(cache) => {
            let (whose, matches) = cache.active_matches.get_or_try_init(read).await?;
            // One person per request; a request that signs someone in asks for nobody else's.
            if *whose == user_id {
                Ok(matches.clone())
            } else {
                Ok(read().await?.1)
            }
        }
        None => Ok(read().await?.1),
    }
}

/// The client's address, as the server's `client_address` layer worked it out (the peer, or
/// what a trusted proxy forwarded).
pub fn client_ip() -> String {
    with_parts(|p| {
        p.extensions
            .get::<crate::backend::infra::client_address::ClientAddress>()
            .map(|c| c.0.to_string())
    })
    .unwrap_or_else(|| "unknown".into())
}

pub fn set_cookie(value: String) {
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        match http::HeaderValue::from_str(&value) {
            Ok(v) => resp.append_header(SET_COOKIE, v),
            Err(e) => tracing::error!(error = %e, "cookie value is not a valid header"),
        }
    }
}

/// Runs a server function's body and, when it fails, gives the response the error's HTTP status
/// (server_fn would answer 500 for every error otherwise).
pub async fn respond<T>(
    body: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = body.await;
    if let (Err(err), Some(resp)) = (&result, use_context::<leptos_axum::ResponseOptions>()) {
        resp.set_status(err.status());
        if let Some(seconds) = err.retry_after() {
            resp.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
        }
    }
    result
}

/// The shared state and a permit from `grant` (`policy::signed_in`, `policy::coordinator`,
/// `policy::participant`) for whoever sent this request: the first line of most server functions.
pub async fn permit<P>(
    grant: fn(Option<CurrentUser>) -> Result<P, AppError>,
) -> Result<(AppState, P), AppError> {
    let state = state()?;
    let actor = current_user(&state).await?;
    Ok((state, grant(actor)?))
}

/// The shared state and a permit for access `A` to one match: the first line of every
/// match-scoped server function. The wire carries the match's bare number; this is where it
/// becomes a `MatchId`, and past here the permit's `match_id()` is the one to use.
pub async fn on_match<A: policy::Access>(
    match_id: i64,
) -> Result<(AppState, policy::OnMatch<A>), AppError> {
    let state = state()?;
    let actor = current_user(&state).await?;
    let permit = match_permit(&state.db, actor, MatchId(match_id)).await?;
    Ok((state, permit))
}

/// A permit for access `A` to the match `match_id`, for whoever `actor` is: the one way into a
/// match for the server functions (`on_match`) and the chat socket alike.
pub async fn match_permit<A: policy::Access>(
    db: &Db,
    actor: Option<CurrentUser>,
    match_id: MatchId,
) -> Result<policy::OnMatch<A>, AppError> {
    // A visitor is told to sign in before learning whether the match exists.
    let me = actor.ok_or(AppError::Unauthenticated)?;
    // A participant's page reads their active matches anyway (the header's badge), so a page of
    // one of them takes the facts from there. Only within a request: the live connection's
    // permits read the match itself.
    let known = if me.role == Role::Participant && use_context::<RequestCache>().is_some() {
        active_matches(db, me.id)
            .await?
            .iter()
            .find(|a| a.facts.match_id == match_id)
            .map(|a| a.facts.clone())
    } else {
        None
    };
    let f = match known {
        Some(f) => f,
        None => facts::of_match(db, match_id).await?,
    };
    policy::on_match(Some(me), f)
}

/// Signs this browser in as `user_id`: whoever it was signed in as before is signed out (a fresh
/// token at every sign-in, so a token planted before is never promoted), and the answer carries
/// the new session's cookie. Sign-in, its code step and a confirmed application all start one here.
pub async fn start_session(state: &AppState, user_id: UserId, role: Role) -> Result<(), AppError> {
    if let Some(old) = session_token(state) {
        sessions::end(&state.db, &old).await?;
    }
    let token = sessions::create(&state.db, user_id).await?;
    set_cookie(sessions::set_cookie(state.config.is_https(), &token, role));
    Ok(())
}

/// Signs this browser out: its session ends, and so does a sign-in left waiting for its code (on
/// a shared computer). Signing out twice, or after the session expired, is not an error.
pub async fn end_session(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = session_token(state) {
        sessions::end(&state.db, &token).await?;
    }
    let https = state.config.is_https();
    set_cookie(sessions::clear_cookie(https));
    if let Some(token) = cookie(pending_sign_ins::cookie_name(https)) {
        pending_sign_ins::end(&state.db, &token).await?;
        set_cookie(pending_sign_ins::clear_cookie(https));
    }
    Ok(())
}
