//! The webhooks page (`/admin/webhooks`, admins): register a receiver for a client's events (its
//! signing secret shown once), see each webhook's deliveries and last outcome, send it a test
//! event, disable or enable it, rotate its secret, remove it; below, the latest deliveries with
//! their attempts and errors. The events themselves are described on `/api/docs`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::webhook_form::{WebhookForm, WebhookSecretPanel};
use crate::components::format::{error_text, short_time};
use crate::error::AppError;
use crate::model::{IssuedWebhookSecret, WebhookDeliveryRow, WebhookRow};
use crate::server_fns::webhooks::{
    get_webhooks, remove_webhook, rotate_webhook, set_webhook_enabled, test_webhook,
};

fn when(at: &Option<String>) -> String {
    at.as_deref().map(short_time).unwrap_or_else(|| "—".into())
}

/// One webhook's row with its actions; a refusal is shown in the row.
#[component]
fn WebhookLine(
    webhook: WebhookRow,
    on_changed: Callback<()>,
    on_secret: Callback<IssuedWebhookSecret>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<AppError>);
    let enabled = webhook.disabled_at.is_none();
    let id = webhook.webhook_id.clone();
    // Each action reloads the page's data; a new secret is shown once.
    let done = move |outcome: Result<Option<IssuedWebhookSecret>, AppError>| match outcome {
        Ok(issued) => {
            if let Some(issued) = issued {
                on_secret.run(issued);
            }
            on_changed.run(());
        }
        Err(error) => problem.set(Some(error)),
    };
    let toggle = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn_local(
                async move { done(set_webhook_enabled(id, !enabled).await.map(|()| None)) },
            );
        }
    };
    let rotate = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn_local(async move { done(rotate_webhook(id).await.map(Some)) });
        }
    };
    let test = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn_local(async move { done(test_webhook(id).await.map(|()| None)) });
        }
    };
    // Removing forgets the delivery log too: the first press asks, the second removes.
    let armed = RwSignal::new(false);
    let remove = move |_| {
        if !armed.get_untracked() {
            armed.set(true);
            return;
        }
        let id = id.clone();
        spawn_local(async move { done(remove_webhook(id).await.map(|()| None)) });
    };
    let kinds = if webhook.kinds.is_empty() {
        "Every kind its scopes allow".to_string()
    } else {
        webhook.kinds.join(", ")
    };
    let state = if enabled {
        "Enabled".to_string()
    } else {
        format!("Disabled {}", when(&webhook.disabled_at))
    };
    view! {
        <tr data-testid="webhook-row">
            <td><strong>{webhook.client_name.clone()}</strong><br/><code class="small">{webhook.url.clone()}</code></td>
            <td class="small">{kinds}</td>
            <td class="num">{webhook.delivered}</td>
            <td class="num">{webhook.waiting}</td>
            <td class="num">{webhook.failed}</td>
            <td class="small">{when(&webhook.last_attempt_at)}" "{webhook.last_outcome.clone().unwrap_or_default()}</td>
            <td>{state}</td>
            <td class="row-actions">
                <button type="button" on:click=toggle>{if enabled { "Disable" } else { "Enable" }}</button>
                <button type="button" on:click=test disabled=!enabled data-testid="test-webhook">"Send test"</button>
                <button type="button" on:click=rotate>"Rotate secret"</button>
                <button type="button" class="danger" on:click=remove aria-live="polite">
                    {move || if armed.get() { "Remove it and its log?" } else { "Remove" }}
                </button>
                {move || problem.get().map(|e| view! { <span class="error" role="alert">{error_text(&e)}</span> })}
            </td>
        </tr>
    }
}

