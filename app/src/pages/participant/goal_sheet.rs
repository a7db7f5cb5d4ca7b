//! `/match/:id/goals`: the goal sheet. Both partners draft it (a save on a stale copy is refused
//! with the other person's text shown), the mentee submits, the mentor confirms, a coordinator
//! acknowledges or returns it. Each goal carries progress with dated notes, the history says
//! who changed what and when, and the page prints cleanly.

use crate::api::match_work::{
    ConfirmGoalSheet, RecordProgress, SaveGoalSheet, SubmitGoalSheet, load_match_home,
};
use crate::components::data::written;
use crate::components::disclosure::Disclosure;
use crate::components::enhance::PrintButton;
use crate::components::form::{
    Field, FormFields, FormMessage, Select, ServerForm, TextArea, draft, last_error,
};
use crate::error::AppError;
use crate::model::*;
use crate::pages::participant::match_home::{
    MatchActions, SheetBadges, SheetReview, match_id_param,
};
use crate::pages::public::about::EXAMPLE_GOALS;
use crate::pages::public::info::SignInPrompt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[derive(Clone, Copy)]
struct SheetActions {
    save: ServerAction<SaveGoalSheet>,
    submit: ServerAction<SubmitGoalSheet>,
    confirm: ServerAction<ConfirmGoalSheet>,
    review: MatchActions,
}

fn draft_key(match_id: i64) -> String {
    format!("tandem-goal-sheet-{match_id}")
}

