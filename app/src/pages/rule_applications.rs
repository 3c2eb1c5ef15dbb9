//! The completion-code rules' applications report (`/completion-rules/applications`): each rule
//! carried out (or waiting, or failed) on an attempt's contact, with the value it wrote, the
//! value before and POM's answer; on the report kit (filters in the URL, CSV and Excel exports).

mod table;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub use table::TABLE;

use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{ApplicationState, RuleApplicationFilters};
use crate::server_fns::completion_rules::completion_rule_applications;

const FORM: FormSpec = FormSpec {
    path: "/completion-rules/applications",
    label: "Filter the rule applications",
    id_prefix: "rule-applications-",
    exports: &[
        Export {
            path: "/completion-rules/applications/export.csv",
            label: "Export CSV",
            testid: "rule-applications-csv",
            title: None,
        },
        Export {
            path: "/completion-rules/applications/export.xlsx",
            label: "Export Excel",
            testid: "rule-applications-xlsx",
            title: None,
        },
    ],
};

/// The filters: period of the calls, campaign, state, list and contact (the rule as a hidden id).
fn fields(filters: RuleApplicationFilters) -> Vec<Field> {
    let states = std::iter::once((String::new(), "Any state".to_string()))
        .chain(
            ApplicationState::all()
                .iter()
                .map(|s| (s.as_str().to_string(), s.label().to_string())),
        )
        .collect();
    let chosen = filters.state.as_ref().map(|s| s.as_str().to_string());
    vec![
        Field::date("from", "Calls from", &filters.from),
        Field::date("to", "To", &filters.to),
        Field::verbatim("campaign", "Campaign", &filters.campaign, "exact name"),
        Field::select("state", "State", chosen.unwrap_or_default(), states),
        Field::verbatim("list", "List", &filters.list, "exact name"),
        Field::verbatim("contact", "Contact", &filters.contact, "contact id"),
        Field::hidden("rule", filters.rule.map(|r| r.to_string())),
    ]
}

/// Coming from a rule's count, the report is that rule's only: said, with the way back to all.
#[component]
fn RuleChosen() -> impl IntoView {
    let query = use_query_map();
    move || {
        query
            .with(|q| q.get("rule"))
            .filter(|r| !r.is_empty())
            .map(|rule| {
                view! {
                    <p class="notice" role="status" data-testid="rule-chosen">
                        {format!("Rule #{rule} only. ")}
                        <a href="/completion-rules/applications">"Every rule's applications"</a>
                    </p>
                }
            })
    }
}

/// The report page.
#[component]
pub fn RuleApplicationsPage() -> impl IntoView {
    view! {
        <Title text="Completion-code rule applications"/>
        <div class="page-head">
            <h1>"Completion-code rule applications"</h1>
            <p class="muted">"What the completion-code rules did to each contact after a call: the value written and the one before, or why POM refused. Waiting ones are tried again after 30 s, 1, 2, 4 and 8 minutes. Times are UTC."</p>
        </div>
        <RuleChosen/>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("application", "applications"), order: Some("newest first") },
            completion_rule_applications,
            |filters: RuleApplicationFilters, _: ()| async move { fields(filters) },
        )}
    }
}
