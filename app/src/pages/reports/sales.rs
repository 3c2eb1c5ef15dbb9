//! The Secured/Unsecured Performance report (`/reports/sales`): sales by category per day, team,
//! agent and campaign against connects and agent hours, with totals and sales per day as bars.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos_meta::Title;
use types::metrics::SALES;

use super::{exports, is_admin, organization_field};
use crate::components::metrics_panel::MetricsPanel;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{SalesFilters, SalesRow};
use crate::server_fns::reports::sales;

const EXPORTS: [Export; 2] = exports("/reports/sales/export.csv", "/reports/sales/export.xlsx");

const FORM: FormSpec = FormSpec {
    path: "/reports/sales",
    label: "Filter the Secured/Unsecured Performance report",
    id_prefix: "sales-",
    exports: &EXPORTS,
};

fn row_attributes(row: &SalesRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "sales-row").into_any_attr(),
        custom_attribute("data-agent", row.agent.clone()).into_any_attr(),
    ]
}

const NUMBERS: &[(&str, &str)] = &[
    ("report_day", "nowrap"),
    ("connects", "num"),
    ("secured_sales", "num"),
    ("secured_amount", "num"),
    ("secured_conversion", "num"),
    ("unsecured_sales", "num"),
    ("unsecured_amount", "num"),
    ("unsecured_conversion", "num"),
    ("agent_hours", "num"),
    ("sales_per_agent_hour", "num"),
];

const TABLE: TableSpec<SalesRow> = TableSpec {
    testid: "sales",
    label: "Sales by category per agent, campaign and day",
    class: "data dense",
    empty: "No connects or sales in these days yet.",
    columns: &[
        "report_day",
        "team",
        "agent",
        "campaign",
        "connects",
        "secured_sales",
        "secured_amount",
        "secured_conversion",
        "unsecured_sales",
        "unsecured_amount",
        "unsecured_conversion",
        "currency",
        "agent_hours",
        "sales_per_agent_hour",
    ],
    classes: NUMBERS,
    cell: |_, _| None,
    row: row_attributes,
};

fn fields(filters: SalesFilters, admin: bool) -> Vec<Field> {
    let mut fields = vec![
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
    ];
    fields.extend(organization_field(&filters.organization, admin));
    fields.extend([
        Field::verbatim("campaign", "Campaign", &filters.campaign, "exact name"),
        Field::verbatim("team", "Team", &filters.team, "exact name"),
        Field::verbatim("agent", "Agent", &filters.agent, "agent id"),
    ]);
    fields
}

/// The Secured/Unsecured Performance page.
#[component]
pub fn SalesPage() -> impl IntoView {
    view! {
        <Title text="Secured/Unsecured Performance"/>
        <div class="page-head">
            <h1>"Secured/Unsecured Performance"</h1>
            <p class="muted">"Sales-screen records by category: secured (payment taken on the call) and unsecured (to be confirmed), per day, team, agent and campaign. Without dates, the last 30 days."</p>
            <MetricsPanel metrics=SALES/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("line", "lines"), order: Some("newest day first") },
            sales,
            |filters: SalesFilters, _: ()| async move { fields(filters, is_admin().await) },
        )}
    }
}
