//! The NSP List and NTC reports (`/reports/codes?kind=nsp|ntc`): the calls agents closed with
//! those codes, newest first, each with the contact record as POM dialled it.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos_meta::Title;
use types::metrics::CODE_LISTS;

use super::{exports, is_admin, organization_field};
use crate::components::metrics_panel::MetricsPanel;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{CodeList, CodeListFilters, CodeListRow};
use crate::server_fns::reports::code_lists;

const EXPORTS: [Export; 2] = exports("/reports/codes/export.csv", "/reports/codes/export.xlsx");

const FORM: FormSpec = FormSpec {
    path: "/reports/codes",
    label: "Filter the NSP and NTC lists",
    id_prefix: "codes-",
    exports: &EXPORTS,
};

/// The contact's attributes as `key: value` pairs (its JSON as stored when it does not read).
fn contact_view(json: &str) -> AnyView {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json) {
        Ok(attributes) => {
            let pairs = attributes
                .iter()
                .map(|(key, value)| {
                    let value = value.as_str().map_or_else(|| value.to_string(), str::to_string);
                    view! { <span class="pair"><span class="muted">{key.clone()}": "</span>{value}</span> }
                })
                .collect_view();
            view! { <span class="contact-record">{pairs}</span> }.into_any()
        }
        Err(_) => view! { <code>{json.to_string()}</code> }.into_any(),
    }
}

fn cell(key: &'static str, row: &CodeListRow) -> Option<AnyView> {
    match key {
        "phone" => Some(view! { <code>{row.phone.clone()}</code> }.into_any()),
        "contact" => Some(contact_view(&row.contact)),
        _ => None,
    }
}

fn row_attributes(row: &CodeListRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "code-row").into_any_attr(),
        custom_attribute("data-code", row.code.clone()).into_any_attr(),
    ]
}

const TABLE: TableSpec<CodeListRow> = TableSpec {
    testid: "codes",
    label: "Calls closed with the codes",
    class: "data dense",
    empty: "No calls closed with these codes in these days.",
    columns: &[
        "attempt_at",
        "campaign",
        "job_id",
        "list",
        "account",
        "phone",
        "code",
        "agent",
        "team",
        "contact",
    ],
    classes: &[("attempt_at", "nowrap")],
    cell,
    row: row_attributes,
};

fn fields(filters: CodeListFilters, admin: bool) -> Vec<Field> {
    let chosen = filters
        .kind
        .as_ref()
        .map_or("nsp", |k| k.as_str())
        .to_string();
    let lists = CodeList::all()
        .iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    let mut fields = vec![
        Field::select("kind", "List", chosen, lists),
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
    ];
    fields.extend(organization_field(&filters.organization, admin));
    fields.extend([
        Field::verbatim("campaign", "Campaign", &filters.campaign, "exact name"),
        Field::verbatim("agent", "Agent", &filters.agent, "agent id"),
        Field::verbatim("team", "Team", &filters.team, "exact name"),
        Field::text("list", "Contact list", &filters.list, "contains"),
    ]);
    fields
}

/// The NSP List and NTC page.
#[component]
pub fn CodeListsPage() -> impl IntoView {
    view! {
        <Title text="NSP List and NTC"/>
        <div class="page-head">
            <h1>"NSP List and NTC"</h1>
            <p class="muted">"Calls agents closed with the NSP or the NTC codes (settings OCM_REPORT_NSP_CODES and OCM_REPORT_NTC_CODES), with the contact record as POM dialled it. Without dates, today; a page spans at most 31 days, the exports any range."</p>
            <MetricsPanel metrics=CODE_LISTS/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("call", "calls"), order: Some("newest first") },
            code_lists,
            |filters: CodeListFilters, _: ()| async move { fields(filters, is_admin().await) },
        )}
    }
}
