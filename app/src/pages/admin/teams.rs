//! Teams and organizations (`/admin/teams`): add, rename, move a team to another organization
//! (who it concerns is shown before it is saved), deactivate and activate.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::organizations::Organizations;
use crate::components::form_note::{FieldNote, FormNote};
use crate::components::format::error_text;
use crate::components::load_error::LoadError;
use crate::error::AppError;
use crate::model::{OrganizationRow, TeamMove, TeamRow};
use crate::server_fns::admin::{
    admin_directory, create_team, move_team, preview_team_move, rename_team, set_team_active,
};

/// A team's row: its name (renamed in place), organization, users, and the move it may get; a
/// refusal is shown in the row it concerns.
#[component]
fn TeamLine(
    team: TeamRow,
    organizations: Vec<OrganizationRow>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    let team_id = team.team_id;
    let name = RwSignal::new(team.name.clone());
    let target = RwSignal::new(0_i64);
    let preview = RwSignal::new(None::<TeamMove>);
    let active = team.active;
    let run = move |call: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), AppError>> + Send>,
    >| {
        spawn_local(async move {
            match call.await {
                Ok(()) => {
                    error.set(None);
                    preview.set(None);
                    on_changed.run(());
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    let ask = move |_| {
        let to = target.get_untracked();
        spawn_local(async move {
            match preview_team_move(team_id, to).await {
                Ok(found) => {
                    error.set(None);
                    preview.set(Some(found));
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    let confirm = move |_| {
        let to = target.get_untracked();
        let seen = preview.get_untracked().map(|p| p.users).unwrap_or_default();
        run(Box::pin(async move {
            move_team(team_id, to, seen).await.map(|_| ())
        }));
    };
    let others: Vec<OrganizationRow> = organizations
        .into_iter()
        .filter(|o| o.active && o.organization_id != team.organization_id)
        .collect();
    let label = format!("Name of team {}", team.name);
    view! {
        <tr data-testid="team-row">
            <td>
                <input type="text" aria-label=label prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                <button type="button" on:click=move |_| {
                    let new_name = name.get_untracked();
                    run(Box::pin(async move { rename_team(team_id, new_name).await }));
                }>"Rename"</button>
            </td>
            <td>{team.organization.clone()}</td>
            <td class="num">{team.users}</td>
            <td>{if active { "Active" } else { "Deactivated" }}</td>
            <td class="row-actions">
                <div class="actions">
                    <select aria-label=format!("Move team {} to", team.name) on:change=move |ev| {
                        preview.set(None);
                        target.set(event_target_value(&ev).parse().unwrap_or(0));
                    }>
                        <option value="0">"Move to…"</option>
                        {others.into_iter().map(|o| view! { <option value=o.organization_id.to_string()>{o.name}</option> }).collect_view()}
                    </select>
                    <button type="button" on:click=ask disabled=move || target.get() == 0>"Show what changes"</button>
                    <button type="button" on:click=move |_| run(Box::pin(async move { set_team_active(team_id, !active).await }))>
                        {if active { "Deactivate" } else { "Activate" }}
                    </button>
                </div>
                {move || error.get().map(|problem| view! {
                    <p class="field-error" role="alert" data-testid="team-error">{error_text(&problem)}</p>
                })}
                {move || preview.get().map(|p| view! {
                    <div class="notice warn" role="alert" data-testid="move-preview">
                        <p>{format!(
                            "Moving {} from {} to {}: {} will see {}'s lists, campaigns and reports instead, and {} end now.",
                            p.team, p.from, p.to,
                            if p.users.is_empty() { "nobody".to_string() } else { p.users.join(", ") },
                            p.to,
                            types::words::plural(p.open_sessions, "open session", "open sessions"),
                        )}</p>
                        <button type="button" class="danger" on:click=confirm>"Move the team"</button>
                    </div>
                })}
            </td>
        </tr>
    }
}

/// The teams and organizations page.
#[component]
pub fn AdminTeamsPage() -> impl IntoView {
    let directory = Resource::new(|| (), |_| admin_directory());
    let on_changed = Callback::new(move |_: ()| directory.refetch());
    let error = RwSignal::new(None::<AppError>);
    let new_name = RwSignal::new(String::new());
    let new_organization = RwSignal::new(0_i64);
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (name, organization) = (new_name.get_untracked(), new_organization.get_untracked());
        spawn_local(async move {
            match create_team(name, organization).await {
                Ok(_) => {
                    error.set(None);
                    new_name.set(String::new());
                    directory.refetch();
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    view! {
        <Title text="Teams and organizations"/>
        <div class="page-head">
            <h1>"Teams and organizations"</h1>
            <p class="muted">"A team works in one organization; its users see that organization's lists, campaigns and reports."</p>
            <a href="/admin/users">"← Users"</a>
        </div>
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match directory.await {
                    Ok(found) => {
                        let organizations = found.organizations.clone();
                        let choices = found.organizations.clone();
                        view! {
                            <section class="card" aria-labelledby="teams-title">
                                <h2 id="teams-title">"Teams"</h2>
                                <table class="data" data-testid="teams">
                                    <caption class="sr-only">"Teams"</caption>
                                    <thead><tr><th scope="col">"Team"</th><th scope="col">"Organization"</th><th scope="col">"Active users"</th><th scope="col">"Status"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                                    <tbody>
                                        {found.teams.into_iter().map(|team| view! {
                                            <TeamLine team organizations=organizations.clone() on_changed/>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <form class="field-row" on:submit=add aria-label="Add a team">
                                    <label class="field">
                                        <span>"New team"</span>
                                        <input id="new-team-name" type="text" prop:value=new_name on:input=move |ev| new_name.set(event_target_value(&ev))/>
                                    </label>
                                    <label class="field">
                                        <span>"In organization"</span>
                                        <select id="new-team-organization" on:change=move |ev| new_organization.set(event_target_value(&ev).parse().unwrap_or(0))>
                                            <option value="0">"Choose"</option>
                                            {choices.into_iter().filter(|o| o.active).map(|o| view! { <option value=o.organization_id.to_string()>{o.name}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <div class="field submit"><button type="submit" data-testid="add-team">"Add team"</button></div>
                                </form>
                                <FieldNote id="team-name-error".into() error field="name"/>
                                <FieldNote id="team-error".into() error field="organization_id"/>
                                <FormNote error fields=&["name", "organization_id"]/>
                            </section>
                            <Organizations organizations=found.organizations on_changed/>
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
