//! `/resources`: the library. Search and filters live in the query string (a GET form), so a
//! filtered list can be bookmarked and works before the page's script has loaded. Participants
//! bookmark what they want to keep; coordinators add, edit and remove.

use crate::api::resources::{DeleteResource, SaveResource, SetBookmark, list_resources};
use crate::components::disclosure::Disclosure;
use crate::components::form::{
    Field, FormMessage, Select, ServerForm, TextArea, draft, last_error,
};
use crate::error::AppError;
use crate::model::resources::{NOTE_MAX, ResourceItem, ResourceKind, TITLE_MAX};
use crate::pages::coordinator::FilterSelect;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[derive(Clone, PartialEq)]
struct Query {
    q: String,
    kind: String,
    tag: String,
    mine: bool,
}

#[component]
pub fn ResourcesPage() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        query.with(|m| Query {
            q: m.get("q").unwrap_or_default(),
            kind: m.get("kind").unwrap_or_default(),
            tag: m.get("tag").unwrap_or_default(),
            mine: m.get("mine").is_some_and(|v| v == "1"),
        })
    };
    let a = args();
    view! {
        <Title text="Resources" />
        <section class="page">
            <h1>"Resources"</h1>
            <p class="lead">
                "Articles, books, webinar recordings, toolkits and templates chosen by the coordinators."
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the library…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match list_resources(a.q.clone(), a.kind.clone(), a.tag.clone(), a.mine).await {
                        Ok(None) => view! { <VisitorIntro /> }.into_any(),
                        Ok(Some(l)) => {
                            let tags = l
                                .tags
                                .iter()
                                .map(|t| (t.clone(), t.clone()))
                                .collect::<Vec<_>>();
                            let count = l.items.len();
                            let manage = l.can_manage;
                            view! {
                                <form
                                    method="get"
                                    action="/resources"
                                    class="filter-bar"
                                    role="search"
                                    aria-label="Search the library"
                                >
                                    <div class="field">
                                        <label for="filter-q">"Search"</label>
                                        <input
                                            id="filter-q"
                                            name="q"
                                            type="search"
                                            value=a.q.clone()
                                        />
                                    </div>
                                    <FilterSelect
                                        name="kind"
                                        label="Type"
                                        options=ResourceKind::options()
                                        current=a.kind.clone()
                                        all="All types"
                                    />
                                    <FilterSelect
                                        name="tag"
                                        label="Tag"
                                        options=tags
                                        current=a.tag.clone()
                                        all="All tags"
                                    />
                                    <label class="choice" for="filter-mine">
                                        <input
                                            type="checkbox"
                                            id="filter-mine"
                                            name="mine"
                                            value="1"
                                            checked=a.mine
                                        />
                                        <span>"Only my bookmarks"</span>
                                    </label>
                                    <button type="submit" class="button button-small">
                                        "Show"
                                    </button>
                                </form>
                                <p class="hint" role="status" data-count=count.to_string()>
                                    {if count == 1 {
                                        "1 resource".to_string()
                                    } else {
                                        format!("{count} resources")
                                    }}
                                </p>
                                {manage.then(|| view! { <AddResource /> })}
                                <ul class="card-list resource-list">
                                    {l
                                        .items
                                        .into_iter()
                                        .map(|r| view! { <ResourceCard r manage /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// What a visitor sees: what the program offers, and how to get in.
#[component]
fn VisitorIntro() -> impl IntoView {
    view! {
        <div class="prose">
            <h2>"Mentoring Forum webinars"</h2>
            <p>
                "A live online forum on communication, goal-setting and what other matches have tried. Each webinar is recorded, and the recordings are kept here."
            </p>
            <h2>"Program News"</h2>
            <p>
                "A monthly email with news, upcoming events, a suggested activity, a discussion question and a section on your own match's goals."
            </p>
            <h2>"A library of readings and templates"</h2>
            <p>
                "Articles, books, toolkits and templates on mentoring, leadership and children's library service."
            </p>
            <p>
                <a href="/sign-in">"Sign in"</a>
                " to use the library, or "
                <a href="/apply">"apply to the program"</a>
                "."
            </p>
        </div>
    }
}

fn save_input(f: &crate::components::form::FormFields) -> SaveResource {
    SaveResource {
        id: f.id("id"),
        title: f.get("title"),
        url: f.get("url"),
        kind: f.get("kind"),
        tags: f.get("tags"),
        note: f.get("note"),
    }
}

#[component]
fn ResourceFields(r: Option<ResourceItem>, error: Signal<Option<AppError>>) -> impl IntoView {
    let suffix = r.as_ref().map(|r| r.id);
    let (title, url, kind, tags, note) = match r {
        Some(r) => (
            r.title,
            r.url,
            r.kind.as_str().to_string(),
            r.tags.join(", "),
            r.note_md,
        ),
        None => Default::default(),
    };
    let title_field = match suffix {
        Some(n) => view! {
            <Field
                name="title"
                label="Title"
                required=true
                maxlength=TITLE_MAX
                value=title
                id_suffix=n
                error
            />
        }.into_any(),
        None => view! { <Field name="title" label="Title" required=true maxlength=TITLE_MAX value=title error /> }.into_any(),
    };
    let rest = match suffix {
        Some(n) => view! {
            <Field name="url" label="Link" kind="url" required=true value=url id_suffix=n error />
            <Select
                name="kind"
                label="Type"
                options=ResourceKind::options()
                selected=kind
                id_suffix=n
                placeholder="Choose a type"
                error
            />
            <Field
                name="tags"
                label="Tags"
                value=tags
                hint="Separated by commas, like: reading, leadership"
                id_suffix=n
                error
            />
            <TextArea
                name="note"
                label="Note"
                maxlength=NOTE_MAX
                rows=3
                value=note
                hint="Markdown."
                id_suffix=n
                error
            />
        }
        .into_any(),
        None => view! {
            <Field name="url" label="Link" kind="url" required=true value=url error />
            <Select
                name="kind"
                label="Type"
                options=ResourceKind::options()
                selected=kind
                placeholder="Choose a type"
                error
            />
            <Field
                name="tags"
                label="Tags"
                value=tags
                hint="Separated by commas, like: reading, leadership"
                error
            />
            <TextArea
                name="note"
                label="Note"
                maxlength=NOTE_MAX
                rows=3
                value=note
                hint="Markdown."
                error
            />
        }
        .into_any(),
    };
    view! {
        {title_field}
        {rest}
    }
}

#[component]
fn AddResource() -> impl IntoView {
    let save = crate::components::form::action::<SaveResource>();
    let error = last_error(save.value());
    view! {
        <Disclosure class="card" summary="Add a resource">
            <ServerForm
                action=save
                draft=draft::Draft::keep("new-resource")
                to_input=save_input
                class="stack-form"
            >
                <input type="hidden" name="id" value="0" />
                <ResourceFields r=None error />
                <FormMessage error />
                <button type="submit" class="button">
                    "Add to the library"
                </button>
            </ServerForm>
        </Disclosure>
    }
}

#[component]
fn ResourceCard(r: ResourceItem, manage: bool) -> impl IntoView {
    let bookmark = crate::components::form::action::<SetBookmark>();
    let bookmark_error = last_error(bookmark.value());
    let id = r.id;
    let on = r.bookmarked;
    let tags = r.tags.clone();
    let event = r.event_id.map(|e| {
        view! {
            " · "
            <a href=format!("/forum/{e}")>"From the forum"</a>
        }
    });
    let admin = manage.then(|| {
        let save = crate::components::form::action::<SaveResource>();
        let delete = crate::components::form::action::<DeleteResource>();
        let error = last_error(save.value());
        let delete_error = last_error(delete.value());
        let item = r.clone();
        view! {
            <Disclosure summary="Edit">
                <ServerForm action=save to_input=save_input instance=id class="stack-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <ResourceFields r=Some(item.clone()) error />
                    <FormMessage error />
                    <button type="submit" class="button button-small">
                        "Save"
                    </button>
                </ServerForm>
                <ServerForm
                    action=delete
                    to_input=|f| DeleteResource { id: f.id("id") }
                    instance=id
                    class="inline-form"
                >
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="button button-small button-danger">
                        "Remove from the library"
                    </button>
                </ServerForm>
                <FormMessage error=delete_error />
            </Disclosure>
        }
    });
    view! {
        <li class="card resource" data-resource=id.to_string()>
            <h2 class="resource-title">
                <a href=r.url.clone() rel="external noopener" target="_blank">
                    {r.title.clone()}
                </a>
            </h2>
            <p class="hint">
                {r.kind.label()} {(!tags.is_empty()).then(|| format!(" · {}", tags.join(", ")))}
                {event}
            </p>
            <div class="prose" inner_html=r.note_html.clone()></div>
            <ServerForm
                action=bookmark
                to_input=|f| SetBookmark {
                    resource_id: f.id("resource_id"),
                    on: f.get("on") == "1",
                }
                instance=id
                class="inline-form"
            >
                <input type="hidden" name="resource_id" value=id.to_string() />
                <input type="hidden" name="on" value=if on { "0" } else { "1" } />
                <button
                    type="submit"
                    class="button button-small button-quiet"
                    aria-pressed=if on { "true" } else { "false" }
                >
                    {if on { "Bookmarked" } else { "Bookmark" }}
                </button>
            </ServerForm>
            <FormMessage error=bookmark_error />
            {admin}
        </li>
    }
}
