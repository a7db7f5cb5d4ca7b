//! A ten-second cache of the public pages for visitors who are not signed in. Those pages are the
//! same for every visitor, and they are the ones a crowd hits (the program announced, applications
//! opening), so rendering them once per ten seconds instead of once per request keeps a 2-core
//! office machine responsive. Anything personal bypasses it: a request carrying the session
//! cookie, a query string, a method other than GET, or a response that sets a cookie.
//!
//! A page carries its response's CSP nonce on its inline scripts, and a nonce must never be
//! reused: the cache keeps the page cut at the nonce it was rendered with, and each hit is sewn
//! together with the nonce `security_headers` made for that request.

use app::backend::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use http::header::SET_COOKIE;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use leptos::nonce::Nonce;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub const TTL: Duration = Duration::from_secs(10);
/// The pages that read the same for every visitor.
pub const PUBLIC_PAGES: &[&str] = &[
    "/",
    "/working-with-a-match",
    "/activities",
    "/goals",
    "/resources",
    "/apply",
    "/sign-in",
    "/forgot-password",
];
const MAX_BODY: usize = 2 * 1024 * 1024;

struct Entry {
    at: Instant,
    status: StatusCode,
    headers: HeaderMap,
    /// The page with its nonce cut out: the pieces between the places it stood.
    pieces: Vec<Bytes>,
}

#[derive(Clone, Default)]
pub struct PageCache {
    entries: Arc<RwLock<HashMap<&'static str, Arc<Entry>>>>,
}

fn cacheable_path(req: &Request, https: bool) -> Option<&'static str> {
    // A page answering a plain form post shows that post's outcome.
    let answers_a_post = req
        .extensions()
        .get::<app::components::form_post::PostedForm>()
        .is_some();
    if req.method() != Method::GET || req.uri().query().is_some() || answers_a_post {
        return None;
    }
    let path = PUBLIC_PAGES.iter().find(|p| **p == req.uri().path())?;
    let signed_in = crate::security_headers::carries_session(req.headers(), https);
    (!signed_in).then_some(*path)
}

pub async fn serve(
    State((state, cache)): State<(AppState, PageCache)>,
    req: Request,
    next: Next,
) -> Response {
    let Some(path) = cacheable_path(&req, state.config.is_https()) else {
        return next.run(req).await;
    };
    let hit = cache
        .entries
        .read()
        .ok()
        .and_then(|m| m.get(path).cloned())
        .filter(|e| e.at.elapsed() < TTL);
    let nonce = req.extensions().get::<Nonce>().cloned();
    if let Some(entry) = hit {
        return respond(&entry, nonce.as_deref(), "hit");
    }
    let response = next.run(req).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(SET_COOKIE) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, path, "could not read a page for the cache");
            return Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .body(Body::from(
                    "Something went wrong on our side. Please try again in a moment.",
                ))
                .unwrap_or_default();
        }
    };
    let entry = Arc::new(Entry {
        at: Instant::now(),
        status: parts.status,
        headers: parts.headers,
        pieces: cut_at(&body, nonce.as_deref()),
    });
    if let Ok(mut m) = cache.entries.write() {
        m.insert(path, entry.clone());
    }
    respond(&entry, nonce.as_deref(), "miss")
}

/// The body split at every place `nonce` stands (the whole body when there is none). A nonce is
/// 22 random characters, so it stands nowhere else.
fn cut_at(body: &Bytes, nonce: Option<&str>) -> Vec<Bytes> {
    let Some(nonce) = nonce.map(str::as_bytes).filter(|n| !n.is_empty()) else {
        return vec![body.clone()];
    };
    let mut pieces = Vec::new();
    let mut start = 0;
    for at in memchr::memmem::find_iter(body, nonce) {
        pieces.push(body.slice(start..at));
        start = at + nonce.len();
    }
    pieces.push(body.slice(start..));
    pieces
}

/// The cached page with this request's nonce sewn in.
fn sew(pieces: &[Bytes], nonce: Option<&str>) -> Bytes {
    match pieces {
        [whole] => whole.clone(),
        _ => {
            let nonce = nonce.unwrap_or("").as_bytes();
            let len = pieces.iter().map(Bytes::len).sum::<usize>()
                + nonce.len() * (pieces.len().saturating_sub(1));
            let mut out = Vec::with_capacity(len);
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(nonce);
                }
                out.extend_from_slice(piece);
            }
            Bytes::from(out)
        }
    }
}

fn respond(entry: &Entry, nonce: Option<&str>, how: &'static str) -> Response {
    let mut response = Response::new(Body::from(sew(&entry.pieces, nonce)));
    *response.status_mut() = entry.status;
    *response.headers_mut() = entry.headers.clone();
    response
        .headers_mut()
        .insert("x-tandem-cache", HeaderValue::from_static(how));
    response
}
