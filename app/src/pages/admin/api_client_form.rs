//! The register-a-client form (name, organization or all, scopes, last day) and the panel that
//! shows a new secret once. Checked as typed once tried; the server's refusal is shown at its
//! field.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::form_note::{field_problem, FieldNote, FormNote};
use crate::error::AppError;
use crate::model::{ApiScope, IssuedSecret, NewApiClient};
use crate::server_fns::api_clients::create_api_client;

const FIELDS: &[&str] = &["name", "organization", "scopes", "expires_on"];

/// The select's value for "all organizations" (no organization is named with a leading `*`).
const ALL: &str = "*all";

/// A problem found before sending: the name's rule, at least one scope.
fn local_problem(new: &NewApiClient) -> Option<AppError> {
    let name = new.name.trim();
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-'));
    if !valid {
        return Some(AppError::validation(
            "name",
            "1 to 64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit",
        ));
    }
    new.scopes
        .is_empty()
        .then(|| AppError::validation("scopes", "choose at least one scope"))
}

/// The form; `on_created` receives the secret to show once.
#[component]
pub fn ApiClientForm(
    organizations: Vec<String>,
    on_created: Callback<IssuedSecret>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let organization = RwSignal::new(organizations.first().cloned().unwrap_or_default());
    let scopes = RwSignal::new(Vec::<String>::new());
    let expires_on = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let new = NewApiClient {
            name: name.get_untracked(),
            organization: organization.get_untracked(),
            all_organizations: organization.get_untracked() == ALL,
            scopes: scopes.get_untracked(),
            expires_on: expires_on.get_untracked(),
        };
        if let Some(problem) = local_problem(&new) {
            error.set(Some(problem));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match create_api_client(new).await {
                Ok(issued) => {
                    error.set(None);
                    name.set(String::new());
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
        <form class="card" novalidate on:submit=submit aria-labelledby="new-client-title" data-testid="new-api-client">
            <h2 id="new-client-title">"Register a client"</h2>
            <div class="form-grid">
                <label class="field">
                    <span>"Name"</span>
                    <input id="client-name" type="text" autocomplete="off" required placeholder="crm-sync"
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev))
                        aria-invalid=invalid("name") aria-describedby="client-name-error"/>
                    <FieldNote id="client-name-error".into() error field="name"/>
                </label>
                <label class="field">
                    <span>"Organization"</span>
                    <select id="client-organization" on:change=move |ev| organization.set(event_target_value(&ev))
                        aria-invalid=invalid("organization") aria-describedby="client-organization-error">
                        {organizations.iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                        <option value=ALL>"All organizations (each call names one)"</option>
                    </select>
                    <FieldNote id="client-organization-error".into() error field="organization"/>
                </label>
                <label class="field">
                    <span>"Last day (optional)"</span>
                    <input id="client-expires" type="date" prop:value=expires_on
                        on:input=move |ev| expires_on.set(event_target_value(&ev))
                        aria-invalid=invalid("expires_on") aria-describedby="client-expires-error"/>
                    <FieldNote id="client-expires-error".into() error field="expires_on"/>
                </label>
            </div>
            <fieldset class="field-row" aria-describedby="client-scopes-error">
                <legend>"Scopes"</legend>
                {ApiScope::ALL.into_iter().map(|scope| view! {
                    <label class="field checkbox">
                        <input type="checkbox" value=scope.as_str() data-testid="client-scope"
                            prop:checked=move || scopes.with(|s| s.iter().any(|x| x == scope.as_str()))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                scopes.update(|s| {
                                    s.retain(|x| x != scope.as_str());
                                    if on {
                                        s.push(scope.as_str().to_string());
                                    }
                                });
                            }/>
                        <code>{scope.as_str()}</code>" — "{scope.label()}
                    </label>
                }).collect_view()}
                <FieldNote id="client-scopes-error".into() error field="scopes"/>
            </fieldset>
            <FormNote error fields=FIELDS/>
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-testid="register-client">"Register client"</button>
            </div>
        </form>
    }
}

/// A client id and secret, shown once.
#[component]
pub fn SecretPanel(issued: IssuedSecret) -> impl IntoView {
    view! {
        <section class="card credential" role="status" aria-labelledby="secret-title" data-testid="client-secret">
            <h2 id="secret-title">"Shown once: the secret of " {issued.name.clone()}</h2>
            <label class="field">
                <span>"Client id"</span>
                <input type="text" readonly value=issued.client_id.clone() data-testid="client-id"/>
            </label>
            <label class="field">
                <span>"Secret"</span>
                <input type="text" readonly value=issued.secret.clone() data-testid="secret" aria-describedby="secret-note"/>
            </label>
            <p class="muted small" id="secret-note">"OCM stores only its hash: copy it now into the other system's configuration; it cannot be shown again. Rotate the secret if it is lost."</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(name: &str, scopes: &[&str]) -> NewApiClient {
        NewApiClient {
            name: name.into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            ..NewApiClient::default()
        }
    }

    #[test]
    fn the_name_and_a_scope_are_checked_before_sending() {
        assert!(local_problem(&new("crm sync", &["dnc"])).is_none());
        assert!(local_problem(&new("-crm", &["dnc"])).is_some());
        let problem = local_problem(&new("crm", &[]));
        assert_eq!(
            field_problem(&problem, "scopes").as_deref(),
            Some("choose at least one scope")
        );
    }
}
