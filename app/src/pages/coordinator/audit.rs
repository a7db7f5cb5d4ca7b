//! `/coordinator/audit`: who did what, and when — matches made and ended, goal sheets
//! acknowledged, applications decided, cohorts changed, emails sent to a match. Newest first,
//! filtered by kind of action, older pages by link (keyset on the entry id).

use super::{FilterSelect, load_error};
use crate::api::audit::audit_log;
use crate::model::audit::AuditPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

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
    let (action, before) = args();
    view! {
        <Title text="Audit log" />
        <section class="page">
            <h1>"Audit log"</h1>
            <p class="lead">
                "Who matched, ended, acknowledged and changed what in the program, and when (UTC)."
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the log…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match audit_log(action.clone(), before).await {
                        Ok(p) => {
                            let older = p
                                .older
                                .map(|id| {
                                    let mut q = query.get_untracked();
                                    q.remove("before");
                                    q.insert("before", id.to_string());
                                    format!("/coordinator/audit{}", q.to_query_string())
                                });
                            // The next page keeps the filter.
                            view! { <AuditList p action older /> }
                                .into_any()
                        }
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AuditList(p: AuditPage, action: String, older: Option<String>) -> impl IntoView {
    let options = p
        .actions
        .iter()
        .map(|a| (a.as_str().to_string(), a.label().to_string()))
        .collect::<Vec<_>>();
    let older = older.map(|href| {
        view! {
            <p>
                <A href=href>"Older entries"</A>
            </p>
        }
    });
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
                        {p
                            .entries
                            .into_iter()
                            .map(|e| {
                                let on = if e.subject_href.is_empty() {
                                    view! { <span>{e.subject.clone()}</span> }.into_any()
                                } else {
                                    view! { <A href=e.subject_href.clone()>{e.subject.clone()}</A> }
                                        .into_any()
                                };
                                view! {
                                    <tr data-action=e.action.as_str()>
                                        <td>{e.at}</td>
                                        <td>
                                            {if e.actor_name.is_empty() {
                                                "Tandem".to_string()
                                            } else {
                                                e.actor_name
                                            }}
                                        </td>
                                        <td>{e.action.label()}</td>
                                        <td>{on}</td>
                                        <td class="audit-detail">{e.detail}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <form method="get" class="filter-bar" role="search" aria-label="Filter the audit log">
            <FilterSelect
                name="action"
                label="What was done"
                options
                current=action
                all="Everything"
            />
            <button type="submit" class="button button-secondary">
                "Show"
            </button>
        </form>
        {table}
        {older}
    }
}
