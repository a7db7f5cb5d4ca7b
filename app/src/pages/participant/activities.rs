//! The activities catalogue: the public page that suggests them (grouped build, practice,
//! discuss) and the coordinators' page to add and edit them.

use crate::api::match_work::{SaveActivity, edit_catalogue, list_activities};
use crate::components::data::load;
use crate::components::disclosure::Disclosure;
use crate::components::form::{Field, FormMessage, Select, ServerForm, TextArea, last_error};
use crate::model::*;
use crate::pages::coordinator::load_error;
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
    let list = load(|| (), |_| list_activities());
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
                {move || Suspend::new(async move {
                    match list.await {
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

/// `/coordinator/activities`: add an activity, or change one in place.
#[component]
pub fn CatalogueEditor() -> impl IntoView {
    let list = load(|| (), |_| edit_catalogue());
    view! {
        <Title text="Activity catalogue" />
        <section class="page">
            <h1>"Activity catalogue"</h1>
            <p class="lead">
                "What matches see as suggested activities, grouped as build, practice and discuss."
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the catalogue…"</p> }
            }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => {
                            view! {
                                <section class="card" aria-labelledby="add-h">
                                    <h2 id="add-h">"Add an activity"</h2>
                                    <ActivityForm
                                        id=0
                                        kind="build".into()
                                        title=String::new()
                                        description=String::new()
                                    />
                                </section>
                                <h2>"The catalogue"</h2>
                                <ul class="plain-list catalogue">
                                    {list
                                        .into_iter()
                                        .map(|a| {
                                            let id = a.id;
                                            view! {
                                                <li class="card">
                                                    <p class="eyebrow">{a.kind.label()}</p>
                                                    <h3>{a.title.clone()}</h3>
                                                    <p>{a.description.clone()}</p>
                                                    <Disclosure summary=format!("Edit “{}”", a.title)>
                                                        <ActivityForm
                                                            id
                                                            kind=a.kind.as_str().to_string()
                                                            title=a.title.clone()
                                                            description=a.description.clone()
                                                        />
                                                    </Disclosure>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One activity's form (id 0 adds one). Each has its own action and instance, so a refused post
/// shows its error and what was typed in that form only.
#[component]
fn ActivityForm(id: i64, kind: String, title: String, description: String) -> impl IntoView {
    let save = ServerAction::<SaveActivity>::new();
    let error = last_error(save.value());
    view! {
        <ServerForm
            action=save
            to_input=|f| SaveActivity {
                id: f.id("id"),
                kind: f.get("kind"),
                title: f.get("title"),
                description: f.get("description"),
            }
            instance=id
            class="stack-form"
        >
            <input type="hidden" name="id" value=id.to_string() />
            <Select
                name="kind"
                label="Kind"
                options=ActivityKind::options()
                selected=kind
                id_suffix=id
                error
            />
            <Field
                name="title"
                label="Title"
                value=title
                required=true
                maxlength=ACTIVITY_TITLE_MAX
                id_suffix=id
                error
            />
            <TextArea
                name="description"
                label="What the match does"
                value=description
                maxlength=ACTIVITY_TEXT_MAX
                rows=3
                id_suffix=id
                error
            />
            <FormMessage error />
            <button type="submit" class="button">
                {if id == 0 { "Add the activity" } else { "Save changes" }}
            </button>
        </ServerForm>
    }
}
