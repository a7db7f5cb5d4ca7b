//! The match home: the partner, the goal sheet's state and this person's next step, the pace of
//! contact with a quick way to log one, and the match's activities. Phone first. A coordinator
//! sees the same facts read-only, with the goal sheet's acknowledge and return actions.

use crate::api::chat::chat_activity;
use crate::api::match_work::{
    AcknowledgeGoalSheet, LogContact, MarkActivityDone, PlanActivity, ReturnGoalSheet,
    load_match_home,
};
use crate::api::matching::{EndMatch, RequestEndMatch};
use crate::components::data::written_for;
use crate::components::disclosure::Disclosure;
use crate::components::enhance::Clock;
use crate::components::form::{Field, FormMessage, Select, ServerForm, TextArea, last_error};
use crate::error::AppError;
use crate::model::*;
use crate::pages::coordinator::match_admin::CoordinatorPanel;
use crate::pages::public::info::SignInPrompt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The actions a match home can take, each holding the outcome of a post this page answers
/// (components::form::action). Made when the page is written, not for a kept one
/// (components::data::written_for), which answers no post.
#[derive(Clone, Copy)]
pub struct MatchActions {
    pub log_contact: ServerAction<LogContact>,
    pub plan: ServerAction<PlanActivity>,
    pub done: ServerAction<MarkActivityDone>,
    pub request_end: ServerAction<RequestEndMatch>,
    /// A coordinator ends the match.
    pub end: ServerAction<EndMatch>,
    pub acknowledge: ServerAction<AcknowledgeGoalSheet>,
    pub give_back: ServerAction<ReturnGoalSheet>,
}

impl MatchActions {
    pub fn new() -> Self {
        use crate::components::form::action;
        MatchActions {
            log_contact: action(),
            plan: action(),
            done: action(),
            request_end: action(),
            end: action(),
            acknowledge: action(),
            give_back: action(),
        }
    }
}

impl Default for MatchActions {
    fn default() -> Self {
        Self::new()
    }
}

/// The match id from the route.
pub fn match_id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0))
}

