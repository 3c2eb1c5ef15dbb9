//! The Inbound Abandoned report (`/reports/inbound-abandoned`): calls callers gave up on, the
//! contact known at their number, and whether they were called back; abandons per hour.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos_meta::Title;
use types::metrics::INBOUND_ABANDONED;

use super::{exports, is_admin, organization_field};
use crate::components::metrics_panel::MetricsPanel;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{InboundAbandonRow, InboundFilters};
use crate::server_fns::reports::inbound_abandoned;

const EXPORTS: [Export; 2] = exports(
    "/reports/inbound-abandoned/export.csv",
    "/reports/inbound-abandoned/export.xlsx",
);

const FORM: FormSpec = FormSpec {
    path: "/reports/inbound-abandoned",
    label: "Filter the Inbound Abandoned report",
    id_prefix: "inbound-",
    exports: &EXPORTS,
};

fn cell(key: &'static str, row: &InboundAbandonRow) -> Option<AnyView> {
    match key {
        "caller" => Some(view! { <code>{row.caller.clone()}</code> }.into_any()),
        "called_back_at" if row.called_back_at.is_empty() => {
            Some(view! { <span class="muted">"Not yet"</span> }.into_any())
        }
        _ => None,
    }
}

fn row_attributes(row: &InboundAbandonRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "inbound-row").into_any_attr(),
        custom_attribute("data-call", row.call_id.clone()).into_any_attr(),
    ]
}

const TABLE: TableSpec<InboundAbandonRow> = TableSpec {
    testid: "inbound",
    label: "Abandoned inbound calls",
    class: "data dense",
    empty: "No abandoned inbound calls in these days.",
    columns: &[
        "arrived_at",
        "abandoned_at",
        "wait_seconds",
        "queue",
        "caller",
        "matched_list",
        "matched_contact",
        "matched_account",
        "called_back_at",
        "called_back_result",
    ],
    classes: &[
        ("arrived_at", "nowrap"),
        ("abandoned_at", "nowrap"),
        ("wait_seconds", "num"),
        ("called_back_at", "nowrap"),
    ],
    cell,
    row: row_attributes,
};

fn fields(filters: InboundFilters, admin: bool) -> Vec<Field> {
    let mut fields = vec![
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
    ];
    fields.extend(organization_field(&filters.organization, admin));
    fields.extend([
        Field::verbatim("queue", "Queue", &filters.queue, "exact name"),
        Field::verbatim("min_wait", "Waited at least", &filters.min_wait, "seconds"),
    ]);
    fields
}

/// The Inbound Abandoned page.
#[component]
pub fn InboundAbandonedPage() -> impl IntoView {
    view! {
        <Title text="Inbound Abandoned"/>
        <div class="page-head">
            <h1>"Inbound Abandoned"</h1>
            <p class="muted">"Inbound calls the caller gave up on before an agent answered, the contact known at the caller's number, and the organization's first call back to it. Without dates, the last 7 days."</p>
            <MetricsPanel metrics=INBOUND_ABANDONED/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("call", "calls"), order: Some("newest first") },
            inbound_abandoned,
            |filters: InboundFilters, _: ()| async move { fields(filters, is_admin().await) },
        )}
    }
}
