//! Signing in, resetting a forgotten password, and the profile.

use crate::api::account::{
    ChangePassword, RequestPasswordReset, ResetPassword as ResetPasswordFn, SignIn as SignInFn,
    UpdateProfile,
};
use crate::api::chat::{SetChatEmail, chat_email_setting};
use crate::api::news::{SetMailSettings, get_mail_settings};
use crate::components::form::{Field, FormMessage, ServerForm, TextArea, last_error};
use crate::model::news::MailSettings;
use crate::model::second_factor::SignInOutcome;
use crate::model::{BIO_MAX, CurrentUser, TIME_ZONES};
use crate::pages::public::info::SignInPrompt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignIn() -> impl IntoView {
    let action = crate::components::form::action::<SignInFn>();
    let error = last_error(action.value());
    view! {
        <Title text="Sign in" />
        <section class="page narrow">
            <h1>"Sign in"</h1>
            <ServerForm
                action=action
                to_input=|f| SignInFn {
                    email: f.get("email"),
                    password: f.get("password"),
                }
                landing=SignInOutcome::landing_of
                class="stack-form"
                // Signing in loads the next page in full (see frontend/src/navigator.rs).
                attr:data-reload=""
            >
                <FormMessage error />
                <Field
                    name="email"
                    label="Email"
                    kind="email"
                    autocomplete="username"
                    required=true
                    error
                />
                <Field
                    name="password"
                    label="Password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    error
                />
                <button type="submit" class="button">
                    "Sign in"
                </button>
            </ServerForm>
            <p>
                <A href="/forgot-password">"Forgot your password?"</A>
            </p>
            <p>"New to the program? " <A href="/apply">"Read how to apply"</A> "."</p>
        </section>
    }
}

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let action = crate::components::form::action::<RequestPasswordReset>();
    let error = last_error(action.value());
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Reset your password" />
        <section class="page narrow">
            <h1>"Reset your password"</h1>
            <p>
                "Enter the email of your account and we will send you a link to choose a new password."
            </p>
            <ServerForm
                action=action
                to_input=|f| RequestPasswordReset {
                    email: f.get("email"),
                }
                class="stack-form"
            >
                <FormMessage error />
                <Field
                    name="email"
                    label="Email"
                    kind="email"
                    autocomplete="email"
                    required=true
                    error
                />
                <button type="submit" class="button">
                    "Send the link"
                </button>
            </ServerForm>
            <div role="status" aria-live="polite">
                <Show when=sent>
                    <p class="notice notice-ok">
                        "If an account uses that address, we have sent it a link. It works once, for one hour. "
                        "Check your spam folder if it has not arrived in a few minutes."
                    </p>
                </Show>
            </div>
            <p>
                <A href="/sign-in">"Back to sign in"</A>
            </p>
        </section>
    }
}

#[component]
pub fn ResetPassword() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let action = crate::components::form::action::<ResetPasswordFn>();
    let error = last_error(action.value());
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Choose a new password" />
        <section class="page narrow">
            <h1>"Choose a new password"</h1>
            <Show
                when=done
                fallback=move || {
                    view! {
                        <Show
                            when=move || !token().is_empty()
                            fallback=|| {
                                view! {
                                    <p class="notice notice-error">
                                        "This page needs the link from your email. "
                                        <A href="/forgot-password">"Ask for a new link"</A> "."
                                    </p>
                                }
                            }
                        >
                            <ServerForm
                                action=action
                                to_input=|f| ResetPasswordFn {
                                    token: f.get("token"),
                                    password: f.get("password"),
                                    confirm: f.get("confirm"),
                                }
                                class="stack-form"
                            >
                                <FormMessage error />
                                <input type="hidden" name="token" value=token />
                                <Field
                                    name="password"
                                    label="New password"
                                    kind="password"
                                    autocomplete="new-password"
                                    hint="8 to 128 characters, and not a common password: a few unrelated words work well."
                                    required=true
                                    error
                                />
                                <Field
                                    name="confirm"
                                    label="New password again"
                                    kind="password"
                                    autocomplete="new-password"
                                    required=true
                                    error
                                />
                                <button type="submit" class="button">
                                    "Save the new password"
                                </button>
                            </ServerForm>
                            <Show when=move || error.get().is_some_and(|e| e.is_form_level())>
                                <p>
                                    <A href="/forgot-password">"Ask for a new link"</A>
                                </p>
                            </Show>
                        </Show>
                    }
                }
            >
                <p class="notice notice-ok" role="status">
                    "Your password has been changed, and you have been signed out everywhere. "
                    <A href="/sign-in">"Sign in with your new password"</A>
                    "."
                </p>
            </Show>
        </section>
    }
}

