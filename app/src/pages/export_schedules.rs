//! Scheduled exports (`/reports/schedules`): every schedule of the organization in plain words
//! with its next three runs and its last run, "Run now", pause, resume and delete; the new
//! schedule's form (opened from a report's "Schedule…" link with its filters); and one
//! schedule's run history with each file to download (`?history=<id>`).

mod controls;
mod form;
mod history;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::format::error_text;
use crate::error::AppError;
use crate::model::ExportScheduleView;
use crate::server_fns::export_schedules::{
    change_export_schedule, get_export_schedules, run_export_schedule,
};
use form::{Deliveries, ScheduleForm};
use history::{RunState, RunsTable};

/// Where the files go besides the download, in words.
fn deliveries_in_words(schedule: &ExportScheduleView) -> Option<String> {
    let mut parts = Vec::new();
    if !schedule.recipients.is_empty() {
        parts.push(format!("E-mailed to {}", schedule.recipients.join(", ")));
    }
    if let Some(destination) = &schedule.sftp_destination {
        parts.push(format!("sent by SFTP to {destination}"));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// One schedule's row with its actions; a refusal shows in the row.
#[component]
fn ScheduleLine(schedule: ExportScheduleView, on_changed: Callback<()>) -> impl IntoView {
    let problem = RwSignal::new(None::<AppError>);
    let note = RwSignal::new(None::<String>);
    let id = schedule.schedule_id;
    let act = move |change: &'static str| {
        move |_| {
            spawn_local(async move {
                match change_export_schedule(id, change.to_string()).await {
                    Ok(()) => on_changed.run(()),
                    Err(error) => problem.set(Some(error)),
                }
            });
        }
    };
    let navigate = use_navigate();
    let run_now = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match run_export_schedule(id, None).await {
                Ok(_) => {
                    note.set(Some("Queued: follow it in the runs below.".into()));
                    on_changed.run(());
                    navigate(
                        &format!("/reports/schedules?history={id}"),
                        Default::default(),
                    );
                }
                Err(error) => problem.set(Some(error)),
            }
        });
    };
    let next = if schedule.paused {
        view! { <span class="badge">"Paused"</span> }.into_any()
    } else {
        let runs = schedule
            .next_runs
            .iter()
            .map(|r| view! { <li>{r.clone()}</li> })
            .collect_view();
        view! { <ul class="plain small" data-testid="schedule-next-runs">{runs}</ul> }.into_any()
    };
    let last = match schedule.last_run.clone() {
        Some(run) => view! { <RunState run/> }.into_any(),
        None => view! { <span class="muted small">"Not yet"</span> }.into_any(),
    };
    // Delete asks once more in the row itself.
    let confirming = RwSignal::new(false);
    let may_change = schedule.may_change;
    let name = schedule.name.clone();
    let label = move |what: &str| format!("{what} “{name}”");
    view! {
        <tr data-testid="schedule-row">
            <td>
                <strong>{schedule.name.clone()}</strong>
                <div class="small muted" data-testid="schedule-words">{schedule.in_words.clone()}</div>
                {(!schedule.filters.is_empty()).then(|| view! { <div class="small"><code>{schedule.filters.clone()}</code></div> })}
                {deliveries_in_words(&schedule).map(|words| view! { <div class="small">{words}</div> })}
            </td>
            <td>{schedule.organization.clone()}</td>
            <td>{next}</td>
            <td>{last}</td>
            <td class="small">{schedule.owner.clone()}</td>
            <td class="row-actions">
                {if may_change {
                    view! {
                <button type="button" on:click=run_now data-testid="schedule-run-now" aria-label=label("Run now")
                            title="Makes the file now for the period as of now, and sends it wherever the schedule sends its files">"Run now"</button>
                        {if schedule.paused {
                            view! { <button type="button" on:click=act("resume") aria-label=label("Resume")>"Resume"</button> }.into_any()
                        } else {
                            view! { <button type="button" on:click=act("pause") aria-label=label("Pause")>"Pause"</button> }.into_any()
                        }}
                        {
                            let ask = label("Delete");
                            let sure = label("Yes, delete");
                            move || if confirming.get() {
                                view! {
                                    <button type="button" class="danger" on:click=act("delete") aria-label=sure.clone()>"Yes, delete"</button>
                                    <button type="button" on:click=move |_| confirming.set(false)>"Keep it"</button>
                                }.into_any()
                            } else {
                                view! { <button type="button" on:click=move |_| confirming.set(true) aria-label=ask.clone()>"Delete"</button> }.into_any()
                            }
                        }
                            }.into_any()
                } else {
                    view! { <span class="muted small">{format!("Only {} or an admin can change it.", schedule.owner)}</span> }.into_any()
                }}
                <a class="button" href=format!("/reports/schedules?history={id}") data-testid="schedule-history-link" aria-label=label("History of")>"History"</a>
                <span role="status">{move || note.get()}</span>
                {move || problem.get().map(|e| view! { <span class="error" role="alert">{error_text(&e)}</span> })}
            </td>
        </tr>
    }
}

