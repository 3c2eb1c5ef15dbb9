//! What an admin does to a user's account: disable (their sessions end at once) or enable, a new
//! first password (shown once), ending their sessions, and clearing their second factor (a lost
//! phone). Every action but Enable says what it will do and takes a second press.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::credential::CredentialPanel;
use crate::components::form_note::FormNote;
use crate::error::AppError;
use crate::model::{Credential, PasswordDelivery, UserDetail};
use crate::server_fns::admin::{reset_user_password, set_user_active, sign_out_user};
use crate::server_fns::two_factor::reset_user_two_factor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Disable,
    Enable,
    OneTimePassword,
    Link,
    SignOut,
    ClearTwoFactor,
}

impl Action {
    /// What the action does, said before the second press.
    fn warning(self, username: &str) -> String {
        match self {
            Action::Disable => format!("Disabling signs {username} out everywhere at once; they cannot sign in until enabled again."),
            Action::Enable => String::new(),
            Action::OneTimePassword => format!("{username}'s password stops working and their sessions end; you get a one-time password to hand over."),
            Action::Link => format!("{username}'s password stops working and their sessions end; you get a set-password link to hand over."),
            Action::SignOut => format!("Every open session of {username} ends now."),
            Action::ClearTwoFactor => format!("For a lost phone: {username}'s second factor and recovery codes are removed and their sessions end; they set it up again at their next sign-in if their role requires it."),
        }
    }
}

/// The actions section; `on_changed` reloads the page's user.
#[component]
pub fn UserActions(detail: UserDetail, on_changed: Callback<()>) -> impl IntoView {
    let user_id = detail.user.user_id;
    let active = detail.user.active;
    let username = detail.user.username.clone();
    let pending = RwSignal::new(None::<Action>);
    let error = RwSignal::new(None::<AppError>);
    let credential = RwSignal::new(None::<Credential>);
    let note = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let run = move |action: Action| {
        if action != Action::Enable && pending.get_untracked() != Some(action) {
            pending.set(Some(action));
            return;
        }
        pending.set(None);
        busy.set(true);
        spawn_local(async move {
            let outcome = match action {
                Action::Disable | Action::Enable => {
                    set_user_active(user_id, action == Action::Enable)
                        .await
                        .map(|_| None)
                }
                Action::OneTimePassword => {
                    reset_user_password(user_id, PasswordDelivery::OneTimePassword)
                        .await
                        .map(Some)
                }
                Action::Link => reset_user_password(user_id, PasswordDelivery::Link)
                    .await
                    .map(Some),
                Action::SignOut => sign_out_user(user_id).await.map(|count| {
                    note.set(Some(types::words::plural(
                        count,
                        "session ended",
                        "sessions ended",
                    )));
                    None
                }),
                Action::ClearTwoFactor => reset_user_two_factor(user_id).await.map(|()| {
                    note.set(Some("Two-factor sign-in cleared; sessions ended".into()));
                    None
                }),
            };
            match outcome {
                Ok(made) => {
                    error.set(None);
                    if made.is_some() {
                        credential.set(made);
                    }
                    on_changed.run(());
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let button = move |action: Action, words: &'static str, testid: &'static str| {
        let class = move || {
            if pending.get() == Some(action) {
                "danger"
            } else {
                ""
            }
        };
        let label = move || {
            if pending.get() == Some(action) {
                format!("{words}: press again")
            } else {
                words.to_string()
            }
        };
        view! { <button type="button" class=class disabled=busy data-testid=testid on:click=move |_| run(action)>{label}</button> }
    };
    let warning_for = username.clone();
    view! {
        <section class="card" aria-labelledby="account-actions-title">
            <h2 id="account-actions-title">"Account"</h2>
            {move || pending.get().map(|action| view! { <p class="notice warn" role="alert">{action.warning(&warning_for)}</p> })}
            <div class="actions">
                {if active { button(Action::Disable, "Disable", "toggle-active") } else { button(Action::Enable, "Enable", "toggle-active") }}
                {button(Action::OneTimePassword, "New one-time password", "reset-otp")}
                {button(Action::Link, "New set-password link", "reset-link")}
                {button(Action::SignOut, "Sign out everywhere", "end-sessions")}
                {detail.two_factor.then(|| button(Action::ClearTwoFactor, "Clear two-factor sign-in", "clear-two-factor"))}
                {move || note.get().map(|text| view! { <span role="status" class="muted">{text}</span> })}
            </div>
            <FormNote error fields=&[]/>
            {move || credential.get().map(|credential| view! { <CredentialPanel credential/> })}
        </section>
    }
}
