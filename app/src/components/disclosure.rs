//! A `<details>` around a form that most visits leave closed (ask to end, plan an activity,
//! record progress, return a sheet, log a contact). Its content is rendered on the server too,
//! so the form is there before the WASM arrives and without JavaScript; a form inside that answers
//! a plain post (a refusal to show, a success to confirm) opens it.

use crate::components::form::OpenOnOutcome;
use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;

#[component]
pub fn Disclosure(
    #[prop(into)] summary: String,
    #[prop(optional)] class: &'static str,
    /// Open from the start.
    #[prop(default = false)]
    open: bool,
    children: Children,
) -> impl IntoView {
    let opened = RwSignal::new(open);
    // The content is built before the `<details>` is rendered, so a form inside can open it in
    // time for the server's HTML (and for hydration, which builds it in the same order).
    // The child owner scopes the context to this content and lives as long as the content
    // (OwnedView): signals its components make are not disposed once it is built.
    let content = match Owner::current() {
        Some(owner) => {
            let child = owner.child();
            let content = child.with(|| {
                provide_context(OpenOnOutcome(opened));
                children()
            });
            OwnedView::new_with_owner(content, child).into_any()
        }
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
