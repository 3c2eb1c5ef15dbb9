//! The report's table: one row per address request, newest first as the server sends them, with
//! the address as code, the file's hash on hover and POM's answer as a state badge.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

use crate::components::dnc_state::DncStateBadge;
use crate::components::format::short_time;
use crate::components::report::table::TableSpec;
use crate::model::DncEntryRow;

fn cell(key: &'static str, row: &DncEntryRow) -> Option<AnyView> {
    Some(match key {
        "requested_at_utc" => short_time(&row.requested_at).into_any(),
        "address" => view! { <code>{row.address.clone()}</code> }.into_any(),
        "action" => row.action.label().to_string().into_any(),
        "file_name" => {
            let title = row
                .file_sha256
                .as_ref()
                .map(|hash| format!("SHA-256 {hash}"));
            row.file_name
                .clone()
                .map(|name| view! { <span title=title>{name}</span> })
                .into_any()
        }
        "state" => view! { <DncStateBadge state=row.state.as_str().to_string()/> }.into_any(),
        "confirmed_at_utc" => row.confirmed_at.as_deref().map(short_time).into_any(),
        // Timed DNC: when it comes off, and once it did (or was kept) what happened.
        "expires_at_utc" => row
            .expires_at
            .as_deref()
            .map(|at| match row.expiry_state.as_deref() {
                Some(state @ ("removed" | "kept" | "failed")) => {
                    format!("{} ({state})", short_time(at))
                }
                _ => short_time(at),
            })
            .into_any(),
        _ => return None,
    })
}

fn row_attributes(row: &DncEntryRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "dnc-report-row").into_any_attr(),
        custom_attribute("data-source", row.source.as_str().to_string()).into_any_attr(),
        custom_attribute("data-entry-id", row.entry_id.to_string()).into_any_attr(),
    ]
}

pub(super) const TABLE: TableSpec<DncEntryRow> = TableSpec {
    testid: "dnc-report",
    label: "DNC List requests",
    class: "data",
    empty: "No addresses yet.",
    columns: &[
        "requested_at_utc",
        "address",
        "action",
        "source",
        "list",
        "requested_by",
        "file_name",
        "state",
        "confirmed_at_utc",
        "outcome",
        "expires_at_utc",
    ],
    classes: &[
        ("requested_at_utc", "nowrap"),
        ("file_name", "file"),
        ("confirmed_at_utc", "nowrap"),
        ("expires_at_utc", "nowrap"),
        ("outcome", "outcome-text"),
    ],
    cell,
    row: row_attributes,
};
