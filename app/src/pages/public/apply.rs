//! Apply: the form when a window is open (creating an account in the same step), the next
//! window and a waitlist of interest when none is, and the applicant's own applications.

use crate::api::apply::{
    ConfirmApplication, ConfirmWaitlist, JoinWaitlist, SubmitApplication, WithdrawApplication,
    apply_page,
};
use crate::components::enhance::ConfirmSubmit;
use crate::components::form::{
    Choices, Field, FormMessage, Select, ServerForm, TextArea, draft, last_error, pairs, same_pairs,
};
use crate::model::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

const DRAFT_KEY: &str = "tandem-apply-draft";

#[component]
pub fn ApplyPage() -> impl IntoView {
    let submit = crate::components::form::action::<SubmitApplication>();
    let withdraw = crate::components::form::action::<WithdrawApplication>();
    view! {
        <Title text="Apply" />
        <section class="page">
            <h1>"Apply to the mentoring program"</h1>
            <div role="status" aria-live="polite">
                <Show when=move || matches!(submit.value().get(), Some(Ok(ApplyOutcome::Sent(_))))>
                    <p class="notice notice-ok">
                        "Thank you: your application is in. We will email you when a coordinator has read it."
                    </p>
                </Show>
                <Show when=move || {
                    matches!(submit.value().get(), Some(Ok(ApplyOutcome::CheckEmail)))
                }>
                    <div class="notice notice-ok">
                        <p>
                            <strong>"Check your email to continue."</strong>
                        </p>
                        <p>
                            "We sent a link to the address you gave. Your application is sent when you open it, within two days. If that address has an account already, the email says how to sign in instead."
                        </p>
                    </div>
                </Show>
            </div>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match apply_page().await {
                        Ok(info) => {
                            let user = info.viewer.clone();
                            view! { <ApplyBody info user submit withdraw /> }.into_any()
                        }
                        Err(e) => {
                            view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
            <ApplyAbout />
        </section>
    }
}

#[component]
fn ApplyBody(
    info: ApplyInfo,
    user: Option<CurrentUser>,
    submit: ServerAction<SubmitApplication>,
    withdraw: ServerAction<WithdrawApplication>,
) -> impl IntoView {
    let applied_to_open = info
        .open
        .as_ref()
        .is_some_and(|w| info.mine.iter().any(|a| a.cohort_id == w.cohort_id));
    let is_coordinator = user.as_ref().is_some_and(|u| u.is_coordinator());
    let signed_in = user.is_some();
    let form = match (info.open, applied_to_open, is_coordinator) {
        (_, _, true) => view! {
            <p class="notice">
                "You are signed in as a coordinator. Applications are reviewed under "
                <A href="/coordinator/applications">"Applications"</A> "."
            </p>
        }
        .into_any(),
        (Some(_), true, _) => ().into_any(),
        (Some(window), false, false) => view! {
            // Once a visitor's application waits for its email, the form has done its part.
            <Show when=move || !matches!(submit.value().get(), Some(Ok(ApplyOutcome::CheckEmail)))>
                <ApplyForm window=window.clone() signed_in submit />
            </Show>
        }
        .into_any(),
        (None, _, _) => view! { <ClosedWindow next=info.next /> }.into_any(),
    };
    view! {
        <MyApplications mine=info.mine withdraw />
        {form}
    }
}

#[component]
fn MyApplications(
    mine: Vec<MyApplication>,
    withdraw: ServerAction<WithdrawApplication>,
) -> impl IntoView {
    if mine.is_empty() {
        return ().into_any();
    }
    let error = last_error(withdraw.value());
    view! {
        <section class="card" aria-labelledby="mine-h">
            <h2 id="mine-h">"Your applications"</h2>
            <FormMessage error />
            <ul class="plain-list">
                {mine
                    .into_iter()
                    .map(|a| {
                        let id = a.id;
                        let can = a.can_withdraw();
                        view! {
                            <li class="application-status">
                                <span>
                                    {format!("{} — as a {}", a.cohort_name, a.role.as_str())}
                                </span>
                                <span class=format!(
                                    "badge badge-{}",
                                    a.state.as_str(),
                                )>{a.state.status()}</span>
                                {can
                                    .then(|| {
                                        view! {
                                            <ServerForm
                                                action=withdraw
                                                to_input=|f| WithdrawApplication {
                                                    id: f.id("id"),
                                                }
                                                instance=id
                                                class="inline-form"
                                            >
                                                <input type="hidden" name="id" value=id.to_string() />
                                                <ConfirmSubmit
                                                    label="Withdraw".to_string()
                                                    question="Withdraw this application? You can apply again in a later window."
                                                        .to_string()
                                                    class="button button-secondary button-small".to_string()
                                                />
                                            </ServerForm>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="hint">
                "We email you when a coordinator decides, and again when you are matched."
            </p>
        </section>
    }
    .into_any()
}

#[component]
fn ClosedWindow(next: Option<CohortWindow>) -> impl IntoView {
    let join = crate::components::form::action::<JoinWaitlist>();
    let error = last_error(join.value());
    let done = move || matches!(join.value().get(), Some(Ok(())));
    view! {
        <div class="notice">
            {match next {
                Some(w) => {
                    view! {
                        <p>
                            {format!(
                                "Applications are closed right now. The next window, for {}, opens on {} and closes on {}.",
                                w.name,
                                w.applications_open,
                                w.applications_close,
                            )}
                        </p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p>
                            "Applications are closed right now, and the next window has not been announced yet."
                        </p>
                    }
                        .into_any()
                }
            }}
        </div>
        <h2>"Be told when applications open"</h2>
        <ServerForm
            action=join
            to_input=|f| JoinWaitlist {
                email: f.get("email"),
            }
            class="stack-form narrow-form"
        >
            <FormMessage error />
            <Field
                name="email"
                label="Your email"
                kind="email"
                autocomplete="email"
                required=true
                error
            />
            <button type="submit" class="button">
                "Tell me"
            </button>
        </ServerForm>
        <div role="status" aria-live="polite">
            <Show when=done>
                <div class="notice notice-ok">
                    <p>
                        <strong>"Check your email to finish."</strong>
                    </p>
                    <p>
                        "We sent a link to that address: open it to be put on the list. Then we email you once when the next window opens."
                    </p>
                </div>
            </Show>
        </div>
    }
}

fn form_from(f: &crate::components::form::FormFields) -> SubmitApplication {
    SubmitApplication {
        form: ApplicationForm {
            cohort_id: f.id("cohort_id"),
            role: f.get("role"),
            name: f.get("name"),
            email: f.get("email"),
            password: f.get("password"),
            library_type: f.get("library_type"),
            library_name: f.get("library_name"),
            job_title: f.get("job_title"),
            years_experience: f.get("years_experience"),
            interests: f.get_all("interests"),
            interests_other: f.get("interests_other"),
            region: f.get("region"),
            time_zone: f.get("time_zone"),
            meet_ways: f.get_all("meet_ways"),
            hours_per_month: f.get("hours_per_month"),
            hopes: f.get("hopes"),
            mentor_capacity: f.get("mentor_capacity"),
            gender: f.get("gender"),
            race_ethnicity: f.get("race_ethnicity"),
            wants_shared_identity: f.checked("wants_shared_identity"),
            agree: f.checked("agree"),
        },
    }
}

#[component]
fn ApplyForm(
    window: CohortWindow,
    signed_in: bool,
    submit: ServerAction<SubmitApplication>,
) -> impl IntoView {
    let error = last_error(submit.value());
    let roles = vec![
        (
            "mentee".to_string(),
            "Mentee: I would like a mentor".to_string(),
        ),
        (
            "mentor".to_string(),
            "Mentor: I would like to mentor a colleague".to_string(),
        ),
    ];
    let capacities = vec![
        ("1".to_string(), "1 mentee".to_string()),
        ("2".to_string(), "2 mentees".to_string()),
        ("3".to_string(), "3 mentees".to_string()),
    ];
    view! {
        <p class="lead">
            {format!(
                "Applications for {} are open until {}. The program runs from {} to {}.",
                window.name,
                window.applications_close,
                window.program_start,
                window.program_end,
            )}
        </p>
        <p class="hint">
            "Your answers are kept on this device as you type, so nothing is lost if the connection drops."
        </p>
        <ServerForm
            action=submit
            to_input=form_from
            class="stack-form apply-form"
            draft=draft::Draft::keep(DRAFT_KEY)
        >
            <input type="hidden" name="cohort_id" value=window.cohort_id.to_string() />
            <Choices name="role" legend="I am applying as a" options=roles multiple=false error />
            {(!signed_in)
                .then(|| {
                    view! {
                        <fieldset class="form-section" data-private="">
                            <legend>"Your account"</legend>
                            <p class="hint">
                                "Already have an account? " <A href="/sign-in">"Sign in"</A>
                                " first, then come back. "
                                "We email you a link to confirm your address: your account is made and your application sent when you open it."
                            </p>
                            <Field
                                name="name"
                                label="Your name"
                                autocomplete="name"
                                required=true
                                maxlength=NAME_MAX
                                error
                            />
                            <Field
                                name="email"
                                label="Email"
                                kind="email"
                                autocomplete="email"
                                required=true
                                error
                            />
                            <Field
                                name="password"
                                label="Choose a password"
                                kind="password"
                                autocomplete="new-password"
                                hint="At least 8 characters, and not a common password: a few unrelated words work well."
                                required=true
                                maxlength=PASSWORD_MAX
                                error
                            />
                        </fieldset>
                    }
                })}
            <fieldset class="form-section">
                <legend>"Your library and experience"</legend>
                <Select
                    name="library_type"
                    label="Library type"
                    options=pairs(LIBRARY_TYPES)
                    placeholder="Choose…"
                    error
                />
                <Field
                    name="library_name"
                    label="Library or school"
                    required=true
                    maxlength=LIBRARY_NAME_MAX
                    error
                />
                <Field
                    name="job_title"
                    label="Current role"
                    hint="For example: children's librarian, school librarian, library assistant."
                    required=true
                    maxlength=JOB_TITLE_MAX
                    error
                />
                <Field
                    name="years_experience"
                    label="Years of experience in libraries"
                    kind="number"
                    required=true
                    error
                />
            </fieldset>
            <fieldset class="form-section">
                <legend>"What you care about"</legend>
                <Choices
                    name="interests"
                    legend="Areas of interest"
                    hint="Choose any that apply."
                    options=same_pairs(INTERESTS)
                    error
                />
                <Field
                    name="interests_other"
                    label="Anything else (optional)"
                    maxlength=INTERESTS_OTHER_MAX
                    error
                />
            </fieldset>
            <fieldset class="form-section">
                <legend>"Where and how you meet"</legend>
                <Field
                    name="region"
                    label="Region"
                    hint="A state, province or country."
                    required=true
                    maxlength=REGION_MAX
                    error
                />
                <Select
                    name="time_zone"
                    label="Time zone"
                    options=same_pairs(TIME_ZONES)
                    selected="America/Chicago"
                    error
                />
                <Choices
                    name="meet_ways"
                    legend="Preferred ways to meet"
                    options=pairs(MEET_WAYS)
                    error
                />
                <Field
                    name="hours_per_month"
                    label="Hours a month you can give"
                    kind="number"
                    hint="Most matches give 2 to 4."
                    required=true
                    error
                />
                <Select
                    name="mentor_capacity"
                    label="Mentors: how many mentees can you take?"
                    options=capacities
                    hint="Mentees can leave this as it is."
                    error
                />
            </fieldset>
            <TextArea
                name="hopes"
                label="What do you hope to get from the year?"
                required=true
                maxlength=HOPES_MAX
                rows=5
                error
            />
            // Never kept in this browser's draft (`draft::save` skips `data-private`): on a shared
            // computer the next person would find them.
            <fieldset class="form-section private" data-private="">
                <legend>"Optional and private"</legend>
                <p class="hint">
                    "Only coordinators see these answers, to match well. Your partner never sees them."
                </p>
                <Field name="gender" label="Gender (optional)" maxlength=IDENTITY_MAX error />
                <Field
                    name="race_ethnicity"
                    label="Race or ethnicity (optional)"
                    maxlength=IDENTITY_MAX
                    error
                />
                <label class="choice">
                    <input type="checkbox" name="wants_shared_identity" value="yes" />
                    <span>"I would like to be matched with someone who shares these"</span>
                </label>
            </fieldset>
            <fieldset
                class="field choices"
                class:has-error=move || error.get().and_then(|e| e.for_field("agree")).is_some()
            >
                <legend>"The commitment"</legend>
                <label class="choice">
                    <input
                        type="checkbox"
                        name="agree"
                        value="yes"
                        aria-describedby="f-agree-error"
                    />
                    <span>
                        "I commit to the program year: a goal sheet with my partner in the first month, contact about twice a month, and the monthly news and forum."
                    </span>
                </label>
                <p class="field-error" id="f-agree-error" role="alert" aria-live="polite">
                    {move || error.get().and_then(|e| e.for_field("agree"))}
                </p>
            </fieldset>
            <FormMessage error />
            <button type="submit" class="button">
                "Send my application"
            </button>
        </ServerForm>
    }
}

#[component]
fn ApplyAbout() -> impl IntoView {
    view! {
        <div class="prose">
            <h2>"Who can apply"</h2>
            <p>
                "Anyone who serves children in a library: public, school, academic or special. Mentees are often "
                "new to the profession or to a role; mentors have some years of experience they are glad to share."
            </p>
            <h2>"The commitment"</h2>
            <p>
                "A program year, a goal sheet completed together in the first month, contact about twice a month, "
                "and an open mind."
            </p>
        </div>
    }
}

/// `/apply/confirm?token=…`, the link from the apply email. Opening it changes nothing (mail
/// scanners open links too): the button sends the application.
#[component]
pub fn ConfirmApplicationPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let confirm = crate::components::form::action::<ConfirmApplication>();
    let error = last_error(confirm.value());
    let done = move || matches!(confirm.value().get(), Some(Ok(_)));
    view! {
        <Title text="Confirm your application" />
        <section class="page narrow">
            <h1>"Confirm your application"</h1>
            <div role="status" aria-live="polite">
                <Show when=done>
                    <p class="notice notice-ok">
                        "Thank you: your email is confirmed and your application is in. We will email you when a coordinator has read it."
                    </p>
                    <p>
                        <A href="/apply">"See your application"</A>
                    </p>
                </Show>
            </div>
            <Show when=move || !done()>
                <Show
                    when=move || !token().is_empty()
                    fallback=|| {
                        view! {
                            <p class="notice notice-error">
                                "This page needs the link from your email. "
                                <A href="/apply">"Apply"</A> " to get one."
                            </p>
                        }
                    }
                >
                    <p>
                        "This confirms that the email address is yours, makes your account, and sends the application you filled in."
                    </p>
                    <ServerForm
                        action=confirm
                        to_input=|f| ConfirmApplication {
                            token: f.get("token"),
                        }
                        class="stack-form"
                    >
                        <FormMessage error />
                        <input type="hidden" name="token" value=token />
                        <button type="submit" class="button">
                            "Confirm and send my application"
                        </button>
                    </ServerForm>
                    <Show when=move || error.get().is_some_and(|e| e.is_form_level())>
                        <p>
                            <A href="/apply">"Back to Apply"</A>
                        </p>
                    </Show>
                </Show>
            </Show>
        </section>
    }
}

/// `/waitlist/confirm?token=…`, the link from the waitlist's confirmation mail. As with every
/// emailed link, opening it changes nothing; the button lists the address.
#[component]
pub fn ConfirmWaitlistPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let confirm = crate::components::form::action::<ConfirmWaitlist>();
    let error = last_error(confirm.value());
    let done = move || matches!(confirm.value().get(), Some(Ok(())));
    view! {
        <Title text="Be told when applications open" />
        <section class="page narrow">
            <h1>"Be told when applications open"</h1>
            <div role="status" aria-live="polite">
                <Show when=done>
                    <p class="notice notice-ok">
                        "You are on the list. We will email you once when the next window opens."
                    </p>
                    <p>
                        <A href="/apply">"Back to Apply"</A>
                    </p>
                </Show>
            </div>
            <Show when=move || !done()>
                <Show
                    when=move || !token().is_empty()
                    fallback=|| {
                        view! {
                            <p class="notice notice-error">
                                "This page needs the link from your email."
                            </p>
                        }
                    }
                >
                    <ServerForm
                        action=confirm
                        to_input=|f| ConfirmWaitlist {
                            token: f.get("token"),
                        }
                        class="stack-form"
                    >
                        <FormMessage error />
                        <input type="hidden" name="token" value=token />
                        <button type="submit" class="button">
                            "Put me on the list"
                        </button>
                    </ServerForm>
                </Show>
            </Show>
        </section>
    }
}
