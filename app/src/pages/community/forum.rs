//! `/forum` and `/forum/:id`: the Mentoring Forum. Participants see events in their own time
//! zone, answer, add them to a calendar and send questions; coordinators plan events, read the
//! questions, add the recording and mark who came.

use crate::api::forum::{
    AskQuestion, MarkAttendance, MarkQuestion, Rsvp, SaveEvent, SaveRecording, forum_event,
    forum_events,
};
use crate::components::disclosure::Disclosure;
use crate::components::form::{
    Field, FormMessage, Select, ServerForm, TextArea, draft, last_error,
};
use crate::error::AppError;
use crate::model::TIME_ZONES;
use crate::model::forum::{
    DESCRIPTION_MAX, EventDetail, EventForm, EventSummary, QUESTION_MAX, RsvpAnswer, TITLE_MAX,
    URL_MAX,
};
use crate::pages::public::info::SignInPrompt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

fn load_error(e: AppError) -> AnyView {
    match e {
        AppError::Unauthenticated => {
            view! { <SignInPrompt message="Sign in to see the Mentoring Forum." /> }.into_any()
        }
        e => view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any(),
    }
}

fn places(going: i64, capacity: Option<i64>) -> String {
    match capacity {
        Some(c) => format!("{going} of {c} places taken"),
        None => format!("{going} going"),
    }
}

