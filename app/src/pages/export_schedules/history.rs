//! One schedule's runs: when, what started it (on time, late, a person), the days covered, how
//! it ended, rows, size, duration, SHA-256 and the file to download, or the error; a re-run of
//! a past period. Runs still queued or running are read again every few seconds.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::format::{error_text, short_time, thousands};
use crate::error::AppError;
use crate::model::{DeliveryState, ExportRunView, PeriodDays, RunState as State};
use crate::server_fns::export_schedules::{get_export_runs, run_export_schedule};

/// Bytes for people: "12.3 kB".
fn size(bytes: i64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1_000_000.0),
        b if b >= 1_000 => format!("{:.1} kB", b as f64 / 1_000.0),
        b => format!("{b} B"),
    }
}

/// A run's state with its file or its error.
#[component]
pub fn RunState(run: ExportRunView) -> impl IntoView {
    let class = match run.state {
        State::Done => "badge ok",
        State::Failed | State::Refused => "badge bad",
        _ => "badge",
    };
    let file = (run.downloadable).then(|| {
        let name = run.file_name.clone().unwrap_or_default();
        view! {
            " "<a href=format!("/reports/schedules/runs/{}/file", run.run_id) download data-testid="run-download">{name}</a>
        }
    });
    let deliveries = run
        .deliveries
        .iter()
        .map(|d| {
            let class = match d.state {
                DeliveryState::Delivered => "small ok",
                DeliveryState::Failed => "small error",
                _ => "small muted",
            };
            let mut words = format!(
                "{} to {}: {}",
                d.kind.label(),
                d.destination,
                d.state.label().to_lowercase()
            );
            if let Some(how) = &d.how {
                words.push_str(&format!(" ({how})"));
            }
            if d.attempts > 1 {
                words.push_str(&format!(", {} attempts", d.attempts));
            }
            if let Some(next) = &d.next_attempt_at {
                words.push_str(&format!(", next try {}", short_time(next)));
            }
            if let Some(error) = &d.last_error {
                words.push_str(&format!(" — {error}"));
            }
            view! { <div class=class data-testid="run-delivery">{words}</div> }
        })
        .collect_view();
    view! {
        <span class=class data-testid="run-state">{run.state.label().to_string()}</span>
        {file}
        {run.error.clone().map(|e| view! { <div class="small error">{e}</div> })}
        {deliveries}
    }
}

/// The runs of `schedule_id`, read again whenever `version` moves and while any is under way.
#[component]
pub fn RunsTable(
    schedule_id: i64,
    version: RwSignal<u32>,
    #[prop(into)] name: Signal<Option<String>>,
    #[prop(into)] may_change: Signal<bool>,
) -> impl IntoView {
    let tick = RwSignal::new(0_u32);
    let runs = Resource::new(
        move || (version.get(), tick.get()),
        move |_| get_export_runs(schedule_id),
    );
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                let busy = runs.get_untracked().and_then(Result::ok).is_some_and(|r| {
                    r.iter().any(|run| {
                        matches!(run.state, State::Queued | State::Running)
                            || run.deliveries.iter().any(|d| {
                                // Not while a delivery waits out a backoff of minutes or hours.
                                d.state == DeliveryState::Sending
                                    || (d.state == DeliveryState::Pending && d.attempts == 0)
                            })
                    })
                });
                if busy {
                    tick.update(|t| *t += 1);
                }
            },
            std::time::Duration::from_secs(2),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<AppError>);
    let rerun = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let days = PeriodDays {
            from: from.get_untracked(),
            to: to.get_untracked(),
        };
        spawn_local(async move {
            match run_export_schedule(schedule_id, Some(days)).await {
                Ok(_) => {
                    problem.set(None);
                    version.update(|v| *v += 1);
                }
                Err(error) => problem.set(Some(error)),
            }
        });
    };
    view! {
        <section aria-labelledby="runs-title" data-testid="schedule-history">
            <h2 id="runs-title">{move || match name.get() {
                Some(name) => format!("Runs of “{name}”"),
                None => "Runs".to_string(),
            }}</h2>
            {move || may_change.get().then(|| view! {
            <form class="filters" on:submit=rerun aria-label="Re-run a past period">
                    <div class="field"><label for="rerun-from">"From"</label>
                        <input id="rerun-from" type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/></div>
                    <div class="field"><label for="rerun-to">"To"</label>
                        <input id="rerun-to" type="date" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/></div>
                    <div class="actions"><button type="submit">"Make the file for these days again"</button></div>
                    <span role="alert">{move || problem.get().map(|e| view! { <span class="error">{error_text(&e)}</span> })}</span>
                </form>
            })}
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match runs.await {
                        Ok(runs) => view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label="Runs">
                                <table class="data" data-testid="runs">
                                    <caption class="sr-only">"Runs of the schedule, newest first"</caption>
                                    <thead><tr>
                                        <th scope="col">"Queued"</th><th scope="col">"Started by"</th><th scope="col">"Covers"</th>
                                        <th scope="col">"Outcome"</th><th scope="col" class="num">"Rows"</th><th scope="col" class="num">"Size"</th>
                                        <th scope="col" class="num">"Took"</th><th scope="col">"SHA-256"</th>
                                    </tr></thead>
                                    <tbody>
                                        {runs.is_empty().then(|| view! { <tr><td colspan="8" class="muted">"No run yet."</td></tr> })}
                                        {runs.into_iter().map(|run| view! {
                                            <tr data-testid="run-row">
                                                <td class="small">{short_time(&run.created_at)}</td>
                                                <td class="small">{format!("{} ({})", run.trigger.label(), run.requested_by)}</td>
                                                <td class="small">{if run.period_from == run.period_to { run.period_from.clone() } else { format!("{} – {}", run.period_from, run.period_to) }}</td>
                                                <td><RunState run=run.clone()/></td>
                                                <td class="num">{run.rows.map(thousands).unwrap_or_default()}</td>
                                                <td class="num">{run.bytes.map(size).unwrap_or_default()}</td>
                                                <td class="num">{run.duration_ms.map(|ms| format!("{:.1} s", ms as f64 / 1000.0)).unwrap_or_default()}</td>
                                                <td><code class="small" title=run.sha256.clone().unwrap_or_default()>{run.sha256.as_deref().map(|s| s[..12.min(s.len())].to_string()).unwrap_or_default()}</code></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <p class="notice error" role="alert">{error_text(&error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
