//! The applications table: the call's end, campaign and code, what the rule wrote, the list and
//! contact, the state as a badge and POM's answer.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

use crate::components::format::short_time;
use crate::components::report::table::TableSpec;
use crate::model::{ApplicationState, RuleApplicationRow};

fn cell(key: &'static str, row: &RuleApplicationRow) -> Option<AnyView> {
    Some(match key {
        "attempt_ended_at_utc" => short_time(&row.attempt_ended_at).into_any(),
        "finished_at_utc" => row.finished_at.as_deref().map(short_time).into_any(),
        "state" => {
            let class = match row.state {
                ApplicationState::Applied => "badge ok",
                ApplicationState::Failed => "badge bad",
                _ => "badge warn",
            };
            view! { <span class=class>{row.state.label().to_string()}</span> }.into_any()
        }
        "contact" => view! { <code>{row.contact.clone()}</code> }.into_any(),
        // The attribute was empty before: said, rather than an empty cell.
        "previous_value" => match row.previous_value.as_deref() {
            Some("") => view! { <span class="muted">"(empty)"</span> }.into_any(),
            other => other.map(str::to_string).into_any(),
        },
        _ => return None,
    })
}

fn row_attributes(row: &RuleApplicationRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "rule-application-row").into_any_attr(),
        custom_attribute("data-state", row.state.as_str().to_string()).into_any_attr(),
    ]
}

pub const TABLE: TableSpec<RuleApplicationRow> = TableSpec {
    testid: "rule-applications",
    label: "Completion-code rule applications",
    class: "data",
    empty: "No rule has acted on a call yet.",
    columns: &[
        "attempt_ended_at_utc",
        "campaign",
        "completion_code",
        "effect",
        "list",
        "contact",
        "state",
        "tries",
        "previous_value",
        "outcome",
        "finished_at_utc",
    ],
    classes: &[
        ("attempt_ended_at_utc", "nowrap"),
        ("finished_at_utc", "nowrap"),
        ("outcome", "outcome-text"),
    ],
    cell,
    row: row_attributes,
};
