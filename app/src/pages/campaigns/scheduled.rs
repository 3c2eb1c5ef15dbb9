//! The organization's scheduled starts, kept current while the page is open: read again when the
//! board changes and when a start falls due, each row linked to the job POM started for it.

use leptos::prelude::*;

use super::schedule::ScheduleForm;
use crate::components::campaign_state::{epoch_seconds, now_seconds};
use crate::components::format::{pom_wall_time, short_time};
use crate::model::ScheduledStart;
use crate::server_fns::campaigns::scheduled_starts;

/// How long after its time a start counts as not carried out (OCM links jobs for an hour).
const NO_JOB_AFTER_SECONDS: i64 = 3600;

/// How a scheduled start stands, in words.
fn status(row: &ScheduledStart) -> AnyView {
    let long_past =
        epoch_seconds(&row.starts_at).is_some_and(|at| now_seconds() - at > NO_JOB_AFTER_SECONDS);
    match (row.job_id, row.due) {
        (Some(job_id), _) => view! {
            <span class="schedule-status started">"Started"</span>
            " — "
            // `rel="external"` leaves the jump to the browser, which marks the row (`:target`).
            <a href=format!("#job-{job_id}") rel="external" data-testid="scheduled-job">{format!("job {job_id}")}</a>
        }
        .into_any(),
        (None, true) if long_past => view! {
            <span class="schedule-status due">"No job seen"</span>
            <span class="muted small">" — POM started no job for it within an hour (was the campaign already running?)"</span>
        }
        .into_any(),
        (None, true) => view! {
            <span class="schedule-status due">"Due"</span>
            <span class="muted small">" — waiting to see POM's job"</span>
        }
        .into_any(),
        (None, false) => view! {
            <span class="schedule-status">"Scheduled"</span>
            <span class="muted small">" — POM offers no way to cancel a scheduled start; stop the job once it starts"</span>
        }
        .into_any(),
    }
}

fn scheduled_table(rows: Vec<ScheduledStart>) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="scheduled-empty">"No starts scheduled through OCM in the last week."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Scheduled starts">
            <table class="data" data-testid="scheduled-table">
                <thead>
                    <tr>
                        <th scope="col">"Campaign"</th>
                        <th scope="col">"Start"</th>
                        <th scope="col">"Requested by"</th>
                        <th scope="col">"Requested (UTC)"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let state = match (row.job_id, row.due) {
                            (Some(_), _) => "started",
                            (None, true) => "due",
                            (None, false) => "scheduled",
                        };
                        view! {
                            <tr data-testid="scheduled-row" data-campaign=row.campaign.clone() data-due=row.due.to_string()
                                data-state=state>
                                <td>{row.campaign.clone()}</td>
                                <td class="nowrap">{format!("{} ({})", pom_wall_time(&row.start_local), row.time_zone)}</td>
                                <td>{row.requested_by.clone()}</td>
                                <td class="nowrap">{short_time(&row.requested_at)}</td>
                                <td>{status(&row)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Seconds until the soonest start that has not fallen due yet, if any.
fn next_due_in(rows: &[ScheduledStart], now: i64) -> Option<i64> {
    rows.iter()
        .filter(|row| !row.due)
        .filter_map(|row| epoch_seconds(&row.starts_at))
        .map(|at| (at - now).max(0))
        .min()
}

/// Scheduled starts of `organization`; the form too when `can_act`. `changes` counts changes of
/// the board, actions and new starts, after which the list is read again.
#[component]
pub fn ScheduleSection(
    organization: String,
    campaigns: Vec<String>,
    can_act: bool,
    changes: RwSignal<u32>,
) -> impl IntoView {
    let key = organization.clone();
    let scheduled = Resource::new(
        move || (key.clone(), changes.get()),
        |(org, _)| scheduled_starts(org),
    );
    // A start falling due changes its row although nothing else changed: read again then.
    Effect::new(move |_| {
        let wait = scheduled.with(|loaded| match loaded {
            Some(Ok(rows)) => next_due_in(rows, now_seconds()),
            _ => None,
        });
        if let Some(seconds) = wait {
            let delay = std::time::Duration::from_secs(seconds.unsigned_abs() + 1);
            if let Ok(handle) = set_timeout_with_handle(move || changes.update(|n| *n += 1), delay)
            {
                on_cleanup(move || handle.clear());
            }
        }
    });
    let form = can_act.then(|| {
        // The list and the recent actions (read on every change) both gain the new start.
        let on_scheduled = Callback::new(move |_| changes.update(|n| *n += 1));
        view! { <ScheduleForm organization campaigns on_scheduled/> }
    });
    view! {
        <section class="section" aria-labelledby="schedule-title">
            <h2 id="schedule-title">"Scheduled starts"</h2>
            {form}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match scheduled.await {
                        Ok(rows) => scheduled_table(rows),
                        Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(starts_at: &str, due: bool) -> ScheduledStart {
        ScheduledStart {
            schedule_id: 1,
            campaign: "Sales".into(),
            start_local: "2026/12/05 09:30:00".into(),
            time_zone: "UTC".into(),
            starts_at: starts_at.into(),
            due,
            job_id: None,
            requested_by: "sam".into(),
            requested_at: "2026-12-05T09:00:00Z".into(),
        }
    }

    #[test]
    fn the_list_is_read_again_when_the_soonest_start_falls_due() {
        let now = epoch_seconds("2026-12-05T09:29:00Z").unwrap();
        let rows = [
            start("2026-12-05T09:40:00Z", false),
            start("2026-12-05T09:30:00Z", false),
            start("2026-12-05T09:00:00Z", true),
        ];
        assert_eq!(next_due_in(&rows, now), Some(60));
        assert_eq!(next_due_in(&rows[2..], now), None);
    }
}
