//! The API clients page (`/admin/api-clients`, admins): register a client for the automation
//! API (its secret shown once), see every client with its scopes and last token, disable or
//! enable it, rotate its secret. The API itself is described on `/api/docs`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::api_client_form::{ApiClientForm, SecretPanel};
use crate::components::format::{error_text, short_time};
use crate::error::AppError;
use crate::model::{ApiClientRow, IssuedSecret};
use crate::server_fns::api_clients::{get_api_clients, rotate_api_client, set_api_client_enabled};

/// One client's row with its actions; a refusal is shown in the row.
#[component]
fn ClientLine(
    client: ApiClientRow,
    on_changed: Callback<()>,
    on_secret: Callback<IssuedSecret>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<AppError>);
    let enabled = client.disabled_at.is_none();
    let id = client.client_id.clone();
    let toggle = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn_local(async move {
                match set_api_client_enabled(id, !enabled).await {
                    Ok(()) => on_changed.run(()),
                    Err(error) => problem.set(Some(error)),
                }
            });
        }
    };
    let rotate = move |_| {
        let id = id.clone();
        spawn_local(async move {
            match rotate_api_client(id).await {
                Ok(issued) => {
                    on_secret.run(issued);
                    on_changed.run(());
                }
                Err(error) => problem.set(Some(error)),
            }
        });
    };
    let when = |at: &Option<String>| at.as_deref().map(short_time).unwrap_or_else(|| "—".into());
    view! {
        <tr data-testid="api-client-row">
            <td><strong>{client.name.clone()}</strong><br/><code class="small">{client.client_id.clone()}</code></td>
            <td>{client.organization.clone().unwrap_or_else(|| "All organizations".into())}</td>
            <td>{client.scopes.iter().map(|s| view! { <code>{s.clone()}</code>" " }).collect_view()}</td>
            <td class="small">{format!("{}, {}", client.created_by, short_time(&client.created_at))}</td>
            <td class="small">{when(&client.last_token_at)}</td>
            <td class="small">{client.expires_at.as_deref().map(short_time).unwrap_or_else(|| "Never".into())}</td>
            <td>{if enabled { "Enabled".to_string() } else { format!("Disabled {}", when(&client.disabled_at)) }}</td>
            <td class="row-actions">
                <button type="button" on:click=toggle>{if enabled { "Disable" } else { "Enable" }}</button>
                <button type="button" on:click=rotate>"Rotate secret"</button>
                {move || problem.get().map(|e| view! { <span class="error" role="alert">{error_text(&e)}</span> })}
            </td>
        </tr>
    }
}

/// The page.
#[component]
pub fn AdminApiClientsPage() -> impl IntoView {
    let version = RwSignal::new(0_u32);
    let view_data = Resource::new(move || version.get(), |_| get_api_clients());
    let secret = RwSignal::new(None::<IssuedSecret>);
    let on_changed = Callback::new(move |()| version.update(|v| *v += 1));
    let on_secret = Callback::new(move |issued| secret.set(Some(issued)));
    let on_created = Callback::new(move |issued| {
        secret.set(Some(issued));
        version.update(|v| *v += 1);
    });
    view! {
        <Title text="API clients"/>
        <div class="page-head">
            <h1>"API clients"</h1>
            <p class="muted">"Systems that call OCM's automation API (a CRM, an agent desktop, a compliance tool). Each gets a secret, trades it for a token at "<code>"POST /api/v1/auth/token"</code>" and may do only what its scopes allow, in its organization. "<a href="/admin/webhooks">"Webhooks"</a>" · "<a href="/api/docs" rel="external">"API reference →"</a></p>
        </div>
        {move || secret.get().map(|issued| view! { <SecretPanel issued/> })}
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(data) => view! {
                        <ApiClientForm organizations=data.organizations on_created/>
                        <div class="table-wrap" tabindex="0" role="region" aria-label="API clients">
                            <table class="data" data-testid="api-clients">
                                <caption class="sr-only">"Registered API clients"</caption>
                                <thead><tr>
                                    <th scope="col">"Client"</th><th scope="col">"Organization"</th><th scope="col">"Scopes"</th>
                                    <th scope="col">"Registered"</th><th scope="col">"Last token"</th><th scope="col">"Expires"</th>
                                    <th scope="col">"State"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                                </tr></thead>
                                <tbody>
                                    {data.clients.is_empty().then(|| view! { <tr><td colspan="8" class="muted">"No client is registered yet."</td></tr> })}
                                    {data.clients.into_iter().map(|client| view! { <ClientLine client on_changed on_secret/> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <p class="notice error" role="alert">{error_text(&error)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
