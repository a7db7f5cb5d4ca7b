//! A `<details>` around a form that most visits leave closed (ask to end, plan an activity,
//! record progress, return a sheet, log a contact). Its content is rendered on the server too,
//! so the form is there before the WASM arrives and without JavaScript; a form inside that answers
//! a plain post (a refusal to show, a success to confirm) opens it.

use crate::components::form::OpenOnOutcome;
use leptos::prelude::*;

#[component]
pub fn Disclosure(
    #[prop(into)] summary: String,
    #[prop(optional)] class: &'static str,
    /// Open from the start.
    #[prop(default = false)]
    open: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let opened = RwSignal::new(open);
    // The content is built before the `<details>` is rendered, so a form inside can open it in
    // time for the server's HTML (and for hydration, which builds it in the same order).
    let content = match Owner::current() {
        Some(owner) => owner.child().with(|| {
            provide_context(OpenOnOutcome(opened));
            children()
        }),
        None => children(),
    };
    let open = opened.get_untracked();
    view! {
        <details class=class open=open>
            <summary>{summary}</summary>
            {content}
        </details>
    }
}
