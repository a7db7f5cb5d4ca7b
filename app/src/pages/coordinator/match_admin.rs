//! A coordinator's part of a match's page: private notes, an email to both partners, and ending
//! the match. Shown only to coordinators (and every function behind it asks the policy again).

use crate::api::match_admin::{AddMatchNote, EmailPartners, match_notes};
use crate::api::matching::EndMatch;
use crate::components::form::{Field, FormMessage, ServerForm, TextArea, draft, last_error};
use crate::model::match_admin::{NOTE_MAX, SUBJECT_MAX};
use leptos::prelude::*;

#[component]
pub fn CoordinatorPanel(match_id: i64, active: bool, end: ServerAction<EndMatch>) -> impl IntoView {
    let add = crate::components::form::action::<AddMatchNote>();
    let email = crate::components::form::action::<EmailPartners>();
    let note_error = last_error(add.value());
    let email_error = last_error(email.value());
    let end_error = last_error(end.value());
    let note_form = format!("match-note-{match_id}");
    let email_form = format!("match-email-{match_id}");
    let sent = move || {
        email.value().get().and_then(|r| r.ok()).map(|n| {
            view! {
                <p class="notice notice-ok" role="status">
                    {format!("Sent to {n} people. It is in the outbox now.")}
                </p>
            }
        })
    };
    view! {
        <section class="card coordinator-notes" aria-labelledby="notes-h">
            <h2 id="notes-h">"Coordinator notes"</h2>
            <p class="hint">"Only coordinators read these. The partners never see them."</p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading notes…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match match_notes(match_id).await {
                        Ok(list) if list.is_empty() => {
                            view! { <p data-notes="0">"No notes yet."</p> }.into_any()
                        }
                        Ok(list) => {
                            let count = list.len().to_string();
                            view! {
                                <ol class="plain-list notes" data-notes=count>
                                    {list
                                        .into_iter()
                                        .map(|n| {
                                            view! {
                                                <li>
                                                    <p class="note-body">{n.body}</p>
                                                    <p class="hint">
                                                        {format!("{}, {}", n.author_name, n.written_on)}
                                                    </p>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
            <ServerForm
                action=add
                draft=draft::Draft::keep(note_form)
                to_input=|f| AddMatchNote {
                    match_id: f.id("match_id"),
                    body: f.get("note"),
                }
                class="stack-form"
            >
                <input type="hidden" name="match_id" value=match_id.to_string() />
                <TextArea
                    name="note"
                    label="Add a note"
                    maxlength=NOTE_MAX
                    rows=3
                    error=note_error
                />
                <FormMessage error=note_error />
                <button type="submit" class="button button-small">
                    "Save the note"
                </button>
            </ServerForm>
        </section>
        <section class="card" aria-labelledby="email-h">
            <h2 id="email-h">"Email both partners"</h2>
            <p class="hint">"Each partner gets their own copy, from the program's address."</p>
            <ServerForm
                action=email
                draft=draft::Draft::keep(email_form)
                to_input=|f| EmailPartners {
                    match_id: f.id("match_id"),
                    subject: f.get("subject"),
                    body: f.get("message"),
                }
                class="stack-form"
            >
                <input type="hidden" name="match_id" value=match_id.to_string() />
                <Field
                    name="subject"
                    label="Subject"
                    required=true
                    maxlength=SUBJECT_MAX
                    error=email_error
                />
                <TextArea
                    name="message"
                    label="Message"
                    required=true
                    maxlength=NOTE_MAX
                    rows=5
                    error=email_error
                />
                <FormMessage error=email_error />
                {sent}
                <button type="submit" class="button button-small">
                    "Send to both"
                </button>
            </ServerForm>
        </section>
        {active
            .then(|| {
                view! {
                    <section class="card" aria-labelledby="end-h">
                        <h2 id="end-h">"End this match"</h2>
                        <p class="hint">
                            "Both partners are emailed the reason, and the mentee can be matched again."
                        </p>
                        <ServerForm
                            action=end
                            to_input=|f| EndMatch {
                                match_id: f.id("match_id"),
                                reason: f.get("reason"),
                            }
                            class="stack-form"
                        >
                            <input type="hidden" name="match_id" value=match_id.to_string() />
                            <TextArea
                                name="reason"
                                label="Reason"
                                required=true
                                maxlength=crate::model::REASON_MAX
                                rows=2
                                error=end_error
                            />
                            <FormMessage error=end_error />
                            <button type="submit" class="button button-small button-danger">
                                "End the match"
                            </button>
                        </ServerForm>
                    </section>
                }
            })}
    }
}
