//! The mappings page (`/admin/mappings`): each POM campaign with its contact lists, organization
//! and the teams that work it (campaigns without a team highlighted), each agent's team over time,
//! and CSV export and import (checked whole before anything is applied).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::mapping_import::ImportForm;
use crate::components::form_note::{FieldNote, FormNote};
use crate::components::load_error::LoadError;
use crate::error::AppError;
use crate::model::{AgentMapping, CampaignMapping, TeamRow};
use crate::server_fns::admin::admin_directory;
use crate::server_fns::mappings::{
    add_agent_team, end_agent_team, get_mappings, set_campaign_teams,
};

#[component]
fn CampaignLine(
    row: CampaignMapping,
    teams: Vec<TeamRow>,
    error: RwSignal<Option<AppError>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let chosen = RwSignal::new(row.teams.iter().map(|t| t.team_id).collect::<Vec<_>>());
    let (organization, campaign) = (row.organization.clone(), row.campaign.clone());
    let save = move |_| {
        let (organization, campaign) = (organization.clone(), campaign.clone());
        spawn_local(async move {
            match set_campaign_teams(organization, campaign, chosen.get_untracked()).await {
                Ok(()) => {
                    error.set(None);
                    on_changed.run(());
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    let unmapped = row.teams.is_empty();
    let class = if unmapped { "unmapped" } else { "" };
    let label = format!("Teams working {}", row.campaign);
    let options: Vec<TeamRow> = teams
        .into_iter()
        .filter(|t| t.active && t.organization == row.organization)
        .collect();
    view! {
        <tr class=class data-testid="campaign-mapping">
            <td>{row.organization.clone()}</td>
            <td>{row.campaign.clone()}{(!row.in_pom).then(|| view! { " "<span class="badge warn">"not in POM any more"</span> })}</td>
            <td class="small">{if row.lists.is_empty() { "—".to_string() } else { row.lists.join(", ") }}</td>
            <td>{if unmapped {
                view! { <span class="badge warn">"no team"</span> }.into_any()
            } else {
                row.teams.iter().map(|t| t.name.clone()).collect::<Vec<_>>().join(", ").into_any()
            }}</td>
            <td class="row-actions">
                <div class="actions">
                    <fieldset class="team-choice" aria-label=label>
                        {options.into_iter().map(|t| {
                            let id = t.team_id;
                            view! {
                                <label class="field checkbox">
                                    <input type="checkbox" checked=move || chosen.with(|c| c.contains(&id)) on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                                    }/>
                                    {t.name}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <button type="button" on:click=save>"Save teams"</button>
                </div>
            </td>
        </tr>
    }
}

#[component]
fn AgentLine(
    row: AgentMapping,
    error: RwSignal<Option<AppError>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let end_day = RwSignal::new(String::new());
    let id = row.agent_team_id;
    let end = move |_| {
        spawn_local(async move {
            match end_agent_team(id, end_day.get_untracked()).await {
                Ok(()) => {
                    error.set(None);
                    on_changed.run(());
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    let open = row.valid_to.is_none();
    let label = format!("First day {} is no longer in {}", row.agent_id, row.team);
    view! {
        <tr>
            <td><code>{row.agent_id.clone()}</code></td>
            <td>{row.team.clone()}</td>
            <td>{row.organization.clone()}</td>
            <td>{row.valid_from.clone()}</td>
            <td>{row.valid_to.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="row-actions">{open.then(|| view! {
                <div class="actions">
                    <input type="date" aria-label=label prop:value=end_day on:input=move |ev| end_day.set(event_target_value(&ev))/>
                    <button type="button" on:click=end>"End"</button>
                </div>
            })}</td>
        </tr>
    }
}

#[component]
fn AddAgent(teams: Vec<TeamRow>, on_changed: Callback<()>) -> impl IntoView {
    let agent = RwSignal::new(String::new());
    let team = RwSignal::new(0_i64);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let to_day = Some(to.get_untracked()).filter(|t| !t.is_empty());
        spawn_local(async move {
            match add_agent_team(
                agent.get_untracked(),
                team.get_untracked(),
                from.get_untracked(),
                to_day,
            )
            .await
            {
                Ok(()) => {
                    error.set(None);
                    agent.set(String::new());
                    on_changed.run(());
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    view! {
        <form class="field-row" novalidate on:submit=add aria-label="Put an agent in a team">
            <label class="field"><span>"Agent id (POM)"</span>
                <input id="agent-id" type="text" spellcheck="false" prop:value=agent on:input=move |ev| agent.set(event_target_value(&ev)) aria-describedby="agent-id-error"/>
                <FieldNote id="agent-id-error".into() error field="agent_id"/></label>
            <label class="field"><span>"Team"</span>
                <select id="agent-team" on:change=move |ev| team.set(event_target_value(&ev).parse().unwrap_or(0)) aria-describedby="agent-team-error">
                    <option value="0">"Choose"</option>
                    {teams.into_iter().filter(|t| t.active).map(|t| view! { <option value=t.team_id.to_string()>{format!("{} ({})", t.name, t.organization)}</option> }).collect_view()}
                </select>
                <FieldNote id="agent-team-error".into() error field="team_id"/></label>
            <label class="field"><span>"From"</span>
                <input id="agent-from" type="date" prop:value=from on:input=move |ev| from.set(event_target_value(&ev)) aria-describedby="agent-from-error"/>
                <FieldNote id="agent-from-error".into() error field="valid_from"/></label>
            <label class="field"><span>"Leaves on (first day not in it; optional)"</span>
                <input id="agent-to" type="date" prop:value=to on:input=move |ev| to.set(event_target_value(&ev)) aria-describedby="agent-to-error"/>
                <FieldNote id="agent-to-error".into() error field="valid_to"/></label>
            <div class="field submit"><button type="submit">"Add"</button></div>
            <FormNote error fields=&["agent_id", "team_id", "valid_from", "valid_to"]/>
        </form>
    }
}

/// The mappings page.
#[component]
pub fn AdminMappingsPage() -> impl IntoView {
    let mappings = Resource::new(|| (), |_| get_mappings());
    let directory = Resource::new(|| (), |_| admin_directory());
    let on_changed = Callback::new(move |_: ()| mappings.refetch());
    let error = RwSignal::new(None::<AppError>);
    view! {
        <Title text="Mappings"/>
        <div class="page-head">
            <h1>"Campaign and agent mappings"</h1>
            <p class="muted">"Which teams work each POM campaign, and each agent's team over time: the reports group by them."</p>
            <a href="/admin/users">"← Users"</a>
        </div>
        <Transition fallback=|| view! { <p class="muted" role="status">"Reading POM's campaigns…"</p> }>
            {move || Suspend::new(async move {
                let teams = directory.await.map(|d| d.teams).unwrap_or_default();
                match mappings.await {
                    Ok(found) => {
                        let unmapped = found.campaigns.iter().filter(|c| c.teams.is_empty()).count();
                        view! {
                            {found.pom_problems.iter().map(|p| view! { <p class="notice error" role="alert">{format!("POM could not be read for {p}")}</p> }).collect_view()}
                            <section class="card" aria-labelledby="campaigns-title">
                                <h2 id="campaigns-title">"Campaigns → teams"</h2>
                                <p class="muted small" data-testid="unmapped-count">{format!("{} of {} campaigns have no team.", unmapped, found.campaigns.len())}</p>
                                <FormNote error fields=&[]/>
                                <table class="data" data-testid="campaign-mappings">
                                    <caption class="sr-only">"Campaigns and the teams that work them"</caption>
                                    <thead><tr><th scope="col">"Organization"</th><th scope="col">"Campaign"</th><th scope="col">"Contact lists"</th><th scope="col">"Teams"</th><th scope="col"><span class="sr-only">"Change"</span></th></tr></thead>
                                    <tbody>{found.campaigns.into_iter().map(|row| view! { <CampaignLine row teams=teams.clone() error on_changed/> }).collect_view()}</tbody>
                                </table>
                            </section>
                            <section class="card" aria-labelledby="agents-title">
                                <h2 id="agents-title">"Agents → teams"</h2>
                                <table class="data" data-testid="agent-mappings">
                                    <caption class="sr-only">"Agents and their teams over time"</caption>
                                    <thead><tr><th scope="col">"Agent"</th><th scope="col">"Team"</th><th scope="col">"Organization"</th><th scope="col">"From"</th><th scope="col">"Left on"</th><th scope="col"><span class="sr-only">"End"</span></th></tr></thead>
                                    <tbody>{found.agents.into_iter().map(|row| view! { <AgentLine row error on_changed/> }).collect_view()}</tbody>
                                </table>
                                <p class="muted small">"An agent is in one team on any day. To move an agent, give the day they leave on their current row (End), then add the new team from that day."</p>
                                <AddAgent teams on_changed/>
                            </section>
                            <ImportForm on_changed/>
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
