//! `/account/two-factor`: the user's second factor. Setting it up shows a QR code (and the secret
//! to type), takes one code from the app, and shows ten recovery codes once. Once on: new recovery
//! codes, or turning it off when the role does not require it. A role that requires it sends the
//! user here before anything else.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use crate::components::form_note::{FieldNote, FormNote};
use crate::error::AppError;
use crate::model::{TwoFactorSetup, TwoFactorStatus};
use crate::server_fns::two_factor::{
    get_two_factor, two_factor_begin, two_factor_confirm, two_factor_disable,
    two_factor_recovery_codes,
};

#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <section class="card credential" role="status" aria-labelledby="recovery-title" data-testid="recovery-codes">
            <h2 id="recovery-title">"Your recovery codes (shown once)"</h2>
            <p>"Each works once instead of a code from your app. Keep them somewhere safe, away from your phone."</p>
            <ul class="codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
            <p><a href="/">"Continue to OCM →"</a></p>
        </section>
    }
}

#[component]
fn CodeField(code: RwSignal<String>, error: RwSignal<Option<AppError>>) -> impl IntoView {
    view! {
        <label class="field">
            <span>"Code from your app"</span>
            <input id="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="8"
                prop:value=code on:input=move |ev| code.set(event_target_value(&ev)) aria-describedby="code-error"/>
            <FieldNote id="code-error".into() error field="code"/>
        </label>
    }
}

#[component]
fn SetUp(on_done: Callback<Vec<String>>) -> impl IntoView {
    let setup = RwSignal::new(None::<TwoFactorSetup>);
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let start = move |_| {
        spawn_local(async move {
            match two_factor_begin().await {
                Ok(found) => {
                    error.set(None);
                    setup.set(Some(found));
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    let confirm = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        spawn_local(async move {
            match two_factor_confirm(code.get_untracked()).await {
                Ok(codes) => {
                    error.set(None);
                    on_done.run(codes);
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    view! {
        <Show when=move || setup.with(Option::is_none)>
            <button type="button" class="primary" on:click=start data-testid="two-factor-start">"Set up two-factor sign-in"</button>
        </Show>
        {move || setup.get().map(|found| view! {
            <form class="card narrow" on:submit=confirm aria-label="Confirm two-factor sign-in">
                <p>"Scan this code with an authenticator app (any app for “TOTP” codes), or type the key."</p>
                <div class="qr" inner_html=found.qr_svg role="img" aria-label="QR code of the key"></div>
                <p class="small">"Key: "<code data-testid="two-factor-secret">{found.secret}</code></p>
                <CodeField code error/>
                <FormNote error fields=&["code"]/>
                <button type="submit" class="primary" data-testid="two-factor-confirm">"Turn on"</button>
            </form>
        })}
    }
}

#[component]
fn Manage(
    status: TwoFactorStatus,
    on_codes: Callback<Vec<String>>,
    on_off: Callback<()>,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let renew = move |_| {
        spawn_local(async move {
            match two_factor_recovery_codes(code.get_untracked()).await {
                Ok(codes) => {
                    error.set(None);
                    on_codes.run(codes);
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    let off = move |_| {
        spawn_local(async move {
            match two_factor_disable(code.get_untracked()).await {
                Ok(()) => {
                    error.set(None);
                    on_off.run(());
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    view! {
        <div class="card narrow">
            <p data-testid="two-factor-on">{format!(
                "Two-factor sign-in is on. {} recovery code{} left.",
                status.recovery_codes_left, if status.recovery_codes_left == 1 { "" } else { "s" }
            )}</p>
            <CodeField code error/>
            <FormNote error fields=&["code"]/>
            <div class="actions">
                <button type="button" on:click=renew>"New recovery codes"</button>
                <Show when=move || !status.required fallback=|| view! { <span class="muted small">"Your role requires it: it cannot be turned off."</span> }>
                    <button type="button" on:click=off>"Turn off"</button>
                </Show>
            </div>
        </div>
    }
}

/// The two-factor page.
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_two_factor());
    let codes = RwSignal::new(None::<Vec<String>>);
    let on_codes = Callback::new(move |fresh: Vec<String>| {
        codes.set(Some(fresh));
        status.refetch();
    });
    let on_off = Callback::new(move |_: ()| status.refetch());
    view! {
        <Title text="Two-factor sign-in"/>
        <div class="page-head">
            <h1>"Two-factor sign-in"</h1>
            <p class="muted">"After your password, OCM asks for a code from an app on your phone."</p>
        </div>
        {move || codes.get().map(|codes| view! { <RecoveryCodes codes/> })}
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(found) if found.enabled => view! { <Manage status=found on_codes on_off/> }.into_any(),
                    Ok(found) => view! {
                        {found.required.then(|| view! {
                            <p class="notice info" role="status" data-testid="two-factor-required">"Your role must sign in with a second factor. Set it up to continue."</p>
                        })}
                        <SetUp on_done=on_codes/>
                    }.into_any(),
                    Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
