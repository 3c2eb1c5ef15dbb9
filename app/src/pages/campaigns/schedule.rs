//! One-off scheduled starts: the form (campaign, local date and time, time zone) for those who may
//! act, and the organization's scheduled starts, which POM cannot cancel.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::format::short_time;
use crate::error::AppError;
use crate::model::{ScheduleOptions, ScheduledStart};
use crate::server_fns::campaigns::{
    get_schedule_options, schedule_campaign_start, scheduled_starts,
};

/// The form's per-field messages.
#[derive(Debug, Clone, Default, PartialEq)]
struct Problems {
    campaign: Option<String>,
    start: Option<String>,
    zone: Option<String>,
    /// A refusal that belongs to no field.
    other: Option<String>,
}

impl Problems {
    fn of_input(campaign: &str, start: &str) -> Problems {
        Problems {
            campaign: campaign
                .is_empty()
                .then(|| "Choose a campaign.".to_string()),
            start: start
                .trim()
                .is_empty()
                .then(|| "Enter the date and time to start.".to_string()),
            ..Problems::default()
        }
    }

    fn of_error(error: AppError) -> Problems {
        match error {
            AppError::Validation { field, message } => match field.as_str() {
                "campaign" => Problems {
                    campaign: Some(message),
                    ..Problems::default()
                },
                "start" => Problems {
                    start: Some(message),
                    ..Problems::default()
                },
                "time_zone" | "zone" => Problems {
                    zone: Some(message),
                    ..Problems::default()
                },
                _ => Problems {
                    other: Some(message),
                    ..Problems::default()
                },
            },
            other => Problems {
                other: Some(other.to_string()),
                ..Problems::default()
            },
        }
    }

    fn any(&self) -> bool {
        self != &Problems::default()
    }
}

fn zone_select(
    options: ScheduleOptions,
    zone: RwSignal<String>,
    problems: RwSignal<Problems>,
) -> impl IntoView {
    let chosen = Some(zone.get_untracked())
        .filter(|z| !z.is_empty())
        .unwrap_or(options.default_zone);
    view! {
        <select id="schedule-zone" name="time_zone" aria-describedby="schedule-zone-error"
            aria-invalid=move || problems.with(|p| p.zone.is_some()).then_some("true")
            on:change=move |ev| zone.set(event_target_value(&ev))>
            {options.zones.into_iter().map(|name| {
                let selected = name == chosen;
                view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
            }).collect_view()}
        </select>
    }
}

