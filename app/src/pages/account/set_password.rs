//! `/account/set-password?token=…`: the page a set-password link opens, without signing in. It
//! names the user the link is for, takes the new password twice, and sends them to sign in.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::rules_text;
use crate::components::form_note::{FieldNote, FormNote};
use crate::error::AppError;
use crate::server_fns::account::{password_link_user, set_password_with_link};

/// The set-password page.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let who = Resource::new(token, password_link_user);
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let token = token();
        spawn_local(async move {
            match set_password_with_link(token, new.get_untracked(), repeat.get_untracked()).await {
                Ok(username) => {
                    error.set(None);
                    done.set(Some(username));
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    view! {
        <Title text="Choose your password"/>
        <main class="login-page">
            <div class="login-card">
                <p class="brand-mark large" aria-hidden="true">"OCM"</p>
                <h1>"Choose your password"</h1>
                <Suspense fallback=|| view! { <p class="muted" role="status">"Checking the link…"</p> }>
                    {move || Suspend::new(async move {
                        match who.await {
                            Err(problem) => view! { <p class="notice error" role="alert" data-testid="link-refused">{problem.to_string()}</p> }.into_any(),
                            Ok(username) => view! {
                                <Show when=move || done.get().is_none() fallback=move || view! {
                                    <p class="notice info" role="status" data-testid="link-done">"Your password is set. "<a href="/login">"Sign in"</a></p>
                                }>
                                    <form on:submit=submit aria-label="Choose your password">
                                        <p>"For user " <strong data-testid="link-user">{username.clone()}</strong></p>
                                        <label class="field">
                                            <span>"New password"</span>
                                            <input id="new_password" type="password" autocomplete="new-password" required
                                                prop:value=new on:input=move |ev| new.set(event_target_value(&ev)) aria-describedby="new_password-error"/>
                                            <FieldNote id="new_password-error".into() error field="new_password"/>
                                        </label>
                                        <p class="muted small">{rules_text()}</p>
                                        <label class="field">
                                            <span>"New password again"</span>
                                            <input id="repeat" type="password" autocomplete="new-password" required
                                                prop:value=repeat on:input=move |ev| repeat.set(event_target_value(&ev)) aria-describedby="repeat-error"/>
                                            <FieldNote id="repeat-error".into() error field="repeat"/>
                                        </label>
                                        <FormNote error fields=&["new_password", "repeat"]/>
                                        <button type="submit" class="primary">"Set password"</button>
                                    </form>
                                </Show>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}
