//! One span per request, so everything logged while answering it says which request it was:
//! a request id (also sent back as `x-request-id`), the method, and the matched route (the route
//! pattern, never the path, which can hold a reset or unsubscribe token). The status and latency
//! are logged when the answer goes, at debug level under the target `tandem::request` (an access
//! log: `RUST_LOG=info,tandem::request=debug`), and at warn for server errors.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tower_http::request_id::{MakeRequestId, RequestId};
use tower_http::trace::TraceLayer;
use tracing::Span;

pub const REQUEST_ID: &str = "x-request-id";

/// Request ids: this process's tag and a counter, unique across instances without a UUID per
/// request. An id a proxy in front already set is kept.
#[derive(Clone)]
pub struct NextRequestId {
    tag: Arc<str>,
    counter: Arc<AtomicU64>,
}

impl Default for NextRequestId {
    fn default() -> NextRequestId {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let tag = format!("{:08x}", nanos ^ std::process::id().rotate_left(16));
        NextRequestId {
            tag: tag.into(),
            counter: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for NextRequestId {
    fn make_request_id<B>(&mut self, _request: &http::Request<B>) -> Option<RequestId> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.tag))
            .ok()
            .map(RequestId::new)
    }
}

/// The span layer: goes inside the request-id layer, which must have run first.
#[expect(
    clippy::type_complexity,
    reason = "tower-http's TraceLayer spells out its classifier and callbacks as type parameters"
)]
pub fn layer() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    fn(&Request) -> Span,
    (),
    fn(&Response, Duration, &Span),
    (),
    (),
    (),
> {
    TraceLayer::new_for_http()
        .make_span_with(make_span as fn(&Request) -> Span)
        .on_request(())
        .on_response(on_response as fn(&Response, Duration, &Span))
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

fn make_span(request: &Request) -> Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        id,
        method = %request.method(),
        route = tracing::field::Empty,
    )
}

fn on_response(response: &Response, latency: Duration, _span: &Span) {
    let status = response.status().as_u16();
    let latency_ms = latency.as_secs_f64() * 1000.0;
    if response.status().is_server_error() {
        tracing::warn!(target: "tandem::request", status, latency_ms, "answered with a server error");
    } else {
        tracing::debug!(target: "tandem::request", status, latency_ms, "answered");
    }
}

/// Records the matched route in the request's span. Added with `Router::layer`, so it runs
/// inside the route axum matched and can read its pattern.
pub async fn record_route(request: Request, next: Next) -> Response {
    if let Some(route) = request.extensions().get::<MatchedPath>() {
        Span::current().record("route", route.as_str());
    }
    next.run(request).await
}
