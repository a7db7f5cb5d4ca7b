//! Loading a page's data: every resource decodes its server-rendered value with the same
//! `serde_json` entry point the server functions use.
//!
//! Leptos's default resource codec reads with `serde_json::from_str`, server functions with
//! `serde_json::from_slice`; `serde_json`'s deserializer is generic over its reader, so in the
//! browser the parser and every type's `Deserialize` were compiled twice, once per reader. This
//! codec reads resources with `from_slice` too (a `&str` is valid UTF-8 bytes, so nothing
//! changes but the size). Browser code that parses JSON itself uses `from_json` for the same
//! reason.

use codee::{Decoder, Encoder};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON like Leptos's `JsonSerdeCodec`, decoded through `serde_json::from_slice`.
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, Self::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, Self::Error> {
        from_json(val)
    }
}

/// A page's data, rendered on the server and picked up by the browser without a second request.
pub type Data<T> = Resource<T, Json>;

/// `Resource::new` with the project's codec: refetches whenever `source` changes.
#[track_caller]
pub fn load<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Data<T>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// `serde_json::from_slice` for text: the one JSON entry point in the browser.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_slice(text.as_bytes())
}

/// A server-only part of a page whose data is in hand, written out in one synchronous pass.
///
/// A page rendered whole (`SsrMode::Async`) writes every element through tachys's async path, a
/// boxed future per type-erased view, polled through its Suspense boundary. Once a page's one
/// await is over, nothing below it waits, so its HTML can be written at once and placed as it is
/// (the goal sheet: 15% fewer instructions, bench/README.md, sixth part). The HTML is the same; only parts with no `Suspense` inside may go through here (a
/// pending one would be written as its fallback). In the browser, where these pages never
/// render, the view is passed through.
pub fn written(view: impl IntoView + 'static) -> AnyView {
    #[cfg(feature = "ssr")]
    {
        leptos::tachys::html::InertElement::new(view.into_view().to_html()).into_any()
    }
    #[cfg(not(feature = "ssr"))]
    {
        view.into_any()
    }
}

/// `written`, kept for the person who asked (`backend::infra::written`): when the same person
/// asks for the same page again with data equal to `data`, in the same minute and answering no
/// form post, the HTML written last time is sent without building the view. `part` names the
/// page's part; `render` builds it from `data`.
pub fn written_for<D, V>(part: &'static str, data: D, render: impl FnOnce(D) -> V) -> AnyView
where
    D: PartialEq + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    #[cfg(feature = "ssr")]
    {
        use crate::backend::{context, infra::db::now_ms, infra::written::Key};
        use leptos::tachys::html::InertElement;
        // Kept only for a signed-in person's page that answers no post.
        let keep = || {
            if crate::components::form_post::posted().is_some() {
                return None;
            }
            let key = Key {
                person: context::reader_read_ahead()?,
                part,
                address: context::address()?,
                minute: now_ms().div_euclid(60_000),
            };
            Some((context::state().ok()?, key))
        };
        let Some((state, key)) = keep() else {
            return written(render(data));
        };
        if let Some(html) = state.written.get(&key, &data) {
            return InertElement::new(html.to_string()).into_any();
        }
        let html = render(data.clone()).into_view().to_html();
        // Kept only when the render fell in the key's minute, as its clocks did.
        if now_ms().div_euclid(60_000) == key.minute {
            state.written.put(key, data, html.as_str().into());
        }
        InertElement::new(html).into_any()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = part;
        render(data).into_any()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_written_part_is_the_html_the_page_would_have_written() {
        let part = || {
            view! {
                <section class="card" aria-labelledby="h">
                    <h2 id="h">"Tom & Jerry"</h2>
                    <p title="a \"quote\"">{"<script>alert(1)</script>"}</p>
                    {Some(view! { <input type="hidden" name="k" value="v" /> })}
                </section>
            }
        };
        let direct = view! { <main>"Before"{part()}</main> }.to_html();
        let written = view! { <main>"Before"{written(part())}</main> }.to_html();
        assert_eq!(written, direct);
        assert!(
            written.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{written}"
        );
    }
}