/// The latest deliveries.
#[component]
fn DeliveryLog(deliveries: Vec<WebhookDeliveryRow>) -> impl IntoView {
    view! {
        <h2>"Latest deliveries"</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Latest webhook deliveries">
            <table class="data" data-testid="webhook-deliveries">
                <caption class="sr-only">"The latest 100 deliveries, newest first"</caption>
                <thead><tr>
                    <th scope="col">"Created"</th><th scope="col">"Receiver"</th><th scope="col">"Event"</th>
                    <th scope="col">"State"</th><th scope="col" class="num">"Attempts"</th>
                    <th scope="col">"Last attempt"</th><th scope="col">"Next attempt"</th>
                </tr></thead>
                <tbody>
                    {deliveries.is_empty().then(|| view! { <tr><td colspan="7" class="muted">"Nothing delivered yet."</td></tr> })}
                    {deliveries.into_iter().map(|d| {
                        let outcome = match (&d.last_status, &d.last_error) {
                            (_, Some(error)) => error.clone(),
                            (Some(status), None) => format!("HTTP {status}"),
                            (None, None) => String::new(),
                        };
                        view! {
                            <tr data-testid="webhook-delivery">
                                <td class="small">{short_time(&d.created_at)}</td>
                                <td class="small"><code>{d.url.clone()}</code></td>
                                <td class="small"><code>{d.kind.clone()}</code>" "{d.organization.clone().unwrap_or_else(|| "all organizations".into())}<br/><code class="small">{d.event_id.clone()}</code></td>
                                <td><span class=format!("badge state-{}", d.state)>{d.state.clone()}</span></td>
                                <td class="num">{d.attempts}</td>
                                <td class="small">{when(&d.last_attempt_at)}" "{outcome}</td>
                                <td class="small">{when(&d.next_attempt_at)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The page.
#[component]
pub fn AdminWebhooksPage() -> impl IntoView {
    let version = RwSignal::new(0_u32);
    let view_data = Resource::new(move || version.get(), |_| get_webhooks());
    let secret = RwSignal::new(None::<IssuedWebhookSecret>);
    let on_changed = Callback::new(move |()| version.update(|v| *v += 1));
    let on_secret = Callback::new(move |issued| secret.set(Some(issued)));
    let on_created = Callback::new(move |issued| {
        secret.set(Some(issued));
        version.update(|v| *v += 1);
    });
    view! {
        <Title text="Webhooks"/>
        <div class="page-head">
            <h1>"Webhooks"</h1>
            <p class="muted">"Where OCM tells an API client's system what happened: campaign job states, emergency mode, DNC and record-cancel receipts. Each delivery is a signed JSON POST, tried again after 10 s, 30 s, 2 min, 10 min, 30 min, 1 h and 3 h until the receiver answers 2xx. "<a href="/admin/api-clients">"API clients"</a>" · "<a href="/api/docs#events" rel="external">"Events reference →"</a></p>
        </div>
        {move || secret.get().map(|issued| view! { <WebhookSecretPanel issued/> })}
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(data) => view! {
                        {if data.clients.is_empty() {
                            view! { <p class="notice">"Register an API client first: a webhook delivers one client's events."</p> }.into_any()
                        } else {
                            view! { <WebhookForm clients=data.clients on_created/> }.into_any()
                        }}
                        <div class="table-wrap" tabindex="0" role="region" aria-label="Webhooks">
                            <table class="data" data-testid="webhooks">
                                <caption class="sr-only">"Registered webhooks"</caption>
                                <thead><tr>
                                    <th scope="col">"Client and receiver"</th><th scope="col">"Events"</th>
                                    <th scope="col" class="num">"Delivered"</th><th scope="col" class="num">"Waiting"</th>
                                    <th scope="col" class="num">"Failed"</th><th scope="col">"Last attempt"</th>
                                    <th scope="col">"State"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                                </tr></thead>
                                <tbody>
                                    {data.webhooks.is_empty().then(|| view! { <tr><td colspan="8" class="muted">"No webhook is registered yet."</td></tr> })}
                                    {data.webhooks.into_iter().map(|webhook| view! { <WebhookLine webhook on_changed on_secret/> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <DeliveryLog deliveries=data.deliveries/>
                    }.into_any(),
                    Err(error) => view! { <p class="notice error" role="alert">{error_text(&error)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
