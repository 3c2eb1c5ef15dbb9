//! The Predictive Job Performance Summary and the Preview Job Summary
//! (`/reports/job-summary?type=…`): one row per job, attempts by result for the newest jobs as
//! stacked bars, totals.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos_meta::Title;
use types::metrics::JOB_SUMMARY;

use super::{exports, is_admin, organization_field};
use crate::components::format::duration;
use crate::components::metrics_panel::MetricsPanel;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{CampaignType, JobSummaryFilters, JobSummaryRow};
use crate::server_fns::reports::job_summary;

const EXPORTS: [Export; 2] = exports(
    "/reports/job-summary/export.csv",
    "/reports/job-summary/export.xlsx",
);

const FORM: FormSpec = FormSpec {
    path: "/reports/job-summary",
    label: "Filter the job summary",
    id_prefix: "job-summary-",
    exports: &EXPORTS,
};

fn cell(key: &'static str, row: &JobSummaryRow) -> Option<AnyView> {
    match key {
        "duration_seconds" => Some(row.duration_seconds.map(duration).into_any()),
        "job_id" if row.job_id == 0 => Some(view! { <strong>"Total"</strong> }.into_any()),
        _ => None,
    }
}

fn row_attributes(row: &JobSummaryRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "job-summary-row").into_any_attr(),
        custom_attribute("data-job", row.job_id.to_string()).into_any_attr(),
    ]
}

const TABLE: TableSpec<JobSummaryRow> = TableSpec {
    testid: "job-summary",
    label: "Jobs",
    class: "data dense",
    empty: "No jobs started in these days.",
    columns: &[
        "job_id",
        "campaign",
        "teams",
        "started_at",
        "duration_seconds",
        "finish_reason",
        "list_contacts",
        "dialled",
        "penetration",
        "attempts",
        "retries",
        "answer_human",
        "answer_machine",
        "busy",
        "no_answer",
        "connects",
        "nuisance_percent",
        "sales",
        "conversion",
        "callbacks",
        "nsp",
        "ntc",
        "dnc_requests",
        "agent_hours",
        "attempts_per_agent_hour",
        "previews",
        "preview_cancelled",
    ],
    classes: &[
        ("started_at", "nowrap"),
        ("duration_seconds", "num"),
        ("list_contacts", "num"),
        ("dialled", "num"),
        ("penetration", "num"),
        ("attempts", "num"),
        ("retries", "num"),
        ("answer_human", "num"),
        ("answer_machine", "num"),
        ("busy", "num"),
        ("no_answer", "num"),
        ("connects", "num"),
        ("nuisance_percent", "num"),
        ("sales", "num"),
        ("conversion", "num"),
        ("callbacks", "num"),
        ("nsp", "num"),
        ("ntc", "num"),
        ("dnc_requests", "num"),
        ("agent_hours", "num"),
        ("attempts_per_agent_hour", "num"),
        ("previews", "num"),
        ("preview_cancelled", "num"),
    ],
    cell,
    row: row_attributes,
};

fn fields(filters: JobSummaryFilters, admin: bool) -> Vec<Field> {
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
        Field::verbatim("campaign", "Campaign", &filters.campaign, "exact name"),
        Field::verbatim("team", "Team", &filters.team, "exact name"),
        Field::verbatim("job", "Job", &filters.job, "number"),
    ]);
    fields
}

/// The job summary page.
#[component]
pub fn JobSummaryPage() -> impl IntoView {
    view! {
        <Title text="Job Summary"/>
        <div class="page-head">
            <h1>"Job Performance Summary"</h1>
            <p class="muted">"One row per job started in the days, newest first, under the teams the campaign mappings give. Predictive unless Preview is chosen; without dates, the last 30 days."</p>
            <MetricsPanel metrics=JOB_SUMMARY/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("job", "jobs"), order: Some("newest first") },
            job_summary,
            |filters: JobSummaryFilters, _: ()| async move { fields(filters, is_admin().await) },
        )}
    }
}
