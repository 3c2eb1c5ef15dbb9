//! The Predictive and Preview Agent Time Summaries (`/reports/agent-time?type=…`): per agent per
//! day under their team, team totals, hours per agent as stacked bars.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos_meta::Title;
use types::metrics::AGENT_TIME;
use types::report::ReportRow;

use super::{exports, is_admin, organization_field};
use crate::components::format::duration;
use crate::components::metrics_panel::MetricsPanel;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{AgentTimeFilters, AgentTimeRow, CampaignType};
use crate::server_fns::reports::agent_time;

const EXPORTS: [Export; 2] = exports(
    "/reports/agent-time/export.csv",
    "/reports/agent-time/export.xlsx",
);

const FORM: FormSpec = FormSpec {
    path: "/reports/agent-time",
    label: "Filter the agent time summary",
    id_prefix: "agent-time-",
    exports: &EXPORTS,
};

/// Keys whose seconds the page shows as h:mm:ss (files keep seconds, so they add up).
const DURATIONS: &[&str] = &[
    "staffed_seconds",
    "ready_seconds",
    "preview_seconds",
    "talk_seconds",
    "wrap_up_seconds",
    "not_ready_seconds",
    "pending_not_ready_seconds",
    "average_talk_seconds",
    "average_wrap_up_seconds",
    "average_handle_seconds",
];

fn cell(key: &'static str, row: &AgentTimeRow) -> Option<AnyView> {
    if DURATIONS.contains(&key) {
        let column = AgentTimeRow::columns().iter().find(|c| c.key == key)?;
        let text = (column.cell)(row);
        return Some(text.parse::<i64>().map(duration).unwrap_or(text).into_any());
    }
    match key {
        "agent" if row.team_total => Some(view! { <strong>"Team total"</strong> }.into_any()),
        "not_ready_reasons" => {
            let reasons = row
                .not_ready_reasons
                .split("; ")
                .filter_map(|pair| pair.split_once('='))
                .map(|(reason, seconds)| {
                    let time = seconds.parse::<i64>().map(duration).unwrap_or_default();
                    format!("{reason} {time}")
                })
                .collect::<Vec<_>>()
                .join(" · ");
            Some(reasons.into_any())
        }
        _ => None,
    }
}

fn row_attributes(row: &AgentTimeRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "agent-time-row").into_any_attr(),
        custom_attribute("data-agent", row.agent.clone()).into_any_attr(),
        custom_attribute("class", row.team_total.then_some("subtotal")).into_any_attr(),
    ]
}

const TABLE: TableSpec<AgentTimeRow> = TableSpec {
    testid: "agent-time",
    label: "Agent time per agent and day",
    class: "data dense",
    empty: "No agent time in these days yet.",
    columns: &[
        "team",
        "report_day",
        "agent",
        "first_login",
        "last_logout",
        "staffed_seconds",
        "ready_seconds",
        "preview_seconds",
        "talk_seconds",
        "wrap_up_seconds",
        "not_ready_seconds",
        "not_ready_reasons",
        "calls",
        "average_handle_seconds",
        "occupancy",
        "sales",
        "nuisance_caused",
        "previews_cancelled",
    ],
    classes: &[
        ("report_day", "nowrap"),
        ("first_login", "nowrap"),
        ("last_logout", "nowrap"),
        ("staffed_seconds", "num"),
        ("ready_seconds", "num"),
        ("preview_seconds", "num"),
        ("talk_seconds", "num"),
        ("wrap_up_seconds", "num"),
        ("not_ready_seconds", "num"),
        ("calls", "num"),
        ("average_handle_seconds", "num"),
        ("occupancy", "num"),
        ("sales", "num"),
        ("nuisance_caused", "num"),
        ("previews_cancelled", "num"),
    ],
    cell,
    row: row_attributes,
};

fn fields(filters: AgentTimeFilters, admin: bool) -> Vec<Field> {
    let chosen = filters
        .campaign_type
        .as_ref()
        .map_or("predictive", |t| t.as_str())
        .to_string();
    let types = CampaignType::all()
        .iter()
        .map(|t| (t.as_str().to_string(), t.label().to_string()))
        .collect();
    let mut fields = vec![
        Field::select("type", "Campaigns", chosen, types),
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
    ];
    fields.extend(organization_field(&filters.organization, admin));
    fields.extend([
        Field::verbatim("team", "Team", &filters.team, "exact name"),
        Field::verbatim("agent", "Agent", &filters.agent, "agent id"),
    ]);
    fields
}

/// The agent time summary page.
#[component]
pub fn AgentTimePage() -> impl IntoView {
    view! {
        <Title text="Agent Time Summary"/>
        <div class="page-head">
            <h1>"Agent Time Summary"</h1>
            <p class="muted">"Per agent per day under the team the agent mappings give, with a total per team. Predictive unless Preview is chosen; without dates, the last 7 days."</p>
            <MetricsPanel metrics=AGENT_TIME/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("line", "lines"), order: Some("by team, newest day first") },
            agent_time,
            |filters: AgentTimeFilters, _: ()| async move { fields(filters, is_admin().await) },
        )}
    }
}
