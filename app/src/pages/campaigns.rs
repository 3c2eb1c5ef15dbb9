//! Campaigns page: the organization's campaigns with their current jobs, kept live by
//! `/campaigns/events` and complete without JavaScript (the server renders the board; Refresh
//! reads it again); start, pause, resume and stop behind a confirmation, one-off scheduled
//! starts, recent actions, and the admins' emergency stop.

mod actions;
mod board;
mod emergency;
pub mod history;
mod live;
mod schedule;
mod scheduled;
mod sorting;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::campaign_state::{epoch_seconds, utc_clock};
use crate::components::layout::MeResource;
use crate::components::load_error::LoadError;
use crate::error::AppError;
use crate::model::{CampaignBoard, Role};
use crate::server_fns::campaigns::get_campaign_board;
use actions::{ActionStatus, Answer, ConfirmDialog, Request};
use board::BoardTable;
use emergency::EmergencyPanel;
use history::RecentActions;
use live::{job_states, state_changes, LiveBoard};
use scheduled::ScheduleSection;
use sorting::{campaigns_href, Sort};

/// Admins choose the organization (a plain GET form without JavaScript, at once with it); the
/// others see theirs.
fn organization_choice(board: &CampaignBoard, is_admin: bool, sort: Memo<Sort>) -> impl IntoView {
    let current = board.organization.clone();
    if !is_admin {
        return view! {
            <p class="board-org">
                <span class="muted">"Organization "</span>
                <strong data-testid="campaigns-organization">{current}</strong>
            </p>
        }
        .into_any();
    }
    let navigate = use_navigate();
    let options = board
        .organizations
        .iter()
        .map(|name| {
            let selected = *name == current;
            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    view! {
        <form class="board-org" method="get" action="/campaigns"
            on:submit=move |ev| ev.prevent_default()>
            <label for="campaigns-org">"Organization"</label>
            <select id="campaigns-org" name="org" data-testid="campaigns-organization-select"
                on:change=move |ev| {
                    let href = campaigns_href(Some(&event_target_value(&ev)), sort.get_untracked());
                    navigate(&href, Default::default());
                }>
                {options}
            </select>
            <input type="hidden" name="sort" value=move || sort.get().key()/>
            <button type="submit" class="small js-hidden">"Show"</button>
        </form>
    }
    .into_any()
}

/// Everything below the title, for one organization's board as first read.
#[component]
fn CampaignsView(
    initial: CampaignBoard,
    live: LiveBoard,
    sort: Memo<Sort>,
    org_param: Option<String>,
    is_admin: bool,
    answer: Answer,
    refresh: Callback<()>,
) -> impl IntoView {
    let organization = initial.organization.clone();
    let can_act = initial.can_act;
    let names: Vec<String> = initial.campaigns.iter().map(|c| c.name.clone()).collect();
    let organizations = initial.organizations.clone();
    let choice = organization_choice(&initial, is_admin, sort);
    let followed = organization.clone();
    // The live board once it is at least as fresh as the one the page was rendered with.
    let current = Memo::new(move |_| match live.latest(&followed) {
        Some(latest) if read_second(&latest) >= read_second(&initial) => latest,
        _ => initial.clone(),
    });
    // Scheduled starts and recent actions are read again when the campaigns change or anyone's
    // campaign action is recorded or answered.
    let changes = RwSignal::new(0_u32);
    let watched = Memo::new(move |_| current.with(|b| (b.campaigns.clone(), b.actions_mark)));
    Effect::new(move |seen: Option<()>| {
        // Read, not only tracked: a memo nobody reads is never computed, so it would never change.
        watched.with(|_| ());
        if seen.is_some() {
            changes.update(|n| *n += 1);
        }
    });
    // Screen readers hear job state changes as they arrive.
    let states = Memo::new(move |_| current.with(job_states));
    let announcement = RwSignal::new(String::new());
    Effect::new(move |before: Option<Vec<(String, Option<String>)>>| {
        let after = states.get();
        if let Some(before) = before {
            let heard = state_changes(&before, &after);
            if !heard.is_empty() {
                announcement.set(heard);
            }
        }
        after
    });
    let pending = RwSignal::new(None::<Request>);
    let busy = RwSignal::new(false);
    // Buttons work once the client has taken over (effects run only in the browser); until then,
    // and without JavaScript, they show disabled.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let blocked = Signal::derive(move || busy.get() || !ready.get());
    // Without the live channel, the answer is the only sign of a change: read the board again.
    let on_answer = Callback::new(move |_| {
        changes.update(|n| *n += 1);
        if !live.connected() {
            refresh.run(());
        }
    });
    let link_org = org_param.clone();
    let refresh_href = move || campaigns_href(link_org.as_deref(), sort.get());
    let read_at = move || {
        current.with(|b| match b.read_at.as_deref().and_then(utc_clock) {
            Some(clock) => format!("Read from POM at {clock} UTC"),
            None => "Not read from POM yet".to_string(),
        })
    };
    view! {
        <div class="board-bar">
            {choice}
            <span class="muted small" data-testid="campaigns-read-at">{read_at}</span>
            <Show when=move || live.connected()>
                <span class="live-state" data-testid="campaigns-live">
                    <span class="dot" aria-hidden="true"></span>"Live"
                </span>
            </Show>
            <a href=refresh_href class="button small" data-testid="campaigns-refresh"
                on:click=move |ev| { ev.prevent_default(); refresh.run(()); }>"Refresh"</a>
        </div>
        <p class="notice info needs-js">
            "This view was read when the page loaded; use Refresh to read it again. Starting, pausing, stopping and scheduling need JavaScript."
        </p>
        {move || current.with(|b| b.pom_problem.clone()).map(|problem| view! {
            <p class="notice warn" role="status" data-testid="pom-problem">
                {format!("The campaigns shown are the last known ones. POM could not be read: {problem}")}
            </p>
        })}
        <ActionStatus answer/>
        <p class="sr-only" aria-live="polite" data-testid="campaign-announcement">{move || announcement.get()}</p>
        <BoardTable board=current sort organization=org_param pending blocked/>
        {can_act.then(|| view! {
            <ConfirmDialog organization=organization.clone() pending busy answer on_answer/>
        })}
        <ScheduleSection organization=organization.clone() campaigns=names can_act changes/>
        <RecentActions organization changes/>
        {is_admin.then(|| view! { <EmergencyPanel organizations changes/> })}
    }
}

fn load_error(error: AppError) -> AnyView {
    view! { <LoadError error/> }.into_any()
}

/// The campaigns page. `?org=` chooses the organization (admins), `?sort=` the order.
#[component]
pub fn CampaignsPage() -> impl IntoView {
    let query = use_query_map();
    let org_param =
        Memo::new(move |_| query.with(|q| q.get("org").filter(|o| !o.trim().is_empty())));
    let sort = Memo::new(move |_| query.with(|q| Sort::parse(q.get_str("sort").unwrap_or(""))));
    let board = Resource::new(move || org_param.get(), get_campaign_board);
    let me = expect_context::<MeResource>();
    let live = LiveBoard::new();
    let answer: Answer = RwSignal::new(None);
    let refresh = Callback::new(move |_| board.refetch());
    Effect::new(move |_| {
        if let Some(Ok(board)) = board.get() {
            live.follow(&board.organization);
        }
    });
    view! {
        <Title text="Campaigns"/>
        <div class="page-head">
            <h1>"Campaigns"</h1>
            <p class="muted">"POM campaigns of the organization and their current jobs, updated as they change."</p>
        </div>
        <Transition fallback=|| view! { <p class="muted">"Reading campaigns from POM…"</p> }>
            {move || Suspend::new(async move {
                let is_admin = me.await.map(|m| m.user.role == Role::Admin).unwrap_or(false);
                match board.await {
                    Ok(initial) => view! {
                        <CampaignsView initial live sort org_param=org_param.get_untracked() is_admin answer refresh/>
                    }.into_any(),
                    Err(error) => load_error(error),
                }
            })}
        </Transition>
    }
}

/// When the board was read, in whole seconds (RFC 3339 texts with different fractions do not
/// compare as text).
fn read_second(board: &CampaignBoard) -> Option<i64> {
    board.read_at.as_deref().and_then(epoch_seconds)
}
