//! The Account Not in Listing report (`/reports/not-in-listing`): rows sent for dialling that
//! never became contacts, where they stopped and why; counts per list by stage as stacked bars.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos_meta::Title;
use types::metrics::NOT_LISTED;

use super::{exports, is_admin, organization_field};
use crate::components::metrics_panel::MetricsPanel;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{NotListedFilters, NotListedRow, NotListedStage};
use crate::server_fns::reports::not_listed;

const EXPORTS: [Export; 2] = exports(
    "/reports/not-in-listing/export.csv",
    "/reports/not-in-listing/export.xlsx",
);

const FORM: FormSpec = FormSpec {
    path: "/reports/not-in-listing",
    label: "Filter the Account Not in Listing report",
    id_prefix: "not-listed-",
    exports: &EXPORTS,
};

fn cell(key: &'static str, row: &NotListedRow) -> Option<AnyView> {
    match key {
        "phone" => Some(view! { <code>{row.phone.clone()}</code> }.into_any()),
        "upload_id" => row
            .upload_id
            .map(|id| view! { <a href=format!("/uploads/{id}")>{id}</a> }.into_any()),
        _ => None,
    }
}

fn row_attributes(row: &NotListedRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "not-listed-row").into_any_attr(),
        custom_attribute("data-stage", row.stage.as_str().to_string()).into_any_attr(),
    ]
}

const TABLE: TableSpec<NotListedRow> = TableSpec {
    testid: "not-listed",
    label: "Rows not in their list",
    class: "data dense",
    empty: "No row was left out of a list in these days.",
    columns: &[
        "recorded_at",
        "list",
        "upload_id",
        "batch",
        "row_number",
        "contact_id",
        "phone",
        "stage",
        "category",
        "reason",
    ],
    classes: &[("recorded_at", "nowrap")],
    cell,
    row: row_attributes,
};

fn fields(filters: NotListedFilters, admin: bool) -> Vec<Field> {
    let stages = std::iter::once((String::new(), "Any stage".to_string()))
        .chain(
            NotListedStage::all()
                .iter()
                .map(|s| (s.as_str().to_string(), s.label().to_string())),
        )
        .collect();
    let stage = filters.stage.as_ref().map(|s| s.as_str().to_string());
    let mut fields = vec![
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
    ];
    fields.extend(organization_field(&filters.organization, admin));
    fields.extend([
        Field::text("list", "List", &filters.list, "contains"),
        Field::text(
            "batch",
            "Upload or batch",
            &filters.batch,
            "contains, e.g. upload 42",
        ),
        Field::select("stage", "Stage", stage.unwrap_or_default(), stages),
        Field::text("search", "Phone or account", &filters.search, "contains"),
    ]);
    fields
}

/// The Account Not in Listing page.
#[component]
pub fn NotListedPage() -> impl IntoView {
    view! {
        <Title text="Account Not in Listing"/>
        <div class="page-head">
            <h1>"Account Not in Listing"</h1>
            <p class="muted">"Rows sent for dialling that never became contacts: refused by OCM's pre-flight, rejected by POM's import, absent from the list afterwards, or left out by an external pre-processing step. Recorded when the upload's import ends (an external step's rows when it reports them), so they stay after the upload's files are erased. Without dates, the last 31 days."</p>
            <MetricsPanel metrics=NOT_LISTED/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("row", "rows"), order: Some("newest first") },
            not_listed,
            |filters: NotListedFilters, _: ()| async move { fields(filters, is_admin().await) },
        )}
    }
}
