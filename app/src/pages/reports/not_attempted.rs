//! The List Accounts Not Attempted report (`/reports/not-attempted`): contacts jobs passed over,
//! why, and their last attempt; counts by list × reason as stacked bars.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos_meta::Title;
use types::metrics::NOT_ATTEMPTED;

use super::{exports, is_admin, organization_field};
use crate::components::metrics_panel::MetricsPanel;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{NotAttemptedFilters, NotAttemptedRow, SkipReason};
use crate::server_fns::reports::not_attempted;

const EXPORTS: [Export; 2] = exports(
    "/reports/not-attempted/export.csv",
    "/reports/not-attempted/export.xlsx",
);

const FORM: FormSpec = FormSpec {
    path: "/reports/not-attempted",
    label: "Filter the List Accounts Not Attempted report",
    id_prefix: "not-attempted-",
    exports: &EXPORTS,
};

fn cell(key: &'static str, row: &NotAttemptedRow) -> Option<AnyView> {
    match key {
        "phone" => Some(view! { <code>{row.phone.clone()}</code> }.into_any()),
        _ => None,
    }
}

fn row_attributes(row: &NotAttemptedRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "not-attempted-row").into_any_attr(),
        custom_attribute("data-reason", row.reason.as_str().to_string()).into_any_attr(),
    ]
}

const TABLE: TableSpec<NotAttemptedRow> = TableSpec {
    testid: "not-attempted",
    label: "Contacts passed over",
    class: "data dense",
    empty: "No contact was passed over in these days.",
    columns: &[
        "as_of",
        "list",
        "campaign",
        "job_id",
        "contact_id",
        "account",
        "phone",
        "reason",
        "last_attempt_at",
        "last_result",
    ],
    classes: &[("as_of", "nowrap"), ("last_attempt_at", "nowrap")],
    cell,
    row: row_attributes,
};

fn fields(filters: NotAttemptedFilters, admin: bool) -> Vec<Field> {
    let reasons = std::iter::once((String::new(), "Any reason".to_string()))
        .chain(
            SkipReason::all()
                .iter()
                .map(|r| (r.as_str().to_string(), r.label().to_string())),
        )
        .collect();
    let reason = filters.reason.as_ref().map(|r| r.as_str().to_string());
    let mut fields = vec![
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
    ];
    fields.extend(organization_field(&filters.organization, admin));
    fields.extend([
        Field::verbatim("campaign", "Campaign", &filters.campaign, "exact name"),
        Field::verbatim("job", "Job", &filters.job, "number"),
        Field::text("list", "List", &filters.list, "contains"),
        Field::select("reason", "Reason", reason.unwrap_or_default(), reasons),
    ]);
    fields
}

/// The List Accounts Not Attempted page.
#[component]
pub fn NotAttemptedPage() -> impl IntoView {
    view! {
        <Title text="List Accounts Not Attempted"/>
        <div class="page-head">
            <h1>"List Accounts Not Attempted"</h1>
            <p class="muted">"Contacts a job passed over (on its first pass through its lists, or never reached when it ended), why, and their last attempt before then. Without dates or a job, the last 7 days."</p>
            <MetricsPanel metrics=NOT_ATTEMPTED/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("contact", "contacts"), order: Some("newest first") },
            not_attempted,
            |filters: NotAttemptedFilters, _: ()| async move { fields(filters, is_admin().await) },
        )}
    }
}
