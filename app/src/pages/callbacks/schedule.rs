//! "Schedule a callback": a contact of one of the campaign's lists is offered to an agent from
//! the due time until the end (POM's `ScheduleCallBack` on the campaign's first running job).
//! Each field's problem shows beside it, POM's refusals in plain words below the form.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::format::error_text;
use crate::error::AppError;
use crate::model::{CallbackScheduleForm, CampaignBoard, ScheduleOptions, ScheduledCallback};
use crate::server_fns::callbacks::schedule_callback;
use crate::server_fns::campaigns::{get_campaign_board, get_schedule_options};

/// The form's fields, as the server names them.
const FIELDS: [&str; 9] = [
    "campaign",
    "list",
    "contact_id",
    "due",
    "expires",
    "time_zone",
    "phone_attribute",
    "address",
    "notes",
];

/// Problems by field ("" for one that belongs to no field).
type Problems = BTreeMap<&'static str, String>;

/// The fields the browser can tell are missing.
fn missing(form: &CallbackScheduleForm) -> Problems {
    let mut problems = Problems::new();
    for (field, value, words) in [
        ("campaign", &form.campaign, "Choose a campaign."),
        ("list", &form.list, "Choose the contact's list."),
        (
            "contact_id",
            &form.contact_id,
            "Enter the contact's id in the list.",
        ),
        ("due", &form.due, "Enter when the callback is due."),
    ] {
        if value.trim().is_empty() {
            problems.insert(field, words.to_string());
        }
    }
    problems
}

fn of_error(error: AppError) -> Problems {
    let field = match &error {
        AppError::Validation { field, .. } => FIELDS.iter().find(|f| **f == field).copied(),
        _ => None,
    };
    Problems::from([(field.unwrap_or(""), error_text(&error))])
}

/// Moves the keyboard to the field `name` (the first one at fault).
fn focus(name: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let element = leptos::prelude::document()
            .get_element_by_id(&format!("callback-{name}"))
            .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = name;
}

/// One labelled input with its problem; `kind` is the input type.
fn input(
    (name, label, kind): (&'static str, &'static str, &'static str),
    value: RwSignal<String>,
    problems: RwSignal<Problems>,
) -> impl IntoView {
    let id = format!("callback-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id name=name type=kind aria-describedby=error_id.clone()
                aria-invalid=move || problems.with(|p| p.contains_key(name)).then_some("true")
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    problems.update(|p| { p.remove(name); });
                }/>
            <span id=error_id class="field-error">{move || problems.with(|p| p.get(name).cloned())}</span>
        </div>
    }
}

/// One labelled choice with its problem.
fn choice(
    (name, label): (&'static str, &'static str),
    options: Vec<(String, String)>,
    value: RwSignal<String>,
    problems: RwSignal<Problems>,
) -> impl IntoView {
    let id = format!("callback-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-describedby=error_id.clone()
                aria-invalid=move || problems.with(|p| p.contains_key(name)).then_some("true")
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    problems.update(|p| { p.remove(name); });
                }>
                {options.into_iter().map(|(v, words)| {
                    let selected = v == value.get_untracked();
                    view! { <option value=v selected=selected>{words}</option> }
                }).collect_view()}
            </select>
            <span id=error_id class="field-error">{move || problems.with(|p| p.get(name).cloned())}</span>
        </div>
    }
}

fn named(values: impl IntoIterator<Item = String>, none: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), none.to_string()))
        .chain(values.into_iter().map(|v| (v.clone(), v)))
        .collect()
}

/// The campaign, list and zone choices, once the board and the zones are read.
fn choices(
    (board, options): (CampaignBoard, ScheduleOptions),
    (campaign, list, zone): (RwSignal<String>, RwSignal<String>, RwSignal<String>),
    problems: RwSignal<Problems>,
) -> impl IntoView {
    if zone.get_untracked().is_empty() {
        zone.set(options.default_zone.clone());
    }
    let campaigns = board.campaigns.clone();
    let lists = move || {
        let chosen = campaign.get();
        let lists = campaigns
            .iter()
            .find(|c| c.name == chosen)
            .map(|c| c.lists.clone())
            .unwrap_or_default();
        // A list of the campaign chosen before is not one of this one's; a campaign with one
        // list has it chosen.
        if !lists.contains(&list.get_untracked()) {
            list.set(match lists.as_slice() {
                [only] => only.clone(),
                _ => String::new(),
            });
        }
        let options = named(lists, "Choose a list");
        choice(("list", "Contact list"), options, list, problems)
    };
    // Only a running job takes callbacks: the others are offered marked (POM may start them).
    let names = board.campaigns.into_iter().map(|c| {
        let running = c
            .job
            .as_ref()
            .is_some_and(|j| matches!(j.state.as_str(), "JOB_ACTIVE" | "JOB_PAUSED"));
        let words = if running {
            c.name.clone()
        } else {
            format!("{} (no running job)", c.name)
        };
        (c.name, words)
    });
    let campaign_options = std::iter::once((String::new(), "Choose a campaign".to_string()))
        .chain(names)
        .collect();
    let zones = options.zones.into_iter().map(|z| (z.clone(), z)).collect();
    view! {
        {choice(("campaign", "Campaign"), campaign_options, campaign, problems)}
        {lists}
        {choice(("time_zone", "Time zone"), zones, zone, problems)}
    }
}

