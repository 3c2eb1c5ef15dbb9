//! The Outbound Nuisance report (`/reports/nuisance`): live answers and nuisance calls per
//! campaign and report day, the nuisance % of each day against the 3 % line, and totals.

use leptos::prelude::*;
use leptos_meta::Title;
use types::metrics::NUISANCE;

use super::{exports, is_admin, organization_field};
use crate::components::metrics_panel::MetricsPanel;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{AbandonFilters, NuisanceDayRow};
use crate::server_fns::reports::nuisance;

const EXPORTS: [Export; 2] = exports(
    "/reports/nuisance/export.csv",
    "/reports/nuisance/export.xlsx",
);

const FORM: FormSpec = FormSpec {
    path: "/reports/nuisance",
    label: "Filter the Outbound Nuisance report",
    id_prefix: "nuisance-",
    exports: &EXPORTS,
};

fn row_attributes(row: &NuisanceDayRow) -> Vec<leptos::attr::any_attribute::AnyAttribute> {
    use leptos::attr::any_attribute::IntoAnyAttribute;
    use leptos::attr::custom::custom_attribute;
    vec![
        custom_attribute("data-testid", "nuisance-row").into_any_attr(),
        custom_attribute("data-day", row.report_day.clone()).into_any_attr(),
        custom_attribute("class", over_limit(row).then_some("breach-row")).into_any_attr(),
    ]
}

/// A day over the 3 % limit.
fn over_limit(row: &NuisanceDayRow) -> bool {
    row.nuisance_percent.is_some_and(|p| p > 3.0)
}

fn cell(key: &'static str, row: &NuisanceDayRow) -> Option<AnyView> {
    (key == "nuisance_percent" && over_limit(row)).then(|| {
        let text = crate::model::percent_text(row.nuisance_percent);
        view! { <strong class="breach">{text}" ▲"<span class="sr-only">" over the 3 % limit"</span></strong> }
            .into_any()
    })
}

const TABLE: TableSpec<NuisanceDayRow> = TableSpec {
    testid: "nuisance",
    label: "Nuisance calls per campaign and day",
    class: "data",
    empty: "No live answers in these days yet.",
    columns: &[
        "report_day",
        "organization",
        "campaign",
        "live_answers",
        "nuisance_agent_aux",
        "nuisance_no_agent",
        "nuisance",
        "nuisance_percent",
    ],
    classes: &[
        ("report_day", "nowrap"),
        ("live_answers", "num"),
        ("nuisance_agent_aux", "num"),
        ("nuisance_no_agent", "num"),
        ("nuisance", "num"),
        ("nuisance_percent", "num"),
    ],
    cell,
    row: row_attributes,
};

/// The filters both abandon reports take: days, organization (admins), campaign.
pub(super) fn abandon_fields(filters: &AbandonFilters, admin: bool) -> Vec<Field> {
    let mut fields = vec![
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
    ];
    fields.extend(organization_field(&filters.organization, admin));
    fields.push(Field::verbatim(
        "campaign",
        "Campaign",
        &filters.campaign,
        "exact name",
    ));
    fields
}

/// The Outbound Nuisance report page.
#[component]
pub fn NuisancePage() -> impl IntoView {
    view! {
        <Title text="Outbound Nuisance report"/>
        <div class="page-head">
            <h1>"Outbound Nuisance"</h1>
            <p class="muted">"Calls a person answered that no agent took: the agent went AUX as the call connected, or no agent was free. Days over the 3 % limit are marked ▲. Without dates: the last 30 days."</p>
            <MetricsPanel metrics=NUISANCE/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("campaign day", "campaign days"), order: Some("newest day first") },
            nuisance,
            |filters: AbandonFilters, _: ()| async move { abandon_fields(&filters, is_admin().await) },
        )}
    }
}
