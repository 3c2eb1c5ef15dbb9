//! The new-user form: user name, name shown, role, team, and how the first password is handed
//! over. Checked as typed once tried; the server's refusal is shown at its field.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::form_note::{FieldNote, FormNote};
use crate::error::AppError;
use crate::model::{Credential, NewUserForm, PasswordDelivery, Role, TeamRow};
use crate::server_fns::admin::create_user;

const FIELDS: &[&str] = &["username", "display_name", "role", "team_id"];

/// A problem found before sending: the user name's rule, a team chosen.
fn local_problem(form: &NewUserForm) -> Option<AppError> {
    let name = form.username.trim();
    let valid = name.len() >= 2
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if !valid {
        return Some(AppError::validation(
            "username",
            "use 2 to 64 characters: a-z, 0-9, '.', '_' or '-', starting with a letter or digit",
        ));
    }
    (form.team_id == 0).then(|| AppError::validation("team_id", "choose a team"))
}

/// The form; `on_created` receives the credential to show once.
#[component]
pub fn CreateUserForm(teams: Vec<TeamRow>, on_created: Callback<Credential>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Supervisor);
    let team_id = RwSignal::new(0_i64);
    let delivery = RwSignal::new(PasswordDelivery::OneTimePassword);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let form = move || NewUserForm {
        username: username.get(),
        display_name: display_name.get(),
        role: role.get(),
        team_id: team_id.get(),
        delivery: delivery.get(),
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let current = form();
        if let Some(problem) = local_problem(&current) {
            error.set(Some(problem));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match create_user(current).await {
                Ok(credential) => {
                    error.set(None);
                    username.set(String::new());
                    display_name.set(String::new());
                    on_created.run(credential);
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let active_teams: Vec<TeamRow> = teams.into_iter().filter(|t| t.active).collect();
    let invalid = move |field: &'static str| {
        move || {
            error.with(|e| {
                crate::components::form_note::field_problem(e, field)
                    .is_some()
                    .then_some("true")
            })
        }
    };
    view! {
        <form class="card" novalidate on:submit=submit aria-labelledby="new-user-title" data-testid="new-user-form">
            <h2 id="new-user-title">"New user"</h2>
            <div class="form-grid">
                <label class="field">
                    <span>"User name"</span>
                    <input id="new-username" type="text" autocomplete="off" spellcheck="false" required
                        prop:value=username on:input=move |ev| username.set(event_target_value(&ev))
                        aria-invalid=invalid("username") aria-describedby="new-username-error"/>
                    <FieldNote id="new-username-error".into() error field="username"/>
                </label>
                <label class="field">
                    <span>"Name shown"</span>
                    <input id="new-display-name" type="text" placeholder="the user name"
                        prop:value=display_name on:input=move |ev| display_name.set(event_target_value(&ev))
                        aria-invalid=invalid("display_name") aria-describedby="new-display-name-error"/>
                    <FieldNote id="new-display-name-error".into() error field="display_name"/>
                </label>
                <label class="field">
                    <span>"Role"</span>
                    <select id="new-role" on:change=move |ev| {
                        role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::Supervisor));
                    }>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || role.get() == r>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>"Team"</span>
                    <select id="new-team" required aria-invalid=invalid("team_id") aria-describedby="new-team-error"
                        on:change=move |ev| team_id.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0">"Choose a team"</option>
                        {active_teams.into_iter().map(|t| view! {
                            <option value=t.team_id.to_string()>{format!("{} ({})", t.name, t.organization)}</option>
                        }).collect_view()}
                    </select>
                    <FieldNote id="new-team-error".into() error field="team_id"/>
                </label>
            </div>
            <fieldset class="field-row">
                <legend>"First password"</legend>
                <label class="field checkbox">
                    <input type="radio" name="delivery" checked=true
                        on:change=move |_| delivery.set(PasswordDelivery::OneTimePassword)/>
                    "One-time password (changed at the first sign-in)"
                </label>
                <label class="field checkbox">
                    <input type="radio" name="delivery" id="new-delivery-link"
                        on:change=move |_| delivery.set(PasswordDelivery::Link)/>
                    "Set-password link (works once, for a day)"
                </label>
            </fieldset>
            <FormNote error fields=FIELDS/>
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-testid="create-user">"Create user"</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(username: &str, team_id: i64) -> NewUserForm {
        NewUserForm {
            username: username.into(),
            display_name: String::new(),
            role: Role::Manager,
            team_id,
            delivery: PasswordDelivery::Link,
        }
    }

    #[test]
    fn the_user_name_rule_and_the_team_are_checked_before_sending() {
        assert!(local_problem(&form("jane.doe", 3)).is_none());
        assert!(local_problem(&form("-jane", 3)).is_some());
        assert!(local_problem(&form("j", 3)).is_some());
        let problem = local_problem(&form("jane", 0)).unwrap();
        assert_eq!(
            crate::components::form_note::field_problem(&Some(problem), "team_id").as_deref(),
            Some("choose a team")
        );
    }
}