#[component]
pub fn ForumPage() -> impl IntoView {
    view! {
        <Title text="Mentoring Forum" />
        <section class="page">
            <h1>"Mentoring Forum"</h1>
            <p class="lead">
                "Live webinars on getting the most out of a mentoring relationship, and their recordings."
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading events…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match forum_events().await {
                        Ok(l) => {
                            let zone = l.zone.clone();
                            let manage = l.can_manage;
                            view! {
                                <p class="hint">
                                    {format!(
                                        "Times are in your time zone, {zone}. Change it in your profile.",
                                    )}
                                </p>
                                {manage.then(|| view! { <NewEvent zone=zone.clone() /> })}
                                <h2>"Upcoming"</h2>
                                <EventCards list=l.upcoming empty="No events are planned yet." />
                                <h2>"Past events"</h2>
                                <EventCards list=l.past empty="No past events yet." />
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

#[component]
fn EventCards(list: Vec<EventSummary>, empty: &'static str) -> impl IntoView {
    if list.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <ul class="card-list event-list">
            {list
                .into_iter()
                .map(|e| {
                    let href = format!("/forum/{}", e.id);
                    let answer = e.my_answer.map_or("", |a| a.label());
                    view! {
                        <li class="card">
                            <h3>
                                <A href=href>{e.title}</A>
                            </h3>
                            <p>{e.when}</p>
                            <p class="hint">
                                {places(e.going, e.capacity)}
                                {(!answer.is_empty()).then(|| format!(" · You: {answer}"))}
                                {e.has_recording.then_some(" · Recording available")}
                            </p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The event form's fields, empty for a new event or filled from `form`.
#[component]
fn EventFields(form: EventForm, error: Signal<Option<AppError>>) -> impl IntoView {
    let zones: Vec<(String, String)> = TIME_ZONES
        .iter()
        .map(|z| (z.to_string(), z.replace('_', " ")))
        .collect();
    let minutes = if form.minutes == 0 {
        "60".to_string()
    } else {
        form.minutes.to_string()
    };
    view! {
        <Field
            name="title"
            label="Title"
            required=true
            maxlength=TITLE_MAX
            value=form.title
            error
        />
        <TextArea
            name="description"
            label="Description"
            maxlength=DESCRIPTION_MAX
            rows=5
            value=form.description
            hint="Markdown: **bold**, *italic*, [a link](https://…), lists with -."
            error
        />
        <div class="field-row">
            <Field name="date" label="Date" kind="date" required=true value=form.date error />
            <Field name="time" label="Start time" kind="time" required=true value=form.time error />
        </div>
        <Select
            name="time_zone"
            label="Time zone of that time"
            options=zones
            selected=form.time_zone
            error
        />
        <div class="field-row">
            <Field
                name="minutes"
                label="Length in minutes"
                kind="number"
                required=true
                value=minutes
                error
            />
            <Field
                name="capacity"
                label="Places (empty: no limit)"
                kind="number"
                value=form.capacity
                error
            />
        </div>
        <Field
            name="join_url"
            label="Join link"
            kind="url"
            maxlength=URL_MAX
            value=form.join_url
            hint="The webinar's web address, shown to participants and in the reminder."
            error
        />
    }
}

fn save_event_input(f: &crate::components::form::FormFields) -> SaveEvent {
    SaveEvent {
        id: f.id("id"),
        title: f.get("title"),
        description: f.get("description"),
        date: f.get("date"),
        time: f.get("time"),
        time_zone: f.get("time_zone"),
        minutes: f.get("minutes"),
        join_url: f.get("join_url"),
        capacity: f.get("capacity"),
    }
}

#[component]
fn NewEvent(zone: String) -> impl IntoView {
    // Instance 0 tells this form's posts from the event page's "Change the event" (the same
    // server function), where a new event lands with its answer.
    let save = crate::components::form::action::<SaveEvent>();
    let error = last_error(save.value());
    let form = EventForm {
        time_zone: zone,
        ..EventForm::default()
    };
    view! {
        <Disclosure class="card" summary="Plan a new event">
            <ServerForm
                action=save
                draft=draft::Draft::keep("new-event")
                to_input=save_event_input
                landing=|id| format!("/forum/{id}")
                instance=0
                class="stack-form"
            >
                <input type="hidden" name="id" value="0" />
                <EventFields form=form.clone() error />
                <FormMessage error />
                <button type="submit" class="button">
                    "Create the event"
                </button>
            </ServerForm>
        </Disclosure>
    }
}

#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let id = id();
    view! {
        <section class="page">
            <p>
                <A href="/forum">"← All events"</A>
            </p>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the event…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match forum_event(id).await {
                        Ok(e) => view! { <EventView e /> }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn EventView(e: EventDetail) -> impl IntoView {
    let id = e.id;
    let ics = format!("/forum/{id}/event.ics");
    let ics_name = format!("tandem-event-{id}.ics");
    let counts = format!(
        "{} · {} maybe · {} minutes",
        places(e.going, e.capacity),
        e.maybe,
        e.minutes
    );
    let join = (!e.is_past && !e.join_url.is_empty()).then(|| {
        let url = e.join_url.clone();
        view! {
            <p>
                <a class="button" href=url rel="external noopener" target="_blank">
                    "Join the webinar"
                </a>
            </p>
        }
    });
    let recording = (!e.recording_url.is_empty()).then(|| {
        let url = e.recording_url.clone();
        view! {
            <section class="card" aria-labelledby="rec-h">
                <h2 id="rec-h">"Recording"</h2>
                <p>
                    <a href=url rel="external noopener" target="_blank">
                        "Watch the recording"
                    </a>
                </p>
                <p class="hint">
                    "It is also in " <A href="/resources?kind=recording">"Resources"</A> "."
                </p>
            </section>
        }
    });
    let host_when = (!e.host_when.is_empty()).then(
        || view! { <p class="hint">{format!("Planned as {} ({})", e.host_when, e.zone)}</p> },
    );
    let taking_part = (e.can_take_part && !e.is_past).then(|| {
        view! {
            <RsvpForm id my_answer=e.my_answer />
            <AskForm id />
        }
    });
    let own_questions = (e.can_take_part && !e.questions.is_empty()).then(|| {
        let qs = e.questions.clone();
        view! {
            <section class="card" aria-labelledby="myq-h">
                <h2 id="myq-h">"Your questions"</h2>
                <ul class="plain-list">
                    {qs
                        .into_iter()
                        .map(|q| {
                            view! {
                                <li>
                                    {q.body}" "
                                    <span class="hint">
                                        {if q.answered { "(answered)" } else { "" }}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    let managing = e.can_manage.then(|| view! { <Manage e=e.clone() /> });
    view! {
        <Title text=e.title.clone() />
        <h1>{e.title.clone()}</h1>
        <p class="lead">{e.when.clone()}</p>
        {host_when}
        <p class="hint">{counts}</p>
        {e
            .my_answer
            .map(|a| {
                view! {
                    <p class="notice" data-my-answer=a.as_str()>
                        {format!("Your answer: {}", a.label())}
                    </p>
                }
            })}
        {join}
        <p>
            <a href=ics rel="external" download=ics_name>
                "Add to my calendar (.ics)"
            </a>
        </p>
        <div class="prose event-description" inner_html=e.description_html.clone()></div>
        {recording}
        {taking_part}
        {own_questions}
        {managing}
    }
}

#[component]
fn RsvpForm(id: i64, my_answer: Option<RsvpAnswer>) -> impl IntoView {
    let rsvp = crate::components::form::action::<Rsvp>();
    let error = last_error(rsvp.value());
    view! {
        <section class="card" aria-labelledby="rsvp-h">
            <h2 id="rsvp-h">"Will you come?"</h2>
            <ServerForm
                action=rsvp
                to_input=|f| Rsvp {
                    event_id: f.id("event_id"),
                    answer: f.get("answer"),
                }
                class="stack-form"
            >
                <input type="hidden" name="event_id" value=id.to_string() />
                <fieldset class="field choices">
                    <legend>"Your answer"</legend>
                    <div class="choice-list">
                        {RsvpAnswer::ALL
                            .iter()
                            .map(|&answer| {
                                let input_id = format!("rsvp-{}", answer.as_str());
                                let label_for = input_id.clone();
                                let checked = my_answer == Some(answer);
                                view! {
                                    <label class="choice" for=label_for>
                                        <input
                                            type="radio"
                                            id=input_id
                                            name="answer"
                                            value=answer.as_str()
                                            checked=checked
                                        />
                                        <span>{answer.label()}</span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
                <FormMessage error />
                <p class="field-error" role="alert">
                    {move || error.get().and_then(|e| e.for_field("answer"))}
                </p>
                <button type="submit" class="button">
                    "Save my answer"
                </button>
            </ServerForm>
        </section>
    }
}

#[component]
fn AskForm(id: i64) -> impl IntoView {
    let ask = crate::components::form::action::<AskQuestion>();
    let error = last_error(ask.value());
    let key = format!("event-question-{id}");
    view! {
        <section class="card" aria-labelledby="ask-h">
            <h2 id="ask-h">"Send a question in advance"</h2>
            <p class="hint">
                "The coordinators gather questions before the webinar. Only they see who asked."
            </p>
            <ServerForm
                action=ask
                draft=draft::Draft::keep(key)
                to_input=|f| AskQuestion {
                    event_id: f.id("event_id"),
                    question: f.get("question"),
                }
                class="stack-form"
            >
                <input type="hidden" name="event_id" value=id.to_string() />
                <TextArea
                    name="question"
                    label="Your question"
                    required=true
                    maxlength=QUESTION_MAX
                    rows=3
                    error
                />
                <FormMessage error />
                {move || {
                    matches!(ask.value().get(), Some(Ok(())))
                        .then(|| {
                            view! {
                                <p class="notice notice-ok" role="status">
                                    "Sent. Thank you."
                                </p>
                            }
                        })
                }}
                <button type="submit" class="button">
                    "Send the question"
                </button>
            </ServerForm>
        </section>
    }
}

#[component]
fn Manage(e: EventDetail) -> impl IntoView {
    let id = e.id;
    let mark = crate::components::form::action::<MarkQuestion>();
    let recording = crate::components::form::action::<SaveRecording>();
    let attendance = crate::components::form::action::<MarkAttendance>();
    let edit = crate::components::form::action::<SaveEvent>();
    let mark_error = last_error(mark.value());
    let rec_error = last_error(recording.value());
    let att_error = last_error(attendance.value());
    let edit_error = last_error(edit.value());
    let questions = if e.questions.is_empty() {
        view! { <p>"No questions yet."</p> }.into_any()
    } else {
        view! {
            <ol class="plain-list questions" data-questions=e.questions.len().to_string()>
                {e
                    .questions
                    .iter()
                    .cloned()
                    .map(|q| {
                        let label = if q.answered {
                            "Mark as not answered"
                        } else {
                            "Mark as answered"
                        };
                        view! {
                            <li class:answered=q.answered>
                                <p>{q.body}</p>
                                <p class="hint">
                                    {format!(
                                        "{}{}",
                                        q.asker,
                                        if q.answered { " · answered" } else { "" },
                                    )}
                                </p>
                                <ServerForm
                                    action=mark
                                    to_input=|f| MarkQuestion {
                                        question_id: f.id("question_id"),
                                        answered: f.get("answered") == "1",
                                    }
                                    instance=q.id
                                    class="inline-form"
                                >
                                    <input
                                        type="hidden"
                                        name="question_id"
                                        value=q.id.to_string()
                                    />
                                    <input
                                        type="hidden"
                                        name="answered"
                                        value=if q.answered { "0" } else { "1" }
                                    />
                                    <button type="submit" class="button button-small button-quiet">
                                        {label}
                                    </button>
                                </ServerForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    let attendees = if e.attendees.is_empty() {
        view! { <p>"Nobody has answered yet."</p> }.into_any()
    } else {
        view! {
            <ServerForm
                action=attendance
                to_input=|f| MarkAttendance {
                    event_id: f.id("event_id"),
                    attended: f.get_all("attended"),
                }
                class="stack-form"
            >
                <input type="hidden" name="event_id" value=id.to_string() />
                <fieldset class="field choices">
                    <legend>"Who came"</legend>
                    <div class="choice-list">
                        {e
                            .attendees
                            .iter()
                            .map(|a| {
                                let input_id = format!("att-{}", a.user_id);
                                let label_for = input_id.clone();
                                view! {
                                    <label class="choice" for=label_for>
                                        <input
                                            type="checkbox"
                                            id=input_id
                                            name="attended"
                                            value=a.user_id.to_string()
                                            checked=a.attended
                                        />
                                        <span>{format!("{} ({})", a.name, a.answer.label())}</span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
                <FormMessage error=att_error />
                {move || {
                    attendance
                        .value()
                        .get()
                        .and_then(|r| r.ok())
                        .map(|n| {
                            view! {
                                <p class="notice notice-ok" role="status">
                                    {format!("Saved: {n} attended.")}
                                </p>
                            }
                        })
                }}
                <button type="submit" class="button button-small">
                    "Save attendance"
                </button>
            </ServerForm>
        }
        .into_any()
    };
    let form = e.form.clone().unwrap_or_default();
    view! {
        <section class="card" aria-labelledby="q-h">
            <h2 id="q-h">"Questions sent in"</h2>
            {questions}
            <FormMessage error=mark_error />
        </section>
        <section class="card" aria-labelledby="recording-h">
            <h2 id="recording-h">"Recording"</h2>
            <ServerForm
                action=recording
                to_input=|f| SaveRecording {
                    event_id: f.id("event_id"),
                    recording_url: f.get("recording_url"),
                }
                class="stack-form"
            >
                <input type="hidden" name="event_id" value=id.to_string() />
                <Field
                    name="recording_url"
                    label="Recording link"
                    kind="url"
                    maxlength=URL_MAX
                    value=e.recording_url.clone()
                    hint="Adding it offers the recording here and lists it in Resources. Empty it to take it down."
                    error=rec_error
                />
                <FormMessage error=rec_error />
                <button type="submit" class="button button-small">
                    "Save the recording link"
                </button>
            </ServerForm>
        </section>
        <section class="card" aria-labelledby="att-h">
            <h2 id="att-h">"Attendance"</h2>
            {attendees}
        </section>
        <Disclosure class="card" summary="Change the event">
            <ServerForm action=edit to_input=save_event_input class="stack-form">
                <input type="hidden" name="id" value=id.to_string() />
                <EventFields form=form.clone() error=edit_error />
                <FormMessage error=edit_error />
                {move || {
                    matches!(edit.value().get(), Some(Ok(_)))
                        .then(|| {
                            view! {
                                <p class="notice notice-ok" role="status">
                                    "Saved."
                                </p>
                            }
                        })
                }}
                <button type="submit" class="button">
                    "Save changes"
                </button>
            </ServerForm>
        </Disclosure>
    }
}
