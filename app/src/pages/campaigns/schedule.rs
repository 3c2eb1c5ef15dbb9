//! The one-off scheduled start form (campaign, local date and time, time zone) for those who may
//! act, with a confirmation step: POM cannot cancel a scheduled start.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::format::pom_wall_time;
use crate::error::AppError;
use crate::model::{ScheduleOptions, ScheduledStart};
use crate::server_fns::campaigns::{get_schedule_options, schedule_campaign_start};

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

/// A start the user has filled in and is asked to confirm.
#[derive(Debug, Clone, PartialEq)]
struct Proposed {
    campaign: String,
    start: String,
    zone: String,
}

impl Proposed {
    /// "Sales_Predictive starts on 2026-12-05 at 09:30 (Europe/London)."
    fn sentence(&self) -> String {
        let (date, time) = self.start.split_once('T').unwrap_or((&self.start, ""));
        format!(
            "{} starts on {date} at {time} ({}).",
            self.campaign, self.zone
        )
    }
}

/// The schedule form; `on_scheduled` runs after POM accepted a start.
#[component]
pub(super) fn ScheduleForm(
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
    let proposed = RwSignal::new(None::<Proposed>);
    // Keyboard users land on the confirmation when it appears.
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    // The first step only checks the fields and asks for confirmation.
    let propose = move || {
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
        proposed.set(Some(Proposed {
            campaign: chosen,
            start: when,
            zone: zone_name,
        }));
    };
    let confirm = move || {
        let Some(chosen) = proposed.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let organization = organization.get_value();
            match schedule_campaign_start(organization, chosen.campaign, chosen.start, chosen.zone)
                .await
            {
                Ok(scheduled) => {
                    done.set(Some(scheduled));
                    start.set(String::new());
                    on_scheduled.run(());
                }
                Err(error) => problems.set(Problems::of_error(error)),
            }
            proposed.set(None);
            busy.set(false);
        });
    };
    let invalid = move |field: fn(&Problems) -> bool| problems.with(field).then_some("true");
    view! {
        <form class="panel schedule-form" novalidate aria-labelledby="schedule-form-title"
            on:submit=move |ev| { ev.prevent_default(); propose(); }>
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
        {move || proposed.get().map(|chosen| view! {
            <div class="panel confirm" role="alertdialog" aria-labelledby="schedule-confirm-title"
                aria-describedby="schedule-confirm-text" data-testid="schedule-confirm-panel">
                <h3 id="schedule-confirm-title">"Schedule this start?"</h3>
                <p id="schedule-confirm-text">
                    {chosen.sentence()}
                    " POM offers no way to cancel a scheduled start: once it is sent, the only way back is to stop the job after it has started."
                </p>
                <div class="actions">
                    <button type="button" class="primary" data-testid="schedule-confirm" node_ref=confirm_button
                        disabled=move || busy.get() on:click=move |_| confirm()>"Send the schedule to POM"</button>
                    <button type="button" data-testid="schedule-back" disabled=move || busy.get()
                        on:click=move |_| proposed.set(None)>"Back"</button>
                </div>
            </div>
        })}
        <div class="action-status" role="alert" data-testid="schedule-error">
            {move || problems.with(|p| p.other.clone()).map(|message| view! { <p class="notice error">{message}</p> })}
        </div>
        <div class="action-status" role="status" aria-live="polite" data-testid="schedule-message">
            {move || done.get().map(|s| view! {
                <p class="notice ok">{format!("Scheduled: {} starts at {} ({}).", s.campaign, pom_wall_time(&s.start_local), s.time_zone)}</p>
            })}
        </div>
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
    fn the_confirmation_names_campaign_day_time_and_zone() {
        let proposed = Proposed {
            campaign: "Sales_Predictive".into(),
            start: "2026-12-05T09:30".into(),
            zone: "Europe/London".into(),
        };
        assert_eq!(
            proposed.sentence(),
            "Sales_Predictive starts on 2026-12-05 at 09:30 (Europe/London)."
        );
    }

    #[test]
    fn refusals_land_on_their_field() {
        let start = Problems::of_error(AppError::validation("start", "That time has passed."));
        assert_eq!(start.start.as_deref(), Some("That time has passed."));
        let pom = Problems::of_error(AppError::ExternalService("POM is down.".into()));
        assert_eq!(pom.other.as_deref(), Some("POM is down."));
    }
}
