//! A ten-second cache of the public pages for visitors who are not signed in. Those pages are the
//! same for every visitor, and they are the ones a crowd hits (the program announced, applications
//! opening), so rendering them once per ten seconds instead of once per request keeps a 2-core
//! office machine responsive. Anything personal bypasses it: a request carrying the session
//! cookie, a query string, a method other than GET, or a response that sets a cookie.

use app::backend::sessions::cookie_name;
use app::backend::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
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
    body: Bytes,
}

#[derive(Clone, Default)]
pub struct PageCache {
    entries: Arc<RwLock<HashMap<&'static str, Arc<Entry>>>>,
}

fn cacheable_path(req: &Request, https: bool) -> Option<&'static str> {
    if req.method() != Method::GET || req.uri().query().is_some() {
        return None;
    }
    let path = PUBLIC_PAGES.iter().find(|p| **p == req.uri().path())?;
    let name = cookie_name(https);
    let signed_in = req
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|h| {
            h.split(';')
                .any(|c| c.trim().starts_with(&format!("{name}=")))
        });
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
    if let Some(entry) = hit {
        return respond(&entry, "hit");
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
        body,
    });
    if let Ok(mut m) = cache.entries.write() {
        m.insert(path, entry.clone());
    }
    respond(&entry, "miss")
}

fn respond(entry: &Entry, how: &'static str) -> Response {
    let mut response = Response::new(Body::from(entry.body.clone()));
    *response.status_mut() = entry.status;
    *response.headers_mut() = entry.headers.clone();
    response
        .headers_mut()
        .insert("x-tandem-cache", HeaderValue::from_static(how));
    response
}