/// The schedule form; `on_scheduled` runs after POM accepted a start.
#[component]
fn ScheduleForm(
    organization: String,
    campaigns: Vec<String>,
    on_scheduled: Callback<()>,
) -> impl IntoView {
    let options = Resource::new(|| (), |_| get_schedule_options());
    let campaign = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let zone = RwSignal::new(String::new());
    let problems = RwSignal::new(Problems::default());
    let done = RwSignal::new(None::<ScheduledStart>);
    let busy = RwSignal::new(false);
    // Scheduling needs the client; the button shows disabled until it has taken over.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let organization = StoredValue::new(organization);
    let submit = move || {
        let (chosen, when) = (campaign.get_untracked(), start.get_untracked());
        let found = Problems::of_input(&chosen, &when);
        problems.set(found.clone());
        done.set(None);
        if found.any() || busy.get_untracked() {
            return;
        }
        // The zone list starts at the default; an untouched list means the default.
        let zone_name = Some(zone.get_untracked())
            .filter(|z| !z.is_empty())
            .or_else(|| {
                options
                    .get_untracked()
                    .and_then(Result::ok)
                    .map(|o| o.default_zone)
            })
            .unwrap_or_default();
        busy.set(true);
        spawn_local(async move {
            match schedule_campaign_start(organization.get_value(), chosen, when, zone_name).await {
                Ok(scheduled) => {
                    done.set(Some(scheduled));
                    start.set(String::new());
                    on_scheduled.run(());
                }
                Err(error) => problems.set(Problems::of_error(error)),
            }
            busy.set(false);
        });
    };
    let invalid = move |field: fn(&Problems) -> bool| problems.with(field).then_some("true");
    view! {
        <form class="panel schedule-form" novalidate aria-labelledby="schedule-form-title"
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h3 id="schedule-form-title">"Schedule a start"</h3>
            <p class="muted small">"POM starts the campaign once at this time. A scheduled start cannot be cancelled: stop the job once it has started."</p>
            <div class="field-row">
                <div class="field">
                    <label for="schedule-campaign">"Campaign"</label>
                    <select id="schedule-campaign" name="campaign" required aria-describedby="schedule-campaign-error"
                        aria-invalid=move || invalid(|p| p.campaign.is_some())
                        on:change=move |ev| {
                            campaign.set(event_target_value(&ev));
                            problems.update(|p| p.campaign = None);
                        }>
                        <option value="">"Choose a campaign"</option>
                        {campaigns.into_iter().map(|name| view! { <option value=name.clone()>{name.clone()}</option> }).collect_view()}
                    </select>
                    <span id="schedule-campaign-error" class="field-error">{move || problems.with(|p| p.campaign.clone())}</span>
                </div>
                <div class="field">
                    <label for="schedule-start">"Start at (local time of the zone)"</label>
                    <input id="schedule-start" name="start" type="datetime-local" required
                        aria-describedby="schedule-start-error" aria-invalid=move || invalid(|p| p.start.is_some())
                        prop:value=move || start.get()
                        on:input=move |ev| {
                            start.set(event_target_value(&ev));
                            problems.update(|p| p.start = None);
                        }/>
                    <span id="schedule-start-error" class="field-error">{move || problems.with(|p| p.start.clone())}</span>
                </div>
                <div class="field">
                    <label for="schedule-zone">"Time zone"</label>
                    <Suspense fallback=|| view! { <select id="schedule-zone" disabled><option>"Loading…"</option></select> }>
                        {move || Suspend::new(async move {
                            match options.await {
                                Ok(options) => zone_select(options, zone, problems).into_any(),
                                Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                            }
                        })}
                    </Suspense>
                    <span id="schedule-zone-error" class="field-error">{move || problems.with(|p| p.zone.clone())}</span>
                </div>
                <div class="field submit">
                    <button type="submit" class="primary" data-testid="schedule-submit" disabled=move || busy.get() || !ready.get()>"Schedule start"</button>
                </div>
            </div>
        </form>
        <div class="action-status" role="alert" data-testid="schedule-error">
            {move || problems.with(|p| p.other.clone()).map(|message| view! { <p class="notice error">{message}</p> })}
        </div>
        <div class="action-status" role="status" aria-live="polite" data-testid="schedule-message">
            {move || done.get().map(|s| view! {
                <p class="notice ok">{format!("Scheduled: {} starts at {} ({}).", s.campaign, s.start_local, s.time_zone)}</p>
            })}
        </div>
    }
}

fn scheduled_table(rows: Vec<ScheduledStart>) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="scheduled-empty">"No starts scheduled through OCM in the last week."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
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
                        let status = if row.due {
                            view! { <span class="schedule-status due">"Due — POM has queued it"</span> }.into_any()
                        } else {
                            view! {
                                <span class="schedule-status">"Scheduled"</span>
                                <span class="muted small">" — POM offers no way to cancel a scheduled start; stop the job once it starts"</span>
                            }.into_any()
                        };
                        view! {
                            <tr data-testid="scheduled-row" data-campaign=row.campaign.clone() data-due=row.due.to_string()>
                                <td>{row.campaign.clone()}</td>
                                <td class="nowrap">{format!("{} ({})", row.start_local, row.time_zone)}</td>
                                <td>{row.requested_by}</td>
                                <td class="nowrap">{short_time(&row.requested_at)}</td>
                                <td>{status}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
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

    #[test]
    fn empty_fields_are_named() {
        let problems = Problems::of_input("", " ");
        assert!(problems.campaign.is_some() && problems.start.is_some());
        assert!(!Problems::of_input("Sales_Predictive", "2030-01-01T09:00").any());
    }

    #[test]
    fn refusals_land_on_their_field() {
        let start = Problems::of_error(AppError::validation("start", "That time has passed."));
        assert_eq!(start.start.as_deref(), Some("That time has passed."));
        let pom = Problems::of_error(AppError::ExternalService("POM is down.".into()));
        assert_eq!(pom.other.as_deref(), Some("POM is down."));
    }
}
