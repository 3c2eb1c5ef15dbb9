//! The settings page's one editable setting: which roles must sign in with a second factor.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::form_note::FormNote;
use crate::error::AppError;
use crate::model::Role;
use crate::server_fns::two_factor::{get_sign_in_policy, set_sign_in_policy};

/// The policy form.
#[component]
pub fn SignInPolicyForm() -> impl IntoView {
    let policy = Resource::new(|| (), |_| get_sign_in_policy());
    let chosen = RwSignal::new(Vec::<Role>::new());
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    // Saving before the current policy is read would clear it.
    let loaded = RwSignal::new(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        spawn_local(async move {
            match set_sign_in_policy(chosen.get_untracked()).await {
                Ok(_) => {
                    error.set(None);
                    saved.set(true);
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    view! {
        <form class="card" on:submit=save aria-labelledby="policy-title" data-testid="sign-in-policy">
            <h2 id="policy-title">"Two-factor sign-in"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let current = match policy.await {
                        Ok(found) => found.two_factor_roles,
                        Err(problem) => {
                            return view! { <p class="notice error" role="alert">{problem.to_string()}</p> }.into_any();
                        }
                    };
                    chosen.set(current.clone());
                    loaded.set(true);
                    view! {
                        <fieldset class="field-row">
                            <legend>"Required for"</legend>
                            {Role::ALL.into_iter().map(|role| {
                                let on = current.contains(&role);
                                view! {
                                    <label class="field checkbox">
                                        <input type="checkbox" checked=on value=role.as_str() on:change=move |ev| {
                                            saved.set(false);
                                            let checked = event_target_checked(&ev);
                                            chosen.update(|c| { c.retain(|r| *r != role); if checked { c.push(role); } });
                                        }/>
                                        {role.label()}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                    }.into_any()
                })}
            </Suspense>
            <p class="muted small">"Users of these roles without a second factor are sent to set one up at their next page, you included if your role is ticked and yours is not set up."</p>
            <FormNote error fields=&[]/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || !loaded.get()>"Save"</button>
                <Show when=move || saved.get()><span role="status">"Saved."</span></Show>
            </div>
        </form>
    }
}
