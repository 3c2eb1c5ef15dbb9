//! One address: check it against POM's common DNC list and the organization's (in every form POM
//! may hold a phone number in), add it, or remove it. The number is shown as sent and as people
//! write it, with the country it was read for. Removing makes a number callable again, so it takes a second, confirming press. Checking
//! also works without JavaScript (the form's plain submission is `/dnc?address=…`); adding and
//! removing are writes and need it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::format::error_text;
use crate::error::AppError;
use crate::model::{DncActionResult, DncCheck};
use crate::server_fns::dnc::{check_dnc, dnc_add, dnc_remove};

/// What the result area shows.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Checked(DncCheck),
    Changed(DncActionResult),
    Failed(AppError),
    /// Remove was pressed once for this address; pressing it again removes.
    ConfirmRemove(String),
    /// Nothing to show: the field was empty, so an earlier answer would mislead.
    Blank,
}

impl From<Result<DncCheck, AppError>> for Outcome {
    fn from(answer: Result<DncCheck, AppError>) -> Outcome {
        answer.map_or_else(Outcome::Failed, Outcome::Checked)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Check,
    Add,
    Remove,
}

fn on_list(on: bool) -> &'static str {
    if on {
        "Yes, on the list"
    } else {
        "No"
    }
}

fn outcome_view(outcome: Outcome) -> AnyView {
    match outcome {
        Outcome::Checked(check) => view! {
            <dl class="dnc-check" data-testid="dnc-check-result">
                <div>
                    <dt>"Checked as"</dt>
                    <dd>
                        <code data-testid="dnc-normalised">{check.address}</code>
                        {check.shown.map(|shown| view! { " · "<span data-testid="dnc-shown">{shown}</span> })}
                        {check.warning.map(|w| view! { <span class="notice warn small" data-testid="dnc-warning">{w}</span> })}
                    </dd>
                </div>
                {(check.forms.len() > 1).then(|| view! {
                    <div>
                        <dt>"Forms looked up"</dt>
                        <dd data-testid="dnc-forms">{check.forms.join(", ")}</dd>
                    </div>
                })}
                {(!check.listed_as.is_empty()).then(|| view! {
                    <div>
                        <dt>"Listed as"</dt>
                        <dd data-testid="dnc-listed-as">{check.listed_as.join(", ")}</dd>
                    </div>
                })}
                <div>
                    <dt>"Common DNC list"</dt>
                    <dd class:listed=check.common data-testid="dnc-common" data-listed=check.common.to_string()>{on_list(check.common)}</dd>
                </div>
                <div>
                    <dt>"Organization's DNC list"</dt>
                    <dd class:listed=check.organization data-testid="dnc-organization" data-listed=check.organization.to_string()>{on_list(check.organization)}</dd>
                </div>
            </dl>
        }
        .into_any(),
        Outcome::Changed(result) => {
            let class = if result.done { "notice ok" } else { "notice warn" };
            view! {
                <p class=class data-testid="dnc-action-result" data-done=result.done.to_string()>
                    <code>{result.address}</code>
                    {result.shown.map(|shown| view! { " ("{shown}")" })}
                    " · "{result.message}
                </p>
            }
            .into_any()
        }
        Outcome::Failed(error) => view! {
            <p class="notice error" role="alert" data-testid="dnc-single-error">{error_text(&error)}</p>
        }
        .into_any(),
        Outcome::Blank => ().into_any(),
        Outcome::ConfirmRemove(address) => view! {
            <p class="notice warn" data-testid="dnc-remove-prompt">
                {format!("Removing {address} from the DNC list makes it callable again. Press “Confirm removal” to go ahead.")}
            </p>
        }
        .into_any(),
    }
}

