//! The compliance view (`/reports/compliance`): per campaign and day the UK (Ofcom) rate with the
//! AMD false-positive estimate and breaches of 3 % highlighted (the report kit's table, whose
//! export is the evidence file), the highest rate per day as a trend, the US (FCC) 30-day
//! periods, the rolling 24 hours, and how long live answers waited for an agent.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;
use types::metrics::COMPLIANCE;
use types::report::UrlQuery;

use super::nuisance::abandon_fields;
use super::{exports, is_admin};
use crate::components::chart::ChartView;
use crate::components::format::error_text;
use crate::components::metrics_panel::MetricsPanel;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{
    percent_text, AbandonFilters, AbandonPeriod, ComplianceDayRow, ComplianceOverview,
};
use crate::server_fns::reports::{compliance, compliance_figures};

const EXPORTS: [Export; 2] = exports(
    "/reports/compliance/export.csv",
    "/reports/compliance/export.xlsx",
);

const FORM: FormSpec = FormSpec {
    path: "/reports/compliance",
    label: "Filter the compliance view",
    id_prefix: "compliance-",
    exports: &EXPORTS,
};

fn cell(key: &'static str, row: &ComplianceDayRow) -> Option<AnyView> {
    match key {
        "uk_rate" if row.breach => {
            let text = percent_text(row.uk_rate);
            Some(view! { <strong class="breach">{text}" ▲"<span class="sr-only">" over the 3 % limit"</span></strong> }.into_any())
        }
        "breach" => Some(row.breach.then_some("Over 3 %").into_any()),
        _ => None,
    }
}

fn row_attributes(row: &ComplianceDayRow) -> Vec<leptos::attr::any_attribute::AnyAttribute> {
    use leptos::attr::any_attribute::IntoAnyAttribute;
    use leptos::attr::custom::custom_attribute;
    vec![
        custom_attribute("data-testid", "compliance-row").into_any_attr(),
        custom_attribute("data-breach", row.breach.to_string()).into_any_attr(),
        custom_attribute("class", row.breach.then_some("breach-row")).into_any_attr(),
    ]
}

const TABLE: TableSpec<ComplianceDayRow> = TableSpec {
    testid: "compliance",
    label: "Abandoned-call rate per campaign and day",
    class: "data dense",
    empty: "No live answers in these days yet.",
    columns: &[
        "report_day",
        "organization",
        "campaign",
        "answered",
        "live",
        "abandoned",
        "machine_answers",
        "amd_false_positives",
        "adjusted_abandoned",
        "uk_rate",
        "plain_rate",
        "within_two_seconds",
        "breach",
    ],
    classes: &[
        ("report_day", "nowrap"),
        ("answered", "num"),
        ("live", "num"),
        ("abandoned", "num"),
        ("machine_answers", "num"),
        ("amd_false_positives", "num"),
        ("adjusted_abandoned", "num"),
        ("uk_rate", "num"),
        ("plain_rate", "num"),
        ("within_two_seconds", "num"),
    ],
    cell,
    row: row_attributes,
};

/// A table of abandon rates over periods (US 30 days, rolling 24 hours).
fn periods(caption: &'static str, testid: &'static str, rows: Vec<AbandonPeriod>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid=testid>"No live answers in this period."</p> }
            .into_any();
    }
    let body = rows
        .into_iter()
        .map(|p| {
            let class = p.breach.then_some("breach-row");
            let rate = percent_text(p.rate);
            view! {
                <tr class=class data-breach=p.breach.to_string()>
                    <td>{p.organization}</td><td>{p.campaign}</td>
                    <td class="nowrap">{p.from}</td><td class="nowrap">{p.to}</td>
                    <td class="num">{types::words::thousands(p.answered)}</td>
                    <td class="num">{types::words::thousands(p.abandoned)}</td>
                    <td class="num">{rate}{p.breach.then(|| view! { " ▲"<span class="sr-only">" over the 3 % limit"</span> })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption>
            <table class="data" data-testid=testid>
                <caption class="sr-only">{caption}</caption>
                <thead><tr>
                    <th scope="col">"Organization"</th><th scope="col">"Campaign"</th>
                    <th scope="col">"From"</th><th scope="col">"To"</th>
                    <th scope="col" class="num">"Human answers"</th>
                    <th scope="col" class="num">"Abandoned"</th><th scope="col" class="num">"Rate %"</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn overview_view(o: ComplianceOverview) -> impl IntoView {
    let estimate = format!(
        "UK rates estimate AMD false positives as {} % of machine answers \
         (OCM_COMPLIANCE_AMD_FALSE_POSITIVE_PERCENT). Days and times are in {}.",
        o.amd_false_positive_percent, o.time_zone
    );
    view! {
        <p class="muted" data-testid="compliance-estimate">{estimate}</p>
        <section aria-labelledby="us-periods">
            <h2 id="us-periods">"US (FCC): each 30-day period"</h2>
            <p class="muted">"Abandoned over human answers per campaign over successive 30-day periods from its first day with a live answer (the days so far when shorter)."</p>
            {periods("US 30-day abandon rates", "us-periods", o.us_periods)}
        </section>
        <section aria-labelledby="rolling-day">
            <h2 id="rolling-day">"Rolling 24 hours"</h2>
            {periods("Abandon rates over the last 24 hours", "rolling-day", o.rolling_day)}
        </section>
        <section aria-labelledby="two-seconds">
            <h2 id="two-seconds">"The 2-second rule"</h2>
            <ChartView chart=o.connect_delays testid="connect-delays"/>
        </section>
    }
}

/// The compliance view.
#[component]
pub fn CompliancePage() -> impl IntoView {
    let location = use_location();
    let filters = Memo::new(move |_| {
        location
            .search
            .with(|search| AbandonFilters::from_query_string(search.trim_start_matches('?')))
    });
    let overview = Resource::new(move || filters.get(), compliance_figures);
    view! {
        <Title text="Compliance"/>
        <div class="page-head">
            <h1>"Compliance: abandoned calls"</h1>
            <p class="muted">"Abandoned-call rates per campaign the two ways regulators measure them, against the 3 % limit. Rows over the limit are marked ▲. The export is the evidence file: every figure with the inputs it came from. Without dates: the last 30 days."</p>
            <MetricsPanel metrics=COMPLIANCE/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("campaign day", "campaign days"), order: Some("newest day first") },
            compliance,
            |filters: AbandonFilters, _: ()| async move { abandon_fields(&filters, is_admin().await) },
        )}
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => overview_view(o).into_any(),
                    // The day table above says what is wrong with the filters.
                    Err(error) => view! { <p class="muted">{error_text(&error)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
