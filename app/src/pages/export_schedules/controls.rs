//! The schedule form's controls: a labelled field with the problem the server named for it, text
//! inputs, choices and the weekday boxes.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::components::format::error_text;
use crate::error::AppError;

/// Problems by field ("" for the form as a whole).
pub type Problems = BTreeMap<String, String>;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The server's refusal at the field it names, or for the whole form.
pub fn problem_of(error: AppError) -> Problems {
    match &error {
        AppError::Validation { field, message } => {
            Problems::from([(field.clone(), message.clone())])
        }
        _ => Problems::from([(String::new(), error_text(&error))]),
    }
}

/// A labelled control with the problem the server named for `name`.
pub fn field(
    name: &'static str,
    label: impl Into<String>,
    control: AnyView,
    problems: RwSignal<Problems>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=format!("schedule-{name}")>{label.into()}</label>
            {control}
            <span id=format!("schedule-{name}-error") class="field-error" aria-live="polite" data-testid=format!("schedule-{name}-error")>
                {move || problems.with(|p| p.get(name).cloned())}
            </span>
        </div>
    }
}

pub fn text(name: &'static str, value: RwSignal<String>, kind: &'static str) -> AnyView {
    view! {
        <input id=format!("schedule-{name}") name=name type=kind aria-describedby=format!("schedule-{name}-error")
            prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
    }
    .into_any()
}

pub fn select(
    name: &'static str,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
) -> AnyView {
    view! {
        <select id=format!("schedule-{name}") name=name aria-describedby=format!("schedule-{name}-error")
            on:change=move |ev| value.set(event_target_value(&ev))>
            {options.into_iter().map(|(v, words)| {
                let selected = v == value.get_untracked();
                view! { <option value=v selected=selected>{words}</option> }
            }).collect_view()}
        </select>
    }
    .into_any()
}

pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(v, w)| (v.to_string(), w.to_string()))
        .collect()
}

/// The weekday boxes of a weekly schedule.
pub fn weekday_boxes(weekdays: RwSignal<Vec<u8>>) -> impl IntoView {
    let boxes = WEEKDAYS.iter().enumerate().map(|(i, name)| {
        let day = i as u8 + 1;
        view! {
            <label class="inline">
                <input type="checkbox" name="weekdays" value=day.to_string()
                    prop:checked=move || weekdays.with(|w| w.contains(&day))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        weekdays.update(|w| { w.retain(|d| *d != day); if on { w.push(day); w.sort_unstable(); } });
                    }/>
                {*name}
            </label>
        }
    });
    view! { <fieldset class="inline-set" id="schedule-weekdays" aria-describedby="schedule-weekdays-error"><legend>"On"</legend>{boxes.collect_view()}</fieldset> }
}
