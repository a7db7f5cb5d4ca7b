//! `/unsubscribe/:kind/:token`: the page an unsubscribe link opens in a browser. It changes
//! nothing until the person presses the button (link checkers and previews follow links); mail
//! readers' one-click unsubscribe POSTs to the same address instead (server `unsubscribe.rs`).

use crate::api::news::{Unsubscribe, load_unsubscribe_info};
use crate::components::form::{FormMessage, ServerForm, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let params = use_params_map();
    let args = move || {
        params.with(|p| {
            (
                p.get("kind").unwrap_or_default(),
                p.get("token").unwrap_or_default(),
            )
        })
    };
    let action = crate::components::form::action::<Unsubscribe>();
    let error = last_error(action.value());
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Unsubscribe" />
        <section class="page narrow">
            <h1>"Unsubscribe"</h1>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    let (kind, token) = args();
                    match load_unsubscribe_info(kind.clone(), token.clone()).await {
                        Ok(i) if i.already_off => {
                            view! {
                                <p class="notice" role="status">
                                    {format!("{} already has {} turned off.", i.email, i.what)}
                                </p>
                            }
                                .into_any()
                        }
                        Ok(i) => {
                            let question = format!("Stop {} to {}?", i.what, i.email);
                            view! {
                                {move || {
                                    done()
                                        .then(|| {
                                            view! {
                                                <p class="notice notice-ok" role="status">
                                                    "Done. You will not get these emails any more. You can turn them back on in your profile."
                                                </p>
                                            }
                                        })
                                }}
                                <div hidden=done>
                                    <p>{question}</p>
                                    <ServerForm
                                        action
                                        to_input=|f| Unsubscribe {
                                            kind: f.get("kind"),
                                            token: f.get("token"),
                                        }
                                        class="stack-form"
                                    >
                                        <input type="hidden" name="kind" value=kind />
                                        <input type="hidden" name="token" value=token />
                                        <FormMessage error />
                                        <button type="submit" class="button">
                                            "Unsubscribe"
                                        </button>
                                    </ServerForm>
                                    <p class="hint">
                                        "Emails about your account and your match still come."
                                    </p>
                                </div>
                            }
                                .into_any()
                        }
                        Err(_) => {
                            view! {
                                <p class="notice notice-error">
                                    "This unsubscribe link is not valid. You can change which emails you get in your profile."
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