/// The form; `on_scheduled` runs after POM accepted a callback.
#[component]
pub fn ScheduleCallbackForm(
    organization: Option<String>,
    on_scheduled: Callback<()>,
) -> impl IntoView {
    let asked = organization.clone();
    let board = Resource::new(move || asked.clone(), get_campaign_board);
    let options = Resource::new(|| (), |_| get_schedule_options());
    let [campaign, list, contact_id, due, expires, zone, phone_attribute, address, notes] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let problems = RwSignal::new(Problems::new());
    let done = RwSignal::new(None::<ScheduledCallback>);
    let busy = RwSignal::new(false);
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let organization = StoredValue::new(organization);
    let optional =
        |value: RwSignal<String>| Some(value.get_untracked()).filter(|v| !v.trim().is_empty());
    let submit = move || {
        let form = CallbackScheduleForm {
            organization: organization.get_value(),
            campaign: campaign.get_untracked(),
            list: list.get_untracked(),
            contact_id: contact_id.get_untracked(),
            due: due.get_untracked(),
            expires: optional(expires),
            time_zone: zone.get_untracked(),
            phone_attribute: optional(phone_attribute),
            address: optional(address),
            notes: notes.get_untracked(),
        };
        let found = missing(&form);
        done.set(None);
        problems.set(found.clone());
        if let Some(field) = found.keys().next() {
            focus(field);
            return;
        }
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match schedule_callback(form).await {
                Ok(scheduled) => {
                    done.set(Some(scheduled));
                    contact_id.set(String::new());
                    notes.set(String::new());
                    on_scheduled.run(());
                }
                Err(error) => {
                    let problems_found = of_error(error);
                    if let Some(field) = problems_found.keys().find(|f| !f.is_empty()) {
                        focus(field);
                    }
                    problems.set(problems_found);
                }
            }
            busy.set(false);
        });
    };
    let phones = vec![
        (String::new(), "The campaign's default".to_string()),
        ("phoneNumber1".to_string(), "Phone 1".to_string()),
        ("phoneNumber2".to_string(), "Phone 2".to_string()),
    ];
    view! {
        <form class="panel schedule-form" novalidate aria-labelledby="callback-form-title" data-testid="callback-form"
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2 id="callback-form-title">"Schedule a callback"</h2>
            <p class="muted small">"POM offers the contact to an agent of the campaign's running job from the due time until the end (two hours later when left empty)."</p>
            <div class="field-row">
                <Suspense fallback=|| view! { <p class="muted">"Reading campaigns…"</p> }>
                    {move || Suspend::new(async move {
                        match (board.await, options.await) {
                            (Ok(board), Ok(options)) => choices((board, options), (campaign, list, zone), problems).into_any(),
                            (Err(error), _) | (_, Err(error)) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
                {input(("contact_id", "Contact id", "text"), contact_id, problems)}
            </div>
            <div class="field-row">
                {input(("due", "Due (in the time zone chosen)", "datetime-local"), due, problems)}
                {input(("expires", "Until (default: 2 h after due)", "datetime-local"), expires, problems)}
                {choice(("phone_attribute", "Phone to call"), phones, phone_attribute, problems)}
                {input(("address", "Or this number instead (optional)", "tel"), address, problems)}
            </div>
            <div class="field">
                <label for="callback-notes">"Notes for the agent"</label>
                <textarea id="callback-notes" name="notes" rows="2" maxlength="1000"
                    aria-describedby="callback-notes-error" prop:value=move || notes.get()
                    aria-invalid=move || problems.with(|p| p.contains_key("notes")).then_some("true")
                    on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                <span id="callback-notes-error" class="field-error">{move || problems.with(|p| p.get("notes").cloned())}</span>
            </div>
            <button type="submit" class="primary" data-testid="callback-submit" disabled=move || busy.get() || !ready.get()>
                {move || if busy.get() { "Scheduling…" } else { "Schedule callback" }}
            </button>
        </form>
        <div class="action-status" role="alert" data-testid="callback-error">
            {move || problems.with(|p| p.get("").cloned()).map(|message| view! { <p class="notice error">{message}</p> })}
        </div>
        <div class="action-status" role="status" aria-live="polite" data-testid="callback-message">
            {move || done.get().map(|s| view! {
                <p class="notice ok">
                    {format!("Scheduled for {} in {}: {} It shows on this page once the call data from POM has brought it: ", s.contact_id, s.campaign, s.message)}
                    <a href=format!("/callbacks?contact={}", s.contact_id)>{format!("callbacks of {}", s.contact_id)}</a>"."
                </p>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_are_named_and_refusals_land_on_their_field() {
        let problems = missing(&CallbackScheduleForm::default());
        assert_eq!(problems.len(), 4);
        let due = of_error(AppError::validation("due", "That time has passed."));
        assert_eq!(
            due.get("due").map(String::as_str),
            Some("That time has passed.")
        );
        let pom = of_error(AppError::ExternalService("POM is down.".into()));
        assert_eq!(pom.get("").map(String::as_str), Some("POM is down."));
    }
}
