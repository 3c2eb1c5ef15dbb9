//! What an admin does to a user's account: disable (a second press confirms; their sessions end
//! at once) or enable, a new first password (shown once), ending their sessions, and clearing
//! their second factor (a lost phone).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::credential::CredentialPanel;
use crate::components::form_note::FormNote;
use crate::error::AppError;
use crate::model::{Credential, PasswordDelivery, UserDetail};
use crate::server_fns::admin::{reset_user_password, set_user_active, sign_out_user};
use crate::server_fns::two_factor::reset_user_two_factor;

/// The actions section; `on_changed` reloads the page's user.
#[component]
pub fn UserActions(detail: UserDetail, on_changed: Callback<UserDetail>) -> impl IntoView {
    let user_id = detail.user.user_id;
    let active = detail.user.active;
    let username = detail.user.username.clone();
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let credential = RwSignal::new(None::<Credential>);
    let note = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let toggle = move |_| {
        if active && !confirming.get() {
            confirming.set(true);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match set_user_active(user_id, !active).await {
                Ok(detail) => {
                    error.set(None);
                    confirming.set(false);
                    on_changed.run(detail);
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let reset = move |delivery: PasswordDelivery| {
        busy.set(true);
        spawn_local(async move {
            match reset_user_password(user_id, delivery).await {
                Ok(made) => {
                    error.set(None);
                    credential.set(Some(made));
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let end_sessions = move |_| {
        busy.set(true);
        spawn_local(async move {
            match sign_out_user(user_id).await {
                Ok(count) => {
                    error.set(None);
                    note.set(Some(types::words::plural(
                        count,
                        "session ended",
                        "sessions ended",
                    )));
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let clear_two_factor = move |_| {
        busy.set(true);
        spawn_local(async move {
            match reset_user_two_factor(user_id).await {
                Ok(()) => {
                    error.set(None);
                    note.set(Some("Two-factor sign-in cleared; sessions ended".into()));
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let disable_words = move || match (active, confirming.get()) {
        (false, _) => "Enable".to_string(),
        (true, false) => "Disable…".to_string(),
        (true, true) => format!("Disable {username} now"),
    };
    view! {
        <section class="card" aria-labelledby="account-actions-title">
            <h2 id="account-actions-title">"Account"</h2>
            <Show when=move || confirming.get()>
                <p class="notice warn" role="alert">"Disabling signs the user out everywhere at once; they cannot sign in until enabled again. Press again to disable."</p>
            </Show>
            <div class="actions">
                <button type="button" class=move || if confirming.get() { "danger" } else { "" }
                    disabled=busy on:click=toggle data-testid="toggle-active">{disable_words}</button>
                <button type="button" disabled=busy data-testid="reset-otp"
                    on:click=move |_| reset(PasswordDelivery::OneTimePassword)>"New one-time password"</button>
                <button type="button" disabled=busy data-testid="reset-link"
                    on:click=move |_| reset(PasswordDelivery::Link)>"New set-password link"</button>
                <button type="button" disabled=busy data-testid="end-sessions" on:click=end_sessions>"Sign out everywhere"</button>
                <button type="button" disabled=busy title="For a lost phone: they set it up again at their next sign-in"
                    on:click=clear_two_factor>"Clear two-factor sign-in"</button>
                {move || note.get().map(|text| view! { <span role="status" class="muted">{text}</span> })}
            </div>
            <FormNote error fields=&[]/>
            {move || credential.get().map(|credential| view! { <CredentialPanel credential/> })}
        </section>
    }
}
