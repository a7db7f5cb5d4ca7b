//! The coordinators' editor of the activities catalogue: add an activity, edit one in place.

use super::load_error;
use crate::api::match_work::{SaveActivity, edit_catalogue};
use crate::components::disclosure::Disclosure;
use crate::components::form::{Field, FormMessage, Select, ServerForm, TextArea, last_error};
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CatalogueEditor() -> impl IntoView {
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
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match edit_catalogue().await {
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