/// The single-address panel. `address` is the URL's `?address=…`, checked as the page renders.
#[component]
pub fn SinglePanel(address: Memo<Option<String>>) -> impl IntoView {
    let typed = RwSignal::new(address.get_untracked().unwrap_or_default());
    let off_on = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let from_url = Resource::new(
        move || address.get(),
        |address| async move {
            match address {
                Some(address) => Some(check_dnc(address).await),
                None => None,
            }
        },
    );
    let armed = move || matches!(outcome.get(), Some(Outcome::ConfirmRemove(_)));

    let run = move |action: Action| {
        let address = typed.get_untracked().trim().to_string();
        missing.set(address.is_empty());
        if address.is_empty() {
            // The answer on screen was for another address; nothing is asked of the server.
            outcome.set(Some(Outcome::Blank));
            return;
        }
        if busy.get_untracked() {
            return;
        }
        let confirmed = outcome.with_untracked(
            |o| matches!(o, Some(Outcome::ConfirmRemove(armed)) if *armed == address),
        );
        if action == Action::Remove && !confirmed {
            outcome.set(Some(Outcome::ConfirmRemove(address)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let answer = match action {
                Action::Check => Outcome::from(check_dnc(address).await),
                Action::Add => dnc_add(address, off_on.get_untracked())
                    .await
                    .map_or_else(Outcome::Failed, Outcome::Changed),
                Action::Remove => dnc_remove(address)
                    .await
                    .map_or_else(Outcome::Failed, Outcome::Changed),
            };
            outcome.set(Some(answer));
            busy.set(false);
        });
    };

    view! {
        <section class="panel" aria-labelledby="dnc-single-title">
            <h2 id="dnc-single-title">"One address"</h2>
            <p class="muted small">"A phone number or an e-mail address, against POM's common DNC list and your organization's."</p>
            <form class="dnc-single" method="get" action="/dnc"
                on:submit=move |ev| { ev.prevent_default(); run(Action::Check); }>
                <div class="field">
                    <label for="dnc-address">"Phone number or e-mail address"</label>
                    <input id="dnc-address" name="address" type="text" autocomplete="off" spellcheck="false"
                        value=typed.get_untracked() prop:value=move || typed.get()
                        aria-invalid=move || missing.get().then_some("true") aria-describedby="dnc-address-error"
                        on:input=move |ev| {
                            typed.set(event_target_value(&ev));
                            missing.set(false);
                            // A confirmation was for the address as it was.
                            if armed() {
                                outcome.set(None);
                            }
                        }/>
                    <span id="dnc-address-error" class="field-error">
                        {move || missing.get().then_some("Enter a phone number or an e-mail address.")}
                    </span>
                </div>
                <div class="field">
                    <label for="dnc-off-on">"Comes off the list on (optional)"</label>
                    <input id="dnc-off-on" name="off_on" type="date" data-testid="dnc-off-on"
                        aria-describedby="dnc-off-on-help" prop:value=move || off_on.get()
                        on:input=move |ev| off_on.set(event_target_value(&ev))/>
                    <span id="dnc-off-on-help" class="muted small">"Timed DNC: OCM takes the address off at the start of that day. Leave empty to keep it."</span>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="dnc-check" disabled=move || busy.get()>"Check"</button>
                    <button type="button" data-testid="dnc-add" disabled=move || busy.get()
                        on:click=move |_| run(Action::Add)>"Add to DNC list"</button>
                    <button type="button" data-testid="dnc-remove" class:danger=armed disabled=move || busy.get()
                        on:click=move |_| run(Action::Remove)>
                        {move || if armed() { "Confirm removal" } else { "Remove from DNC list" }}
                    </button>
                    <Show when=armed>
                        <button type="button" data-testid="dnc-remove-cancel" on:click=move |_| outcome.set(None)>"Keep it"</button>
                    </Show>
                </div>
            </form>
            <div class="dnc-result" aria-live="polite" data-testid="dnc-result">
                {move || match outcome.get() {
                    Some(outcome) => outcome_view(outcome),
                    None => view! {
                        <Suspense fallback=|| view! { <p class="muted">"Checking…"</p> }>
                            {move || Suspend::new(async move {
                                from_url.await.map(|answer| outcome_view(Outcome::from(answer)))
                            })}
                        </Suspense>
                    }
                    .into_any(),
                }}
                <Show when=move || busy.get()>
                    <p class="muted">"Asking POM…"</p>
                </Show>
            </div>
        </section>
    }
}
