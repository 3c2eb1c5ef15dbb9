//! The Call Attempt report (`/reports/call-attempts`): every attempt POM made, newest first, with
//! the attempts of the filtered range by result as a chart.

use leptos::prelude::*;
use leptos_meta::Title;
use types::metrics::CALL_ATTEMPT;

use super::{exports, is_admin, organization_field};
use crate::components::metrics_panel::MetricsPanel;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{CallAttemptFilters, CallAttemptRow, CallResult};
use crate::server_fns::reports::call_attempts;

const EXPORTS: [Export; 2] = exports(
    "/reports/call-attempts/export.csv",
    "/reports/call-attempts/export.xlsx",
);

const FORM: FormSpec = FormSpec {
    path: "/reports/call-attempts",
    label: "Filter the Call Attempt report",
    id_prefix: "attempts-",
    exports: &EXPORTS,
};

fn cell(key: &'static str, row: &CallAttemptRow) -> Option<AnyView> {
    Some(match key {
        "phone" => view! { <code>{row.phone.clone()}</code> }.into_any(),
        "result" => {
            let class = format!("badge result-{}", row.result.as_str());
            view! { <span class=class>{row.result.label().to_string()}</span> }.into_any()
        }
        "nuisance" => row.nuisance.then_some("Nuisance").into_any(),
        _ => return None,
    })
}

fn row_attributes(row: &CallAttemptRow) -> Vec<leptos::attr::any_attribute::AnyAttribute> {
    use leptos::attr::any_attribute::IntoAnyAttribute;
    use leptos::attr::custom::custom_attribute;
    vec![
        custom_attribute("data-testid", "attempt-row").into_any_attr(),
        custom_attribute("data-result", row.result.as_str().to_string()).into_any_attr(),
    ]
}

const TABLE: TableSpec<CallAttemptRow> = TableSpec {
    testid: "attempts",
    label: "Call attempts",
    class: "data dense",
    empty: "No attempts in these days yet.",
    columns: &[
        "attempt_at",
        "campaign",
        "job_id",
        "list",
        "account",
        "phone",
        "attempt_number",
        "ring_seconds",
        "result",
        "system_code",
        "agent_code",
        "agent",
        "team",
        "talk_seconds",
        "wrap_up_seconds",
        "nuisance",
    ],
    classes: &[
        ("attempt_at", "nowrap"),
        ("attempt_number", "num"),
        ("ring_seconds", "num"),
        ("talk_seconds", "num"),
        ("wrap_up_seconds", "num"),
    ],
    cell,
    row: row_attributes,
};

/// The filters: days, organization (admins), campaign, job, list, result, code, agent, team,
/// phone or account.
fn fields(filters: CallAttemptFilters, admin: bool) -> Vec<Field> {
    let results = std::iter::once((String::new(), "Any result".to_string()))
        .chain(
            CallResult::all()
                .iter()
                .map(|r| (r.as_str().to_string(), r.label().to_string())),
        )
        .collect();
    let result = filters.result.as_ref().map(|r| r.as_str().to_string());
    let mut fields = vec![
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
    ];
    fields.extend(organization_field(&filters.organization, admin));
    fields.extend([
        Field::verbatim("campaign", "Campaign", &filters.campaign, "exact name"),
        Field::verbatim("job", "Job", &filters.job, "number"),
        Field::text("list", "List", &filters.list, "contains"),
        Field::select("result", "Result", result.unwrap_or_default(), results),
        Field::verbatim("code", "Code", &filters.code, "system or agent code"),
        Field::verbatim("agent", "Agent", &filters.agent, "agent id"),
        Field::verbatim("team", "Team", &filters.team, "exact name"),
        Field::verbatim("search", "Phone or account", &filters.search, "contains"),
    ]);
    fields
}

/// The Call Attempt report page.
#[component]
pub fn CallAttemptsPage() -> impl IntoView {
    view! {
        <Title text="Call Attempt report"/>
        <div class="page-head">
            <h1>"Call Attempt"</h1>
            <p class="muted">"Every call POM attempted. Without dates the page shows today; a page spans at most 31 days, the exports any range."</p>
            <MetricsPanel metrics=CALL_ATTEMPT/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("attempt", "attempts"), order: Some("newest first") },
            call_attempts,
            |filters: CallAttemptFilters, _: ()| async move { fields(filters, is_admin().await) },
        )}
    }
}
