//! One user (`/admin/users/:id`): what they are (role, team, organization, sign-ins), the form that
//! changes name, role and team, and the actions on their account (`user_actions`). Their recent
//! activity is the audit log filtered by their name.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::user_actions::UserActions;
use crate::components::form_note::{FieldNote, FormNote};
use crate::components::format::short_time;
use crate::components::load_error::{path_id, LoadError};
use crate::error::AppError;
use crate::model::{Role, TeamRow, UserDetail, UserEdit};
use crate::server_fns::admin::{admin_directory, get_user, update_user};

const FIELDS: &[&str] = &["display_name", "role", "team_id"];

#[component]
fn Facts(detail: UserDetail) -> impl IntoView {
    let user = detail.user;
    let audit = format!("/audit?user={}", user.username);
    view! {
        <dl class="facts" data-testid="user-facts">
            <div><dt>"Status"</dt><dd data-testid="user-status">{if user.active { "Active" } else { "Disabled" }}</dd></div>
            <div><dt>"Organization"</dt><dd>{user.organization.clone()}</dd></div>
            <div><dt>"Last sign-in"</dt><dd>{user.last_sign_in.as_deref().map_or_else(|| "never".into(), short_time)}</dd></div>
            <div><dt>"Open sessions"</dt><dd data-testid="open-sessions">{user.open_sessions}</dd></div>
            <div><dt>"Password"</dt><dd>{if user.must_change_password {
                "one-time password or link: not replaced yet".to_string()
            } else {
                detail.password_changed_at.as_deref().map_or_else(|| "set".into(), |at| format!("changed {}", short_time(at)))
            }}</dd></div>
            <div><dt>"Two-factor sign-in"</dt><dd data-testid="user-two-factor">{if detail.two_factor { "on" } else { "off" }}</dd></div>
            <div><dt>"Created"</dt><dd>{short_time(&user.created_at)}</dd></div>
            <div><dt>"Activity"</dt><dd><a href=audit>"Recent activity in the audit log →"</a></dd></div>
        </dl>
    }
}

#[component]
fn EditForm(
    detail: UserDetail,
    teams: Vec<TeamRow>,
    on_saved: Callback<UserDetail>,
) -> impl IntoView {
    let user_id = detail.user.user_id;
    let display_name = RwSignal::new(detail.user.display_name.clone());
    let role = RwSignal::new(detail.user.role);
    let team_id = RwSignal::new(detail.team_id);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let edit = UserEdit {
            user_id,
            display_name: display_name.get(),
            role: role.get(),
            team_id: team_id.get(),
        };
        busy.set(true);
        spawn_local(async move {
            match update_user(edit).await {
                Ok(detail) => {
                    error.set(None);
                    saved.set(true);
                    on_saved.run(detail);
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let current_team = detail.team_id;
    let teams: Vec<TeamRow> = teams
        .into_iter()
        .filter(|t| t.active || t.team_id == current_team)
        .collect();
    view! {
        <form class="card" on:submit=submit aria-labelledby="edit-user-title" data-testid="edit-user-form">
            <h2 id="edit-user-title">"Name, role and team"</h2>
            <div class="form-grid">
                <label class="field">
                    <span>"Name shown"</span>
                    <input id="edit-display-name" type="text" prop:value=display_name
                        on:input=move |ev| { saved.set(false); display_name.set(event_target_value(&ev)); }
                        aria-describedby="edit-display-name-error"/>
                    <FieldNote id="edit-display-name-error".into() error field="display_name"/>
                </label>
                <label class="field">
                    <span>"Role"</span>
                    <select id="edit-role" aria-describedby="edit-role-error" on:change=move |ev| {
                        saved.set(false);
                        role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::Manager));
                    }>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || role.get() == r>{r.label()}</option>
                        }).collect_view()}
                    </select>
                    <FieldNote id="edit-role-error".into() error field="role"/>
                </label>
                <label class="field">
                    <span>"Team"</span>
                    <select id="edit-team" aria-describedby="edit-team-error" on:change=move |ev| {
                        saved.set(false);
                        team_id.set(event_target_value(&ev).parse().unwrap_or(current_team));
                    }>
                        {teams.into_iter().map(|t| {
                            let id = t.team_id;
                            view! { <option value=id.to_string() selected=move || team_id.get() == id>{format!("{} ({})", t.name, t.organization)}</option> }
                        }).collect_view()}
                    </select>
                    <FieldNote id="edit-team-error".into() error field="team_id"/>
                </label>
            </div>
            <p class="muted small">"A new role or organization signs the user out, so no open page keeps what the old one allowed."</p>
            <FormNote error fields=FIELDS/>
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-testid="save-user">"Save"</button>
                <Show when=move || saved.get()><span role="status" class="muted">"Saved."</span></Show>
            </div>
        </form>
    }
}

/// The user page.
#[component]
pub fn AdminUserPage() -> impl IntoView {
    let user_id = path_id("a user");
    let detail = Resource::new(
        move || user_id.get(),
        |id| async move { get_user(id?).await },
    );
    let directory = Resource::new(|| (), |_| admin_directory());
    let on_saved = Callback::new(move |_: UserDetail| detail.refetch());
    let on_changed = Callback::new(move |()| detail.refetch());
    view! {
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(found) => {
                        let teams = directory.await.map(|d| d.teams).unwrap_or_default();
                        let title = format!("{} ({})", found.user.display_name, found.user.username);
                        view! {
                            <Title text=title.clone()/>
                            <div class="page-head">
                                <h1>{title}</h1>
                                <a href="/admin/users">"← Users"</a>
                            </div>
                            <Facts detail=found.clone()/>
                            <EditForm detail=found.clone() teams on_saved/>
                            <UserActions detail=found on_changed/>
                        }.into_any()
                    }
                    Err(error) => view! {
                        <Title text="User"/>
                        <div class="page-head"><h1>"User"</h1><a href="/admin/users">"← Users"</a></div>
                        <LoadError error/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
