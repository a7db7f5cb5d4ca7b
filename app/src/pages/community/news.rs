//! Program News: `/news` (the archive), `/news/:id` (an issue as its reader sees it, with the
//! cohort's discussion; for coordinators a preview as any participant, publishing and the
//! sending progress) and `/news/:id/edit` (compose; `new` for a new issue).

use crate::api::news::{
    HideReply, PublishIssue, ReplyToIssue, SaveIssue, load_news_archive, news_draft, news_issue,
};
use crate::components::form::{Field, FormMessage, ServerForm, TextArea, draft, last_error};
use crate::error::AppError;
use crate::model::news::{
    BODY_MAX, IssueDraft, IssueView, NewsState, QUESTION_MAX, REPLY_MAX, SendProgress, TITLE_MAX,
};
use crate::pages::public::info::SignInPrompt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn load_error(e: AppError) -> AnyView {
    match e {
        AppError::Unauthenticated => {
            view! { <SignInPrompt message="Sign in to read Program News." /> }.into_any()
        }
        e => view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any(),
    }
}

#[component]
pub fn NewsArchivePage() -> impl IntoView {
    view! {
        <Title text="Program News" />
        <section class="page">
            <h1>"Program News"</h1>
            <p class="lead">
                "The monthly news: events, a suggested activity, a question to discuss and your own goals."
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the archive…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match load_news_archive().await {
                        Ok(archive) => {
                            let issues = archive.issues;
                            view! {
                                {archive
                                    .can_manage
                                    .then(|| {
                                        view! {
                                            <p>
                                                <A href="/news/new/edit" attr:class="button">
                                                    "Write a new issue"
                                                </A>
                                            </p>
                                        }
                                    })}
                                {if issues.is_empty() {
                                    view! { <p>"No issues yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="card-list news-list">
                                            {issues
                                                .into_iter()
                                                .map(|i| {
                                                    let href = format!("/news/{}", i.id);
                                                    let when = if i.state == NewsState::Draft {
                                                        "Draft".to_string()
                                                    } else {
                                                        format!("Published {}", i.published_on)
                                                    };
                                                    view! {
                                                        <li class="card">
                                                            <h2>
                                                                <A href=href>{i.title}</A>
                                                            </h2>
                                                            <p class="hint">{when}</p>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
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

fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0))
}

#[component]
pub fn IssuePage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let preview = move || query.with(|q| q.get("as").and_then(|v| v.parse::<i64>().ok()));
    let (id, preview) = (id(), preview());
    // A div, not a section: the issue is the page's one article, headed by its own h1.
    view! {
        <div class="page">
            <p>
                <A href="/news">"← All issues"</A>
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the issue…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match news_issue(id, preview).await {
                        Ok(v) => view! { <IssueBody v previewing=preview.is_some() /> }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn IssueBody(v: IssueView, previewing: bool) -> impl IntoView {
    let id = v.id;
    let coordinator_tools = v.can_manage.then(|| {
        view! { <Tools id state=v.state progress=v.progress.clone() /> }
    });
    let preview_note = (v.can_manage && previewing).then(|| {
        view! {
            <p class="notice" role="status">
                {format!("Preview: the issue as {} sees it, with their own goals.", v.reader_name)}
            </p>
        }
    });
    let events = (!v.events.is_empty() || !v.events_html.is_empty()).then(|| {
        let list = v.events.clone();
        let html = v.events_html.clone();
        view! {
            <section aria-labelledby="ev-h">
                <h2 id="ev-h">"Events"</h2>
                <ul>
                    {list
                        .into_iter()
                        .map(|e| {
                            view! {
                                <li>
                                    <A href=format!("/forum/{}", e.id)>{e.title}</A>
                                    ": "
                                    {e.when}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <div inner_html=html></div>
            </section>
        }
    });
    let activity = v.activity.clone().map(|a| {
        view! {
            <section aria-labelledby="act-h">
                <h2 id="act-h">"Suggested activity"</h2>
                <p>
                    <strong>{a.title}</strong>
                    {format!(" ({})", a.kind.label())}
                </p>
                <p>{a.description}</p>
            </section>
        }
    });
    let goals = {
        let blocks = v.goals.clone();
        let intro = v.goals_intro_html.clone();
        let manage_without_reader = v.can_manage && !previewing;
        view! {
            <section aria-labelledby="goals-h" class="news-goals">
                <h2 id="goals-h">"Your goals"</h2>
                <div inner_html=intro></div>
                {if manage_without_reader {
                    view! {
                        <p class="hint">
                            "Each participant sees their own match's goals here. Preview as someone to see theirs."
                        </p>
                    }
                        .into_any()
                } else if blocks.is_empty() {
                    view! { <p>"You have no active match at the moment."</p> }.into_any()
                } else {
                    blocks
                        .into_iter()
                        .map(|b| {
                            view! {
                                <h3>{format!("With {}", b.partner_name)}</h3>
                                {if b.goals.is_empty() {
                                    view! { <p>"No goals written yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul>
                                            {b
                                                .goals
                                                .into_iter()
                                                .map(|g| {
                                                    view! {
                                                        <li>{g.title}": "<strong>{g.progress.label()}</strong></li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </section>
        }
    };
    let discussion = (!v.question.is_empty()).then(|| {
        view! {
            <Discussion
                id
                question=v.question.clone()
                thread=v.thread.clone()
                can_reply=v.can_reply
                manage=v.can_manage
            />
        }
    });
    view! {
        <Title text=v.title.clone() />
        {preview_note}
        <article class="news-issue">
            <h1>{v.title.clone()}</h1>
            <p class="hint">
                {if v.state == NewsState::Draft {
                    "Draft: not published yet".to_string()
                } else {
                    format!("Published {}", v.published_on)
                }}
            </p>
            <div class="prose" inner_html=v.news_html.clone()></div>
            {events}
            {activity}
            {goals}
            {discussion}
        </article>
        {coordinator_tools}
    }
}

#[component]
fn Discussion(
    id: i64,
    question: String,
    thread: Vec<crate::model::news::Reply>,
    can_reply: bool,
    manage: bool,
) -> impl IntoView {
    let reply = crate::components::form::action::<ReplyToIssue>();
    let hide = crate::components::form::action::<HideReply>();
    let error = last_error(reply.value());
    let hide_error = last_error(hide.value());
    let key = format!("news-reply-{id}");
    let count = thread.len().to_string();
    view! {
        <section aria-labelledby="disc-h" class="discussion">
            <h2 id="disc-h">"Discussion question"</h2>
            <p class="question">{question}</p>
            {if thread.is_empty() {
                view! { <p data-replies="0">"No answers yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="plain-list replies" data-replies=count>
                        {thread
                            .into_iter()
                            .map(|r| {
                                let hidden = r.hidden;
                                let label = if hidden {
                                    "Show it again"
                                } else {
                                    "Hide this reply"
                                };
                                view! {
                                    <li class:hidden-reply=hidden>
                                        <p>{r.body}</p>
                                        <p class="hint">
                                            {format!("{}, {}", r.author, r.at)}
                                            {manage.then(|| format!(" · {}", r.cohort))}
                                            {hidden.then_some(" · hidden from participants")}
                                        </p>
                                        {manage
                                            .then(|| {
                                                view! {
                                                    <ServerForm
                                                        action=hide
                                                        to_input=|f| HideReply {
                                                            reply_id: f.id("reply_id"),
                                                            hidden: f.get("hidden") == "1",
                                                        }
                                                        instance=r.id
                                                        class="inline-form"
                                                    >
                                                        <input
                                                            type="hidden"
                                                            name="reply_id"
                                                            value=r.id.to_string()
                                                        />
                                                        <input
                                                            type="hidden"
                                                            name="hidden"
                                                            value=if hidden { "0" } else { "1" }
                                                        />
                                                        <button
                                                            type="submit"
                                                            class="button button-small button-quiet"
                                                        >
                                                            {label}
                                                        </button>
                                                    </ServerForm>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
            <FormMessage error=hide_error />
            {can_reply
                .then(|| {
                    view! {
                        <ServerForm
                            action=reply
                            draft=draft::Draft::keep(key)
                            to_input=|f| ReplyToIssue {
                                issue_id: f.id("issue_id"),
                                reply: f.get("reply"),
                            }
                            class="stack-form"
                        >
                            <input type="hidden" name="issue_id" value=id.to_string() />
                            <TextArea
                                name="reply"
                                label="Your answer (your cohort reads it)"
                                required=true
                                maxlength=REPLY_MAX
                                rows=3
                                error
                            />
                            <FormMessage error />
                            <button type="submit" class="button">
                                "Post my answer"
                            </button>
                        </ServerForm>
                    }
                })}
        </section>
    }
}

/// Coordinators: preview as a participant, edit and publish a draft, follow the sending.
#[component]
fn Tools(id: i64, state: NewsState, progress: Option<SendProgress>) -> impl IntoView {
    let publish = crate::components::form::action::<PublishIssue>();
    let publish_error = last_error(publish.value());
    let is_draft = state == NewsState::Draft;
    view! {
        <section class="card" aria-labelledby="tools-h">
            <h2 id="tools-h">"Coordinator"</h2>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match news_draft(id).await {
                        Ok(d) => view! { <PreviewAs id readers=d.readers /> }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
            {is_draft
                .then(|| {
                    view! {
                        <p>
                            <A href=format!("/news/{id}/edit")>"Edit this draft"</A>
                        </p>
                        <ServerForm
                            action=publish
                            to_input=|f| PublishIssue { id: f.id("id") }
                            class="stack-form"
                        >
                            <input type="hidden" name="id" value=id.to_string() />
                            <p class="hint">
                                "Publishing adds the issue to the archive and emails every participant in an active match their own version. It cannot be undone."
                            </p>
                            <FormMessage error=publish_error />
                            <button type="submit" class="button">
                                "Publish and send"
                            </button>
                        </ServerForm>
                    }
                })}
            {progress.map(|p| view! { <LiveProgress id progress=p /> })}
        </section>
    }
}

/// The sending's figures, asked again every few seconds while mail is going out: an island.
#[island]
fn LiveProgress(id: i64, progress: SendProgress) -> impl IntoView {
    let live = RwSignal::new(Some(progress));
    #[cfg(feature = "hydrate")]
    {
        let poll = move || {
            let sending = live
                .get_untracked()
                .is_some_and(|p| p.waiting + p.queued + p.retrying > 0);
            if sending {
                leptos::task::spawn_local(async move {
                    if let Ok(p) = crate::api::news::news_progress(id).await {
                        live.set(Some(p));
                    }
                });
            }
        };
        if let Ok(handle) = set_interval_with_handle(poll, std::time::Duration::from_secs(3)) {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    view! { {move || live.get().map(|p| view! { <Progress p /> })} }
}

#[component]
fn Progress(p: SendProgress) -> impl IntoView {
    let done = p.waiting + p.queued + p.retrying == 0;
    view! {
        <div
            class="send-progress"
            role="status"
            aria-live="polite"
            data-sent=p.sent.to_string()
            data-done=done.to_string()
        >
            <h3>"Sending"</h3>
            <progress max=p.recipients.max(1).to_string() value=(p.sent + p.skipped).to_string()>
                {format!("{} of {}", p.sent, p.recipients)}
            </progress>
            <p>
                {format!(
                    "{} of {} sent · {} being prepared · {} in the outbox · {} retrying · {} turned news emails off",
                    p.sent,
                    p.recipients,
                    p.waiting,
                    p.queued,
                    p.retrying,
                    p.skipped,
                )}
            </p>
            {done
                .then(|| {
                    view! { <p class="notice notice-ok">"Everyone has been sent their copy."</p> }
                })}
        </div>
    }
}

#[component]
fn PreviewAs(id: i64, readers: Vec<(i64, String)>) -> impl IntoView {
    view! {
        <form
            method="get"
            action=format!("/news/{id}")
            class="filter-bar"
            aria-label="Preview as a participant"
        >
            <div class="field">
                <label for="preview-as">"Preview as"</label>
                <select id="preview-as" name="as">
                    {readers
                        .into_iter()
                        .map(|(uid, label)| {
                            view! { <option value=uid.to_string()>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button button-small">
                "Preview"
            </button>
        </form>
    }
}

#[component]
pub fn ComposePage() -> impl IntoView {
    let id = id_param();
    let id = id();
    view! {
        <Title text="Compose Program News" />
        <section class="page">
            <p>
                <A href="/news">"← All issues"</A>
            </p>
            <h1>"Compose Program News"</h1>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match news_draft(id).await {
                        Ok(d) if d.state == NewsState::Published => {
                            view! {
                                <p class="notice">
                                    "This issue is published and cannot be changed."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(d) => view! { <Compose d /> }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Compose(d: IssueDraft) -> impl IntoView {
    let save = crate::components::form::action::<SaveIssue>();
    let error = last_error(save.value());
    let key = if d.id == 0 {
        "news-new".to_string()
    } else {
        format!("news-{}", d.id)
    };
    let activities = d.activities.clone();
    let chosen = d.activity_id;
    view! {
        <ServerForm
            action=save
            draft=draft::Draft::keep(key)
            landing=|saved| format!("/news/{saved}")
            to_input=|f| SaveIssue {
                id: f.id("id"),
                title: f.get("title"),
                news: f.get("news"),
                events: f.get("events"),
                activity_id: f.id("activity_id"),
                question: f.get("question"),
                goals: f.get("goals"),
            }
            class="stack-form"
        >
            <input type="hidden" name="id" value=d.id.to_string() />
            <Field
                name="title"
                label="Title"
                required=true
                maxlength=TITLE_MAX
                value=d.title.clone()
                hint="Like \"December 2026\"."
                error
            />
            <TextArea
                name="news"
                label="News"
                required=true
                maxlength=BODY_MAX
                rows=8
                value=d.news.clone()
                hint="Markdown: ## headings, **bold**, [links](https://…), lists with -."
                error
            />
            <TextArea
                name="events"
                label="Events"
                maxlength=BODY_MAX
                rows=3
                value=d.events.clone()
                hint="Upcoming forum events are listed for you; add anything else here (Markdown)."
                error
            />
            <div class="field">
                <label for="f-activity_id">"Suggested activity"</label>
                <select id="f-activity_id" name="activity_id">
                    <option value="0">"None"</option>
                    {activities
                        .into_iter()
                        .map(|(aid, title)| {
                            let sel = aid == chosen;
                            view! {
                                <option value=aid.to_string() selected=sel>
                                    {title}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="field-error" role="alert">
                    {move || error.get().and_then(|e| e.for_field("activity_id"))}
                </p>
            </div>
            <Field
                name="question"
                label="Discussion question"
                maxlength=QUESTION_MAX
                value=d.question.clone()
                hint="Each cohort answers it in its own thread."
                error
            />
            <TextArea
                name="goals"
                label="Goal section introduction"
                maxlength=BODY_MAX
                rows=3
                value=d.goals.clone()
                hint="Shown above each reader's own goals and progress (Markdown)."
                error
            />
            <FormMessage error />
            <button type="submit" class="button">
                "Save the draft"
            </button>
        </ServerForm>
    }
}
