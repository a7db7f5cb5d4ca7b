//! The activities catalogue as the public page suggests them, grouped build, practice, discuss.
//! (Coordinators edit it on `pages::coordinator::activities`.)

use crate::api::match_work::list_activities;
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;

fn grouped(list: Vec<Activity>) -> Vec<(&'static str, &'static str, Vec<Activity>)> {
    ActivityKind::ALL
        .iter()
        .map(|&kind| {
            (
                kind.label(),
                kind.blurb(),
                list.iter().filter(|a| a.kind == kind).cloned().collect(),
            )
        })
        .collect()
}

#[component]
pub fn ActivitiesPage() -> impl IntoView {
    view! {
        <Title text="Activities" />
        <article class="page prose">
            <h1>"Activities"</h1>
            <p>
                "Suggested activities give a match something concrete to do between conversations. "
                "Pick the ones that fit your goals; once you are matched you can mark an activity as planned or done "
                "on your match home and tie it to one of your goals."
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the activities…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match list_activities().await {
                        Ok(list) => {
                            view! {
                                <div class="card-grid">
                                    {grouped(list)
                                        .into_iter()
                                        .map(|(title, blurb, items)| {
                                            view! {
                                                <section class="card">
                                                    <h2>{title}</h2>
                                                    <p>{blurb}</p>
                                                    <ul>
                                                        {items
                                                            .into_iter()
                                                            .map(|a| {
                                                                view! {
                                                                    <li>
                                                                        <strong>{a.title}</strong>
                                                                        {(!a.description.is_empty())
                                                                            .then(|| format!(": {}", a.description))}
                                                                    </li>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </ul>
                                                </section>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </article>
    }
}