#[component]
pub fn GoalSheetPage() -> impl IntoView {
    let id = match_id_param();
    let actions = SheetActions {
        save: crate::components::form::action::<SaveGoalSheet>(),
        submit: crate::components::form::action::<SubmitGoalSheet>(),
        confirm: crate::components::form::action::<ConfirmGoalSheet>(),
        review: MatchActions::new(),
    };
    view! {
        <Title text="Goal sheet" />
        <section class="page goal-sheet">
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading the goal sheet…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match load_match_home(id(), true).await {
                        Ok(home) => written(view! { <SheetBody home actions /> }),
                        Err(AppError::Unauthenticated) => {
                            view! {
                                <h1>"Goal sheet"</h1>
                                <SignInPrompt message="Please sign in to see your goal sheet." />
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <h1>"Goal sheet"</h1>
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
fn SheetBody(home: MatchHome, actions: SheetActions) -> impl IntoView {
    let sheet = home.sheet.clone();
    let mid = sheet.match_id;
    let partner = home.viewer != Party::Coordinator;
    let can_edit = partner && home.active;
    let returned =
        (sheet.state == SheetState::Draft && !sheet.return_comment.is_empty()).then(|| {
            view! {
                <div class="notice notice-warn">
                    <p>
                        <strong>"Returned by your coordinator: "</strong>
                        {sheet.return_comment.clone()}
                    </p>
                </div>
            }
        });
    let due = if sheet.state.is_in() {
        format!("Was due {}.", sheet.due_date)
    } else if sheet.overdue {
        format!("Overdue: it was due {}.", sheet.due_date)
    } else {
        format!("Due {}.", sheet.due_date)
    };
    let steps = home.next_steps.clone();
    view! {
        <p class="eyebrow no-print">
            <A href=format!(
                "/match/{mid}",
            )>{format!("← {} and {}", home.mentor.name, home.mentee.name)}</A>
        </p>
        <h1>"Goal sheet"</h1>
        <p class="sheet-meta">
            {format!(
                "{} (mentor) and {} (mentee), {}. ",
                home.mentor.name,
                home.mentee.name,
                home.summary.cohort_name,
            )} <SheetBadges state=sheet.state overdue=sheet.overdue /> " " <span>{due}</span>
        </p>
        {returned}
        {(!steps.is_empty())
            .then(|| {
                view! {
                    <ul class="plain-list next-steps no-print">
                        {steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                    </ul>
                }
            })}
        <StepActions home=home.clone() actions />
        <section aria-labelledby="goals-h">
            <h2 id="goals-h">"Goals"</h2>
            {if sheet.goals.is_empty() {
                view! {
                    <p>
                        "No goals yet. Write the first one below: one is required, three is the most."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ol class="goal-list">
                        {sheet
                            .goals
                            .iter()
                            .map(|g| {
                                view! {
                                    <GoalRead
                                        goal=g.clone()
                                        match_id=mid
                                        can_edit
                                        today=home.today.clone()
                                    />
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
        {can_edit.then(|| view! { <Editor home=home.clone() action=actions.save /> })}
        <History entries=sheet.history.clone() />
        <p class="no-print">
            <PrintButton label="Print the goal sheet".to_string() />
        </p>
    }
}

/// Submit, confirm, or (for a coordinator) acknowledge and return: whichever fits the state.
#[component]
fn StepActions(home: MatchHome, actions: SheetActions) -> impl IntoView {
    let sheet = home.sheet.clone();
    let mid = sheet.match_id;
    let version = sheet.version.to_string();
    let submit = actions.submit;
    let confirm = actions.confirm;
    let submit_error = last_error(submit.value());
    let confirm_error = last_error(confirm.value());
    if !home.active {
        return ().into_any();
    }
    match (home.viewer, sheet.state) {
        (Party::Coordinator, _) => view! {
            <section class="card no-print" aria-label="Review">
                <SheetReview sheet actions=actions.review />
            </section>
        }
        .into_any(),
        (Party::Mentee, SheetState::Draft) if !sheet.goals.is_empty() => view! {
            <ServerForm
                action=submit
                to_input=|f| SubmitGoalSheet {
                    match_id: f.id("match_id"),
                    version: f.id("version"),
                }
                class="card step-form no-print"
            >
                <p>
                    "When you both agree on the goals, submit the sheet. Your mentor then confirms it."
                </p>
                <input type="hidden" name="match_id" value=mid.to_string() />
                <input type="hidden" name="version" value=version />
                <FormMessage error=submit_error />
                <button type="submit" class="button">
                    "Submit the goal sheet"
                </button>
            </ServerForm>
        }
        .into_any(),
        (Party::Mentor, SheetState::Submitted) => view! {
            <ServerForm
                action=confirm
                to_input=|f| ConfirmGoalSheet {
                    match_id: f.id("match_id"),
                    version: f.id("version"),
                }
                class="card step-form no-print"
            >
                <p>"Your mentee submitted the goal sheet. Read it below, then confirm it."</p>
                <input type="hidden" name="match_id" value=mid.to_string() />
                <input type="hidden" name="version" value=version />
                <FormMessage error=confirm_error />
                <button type="submit" class="button">
                    "Confirm the goal sheet"
                </button>
            </ServerForm>
        }
        .into_any(),
        (viewer, SheetState::Amended { by }) if viewer.partner() == Some(by) => view! {
            <ServerForm
                action=confirm
                to_input=|f| ConfirmGoalSheet {
                    match_id: f.id("match_id"),
                    version: f.id("version"),
                }
                class="card step-form no-print"
            >
                <p>
                    {format!(
                        "{} changed the acknowledged goal sheet; the history below says what changed.",
                        sheet.updated_by,
                    )}
                </p>
                <input type="hidden" name="match_id" value=mid.to_string() />
                <input type="hidden" name="version" value=version />
                <FormMessage error=confirm_error />
                <button type="submit" class="button">
                    "Confirm the changes"
                </button>
            </ServerForm>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

#[component]
fn GoalRead(goal: Goal, match_id: i64, can_edit: bool, today: String) -> impl IntoView {
    let gid = goal.id;
    // Each goal's form has its own action and instance: a refused post shows its error, and
    // what was typed, in that goal's form only.
    let action = ServerAction::<RecordProgress>::new();
    let shown = last_error(action.value());
    let notes = goal
        .notes
        .iter()
        .map(|n| {
            view! {
                <li>
                    <strong>{format!("{} · {}", n.on_date, n.progress.label())}</strong>
                    {format!(" · {}", n.author_name)}
                    {(!n.note.is_empty()).then(|| view! { <p class="note">{n.note.clone()}</p> })}
                </li>
            }
        })
        .collect_view();
    let progress = StoredValue::new(goal.progress.as_str().to_string());
    let today = StoredValue::new(today);
    let form = can_edit.then(move || {
        view! {
            <Disclosure class="progress-form no-print" summary="Record progress">
                <ServerForm
                    action
                    to_input=|f: &FormFields| RecordProgress {
                        match_id: f.id("match_id"),
                        goal_id: f.id("goal_id"),
                        progress: f.get("progress"),
                        note: f.get("note"),
                        on_date: f.get("on_date"),
                    }
                    instance=gid
                    class="stack-form"
                >
                    <input type="hidden" name="match_id" value=match_id.to_string() />
                    <input type="hidden" name="goal_id" value=gid.to_string() />
                    <Select
                        name="progress"
                        label="Where it stands"
                        options=GoalProgress::options()
                        selected=progress.get_value()
                        id_suffix=gid
                        error=shown
                    />
                    <Field
                        name="on_date"
                        label="Date"
                        kind="date"
                        value=today.get_value()
                        required=true
                        id_suffix=gid
                        error=shown
                    />
                    <TextArea
                        name="note"
                        label="A note"
                        maxlength=NOTE_MAX
                        rows=2
                        id_suffix=gid
                        error=shown
                    />
                    <FormMessage error=shown />
                    <button type="submit" class="button button-secondary">
                        "Save progress"
                    </button>
                </ServerForm>
            </Disclosure>
        }
    });
    view! {
        <li class="goal">
            <h3>
                {goal.title.clone()} " "
                <span class=format!(
                    "badge badge-progress-{}",
                    goal.progress.as_str(),
                )>{goal.progress.label()}</span>
            </h3>
            <dl class="facts">
                {(!goal.why.is_empty())
                    .then(|| {
                        view! {
                            <div>
                                <dt>"Why it matters"</dt>
                                <dd>{goal.why.clone()}</dd>
                            </div>
                        }
                    })}
                {(!goal.measure.is_empty())
                    .then(|| {
                        view! {
                            <div>
                                <dt>"How we will know"</dt>
                                <dd>{goal.measure.clone()}</dd>
                            </div>
                        }
                    })} <div>
                    <dt>"Target date"</dt>
                    <dd>{goal.target_date.clone()}</dd>
                </div>
                {(!goal.tags.is_empty())
                    .then(|| {
                        view! {
                            <div>
                                <dt>"Tags"</dt>
                                <dd>{goal.tags.join(", ")}</dd>
                            </div>
                        }
                    })}
            </dl>
            {(!goal.notes.is_empty())
                .then(|| {
                    view! {
                        <h4>"Progress"</h4>
                        <ul class="plain-list progress-notes">{notes}</ul>
                    }
                })}
            {form}
        </li>
    }
}

/// The editor: three slots, the first required. A draft is kept in this browser as you type,
/// with the version it was typed on, so a restored draft can never silently overwrite a newer
/// sheet.
#[component]
fn Editor(home: MatchHome, action: ServerAction<SaveGoalSheet>) -> impl IntoView {
    let sheet = home.sheet.clone();
    let mid = sheet.match_id;
    let error = last_error(action.value());
    // After a conflict the page shows the sheet as it is now, the partner's version: the next
    // save is made knowingly on it, each slot editing the partner's goal in that place, while
    // the kept draft puts back what was typed (draft::Restore::Typed).
    let conflict = move || match action.value().get() {
        Some(Ok(SaveOutcome::Conflict { theirs })) => Some(view! { <Conflict theirs /> }),
        _ => None,
    };
    let goals_message = move || error.get().and_then(|e| e.for_field("goals"));
    let amend = matches!(
        sheet.state,
        SheetState::Acknowledged | SheetState::Amended { .. }
    );
    let submitted = matches!(sheet.state, SheetState::Submitted | SheetState::Confirmed);
    let slots = (0..GOALS_MAX)
        .map(|i| {
            let g = sheet.goals.get(i).map(Goal::as_input).unwrap_or_default();
            let names = GOAL_SLOT_FIELDS[i];
            let legend = if i == 0 {
                "Goal 1 (required)".to_string()
            } else {
                format!("Goal {} (optional)", i + 1)
            };
            let open = i == 0 || !g.is_blank();
            view! {
                <details class="goal-slot" open=open>
                    <summary>{legend.clone()}</summary>
                    <fieldset>
                        <legend class="visually-hidden">{legend}</legend>
                        <input type="hidden" name=names[0] value=g.id.to_string() data-draft="" />
                        <Field
                            name=names[1]
                            label="Title"
                            value=g.title
                            list="example-goals"
                            maxlength=GOAL_TITLE_MAX
                            hint="Start from one of the program's examples, or write your own."
                            error
                        />
                        <TextArea
                            name=names[2]
                            label="Why it matters"
                            value=g.why
                            maxlength=GOAL_TEXT_MAX
                            rows=3
                            error
                        />
                        <TextArea
                            name=names[3]
                            label="How we will know it is achieved"
                            value=g.measure
                            maxlength=GOAL_TEXT_MAX
                            rows=3
                            error
                        />
                        <Field
                            name=names[4]
                            label="Target date"
                            kind="date"
                            value=g.target_date
                            hint="Within the program."
                            error
                        />
                        <Field
                            name=names[5]
                            label="Tags (optional, separated by commas)"
                            value=g.tags
                            maxlength=200
                            error
                        />
                        {(i > 0)
                            .then(|| {
                                view! {
                                    <p class="hint">
                                        "To remove this goal, clear its fields and save."
                                    </p>
                                }
                            })}
                        {(i + 1 == GOALS_MAX)
                            .then(|| {
                                view! {
                                    <p class="hint">
                                        "Three goals is the most a sheet holds: to add another, replace one."
                                    </p>
                                }
                            })}
                    </fieldset>
                </details>
            }
        })
        .collect_view();
    view! {
        <section class="card editor no-print" aria-labelledby="edit-h">
            <h2 id="edit-h">
                {if amend { "Change the goals" } else { "Write the goals together" }}
            </h2>
            {amend
                .then(|| {
                    view! {
                        <p class="hint">
                            "The sheet was acknowledged: a change is kept in the history and your partner confirms it."
                        </p>
                    }
                })}
            {submitted
                .then(|| {
                    view! {
                        <p class="hint">
                            "Changing a submitted sheet takes it back to a draft; the mentee submits it again."
                        </p>
                    }
                })}
            <div role="alert" aria-live="assertive">
                {conflict}
            </div>
            <datalist id="example-goals">
                {EXAMPLE_GOALS.iter().map(|g| view! { <option value=*g></option> }).collect_view()}
            </datalist>
            <ServerForm
                action
                to_input=goals_from
                class="stack-form"
                draft=draft::Draft::keep(draft_key(mid))
                draft_done=|o| matches!(o, SaveOutcome::Saved { .. })
            >
                <input type="hidden" name="match_id" value=mid.to_string() />
                <input type="hidden" name="version" value=sheet.version.to_string() data-draft="" />
                <div class="field" class:has-error=move || goals_message().is_some()>
                    <p class="field-error" id="f-goals-error" role="alert" aria-live="polite">
                        {goals_message}
                    </p>
                </div>
                {slots}
                <FormMessage error />
                <div role="status" aria-live="polite">
                    {move || {
                        matches!(action.value().get(), Some(Ok(SaveOutcome::Saved { .. })))
                            .then(|| view! { <p class="notice notice-ok">"Saved."</p> })
                    }}
                </div>
                <button type="submit" class="button">
                    "Save the goals"
                </button>
            </ServerForm>
        </section>
    }
}

fn goals_from(f: &FormFields) -> SaveGoalSheet {
    SaveGoalSheet {
        match_id: f.id("match_id"),
        version: f.id("version"),
        goals: GOAL_SLOT_FIELDS
            .iter()
            .map(|n| GoalInput {
                id: f.id(n[0]),
                title: f.get(n[1]),
                why: f.get(n[2]),
                measure: f.get(n[3]),
                target_date: f.get(n[4]),
                tags: f.get(n[5]),
            })
            .collect(),
    }
}

/// The partner's version after a refused save, beside the writer's own text (still in the form).
#[component]
fn Conflict(theirs: SheetView) -> impl IntoView {
    let who = if theirs.updated_by.is_empty() {
        "Your partner".to_string()
    } else {
        theirs.updated_by.clone()
    };
    view! {
        <div class="notice notice-warn conflict">
            <p>
                <strong>
                    {format!(
                        "{who} saved the goal sheet while you were editing, so yours was not saved.",
                    )}
                </strong>
                " Your text is still in the form below. Here is theirs: copy what you want to keep, then save again."
            </p>
            <ol>
                {theirs
                    .goals
                    .into_iter()
                    .map(|g| {
                        view! {
                            <li>
                                <strong>{g.title}</strong>
                                {(!g.why.is_empty())
                                    .then(|| view! { <p>{format!("Why: {}", g.why)}</p> })}
                                {(!g.measure.is_empty())
                                    .then(|| {
                                        view! {
                                            <p>{format!("How we will know: {}", g.measure)}</p>
                                        }
                                    })}
                                <p>{format!("Target date: {}", g.target_date)}</p>
                                {(!g.tags.is_empty())
                                    .then(|| {
                                        view! { <p>{format!("Tags: {}", g.tags.join(", "))}</p> }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </div>
    }
}

#[component]
fn History(entries: Vec<HistoryEntry>) -> impl IntoView {
    if entries.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="history" aria-labelledby="history-h">
            <h2 id="history-h">"History"</h2>
            <ol class="plain-list history-list">
                {entries
                    .into_iter()
                    .map(|h| {
                        view! {
                            <li>
                                <strong>{format!("{} {}", h.actor_name, h.action)}</strong>
                                " · "
                                <time datetime=machine_datetime_of(
                                    h.at,
                                )>{format!("{} UTC", datetime_of(h.at))}</time>
                                {(!h.changes.is_empty())
                                    .then(|| {
                                        view! {
                                            <ul>
                                                {h
                                                    .changes
                                                    .into_iter()
                                                    .map(|c| view! { <li>{c}</li> })
                                                    .collect_view()}
                                            </ul>
                                        }
                                    })}
                                {(!h.comment.is_empty())
                                    .then(|| {
                                        view! {
                                            <p class="note">{format!("“{}”", h.comment)}</p>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

/// "YYYY-MM-DD HH:MM" in UTC from milliseconds.
fn datetime_of(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{} {:02}:{:02}", date_of(ms), minutes / 60, minutes % 60)
}

/// The same moment as a valid global date and time string for `<time datetime>`:
/// "YYYY-MM-DDTHH:MMZ" (the shown text, with its " UTC", is not one).
fn machine_datetime_of(ms: i64) -> String {
    datetime_of(ms).replacen(' ', "T", 1) + "Z"
}
