//! The campaigns table: sortable headers (links, so sorting also works without JavaScript), one
//! row per campaign with its current job, state and how long it has been in it, and the buttons
//! the user may press (none for managers).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::actions::{Ask, Request};
use super::sorting::{campaigns_href, view_rows, Column, RowView, Sort};
use crate::components::campaign_state::CampaignStateBadge;
use crate::model::CampaignBoard;

/// The buttons of one row: Start when no job is open, else the actions the job's state allows.
fn row_buttons(
    row: &RowView,
    pending: RwSignal<Option<Request>>,
    blocked: Signal<bool>,
) -> impl IntoView {
    let ask = move |campaign: String, ask: Ask| {
        move |_| {
            pending.set(Some(Request {
                campaign: campaign.clone(),
                ask: ask.clone(),
            }))
        }
    };
    let start = row.can_start.then(|| {
        let label = format!("Start {}", row.name);
        view! {
            <button type="button" class="small primary" data-testid="campaign-start" aria-label=label
                disabled=move || blocked.get() on:click=ask(row.name.clone(), Ask::Start)>"Start"</button>
        }
    });
    let job_buttons = row.job_id.map(|job_id| {
        row.actions
            .iter()
            .map(|&action| {
                let label = format!("{} job {job_id} of {}", action.label(), row.name);
                view! {
                    <button type="button" class="small" data-testid=format!("campaign-{}", action.as_str())
                        aria-label=label disabled=move || blocked.get()
                        on:click=ask(row.name.clone(), Ask::Job(job_id, action))>{action.label()}</button>
                }
            })
            .collect_view()
    });
    view! { <td class="row-actions"><div class="actions">{start}{job_buttons}</div></td> }
}

fn row_view(
    row: RowView,
    can_act: bool,
    pending: RwSignal<Option<Request>>,
    blocked: Signal<bool>,
) -> impl IntoView {
    let buttons = can_act.then(|| row_buttons(&row, pending, blocked));
    let state = if row.state.is_empty() {
        view! { <span class="muted">"No job"</span> }.into_any()
    } else {
        view! { <CampaignStateBadge state=row.state.clone()/> }.into_any()
    };
    let started = match (&row.started_by, row.job_id) {
        (Some(user), _) => view! { {user.clone()}<br/><span class="muted small nowrap">{row.started_at.clone()}</span> }.into_any(),
        (None, Some(_)) => view! { <span class="muted">"Outside OCM"</span> }.into_any(),
        (None, None) => view! { "—" }.into_any(),
    };
    view! {
        <tr data-testid="campaign-row" data-campaign=row.name.clone() id=row.job_id.map(|id| format!("job-{id}"))>
            <td class="campaign-name">{row.name.clone()}</td>
            <td>{row.kind.clone()}</td>
            <td>{row.finite.clone()}</td>
            <td class="lists">{row.lists.clone()}</td>
            <td class="num">{row.job_id.map_or_else(|| "—".to_string(), |id| id.to_string())}</td>
            <td data-testid="campaign-state" data-state=row.state.clone()>
                {state}
            </td>
            <td class="nowrap" title=row.since_at.clone()>{row.since.clone()}</td>
            <td>{started}</td>
            {buttons}
        </tr>
    }
}

/// The sortable header cell of `column`: a link to the view sorted by it (in place with script).
fn header_cell(column: Column, sort: Memo<Sort>, organization: Option<String>) -> impl IntoView {
    let navigate = use_navigate();
    let href = move || campaigns_href(organization.as_deref(), sort.get().toggled(column));
    let link = href.clone();
    view! {
        <th scope="col" class:num=column == Column::Job aria-sort=move || sort.get().aria(column)>
            <a class="sort" href=link on:click=move |ev| {
                ev.prevent_default();
                let options = NavigateOptions { replace: true, scroll: false, ..Default::default() };
                navigate(&href(), options);
            }>
                {column.label()}
                <span class="sort-mark" aria-hidden="true">{move || match sort.get().aria(column) {
                    Some("ascending") => "▲",
                    Some(_) => "▼",
                    None => "",
                }}</span>
            </a>
        </th>
    }
}

/// The board as a table. `organization` is the URL's `?org=`, kept in the sort links; the buttons
/// are disabled while `blocked`.
#[component]
pub fn BoardTable(
    board: Memo<CampaignBoard>,
    sort: Memo<Sort>,
    organization: Option<String>,
    pending: RwSignal<Option<Request>>,
    blocked: Signal<bool>,
) -> impl IntoView {
    let can_act = board.with_untracked(|b| b.can_act);
    let rows = Memo::new(move |_| board.with(|b| view_rows(b, sort.get())));
    let header = Column::ALL
        .into_iter()
        .map(|column| {
            let cell = header_cell(column, sort, organization.clone()).into_any();
            if column == Column::Finite {
                view! { {cell}<th scope="col">"Contact lists"</th> }.into_any()
            } else {
                cell
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Campaigns">
            <table class="data campaigns-table" data-testid="campaign-table">
                <caption class="sr-only">"Campaigns and their current jobs"</caption>
                <thead>
                    <tr>
                        {header}
                        {can_act.then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|row| row.clone()
                        children=move |row| row_view(row, can_act, pending, blocked)/>
                </tbody>
            </table>
        </div>
        <Show when=move || rows.with(Vec::is_empty)>
            <p class="muted" data-testid="campaigns-empty">"POM has no campaigns for this organization."</p>
        </Show>
    }
}
