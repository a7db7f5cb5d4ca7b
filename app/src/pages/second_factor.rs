//! Two-step sign-in: the sign-in's code step, and the page where one sets up an authenticator,
//! makes new recovery codes, turns it off (participants) or resets someone else's
//! (coordinators).

use crate::api::account::SignInSecondFactor;
use crate::api::second_factor::{
    ConfirmSecondFactor, RenewRecoveryCodes, ResetSecondFactor, StartSecondFactor,
    TurnOffSecondFactor, get_second_factor,
};
use crate::components::form::{Field, FormMessage, ServerForm, last_error};
use crate::error::AppError;
use crate::model::second_factor::{SecondFactorSetup, SecondFactorStatus, SignInOutcome};
use crate::pages::public::info::SignInPrompt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The sign-in's second step: the code from the authenticator app, or a recovery code.
#[component]
pub fn SignInCode() -> impl IntoView {
    let action = crate::components::form::action::<SignInSecondFactor>();
    let error = last_error(action.value());
    view! {
        <Title text="Enter your code" />
        <section class="page narrow">
            <h1>"Enter your code"</h1>
            <p>
                "Your account signs in in two steps. Open your authenticator app and enter the 6-digit code it shows for Tandem."
            </p>
            <ServerForm
                action=action
                to_input=|f| SignInSecondFactor {
                    code: f.get("code"),
                }
                landing=SignInOutcome::landing_of
                class="stack-form"
                // Signing in loads the next page in full (see frontend/src/navigator.rs).
                attr:data-reload=""
            >
                <FormMessage error />
                <Field
                    name="code"
                    label="Code"
                    autocomplete="one-time-code"
                    hint="The code changes every 30 seconds. Lost your phone? Enter one of your recovery codes here instead."
                    required=true
                    maxlength=24
                    error
                />
                <button type="submit" class="button">
                    "Sign in"
                </button>
            </ServerForm>
            <Show when=move || error.get().is_some_and(|e| e.is_form_level())>
                <p>
                    <A href="/sign-in">"Sign in again"</A>
                </p>
            </Show>
            <p>
                "Lost your phone and your recovery codes? Ask the program coordinator to reset your two-step sign-in."
            </p>
        </section>
    }
}

