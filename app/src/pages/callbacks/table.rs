//! The dashboard's table of callbacks: section and state as badges, the phone as code, how long
//! until (or since) each is due, and each row marked with its callback id and section.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

use crate::components::report::table::TableSpec;
use crate::model::CallbackRow;

fn cell(key: &'static str, row: &CallbackRow) -> Option<AnyView> {
    match key {
        "phone" => Some(view! { <code>{row.phone.clone()}</code> }.into_any()),
        "section" => {
            let class = format!("badge section-{}", row.section.as_str());
            Some(view! { <span class=class>{row.section.label().to_string()}</span> }.into_any())
        }
        "state" => {
            let class = format!("badge callback-{}", row.state.as_str());
            Some(view! { <span class=class>{row.state.label().to_string()}</span> }.into_any())
        }
        "due_in_minutes" => Some(row.due_in_minutes.map(due_in).into_any()),
        _ => None,
    }
}

/// "in 25 min", "3 h 10 min ago", "in 2 d 4 h".
fn due_in(minutes: i64) -> String {
    let (abs, late) = (minutes.unsigned_abs(), minutes < 0);
    let text = match abs {
        0..60 => format!("{abs} min"),
        60..1440 => format!("{} h {} min", abs / 60, abs % 60),
        _ => format!("{} d {} h", abs / 1440, abs % 1440 / 60),
    };
    if late {
        format!("{text} ago")
    } else {
        format!("in {text}")
    }
}

fn row_attributes(row: &CallbackRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "callback-row").into_any_attr(),
        custom_attribute("data-callback", row.callback_id.clone()).into_any_attr(),
        custom_attribute("data-section", row.section.as_str().to_string()).into_any_attr(),
    ]
}

pub(super) const TABLE: TableSpec<CallbackRow> = TableSpec {
    testid: "callbacks",
    label: "Callbacks",
    class: "data dense",
    empty: "No callbacks here. Callbacks appear once the call-data feed brings them (see “Call data up to” above).",
    columns: &[
        "section",
        "due_at",
        "due_in_minutes",
        "expires_at",
        "callback_type",
        "owner",
        "campaign",
        "list",
        "contact_id",
        "phone",
        "state",
        "agent",
        "fulfilled_by",
        "handed_over",
        "on_call",
        "notes",
    ],
    classes: &[
        ("section", "nowrap"),
        ("due_at", "nowrap"),
        ("expires_at", "nowrap"),
        ("due_in_minutes", "nowrap"),
        ("callback_type", "nowrap"),
        ("campaign", "nowrap"),
        ("list", "nowrap"),
        ("phone", "nowrap"),
        ("state", "nowrap"),
        ("handed_over", "nowrap"),
        ("on_call", "nowrap"),
        ("notes", "clip"),
    ],
    cell,
    row: row_attributes,
};
