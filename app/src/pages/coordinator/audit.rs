//! `/coordinator/audit`: who did what, and when — matches made and ended, goal sheets
//! acknowledged, applications decided, cohorts changed, emails sent to a match. Newest first,
//! filtered by kind of action, older pages by link (keyset on the entry id).

use super::{FilterSelect, load_error};
use crate::api::match_admin::audit_log;
use crate::components::data::load;
use crate::model::match_admin::AuditPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// "match.end_early" as a person would say it.
fn action_label(action: &str) -> String {
    match action {
        "match.create" => "Matched".into(),
        "match.end_early" => "Ended a match early".into(),
        "match.complete" => "Completed a cohort's matches".into(),
        "match.keep" => "Kept a match (declined an end request)".into(),
        "match.request_end" => "Asked to end a match".into(),
        "match.email" => "Emailed both partners".into(),
        "goal_sheet.acknowledged" => "Acknowledged a goal sheet".into(),
        "goal_sheet.returned" => "Returned a goal sheet".into(),
        "cohort.create" => "Created a cohort".into(),
        "cohort.state" => "Changed a cohort's state".into(),
        "activity.saved" => "Saved a catalogue activity".into(),
        "user.role" => "Changed a role".into(),
        other => other.replace(['.', '_'], " "),
    }
}

#[component]
pub fn AuditPageView() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        query.with(|q| {
            (
                q.get("action").unwrap_or_default(),
                q.get("before").and_then(|b| b.parse::<i64>().ok()),
            )
        })
    };
    let page = load(args, |(action, before)| audit_log(action, before));
    view! {
        <Title text="Audit log" />
        <section class="page">
            <h1>"Audit log"</h1>
            <p class="lead">"Who matched, ended, acknowledged and changed what in the program, and when (UTC)."</p>
            <Transition fallback=|| view! { <p class="loading">"Loading the log…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => {
                            // The next page keeps the filter.
                            let older = p.older.map(|id| {
                                let mut q = query.get_untracked();
                                q.remove("before");
                                q.insert("before", id.to_string());
                                format!("/coordinator/audit{}", q.to_query_string())
                            });
                            view! { <AuditList p action=args().0 older /> }.into_any()
                        }
                        Err(e) => load_error(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AuditList(p: AuditPage, action: String, older: Option<String>) -> impl IntoView {
    let options = p
        .actions
        .iter()
        .map(|a| (a.clone(), action_label(a)))
        .collect::<Vec<_>>();
    let older = older.map(|href| view! { <p><A href=href>"Older entries"</A></p> });
    let table = if p.entries.is_empty() {
        view! { <p class="notice">"Nothing on record for this filter."</p> }.into_any()
    } else {
        let rows = p.entries.len().to_string();
        view! {
            <div class="table-wrap">
                <table class="audit-table" data-rows=rows>
                    <caption class="visually-hidden">"Audit log entries, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"When"</th>
                            <th scope="col">"Who"</th>
                            <th scope="col">"What"</th>
                            <th scope="col">"On"</th>
                            <th scope="col">"Detail"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {p.entries.into_iter().map(|e| {
                            let on = if e.subject_href.is_empty() {
                                view! { <span>{e.subject.clone()}</span> }.into_any()
                            } else {
                                view! { <A href=e.subject_href.clone()>{e.subject.clone()}</A> }.into_any()
                            };
                            view! {
                                <tr data-action=e.action.clone()>
                                    <td>{e.at}</td>
                                    <td>{if e.actor_name.is_empty() { "Tandem".to_string() } else { e.actor_name }}</td>
                                    <td>{action_label(&e.action)}</td>
                                    <td>{on}</td>
                                    <td class="audit-detail">{e.detail}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <form method="get" class="filter-bar" role="search" aria-label="Filter the audit log">
            <FilterSelect name="action" label="What was done" options current=action all="Everything" />
            <button type="submit" class="button button-secondary">"Show"</button>
        </form>
        {table}
        {older}
    }
}