/// Shown where a coordinator page refused a coordinator without two-step sign-in.
#[component]
pub fn SecondFactorPrompt() -> impl IntoView {
    view! {
        <div class="notice">
            <p>{AppError::SecondFactorNeeded.to_string()}</p>
            <p>
                <A href="/second-factor">"Set up two-step sign-in"</A>
            </p>
        </div>
    }
}

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let start = crate::components::form::action::<StartSecondFactor>();
    let confirm = crate::components::form::action::<ConfirmSecondFactor>();
    let renew = crate::components::form::action::<RenewRecoveryCodes>();
    let turn_off = crate::components::form::action::<TurnOffSecondFactor>();
    let reset = crate::components::form::action::<ResetSecondFactor>();
    // Codes made by this page's last post: shown this once.
    let new_codes = move || {
        confirm
            .value()
            .get()
            .and_then(|r| r.ok())
            .or_else(|| renew.value().get().and_then(|r| r.ok()))
    };
    view! {
        <Title text="Two-step sign-in" />
        <section class="page narrow">
            <h1>"Two-step sign-in"</h1>
            <p>
                "With two-step sign-in, signing in takes your password and a code from an authenticator app on your phone, so a stolen password alone does not open your account."
            </p>
            {move || new_codes().map(|codes| view! { <RecoveryCodes codes /> })}
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading your two-step sign-in…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser).
                {Suspend::new(async move {
                    match get_second_factor().await {
                        Ok(s) => {
                            view! { <Settings status=s start confirm renew turn_off reset /> }
                                .into_any()
                        }
                        Err(AppError::Unauthenticated) => {
                            view! {
                                <SignInPrompt message="Please sign in to set up two-step sign-in." />
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

/// Recovery codes, just made: the only time they are shown.
#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <section class="card notice-ok" aria-labelledby="codes-h">
            <h2 id="codes-h">"Your recovery codes"</h2>
            <p>
                "Keep these somewhere safe, apart from your phone: printed, or in a password manager. Each one signs you in once if you lose your phone. They are shown only now."
            </p>
            <ul class="recovery-codes">
                {codes
                    .into_iter()
                    .map(|c| {
                        view! {
                            <li>
                                <code>{c}</code>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Settings(
    status: SecondFactorStatus,
    start: ServerAction<StartSecondFactor>,
    confirm: ServerAction<ConfirmSecondFactor>,
    renew: ServerAction<RenewRecoveryCodes>,
    turn_off: ServerAction<TurnOffSecondFactor>,
    reset: ServerAction<ResetSecondFactor>,
) -> impl IntoView {
    let start_error = last_error(start.value());
    let renew_error = last_error(renew.value());
    let off_error = last_error(turn_off.value());
    let reset_error = last_error(reset.value());
    let was_reset = move || matches!(reset.value().get(), Some(Ok(())));
    let turned_off = matches!(turn_off.value().get_untracked(), Some(Ok(())));
    let state = if status.on {
        view! {
            <p class="notice notice-ok" role="status">
                {format!(
                    "Two-step sign-in is on. You have {} unused recovery code{}.",
                    status.recovery_codes_left,
                    if status.recovery_codes_left == 1 { "" } else { "s" },
                )}
            </p>
        }
        .into_any()
    } else if status.required {
        view! {
            <p class="notice" role="status">
                "As a coordinator you see applicants' and matches' private answers, so coordinator pages open only once two-step sign-in is on."
            </p>
        }
            .into_any()
    } else if turned_off {
        view! {
            <p class="notice" role="status">
                "Two-step sign-in is off. Your password alone signs you in."
            </p>
        }
        .into_any()
    } else {
        view! {
            <p class="notice" role="status">
                "Two-step sign-in is off. You can turn it on here."
            </p>
        }
        .into_any()
    };
    let setup = status
        .setup
        .clone()
        .map(|s| view! { <Setup setup=s confirm /> });
    let begin = (!status.on && status.setup.is_none()).then(|| {
        view! {
            <ServerForm
                action=start
                to_input=|f| StartSecondFactor {
                    current_code: f.get("current_code"),
                }
                class="stack-form"
            >
                <FormMessage error=start_error />
                <button type="submit" class="button">
                    "Set up two-step sign-in"
                </button>
            </ServerForm>
        }
    });
    let manage = status.on.then(|| {
        view! {
            <ServerForm
                action=renew
                to_input=|f| RenewRecoveryCodes {
                    code: f.get("code"),
                }
                class="stack-form"
            >
                <h2>"New recovery codes"</h2>
                <p class="hint">"Makes ten new codes; the old ones stop working."</p>
                <FormMessage error=renew_error />
                <Field
                    name="code"
                    label="Code from your app"
                    autocomplete="one-time-code"
                    id_suffix=1
                    required=true
                    maxlength=24
                    error=renew_error
                />
                <button type="submit" class="button">
                    "Make new recovery codes"
                </button>
            </ServerForm>
            <ServerForm
                action=start
                to_input=|f| StartSecondFactor {
                    current_code: f.get("current_code"),
                }
                class="stack-form"
            >
                <h2>"Use a new phone"</h2>
                <p class="hint">
                    "Enter a code from your current app (or a recovery code); the new app replaces it once you confirm a code from it."
                </p>
                <FormMessage error=start_error />
                <Field
                    name="current_code"
                    label="Code from your current app"
                    autocomplete="one-time-code"
                    required=true
                    maxlength=24
                    error=start_error
                />
                <button type="submit" class="button">
                    "Set up a new authenticator"
                </button>
            </ServerForm>
        }
    });
    let off = (status.on && !status.required).then(|| {
        view! {
            <ServerForm
                action=turn_off
                to_input=|f| TurnOffSecondFactor {
                    code: f.get("code"),
                }
                class="stack-form"
            >
                <h2>"Turn off two-step sign-in"</h2>
                <FormMessage error=off_error />
                <Field
                    name="code"
                    label="Code from your app, or a recovery code"
                    autocomplete="one-time-code"
                    id_suffix=2
                    required=true
                    maxlength=24
                    error=off_error
                />
                <button type="submit" class="button button-secondary">
                    "Turn off"
                </button>
            </ServerForm>
        }
    });
    let others = (status.required && status.on).then(|| {
        view! {
            <ServerForm
                action=reset
                to_input=|f| ResetSecondFactor {
                    email: f.get("email"),
                }
                class="stack-form"
            >
                <h2>"Reset someone's two-step sign-in"</h2>
                <p class="hint">
                    "For a participant or coordinator who lost their phone and their recovery codes. Check who is asking first: they are signed out everywhere, their password alone signs them in until they set it up again, and they get an email. The audit log records that you did it."
                </p>
                <FormMessage error=reset_error />
                <Field
                    name="email"
                    label="Their email"
                    kind="email"
                    autocomplete="off"
                    required=true
                    error=reset_error
                />
                <button type="submit" class="button button-secondary">
                    "Reset their two-step sign-in"
                </button>
                <p role="status" class="status-line">
                    {move || {
                        was_reset()
                            .then_some(
                                "Done: their two-step sign-in is reset, and they have been emailed.",
                            )
                    }}
                </p>
            </ServerForm>
        }
    });
    view! {
        {state}
        {setup}
        {begin}
        {manage}
        {off}
        {others}
        <p>
            <A href="/profile">"Back to your profile"</A>
        </p>
    }
}

/// A QR code drawn from its modules: black on a white square, crisp at any size.
#[component]
fn QrCode(qr: crate::model::second_factor::QrDrawing) -> impl IntoView {
    let view_box = format!("0 0 {0} {0}", qr.size);
    view! {
        <svg
            class="qr-code"
            role="img"
            aria-label="QR code of the authenticator link"
            viewBox=view_box
            shape-rendering="crispEdges"
        >
            <rect width="100%" height="100%" fill="#fff" />
            <path d=qr.path fill="#000" />
        </svg>
    }
}

/// The authenticator being set up: its QR code, link and secret, and the form for its first code.
#[component]
fn Setup(setup: SecondFactorSetup, confirm: ServerAction<ConfirmSecondFactor>) -> impl IntoView {
    let error = last_error(confirm.value());
    view! {
        <section class="card" aria-labelledby="setup-h">
            <h2 id="setup-h">"Add Tandem to your authenticator app"</h2>
            <ol class="steps">
                <li>
                    "Install an authenticator app on your phone if you have none: any app for \"TOTP\" codes works (Google Authenticator, Microsoft Authenticator, 2FAS, Aegis, or your password manager)."
                </li>
                <li>
                    "Scan this code with the app, or, on this phone, "
                    <a href=setup.link.clone()>"open the link in your authenticator app"</a> "."
                    <QrCode qr=setup.qr.clone() />
                    <p class="hint">
                        "Or type this key into the app: "
                        <code class="secret">{setup.secret.clone()}</code>
                    </p>
                </li>
                <li>"Enter the 6-digit code the app now shows for Tandem."</li>
            </ol>
            <ServerForm
                action=confirm
                to_input=|f| ConfirmSecondFactor {
                    code: f.get("code"),
                }
                class="stack-form"
            >
                <FormMessage error />
                <Field
                    name="code"
                    label="Code from your app"
                    autocomplete="one-time-code"
                    required=true
                    maxlength=12
                    error
                />
                <button type="submit" class="button">
                    "Turn on two-step sign-in"
                </button>
            </ServerForm>
        </section>
    }
}
