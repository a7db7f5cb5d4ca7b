//! Makes the HTML Leptos writes valid without changing the page a browser builds from it.
//!
//! - leptos_axum streams its resource scripts (`__RESOLVED_RESOURCES…`) after the shell's
//!   `</html>`. The HTML parser treats a start tag there as an error and puts the element at the
//!   end of `<body>` anyway, so writing the scripts just before `</body>` gives the same document,
//!   minus the error. Hydration walks `<body>`'s own children from the start, and the scripts are
//!   its last children either way.
//! - Leptos 0.8 writes the CSP nonce as the value of `crossorigin` on its preload links
//!   (`leptos::hydration`, `leptos_integration_utils`). A browser reads any unknown value as
//!   `anonymous`; writing `anonymous` says the same in a value the standard allows.
//!
//! Only whole HTML pages are touched, and only what is described here: every page is rendered
//! whole before it is sent (`SsrMode::Async`), so holding its body back costs no time.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use leptos::nonce::Nonce;
use memchr::memmem;

const MAX_BODY: usize = 4 * 1024 * 1024;

pub async fn tidy(req: Request, next: Next) -> Response {
    let nonce = req.extensions().get::<Nonce>().cloned();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // A precompressed file (the offline page) is not Leptos's output, and its bytes not text.
    let encoded = response.headers().contains_key(CONTENT_ENCODING);
    if !is_html || encoded {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, path, "document_end: could not read a page");
            return Response::builder()
                .status(http::StatusCode::INTERNAL_SERVER_ERROR)
                .body(Body::from(
                    "Something went wrong on our side. Please try again in a moment.",
                ))
                .unwrap_or_default();
        }
    };
    let tidied = tidy_html(&body, nonce.as_deref());
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(tidied))
}

/// The page with what follows `</html>` (but its comments) moved before `</body>`, and the nonce
/// as a `crossorigin` value written `anonymous`.
fn tidy_html(html: &[u8], nonce: Option<&str>) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len());
    match (
        memmem::rfind(html, b"</body>"),
        memmem::rfind(html, b"</html>"),
    ) {
        (Some(body_end), Some(html_end)) if body_end < html_end => {
            let after = &html[html_end + b"</html>".len()..];
            // The hydration markers Leptos writes after the shell are comments, which may stand
            // after </html>; only elements need to move.
            let mut comments = 0;
            while after[comments..].starts_with(b"<!")
                && let Some(close) = memchr::memchr(b'>', &after[comments..])
            {
                comments += close + 1;
            }
            let (kept, moved) = after.split_at(comments);
            out.extend_from_slice(&html[..body_end]);
            out.extend_from_slice(moved);
            out.extend_from_slice(&html[body_end..html_end + b"</html>".len()]);
            out.extend_from_slice(kept);
        }
        _ => out.extend_from_slice(html),
    }
    match nonce.filter(|n| !n.is_empty()) {
        Some(nonce) => {
            let wrong = format!(" crossorigin=\"{nonce}\"");
            replace_all(&out, wrong.as_bytes(), b" crossorigin=\"anonymous\"")
        }
        None => out,
    }
}

fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut start = 0;
    for at in memmem::find_iter(haystack, from) {
        out.extend_from_slice(&haystack[start..at]);
        out.extend_from_slice(to);
        start = at + from.len();
    }
    out.extend_from_slice(&haystack[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_after_the_document_move_into_the_body() {
        let page = b"<html><head><link rel=\"preload\" crossorigin=\"N0nce\"></head><body><p>Hi</p><!></body><!></html><!><script nonce=\"N0nce\">a()</script><script>b()</script>";
        let tidied = String::from_utf8(tidy_html(page, Some("N0nce"))).unwrap();
        assert_eq!(
            tidied,
            "<html><head><link rel=\"preload\" crossorigin=\"anonymous\"></head><body><p>Hi</p><!><script nonce=\"N0nce\">a()</script><script>b()</script></body><!></html><!>"
        );
    }

    #[test]
    fn a_page_that_ends_properly_is_left_as_it_is() {
        let page = b"<html><body><p>crossorigin=\"x\"</p></body></html>";
        assert_eq!(tidy_html(page, Some("x")), page.to_vec());
        assert_eq!(tidy_html(b"not a page", None), b"not a page".to_vec());
    }
}
