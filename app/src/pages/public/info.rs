use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="page narrow">
            <h1>"We could not find that page"</h1>
            <p>"The address may be mistyped, or the page may have moved."</p>
            <p>
                <A href="/">"Go to the program's home page"</A>
            </p>
        </section>
    }
}

/// Shown where a page needs someone signed in.
#[component]
pub fn SignInPrompt(#[prop(into)] message: String) -> impl IntoView {
    view! {
        <div class="notice">
            <p>{message}</p>
            <p>
                <A href="/sign-in">"Sign in"</A>
            </p>
        </div>
    }
}