/// The page.
#[component]
pub fn ExportSchedulesPage() -> impl IntoView {
    let query = use_query_map();
    let version = RwSignal::new(0_u32);
    let data = Resource::new(move || version.get(), |_| get_export_schedules());
    // The form reads what it offers once: a change to the list does not wipe what was typed.
    let form_data = Resource::new(|| (), |_| get_export_schedules());
    let on_changed = Callback::new(move |()| version.update(|v| *v += 1));
    let asked_report = move || query.with(|q| q.get("report")).unwrap_or_default();
    let asked_filters = move || query.with(|q| q.get("filters")).unwrap_or_default();
    let history = move || {
        query
            .with(|q| q.get("history"))
            .and_then(|h| h.parse::<i64>().ok())
    };
    let show_form = RwSignal::new(false);
    let created = RwSignal::new(None::<i64>);
    let navigate = use_navigate();
    let on_created = Callback::new(move |id| {
        created.set(Some(id));
        show_form.set(false);
        navigate(
            &format!("/reports/schedules?history={id}"),
            Default::default(),
        );
        version.update(|v| *v += 1);
    });
    view! {
        <Title text="Scheduled exports"/>
        <div class="page-head">
            <h1>"Scheduled exports"</h1>
            <p class="muted">"Reports written to CSV or Excel on a schedule, each run covering its period in the schedule's time zone; every file kept with its row count and SHA-256. Open a report and press “Schedule…” to start from its filters."</p>
        </div>
        {move || created.get().map(|id| view! {
            <p class="notice ok" role="status" data-testid="schedule-created">
                "Schedule saved. " <a href=format!("/reports/schedules?history={id}")>"Its history"</a>
            </p>
        })}
        {move || {
            let open = !asked_report().is_empty() || show_form.get();
            if !open {
                return view! {
                    <p><button type="button" on:click=move |_| show_form.set(true) data-testid="schedule-new">"New schedule"</button></p>
                }.into_any();
            }
            view! {
                <Suspense>
                    {move || Suspend::new(async move {
                        form_data.await.ok().map(|page| view! {
                            <ScheduleForm report=asked_report() filters=asked_filters() default_zone=page.default_zone.clone()
                                organizations=page.organizations.clone()
                                deliveries=Deliveries {
                                    email: page.email,
                                    destinations: page.destinations.clone(),
                                    email_domains: page.email_domains.clone(),
                                    retention_days: page.retention_days,
                                }
                                on_created/>
                        })
                    })}
                </Suspense>
            }.into_any()
        }}
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let empty = page.schedules.is_empty();
                        let rows = page.schedules.into_iter().map(|schedule| view! { <ScheduleLine schedule on_changed/> }).collect_view();
                        view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label="Schedules">
                                <table class="data" data-testid="schedules">
                                    <caption class="sr-only">"Scheduled exports"</caption>
                                    <thead><tr>
                                        <th scope="col">"Schedule"</th><th scope="col">"Organization"</th><th scope="col">"Next runs"</th>
                                        <th scope="col">"Last run"</th><th scope="col">"Owner"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {empty.then(|| view! { <tr><td colspan="6" class="muted">"No schedule yet."</td></tr> })}
                                        {rows}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                    Err(error) => view! { <p class="notice error" role="alert">{error_text(&error)}</p> }.into_any(),
                }
            })}
        </Transition>
        {move || history().map(|schedule_id| {
            let this = move || {
                data.get()
                    .and_then(Result::ok)
                    .and_then(|page| page.schedules.into_iter().find(|s| s.schedule_id == schedule_id))
            };
            let name = Signal::derive(move || this().map(|s| s.name));
            let may_change = Signal::derive(move || this().is_some_and(|s| s.may_change));
            view! { <RunsTable schedule_id version name may_change/> }
        })}
    }
}
