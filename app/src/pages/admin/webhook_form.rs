//! The register-a-webhook form (client, URL, kinds) and the panel that shows a signing secret
//! once. The URL is checked as typed once tried; the server's refusal is shown at its field.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::form_note::{field_problem, FieldNote, FormNote};
use crate::error::AppError;
use crate::model::{IssuedWebhookSecret, NewWebhook, EVENT_KINDS};
use crate::server_fns::webhooks::create_webhook;

const FIELDS: &[&str] = &["client_id", "url", "kinds"];

/// A problem found before sending: a client chosen, an http(s) URL.
fn local_problem(new: &NewWebhook) -> Option<AppError> {
    if new.client_id.is_empty() {
        return Some(AppError::validation("client_id", "choose a client"));
    }
    let url = new.url.trim();
    (!(url.starts_with("https://") || url.starts_with("http://")) || url.len() < 10)
        .then(|| AppError::validation("url", "the receiver's address, starting with https://"))
}

/// The form; `on_created` receives the secret to show once.
#[component]
pub fn WebhookForm(
    clients: Vec<(String, String)>,
    on_created: Callback<IssuedWebhookSecret>,
) -> impl IntoView {
    let client_id = RwSignal::new(clients.first().map(|c| c.0.clone()).unwrap_or_default());
    let url = RwSignal::new(String::new());
    let kinds = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let new = NewWebhook {
            client_id: client_id.get_untracked(),
            url: url.get_untracked(),
            kinds: kinds.get_untracked(),
        };
        if let Some(problem) = local_problem(&new) {
            error.set(Some(problem));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match create_webhook(new).await {
                Ok(issued) => {
                    error.set(None);
                    url.set(String::new());
                    on_created.run(issued);
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let invalid = move |field: &'static str| {
        move || error.with(|e| field_problem(e, field).is_some().then_some("true"))
    };
    view! {
        <form class="card" novalidate on:submit=submit aria-labelledby="new-webhook-title" data-testid="new-webhook">
            <h2 id="new-webhook-title">"Register a webhook"</h2>
            <div class="form-grid">
                <label class="field">
                    <span>"Client"</span>
                    <select id="webhook-client" on:change=move |ev| client_id.set(event_target_value(&ev))
                        aria-invalid=invalid("client_id") aria-describedby="webhook-client-error">
                        {clients.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                    </select>
                    <FieldNote id="webhook-client-error".into() error field="client_id"/>
                </label>
                <label class="field wide">
                    <span>"Receiver URL"</span>
                    <input id="webhook-url" type="url" autocomplete="off" required placeholder="https://crm.example.com/hooks/ocm"
                        prop:value=url on:input=move |ev| url.set(event_target_value(&ev))
                        aria-invalid=invalid("url") aria-describedby="webhook-url-error"/>
                    <FieldNote id="webhook-url-error".into() error field="url"/>
                </label>
            </div>
            <fieldset class="field-row" aria-describedby="webhook-kinds-note webhook-kinds-error">
                <legend>"Events"</legend>
                <p class="muted small" id="webhook-kinds-note">"None ticked: every kind the client's scopes let it see. Only its organization's events (and those for every organization) are sent."</p>
                {EVENT_KINDS.into_iter().map(|(kind, label, _)| view! {
                    <label class="field checkbox">
                        <input type="checkbox" value=kind data-testid="webhook-kind"
                            prop:checked=move || kinds.with(|k| k.iter().any(|x| x == kind))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                kinds.update(|k| {
                                    k.retain(|x| x != kind);
                                    if on {
                                        k.push(kind.to_string());
                                    }
                                });
                            }/>
                        <code>{kind}</code>" — "{label}
                    </label>
                }).collect_view()}
                <FieldNote id="webhook-kinds-error".into() error field="kinds"/>
            </fieldset>
            <FormNote error fields=FIELDS/>
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-testid="register-webhook">"Register webhook"</button>
            </div>
        </form>
    }
}

/// A webhook's signing secret, shown once.
#[component]
pub fn WebhookSecretPanel(issued: IssuedWebhookSecret) -> impl IntoView {
    view! {
        <section class="card credential" role="status" aria-labelledby="webhook-secret-title" data-testid="webhook-secret">
            <h2 id="webhook-secret-title">"Shown once: the signing secret for " {issued.url.clone()}</h2>
            <label class="field">
                <span>"Signing secret"</span>
                <input type="text" readonly value=issued.secret.clone() data-testid="signing-secret" aria-describedby="webhook-secret-note"/>
            </label>
            <p class="muted small" id="webhook-secret-note">"Every delivery carries "<code>"OCM-Signature: t=…,v1=…"</code>": HMAC-SHA256 with this secret over the timestamp, a dot and the body. Give it to the receiver now; rotate it if it is lost."</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_and_an_http_url_are_checked_before_sending() {
        let new = |client: &str, url: &str| NewWebhook {
            client_id: client.into(),
            url: url.into(),
            kinds: Vec::new(),
        };
        assert!(local_problem(&new("c", "https://crm.example.com/x")).is_none());
        assert!(local_problem(&new("", "https://crm.example.com/x")).is_some());
        let problem = local_problem(&new("c", "crm.example.com"));
        assert!(field_problem(&problem, "url").is_some());
    }
}