#[component]
pub fn Profile() -> impl IntoView {
    let update = crate::components::form::action::<UpdateProfile>();
    let change = crate::components::form::action::<ChangePassword>();
    view! {
        <Title text="Profile" />
        <section class="page narrow">
            <h1>"Your profile"</h1>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading your profile…"</p> }
            }>
                // Read once, on the server (this page is never rendered in the browser); who is
                // signed in was read before rendering (`RequestCache::read_ahead`).
                {Suspend::new(async move {
                    match crate::api::account::get_current_user().await {
                        Ok(Some(user)) => view! { <ProfileForms user update change /> }.into_any(),
                        Ok(None) => {
                            view! { <SignInPrompt message="Please sign in to see your profile." /> }
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
fn ProfileForms(
    user: CurrentUser,
    update: ServerAction<UpdateProfile>,
    change: ServerAction<ChangePassword>,
) -> impl IntoView {
    let update_error = last_error(update.value());
    let change_error = last_error(change.value());
    let saved = move || matches!(update.value().get(), Some(Ok(_)));
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    let zone = user.time_zone.clone();
    let participant = !user.is_coordinator();
    let zone_error = move || update_error.get().and_then(|e| e.for_field("time_zone"));
    view! {
        <ServerForm
            action=update
            to_input=|f| UpdateProfile {
                name: f.get("name"),
                pronouns: f.get("pronouns"),
                time_zone: f.get("time_zone"),
                bio: f.get("bio"),
            }
            class="stack-form"
        >
            <h2>"About you"</h2>
            <p class="hint">
                "Your match sees your name, pronouns, time zone and bio. Your email is "
                <strong>{user.email.clone()}</strong> "."
            </p>
            <FormMessage error=update_error />
            <Field
                name="name"
                label="Name"
                value=user.name.clone()
                autocomplete="name"
                required=true
                maxlength=100
                error=update_error
            />
            <Field
                name="pronouns"
                label="Pronouns (optional)"
                value=user.pronouns.clone()
                hint="For example she/her, he/him, they/them."
                maxlength=40
                error=update_error
            />
            <div class="field" class:has-error=move || zone_error().is_some()>
                <label for="f-time_zone">"Time zone"</label>
                <select id="f-time_zone" name="time_zone" aria-describedby="f-time_zone-error">
                    {TIME_ZONES
                        .iter()
                        .map(|z| {
                            let selected = *z == zone;
                            view! {
                                <option value=*z selected=selected>
                                    {z.replace('_', " ")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="field-error" id="f-time_zone-error" role="alert">
                    {zone_error}
                </p>
            </div>
            <TextArea
                name="bio"
                label="Short bio (optional)"
                rows=5
                maxlength=BIO_MAX
                value=user.bio.clone()
                hint=format!("A few sentences for your match, at most {BIO_MAX} characters.")
                error=update_error
            />
            <button type="submit" class="button">
                "Save profile"
            </button>
            <p role="status" class="status-line">
                {move || saved().then_some("Your profile is saved.")}
            </p>
        </ServerForm>

        <ServerForm
            action=change
            to_input=|f| ChangePassword {
                current_password: f.get("current_password"),
                new_password: f.get("new_password"),
                confirm_password: f.get("confirm_password"),
            }
            class="stack-form"
        >
            <h2>"Change your password"</h2>
            <FormMessage error=change_error />
            <Field
                name="current_password"
                label="Current password"
                kind="password"
                autocomplete="current-password"
                required=true
                error=change_error
            />
            <Field
                name="new_password"
                label="New password"
                kind="password"
                autocomplete="new-password"
                hint="8 to 128 characters, and not a common password: a few unrelated words work well."
                required=true
                error=change_error
            />
            <Field
                name="confirm_password"
                label="New password again"
                kind="password"
                autocomplete="new-password"
                required=true
                error=change_error
            />
            <button type="submit" class="button">
                "Change password"
            </button>
            <p role="status" class="status-line">
                {move || {
                    changed()
                        .then_some("Your password is changed. Other devices have been signed out.")
                }}
            </p>
        </ServerForm>
        <section class="stack-form">
            <h2>"Two-step sign-in"</h2>
            <p>
                {if user.second_factor {
                    "On: signing in asks for a code from your authenticator app. "
                } else {
                    "Off: your password alone signs you in. "
                }} <A href="/second-factor">"Manage two-step sign-in"</A>
            </p>
        </section>
        {participant
            .then(|| {
                view! {
                    <ChatEmailForm />
                    <ProgramMailForm />
                }
            })}
    }
}

/// Program News and event reminders (account emails always go).
#[component]
fn ProgramMailForm() -> impl IntoView {
    let save = crate::components::form::action::<SetMailSettings>();
    let error = last_error(save.value());
    let saved = move || save.value().get().and_then(|r| r.ok());
    view! {
        <ServerForm
            action=save
            to_input=|f| SetMailSettings {
                news: f.get("news_email"),
                reminders: f.get("reminder_email"),
            }
            class="stack-form"
        >
            <h2>"Program email"</h2>
            <FormMessage error />
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading your settings…"</p> }
            }>
                {Suspend::new(async move {
                    let s = get_mail_settings()
                        .await
                        .unwrap_or(MailSettings {
                            news: true,
                            reminders: true,
                        });
                    view! {
                        <div class="field checkbox-field">
                            <label>
                                <input type="checkbox" name="news_email" checked=s.news />
                                " Email me Program News each month"
                            </label>
                        </div>
                        <div class="field checkbox-field">
                            <label>
                                <input type="checkbox" name="reminder_email" checked=s.reminders />
                                " Email me a reminder the day before a forum event I am going to"
                            </label>
                            <p class="hint">
                                "Emails about your account (password resets, your match) always come."
                            </p>
                        </div>
                    }
                })}
            </Suspense>
            <button type="submit" class="button">
                "Save program email settings"
            </button>
            <p role="status" class="status-line">
                {move || saved().map(|_| "Saved.")}
            </p>
        </ServerForm>
    }
}

/// Whether to get an email when the partner's chat messages wait unread.
#[component]
fn ChatEmailForm() -> impl IntoView {
    let save = crate::components::form::action::<SetChatEmail>();
    let error = last_error(save.value());
    let saved = move || save.value().get().and_then(|r| r.ok());
    view! {
        <ServerForm
            action=save
            to_input=|f| SetChatEmail {
                on: f.get("chat_email"),
            }
            class="stack-form"
        >
            <h2>"Email about chat"</h2>
            <FormMessage error />
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading your setting…"</p> }
            }>
                {Suspend::new(async move {
                    let on = chat_email_setting().await.unwrap_or(true);
                    view! {
                        <div class="field checkbox-field">
                            <label>
                                <input type="checkbox" name="chat_email" checked=on />
                                " Email me about unread chat messages"
                            </label>
                            <p class="hint">
                                "At most one email every few hours, only when your partner's messages have waited unread and you have not been on Tandem."
                            </p>
                        </div>
                    }
                })}
            </Suspense>
            <button type="submit" class="button">
                "Save email setting"
            </button>
            <p role="status" class="status-line">
                {move || {
                    saved()
                        .map(|on| {
                            if on {
                                "You will get chat emails."
                            } else {
                                "You will not get chat emails."
                            }
                        })
                }}
            </p>
        </ServerForm>
    }
}
