//! The Agent Owned Recalls report (`/reports/recalls`): every callback an agent kept for
//! themselves, what became of it, who fulfilled it and how late; each owner's outcomes charted.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos_meta::Title;
use types::metrics::RECALLS;

use super::{exports, is_admin, organization_field};
use crate::components::format::duration;
use crate::components::metrics_panel::MetricsPanel;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{CallbackState, RecallFilters, RecallRow};
use crate::server_fns::reports::recalls;

const EXPORTS: [Export; 2] = exports(
    "/reports/recalls/export.csv",
    "/reports/recalls/export.xlsx",
);

const FORM: FormSpec = FormSpec {
    path: "/reports/recalls",
    label: "Filter the Agent Owned Recalls report",
    id_prefix: "recalls-",
    exports: &EXPORTS,
};

fn cell(key: &'static str, row: &RecallRow) -> Option<AnyView> {
    match key {
        "phone" => Some(view! { <code>{row.phone.clone()}</code> }.into_any()),
        "lateness_seconds" => Some(row.lateness_seconds.map(duration).into_any()),
        "state" => {
            let class = format!("badge callback-{}", row.state.as_str());
            Some(view! { <span class=class>{row.state.label().to_string()}</span> }.into_any())
        }
        _ => None,
    }
}

fn row_attributes(row: &RecallRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "recall-row").into_any_attr(),
        custom_attribute("data-callback", row.callback_id.clone()).into_any_attr(),
    ]
}

const TABLE: TableSpec<RecallRow> = TableSpec {
    testid: "recalls",
    label: "Agent-owned callbacks",
    class: "data dense",
    empty: "No agent-owned callbacks were created in these days.",
    columns: &[
        "created_at",
        "owner",
        "team",
        "campaign",
        "contact_id",
        "phone",
        "due_at",
        "expires_at",
        "state",
        "fulfilled_by",
        "handed_over",
        "dialled_at",
        "lateness_seconds",
        "on_time",
        "notes",
    ],
    classes: &[
        ("created_at", "nowrap"),
        ("due_at", "nowrap"),
        ("expires_at", "nowrap"),
        ("dialled_at", "nowrap"),
        ("lateness_seconds", "num"),
    ],
    cell,
    row: row_attributes,
};

fn fields(filters: RecallFilters, admin: bool) -> Vec<Field> {
    let states = std::iter::once((String::new(), "Any state".to_string()))
        .chain(
            CallbackState::all()
                .iter()
                .map(|s| (s.as_str().to_string(), s.label().to_string())),
        )
        .collect();
    let state = filters.state.as_ref().map(|s| s.as_str().to_string());
    let mut fields = vec![
        Field::date("from", "Created from", &filters.from),
        Field::date("to", "To", &filters.to),
    ];
    fields.extend(organization_field(&filters.organization, admin));
    fields.extend([
        Field::verbatim("agent", "Owner", &filters.agent, "agent id"),
        Field::verbatim("team", "Team", &filters.team, "exact name"),
        Field::verbatim("campaign", "Campaign", &filters.campaign, "exact name"),
        Field::select("state", "State", state.unwrap_or_default(), states),
    ]);
    fields
}

/// The Agent Owned Recalls page.
#[component]
pub fn RecallsPage() -> impl IntoView {
    view! {
        <Title text="Agent Owned Recalls"/>
        <div class="page-head">
            <h1>"Agent Owned Recalls"</h1>
            <p class="muted">"Callbacks agents kept for themselves: due and expiry, what became of them, whether the owner fulfilled them or they were handed over, and how late they were dialled. Without dates, those created in the last 7 days."</p>
            <MetricsPanel metrics=RECALLS/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("callback", "callbacks"), order: Some("newest first") },
            recalls,
            |filters: RecallFilters, _: ()| async move { fields(filters, is_admin().await) },
        )}
    }
}
