//! The browser's own defences, on every response: a Content-Security-Policy that lets only this
//! origin's code run (Leptos's inline hydration script by a per-response nonce), no sniffing, no
//! framing, a short Referer, HSTS behind https, and `no-store` on anything personal.
//!
//! The nonce is made here, before anything else sees the request, and travels in the request's
//! extensions: the Leptos render puts it on its inline scripts (`provide_nonce_from_request`), the
//! page cache swaps it into a cached page, and this layer writes the same value into the header.

use app::backend::auth::sessions::token_from_headers;
use app::backend::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, SET_COOKIE,
    STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use http::{HeaderMap, HeaderValue};
use leptos::nonce::Nonce;

/// The whole policy for one response. `connect-src` names the socket's origin as well as
/// `'self'`: the chat's websocket is `ws(s)://` on this host.
pub fn policy(nonce: &str, socket_origin: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self' {socket_origin}; \
         manifest-src 'self'; worker-src 'self'; frame-ancestors 'none'; object-src 'none'; \
         base-uri 'none'; form-action 'self'"
    )
}

/// `ws://host` for `http://host`, `wss://host` for https.
fn socket_origin(state: &AppState) -> String {
    let origin = state.config.public_origin();
    match origin.strip_prefix("https://") {
        Some(rest) => format!("wss://{rest}"),
        None => origin.replacen("http://", "ws://", 1),
    }
}

pub async fn apply(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    req.extensions_mut().insert(nonce.clone());
    let https = state.config.is_https();
    let personal = carries_session(req.headers(), https) || req.uri().path().starts_with("/api/");
    let mut response = next.run(req).await;

    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&policy(&nonce, &socket_origin(&state))) {
        headers.insert(CONTENT_SECURITY_POLICY, v);
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    // For browsers that predate frame-ancestors.
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if https {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if (personal || headers.contains_key(SET_COOKIE)) && !is_static_asset(headers) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Whether the request is a signed-in person's (it carries the session cookie); the page cache
/// asks the same question.
pub fn carries_session(headers: &HeaderMap, https: bool) -> bool {
    token_from_headers(headers, https).is_some()
}

/// Icons, the manifest, styles, scripts and WASM are the same for everyone and keep their own
/// caching (the hashed `/pkg` files for a year) even when a signed-in browser fetches them.
fn is_static_asset(headers: &HeaderMap) -> bool {
    let kind = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    kind.starts_with("image/")
        || kind.starts_with("font/")
        || kind.starts_with("text/css")
        || kind.starts_with("text/javascript")
        || kind.starts_with("application/javascript")
        || kind.starts_with("application/wasm")
        || kind.starts_with("application/manifest+json")
}

/// For the Leptos render: the nonce this layer made for the request, in place of the one
/// leptos_axum makes by itself (which nothing would write into the header).
pub fn provide_nonce_from_request() {
    if let Some(nonce) = leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
        parts.extensions.get::<Nonce>().cloned()
    })
    .flatten()
    {
        leptos::prelude::provide_context(nonce);
    }
}