/// `/match/:id`: the match home for its partners, or a coordinator's read-only view.
#[component]
pub fn MatchPage() -> impl IntoView {
    let id = match_id_param();
    view! {
        <Title text="Match" />
        <section class="page match-home">
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the match…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match load_match_home(id(), false).await {
                        Ok(home) if home.viewer == Party::Coordinator => {
                            // A coordinator's view counts the chat in a Suspense of its own.
                            view! { <MatchHomeView home actions=MatchActions::new() /> }
                                .into_any()
                        }
                        Ok(home) => {
                            written_for(
                                "match",
                                home,
                                |home| {
                                    // Actions are made only when the page is written.
                                    view! { <MatchHomeView home actions=MatchActions::new() /> }
                                },
                            )
                        }
                        Err(AppError::Unauthenticated) => {
                            view! {
                                <h1>"Match"</h1>
                                <SignInPrompt message="Please sign in to see this match." />
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <h1>"Match"</h1>
                                <p class="notice notice-error">{e.to_string()}</p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn MatchHomeView(
    home: MatchHome,
    actions: MatchActions,
    /// On the signed-in home the page greets the person; the match is then its lead line.
    #[prop(optional)]
    welcome: Option<String>,
) -> impl IntoView {
    let mid = home.summary.match_id;
    let coordinator = home.viewer == Party::Coordinator;
    let about = if coordinator {
        format!("{} and {}", home.mentor.name, home.mentee.name)
    } else {
        format!("Your match with {}", home.summary.partner.name)
    };
    let heading = match welcome {
        Some(name) => view! {
            <h1>{format!("Welcome, {name}")}</h1>
            <p class="lead">{about}</p>
        }
        .into_any(),
        None => view! { <h1>{about}</h1> }.into_any(),
    };
    let ended = (!home.active).then(|| {
        view! {
            <p class="notice">
                {format!("This match is {}.", home.summary.state.label().to_lowercase())}
            </p>
        }
    });
    let steps = home.next_steps.clone();
    let people = if coordinator {
        view! {
            <PersonCard eyebrow="Mentor" p=home.mentor.clone() />
            <PersonCard eyebrow="Mentee" p=home.mentee.clone() />
        }
        .into_any()
    } else {
        view! {
            <PartnerCardView
                m=home.summary.clone()
                active=home.active
                request_end=actions.request_end
            />
        }
        .into_any()
    };
    let chat_link = (!coordinator).then(|| {
        view! {
            <p class="match-links">
                <A href=format!("/match/{mid}/chat") attr:class="button">
                    "Open chat"
                </A>
                <A href=format!("/match/{mid}/goals")>"Goal sheet"</A>
            </p>
        }
    });
    let chat_figures = coordinator.then(|| view! { <ChatActivityCard match_id=mid /> });
    let panel = coordinator.then(|| {
        view! {
            <div class="match-grid coordinator-panel">
                <CoordinatorPanel match_id=mid active=home.active end=actions.end />
            </div>
        }
    });
    view! {
        <p class="eyebrow">{home.summary.cohort_name.clone()}</p>
        {heading}
        {chat_link}
        {ended}
        <section class="card next-steps" aria-labelledby="next-h">
            <h2 id="next-h">"Next"</h2>
            {if steps.is_empty() {
                view! { <p>"Nothing waits for you right now."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <div class="match-grid">
            {people} <SheetSummary home=home.clone() actions />
            <ContactsCard home=home.clone() action=actions.log_contact />
            <ActivitiesCard home actions /> {chat_figures}
        </div>
        {panel}
        <p class="back-link">
            {if coordinator {
                view! { <A href="/home">"Back to the program overview"</A> }.into_any()
            } else {
                view! { <A href=format!("/match/{mid}/goals")>"Open the goal sheet"</A> }.into_any()
            }}
        </p>
    }
}

/// For coordinators: that the match talks, never what it says.
#[component]
fn ChatActivityCard(match_id: i64) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="chat-h">
            <h2 id="chat-h">"Chat"</h2>
            <Suspense fallback=|| {
                view! { <p class="loading">"Counting messages…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match chat_activity(match_id).await {
                        Ok(a) => {
                            view! {
                                <dl class="facts">
                                    <div>
                                        <dt>"Messages"</dt>
                                        <dd data-messages=a.messages.to_string()>{a.messages}</dd>
                                    </div>
                                    <div>
                                        <dt>"In the last 30 days"</dt>
                                        <dd>{a.last_30_days}</dd>
                                    </div>
                                    <div>
                                        <dt>"Last message"</dt>
                                        <dd>
                                            {if a.last_message_on.is_empty() {
                                                "None yet".to_string()
                                            } else {
                                                a.last_message_on
                                            }}
                                        </dd>
                                    </div>
                                </dl>
                                <p class="hint">
                                    "Coordinators see how much a match writes, never what."
                                </p>
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

#[component]
fn PersonCard(eyebrow: &'static str, p: PartnerCard) -> impl IntoView {
    let library = [p.job_title.clone(), p.library_name.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <article class="card partner-card">
            <p class="eyebrow">{eyebrow}</p>
            <h2>{p.name.clone()}</h2>
            <dl class="facts">
                {(!library.is_empty())
                    .then(|| {
                        view! {
                            <div>
                                <dt>"Library"</dt>
                                <dd>{library}</dd>
                            </div>
                        }
                    })} <div>
                    <dt>"Time zone"</dt>
                    <dd>{p.time_zone.replace('_', " ")}</dd>
                </div>
                {(!p.meet_ways.is_empty())
                    .then(|| {
                        view! {
                            <div>
                                <dt>"Likes to meet by"</dt>
                                <dd>{p.meet_ways.join(", ")}</dd>
                            </div>
                        }
                    })}
            </dl>
        </article>
    }
}

#[component]
pub fn PartnerCardView(
    m: MyMatch,
    active: bool,
    request_end: ServerAction<RequestEndMatch>,
) -> impl IntoView {
    let partner_role = if m.my_role == Party::Mentor {
        "Your mentee"
    } else {
        "Your mentor"
    };
    let p = m.partner;
    let offset = p.utc_offset_minutes;
    let library = [p.job_title.clone(), p.library_name.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let library_type = label_of(LIBRARY_TYPES, &p.library_type).to_string();
    let error = last_error(request_end.value());
    let match_id = m.match_id;
    let end_request = if !active {
        ().into_any()
    } else if m.end_requested {
        view! { <p class="hint">"A request to end this match is with your coordinator."</p> }
            .into_any()
    } else {
        view! {
            <Disclosure class="end-request" summary="Ask to end this match">
                <p class="hint">
                    "Your coordinator reads your reason and decides. Your partner is not told until then."
                </p>
                <ServerForm
                    action=request_end
                    to_input=|f| RequestEndMatch {
                        match_id: f.id("match_id"),
                        reason: f.get("reason"),
                    }
                    class="stack-form"
                >
                    <input type="hidden" name="match_id" value=match_id.to_string() />
                    <TextArea
                        name="reason"
                        label="Why?"
                        required=true
                        maxlength=REASON_MAX
                        rows=3
                        id_suffix=match_id
                        error
                    />
                    <FormMessage error />
                    <button type="submit" class="button button-secondary">
                        "Send the request"
                    </button>
                </ServerForm>
            </Disclosure>
        }
        .into_any()
    };
    view! {
        <article class="card partner-card">
            <p class="eyebrow">{partner_role}</p>
            <h2>
                {p.name.clone()}
                {(!p.pronouns.is_empty())
                    .then(|| {
                        view! { <span class="pronouns">{format!(" ({})", p.pronouns)}</span> }
                    })}
            </h2>
            <dl class="facts">
                {(!library.is_empty())
                    .then(|| {
                        view! {
                            <div>
                                <dt>"Library"</dt>
                                <dd>
                                    {library}
                                    {(!p.library_type.is_empty())
                                        .then(|| format!(" ({library_type})"))}
                                </dd>
                            </div>
                        }
                    })} <div>
                    <dt>"Time zone"</dt>
                    <dd>
                        {p.time_zone.replace('_', " ")}
                        <span class="local-time">
                            " · their time now: " <Clock offset_minutes=offset />
                        </span>
                    </dd>
                </div>
                {(!p.meet_ways.is_empty())
                    .then(|| {
                        view! {
                            <div>
                                <dt>"Likes to meet by"</dt>
                                <dd>{p.meet_ways.join(", ")}</dd>
                            </div>
                        }
                    })} <div>
                    <dt>"Program"</dt>
                    <dd>{format!("{} to {}", m.program_start, m.program_end)}</dd>
                </div>
            </dl>
            {(!p.bio.is_empty()).then(|| view! { <p class="bio">{p.bio.clone()}</p> })}
            {end_request}
        </article>
    }
}

/// A badge for the sheet's state, and "overdue" when it is.
#[component]
pub fn SheetBadges(state: SheetState, overdue: bool) -> impl IntoView {
    let (name, _) = state.to_db();
    view! {
        <span class=format!("badge badge-sheet-{name}")>{state.label()}</span>
        {overdue.then(|| view! { <span class="badge badge-overdue">"Overdue"</span> })}
    }
}

#[component]
fn SheetSummary(home: MatchHome, actions: MatchActions) -> impl IntoView {
    let sheet = home.sheet.clone();
    let mid = sheet.match_id;
    let due = if sheet.state.is_in() {
        "Submitted and confirmed.".to_string()
    } else {
        format!("Due {}", sheet.due_date)
    };
    let goals = sheet
        .goals
        .iter()
        .map(|g| {
            view! {
                <li>
                    <span>{g.title.clone()}</span>
                    " "
                    <span class=format!(
                        "badge badge-progress-{}",
                        g.progress.as_str(),
                    )>{g.progress.label()}</span>
                </li>
            }
        })
        .collect_view();
    let review = (home.viewer == Party::Coordinator && home.active).then(|| {
        view! { <SheetReview sheet=sheet.clone() actions /> }
    });
    view! {
        <section class="card" aria-labelledby="sheet-h">
            <h2 id="sheet-h">"Goal sheet"</h2>
            <p>
                <SheetBadges state=sheet.state overdue=sheet.overdue />
                " "
                <span class="hint">{due}</span>
            </p>
            {if sheet.goals.is_empty() {
                view! { <p>"No goals written yet."</p> }.into_any()
            } else {
                view! { <ol class="goal-titles">{goals}</ol> }.into_any()
            }}
            {review}
            <p>
                <A href=format!(
                    "/match/{mid}/goals",
                )>
                    {if home.viewer == Party::Coordinator {
                        "Read the goal sheet and its history"
                    } else {
                        "Open the goal sheet"
                    }}
                </A>
            </p>
        </section>
    }
}

/// A coordinator's acknowledge and return actions, offered once the mentor has confirmed.
#[component]
pub fn SheetReview(sheet: SheetView, actions: MatchActions) -> impl IntoView {
    match sheet.state {
        SheetState::Confirmed => {}
        SheetState::Draft | SheetState::Submitted => {
            return view! {
                <p class="hint">
                    "You can acknowledge or return the sheet once the mentee has submitted it and the mentor has confirmed it."
                </p>
            }
            .into_any();
        }
        SheetState::Acknowledged | SheetState::Amended { .. } => return ().into_any(),
    }
    let mid = sheet.match_id;
    let version = StoredValue::new(sheet.version.to_string());
    let ack_version = version.get_value();
    let ack_error = last_error(actions.acknowledge.value());
    let return_error = last_error(actions.give_back.value());
    let acknowledge = actions.acknowledge;
    let give_back = actions.give_back;
    view! {
        <div class="review-actions">
            <ServerForm
                action=acknowledge
                to_input=|f| AcknowledgeGoalSheet {
                    match_id: f.id("match_id"),
                    version: f.id("version"),
                }
                class="inline-form"
            >
                <input type="hidden" name="match_id" value=mid.to_string() />
                <input type="hidden" name="version" value=ack_version />
                <FormMessage error=ack_error />
                <button type="submit" class="button">
                    "Acknowledge the goal sheet"
                </button>
            </ServerForm>
            <Disclosure class="return-sheet" summary="Return it with a comment">
                <ServerForm
                    action=give_back
                    to_input=|f| ReturnGoalSheet {
                        match_id: f.id("match_id"),
                        version: f.id("version"),
                        comment: f.get("comment"),
                    }
                    class="stack-form"
                >
                    <input type="hidden" name="match_id" value=mid.to_string() />
                    <input type="hidden" name="version" value=version.get_value() />
                    <TextArea
                        name="comment"
                        label="What should the match change?"
                        required=true
                        maxlength=COMMENT_MAX
                        rows=3
                        error=return_error
                    />
                    <FormMessage error=return_error />
                    <button type="submit" class="button button-secondary">
                        "Return the goal sheet"
                    </button>
                </ServerForm>
            </Disclosure>
        </div>
    }
    .into_any()
}

#[component]
fn ContactsCard(home: MatchHome, action: ServerAction<LogContact>) -> impl IntoView {
    let mid = home.summary.match_id;
    let pace = home.pace.clone();
    let error = last_error(action.value());
    let can_log = home.active && home.viewer != Party::Coordinator;
    let last = match (&pace.last_contact, pace.days_since_last) {
        (Some(d), Some(0)) => format!("Last contact: today ({d})."),
        (Some(d), Some(1)) => format!("Last contact: yesterday ({d})."),
        (Some(d), Some(n)) => format!("Last contact: {n} days ago ({d})."),
        _ => String::new(),
    };
    let list = home
        .contacts
        .iter()
        .map(|c| {
            view! {
                <li>
                    <strong>{format!("{} · {}", c.on_date, c.way.label())}</strong>
                    {format!(" · {} min · logged by {}", c.minutes, c.author_name)}
                    {(!c.note.is_empty()).then(|| view! { <p class="note">{c.note.clone()}</p> })}
                </li>
            }
        })
        .collect_view();
    let today = StoredValue::new(home.today.clone());
    let form = can_log.then(|| {
        view! {
            // Opened on demand, even before the first contact: open, it fills a phone's screen.
            <Disclosure class="log-contact" summary="Log a contact">
                <ServerForm
                    action
                    to_input=|f| LogContact {
                        match_id: f.id("match_id"),
                        way: f.get("way"),
                        on_date: f.get("on_date"),
                        minutes: f.get("minutes"),
                        note: f.get("note"),
                    }
                    class="stack-form"
                >
                    <input type="hidden" name="match_id" value=mid.to_string() />
                    <Select
                        name="way"
                        label="How"
                        options=ContactWay::options()
                        selected=ContactWay::Phone.as_str()
                        error
                    />
                    <Field
                        name="on_date"
                        label="When"
                        kind="date"
                        value=today.get_value()
                        required=true
                        error
                    />
                    <Field
                        name="minutes"
                        label="How long (minutes)"
                        kind="number"
                        value="30".to_string()
                        required=true
                        error
                    />
                    <TextArea
                        name="note"
                        label="A short note (optional)"
                        maxlength=NOTE_MAX
                        rows=2
                        error
                    />
                    <FormMessage error />
                    <button type="submit" class="button">
                        "Log the contact"
                    </button>
                </ServerForm>
            </Disclosure>
        }
    });
    view! {
        <section class="card" aria-labelledby="contacts-h">
            <h2 id="contacts-h">"Contact"</h2>
            <p class=if pace.on_pace {
                "pace pace-ok"
            } else {
                "pace pace-behind"
            }>{pace.sentence.clone()}</p>
            {(!last.is_empty()).then(|| view! { <p>{last}</p> })}
            <div role="status" aria-live="polite">
                {move || {
                    matches!(action.value().get(), Some(Ok(_)))
                        .then(|| view! { <p class="notice notice-ok">"Contact logged."</p> })
                }}
            </div>
            {form}
            {(!home.contacts.is_empty())
                .then(|| {
                    view! {
                        <h3>{format!("Recent ({} in all)", home.contact_count)}</h3>
                        <ul class="plain-list contact-list">{list}</ul>
                    }
                })}
        </section>
    }
}

#[component]
fn ActivitiesCard(home: MatchHome, actions: MatchActions) -> impl IntoView {
    let mid = home.summary.match_id;
    let can_act = home.active && home.viewer != Party::Coordinator;
    let done = actions.done;
    let plan = actions.plan;
    let done_error = last_error(done.value());
    let plan_error = last_error(plan.value());
    let today = home.today.clone();
    let list = home
        .activities
        .clone()
        .into_iter()
        .map(|a| {
            let today = today.clone();
            let mark_label = format!("Mark “{}” done today", a.title);
            let (id, date) = (a.id, today.clone());
            let mark = (can_act && a.state == ActivityState::Planned).then(|| {
                view! {
                    <ServerForm
                        action=done
                        to_input=|f| MarkActivityDone {
                            match_id: f.id("match_id"),
                            match_activity_id: f.id("match_activity_id"),
                            on_date: f.get("on_date"),
                        }
                        instance=id
                        class="inline-form"
                    >
                        <input type="hidden" name="match_id" value=mid.to_string() />
                        <input type="hidden" name="match_activity_id" value=id.to_string() />
                        <input type="hidden" name="on_date" value=date />
                        <button type="submit" class="link-button">
                            {mark_label}
                        </button>
                    </ServerForm>
                }
            });
            view! {
                <li>
                    <span class=format!(
                        "badge badge-activity-{}",
                        a.state.as_str(),
                    )>{a.state.label()}</span>
                    " "
                    <strong>{a.title.clone()}</strong>
                    {format!(" · {} · {}", a.kind.label(), a.on_date)}
                    {a
                        .goal_title
                        .clone()
                        .map(|g| {
                            view! { <span class="hint">{format!(" · for “{g}”")}</span> }
                        })}
                    {(!a.note.is_empty()).then(|| view! { <p class="note">{a.note.clone()}</p> })}
                    {mark}
                </li>
            }
        })
        .collect_view();
    let activity_options = home
        .catalogue
        .iter()
        .map(|a| (a.id.to_string(), format!("{}: {}", a.kind.label(), a.title)))
        .collect::<Vec<_>>();
    let goal_options = std::iter::once(("0".to_string(), "No goal".to_string()))
        .chain(
            home.sheet
                .goals
                .iter()
                .map(|g| (g.id.to_string(), g.title.clone())),
        )
        .collect::<Vec<_>>();
    let activity_options = StoredValue::new(activity_options);
    let goal_options = StoredValue::new(goal_options);
    let plan_today = StoredValue::new(home.today.clone());
    let form = can_act.then(|| {
        view! {
            <Disclosure class="plan-activity" summary="Plan or record an activity">
                <ServerForm
                    action=plan
                    to_input=|f| PlanActivity {
                        match_id: f.id("match_id"),
                        activity_id: f.id("activity_id"),
                        goal_id: f.id("goal_id"),
                        state: f.get("state"),
                        on_date: f.get("on_date"),
                        note: f.get("note"),
                    }
                    class="stack-form"
                >
                    <input type="hidden" name="match_id" value=mid.to_string() />
                    <Select
                        name="activity_id"
                        label="Activity"
                        options=activity_options.get_value()
                        placeholder="Choose an activity"
                        error=plan_error
                    />
                    <Select
                        name="state"
                        label="Status"
                        options=ActivityState::options()
                        selected=ActivityState::Planned.as_str()
                        id_suffix=mid
                        error=plan_error
                    />
                    <Field
                        name="on_date"
                        label="Date"
                        kind="date"
                        value=plan_today.get_value()
                        id_suffix=mid
                        error=plan_error
                    />
                    <Select
                        name="goal_id"
                        label="For which goal"
                        options=goal_options.get_value()
                        error=plan_error
                    />
                    <TextArea
                        name="note"
                        label="A note (optional)"
                        maxlength=NOTE_MAX
                        rows=2
                        id_suffix=mid
                        error=plan_error
                    />
                    <FormMessage error=plan_error />
                    <button type="submit" class="button">
                        "Save the activity"
                    </button>
                </ServerForm>
            </Disclosure>
        }
    });
    view! {
        <section class="card" aria-labelledby="activities-h">
            <h2 id="activities-h">"Activities"</h2>
            <FormMessage error=done_error />
            {if home.activities.is_empty() {
                view! {
                    <p>
                        "No activities yet. "
                        <A href="/activities">"See the suggested activities"</A> "."
                    </p>
                }
                    .into_any()
            } else {
                view! { <ul class="plain-list activity-list">{list}</ul> }.into_any()
            }}
            {form}
        </section>
    }
}
