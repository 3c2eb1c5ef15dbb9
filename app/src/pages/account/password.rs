//! `/account/password`: the signed-in user chooses a new password, giving the current one (after a
//! one-time password this page is the only one that opens until it is done). Their other sessions
//! end; the page then goes home.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::rules_text;
use crate::components::form_note::{FieldNote, FormNote};
use crate::components::layout::MeResource;
use crate::error::AppError;
use crate::server_fns::account::change_password;

const FIELDS: &[&str] = &["current_password", "new_password", "repeat"];

/// The password page.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let me = expect_context::<MeResource>();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        spawn_local(async move {
            match change_password(
                current.get_untracked(),
                new.get_untracked(),
                repeat.get_untracked(),
            )
            .await
            {
                Ok(()) => {
                    error.set(None);
                    done.set(true);
                    #[cfg(feature = "hydrate")]
                    let _ = window().location().set_href("/");
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let field = |id: &'static str,
                 label: &'static str,
                 value: RwSignal<String>,
                 auto: &'static str| {
        let note = format!("{id}-error");
        view! {
            <label class="field">
                <span>{label}</span>
                <input id=id type="password" autocomplete=auto required prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev)) aria-describedby=note.clone()/>
                <FieldNote id=note error field=id/>
            </label>
        }
    };
    view! {
        <Title text="Your password"/>
        <div class="page-head">
            <h1>"Your password"</h1>
            <a href="/account/two-factor">"Two-factor sign-in →"</a>
        </div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                me.await.ok().filter(|m| m.user.must_change_password).map(|_| view! {
                    <p class="notice info" role="status" data-testid="must-change">"You signed in with a one-time password. Choose your own password to continue."</p>
                })
            })}
        </Suspense>
        <form class="card narrow" on:submit=submit aria-label="Change your password" data-testid="password-form">
            {field("current_password", "Current password (or the one-time password you signed in with)", current, "current-password")}
            {field("new_password", "New password", new, "new-password")}
            <p class="muted small">{rules_text()}</p>
            {field("repeat", "New password again", repeat, "new-password")}
            <FormNote error fields=FIELDS/>
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-testid="save-password">"Save password"</button>
                <Show when=move || done.get()><span role="status">"Saved."</span></Show>
            </div>
        </form>
    }
}
