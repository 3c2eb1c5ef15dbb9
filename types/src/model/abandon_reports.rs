//! The Outbound Nuisance report and the compliance view: live answers and the calls dropped on
//! the person who answered, per campaign and report day, with the rates regulators measure.

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, Chart, Column, ReportRow, UrlQuery};

/// Filters of both reports: days in the report time zone (inclusive), exact organization and
/// campaign.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AbandonFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub campaign: Option<String>,
}

impl UrlQuery for AbandonFilters {}

/// A percentage with two decimals, empty when there was nothing to divide by.
pub fn percent_text(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.2}")).unwrap_or_default()
}

/// One campaign's day of the Outbound Nuisance report (the totals row: `campaign` "All").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NuisanceDayRow {
    pub row_no: i64,
    pub report_day: String,
    pub organization: String,
    pub campaign: String,
    pub live_answers: i64,
    pub nuisance_agent_aux: i64,
    pub nuisance_no_agent: i64,
    pub nuisance: i64,
    pub nuisance_percent: Option<f64>,
}

impl ReportRow for NuisanceDayRow {
    const SORTABLE: bool = true;

    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("report_day", "Day", |r| r.report_day.clone()),
                Column::<Self>::new("organization", "Organization", |r| r.organization.clone()),
                Column::<Self>::new("campaign", "Campaign", |r| r.campaign.clone()),
                Column::<Self>::new("live_answers", "Human answers", |r| {
                    r.live_answers.to_string()
                })
                .number(),
                Column::<Self>::new("nuisance_agent_aux", "Agent went AUX", |r| {
                    r.nuisance_agent_aux.to_string()
                })
                .number(),
                Column::<Self>::new("nuisance_no_agent", "No agent free", |r| {
                    r.nuisance_no_agent.to_string()
                })
                .number(),
                Column::<Self>::new("nuisance", "Nuisance calls", |r| r.nuisance.to_string())
                    .number(),
                Column::<Self>::new("nuisance_percent", "Nuisance %", |r| {
                    percent_text(r.nuisance_percent)
                })
                .number(),
            ]
        }
    }
}

/// One campaign's report day in the compliance view: the UK (Ofcom) daily rate with the AMD
/// false-positive estimate, the plain rate, and how fast live answers reached an agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceDayRow {
    pub row_no: i64,
    pub report_day: String,
    pub organization: String,
    pub campaign: String,
    /// Human answers (connected or dropped).
    pub answered: i64,
    /// Human answers an agent took (`Live`).
    pub live: i64,
    /// Human answers dropped (`D`).
    pub abandoned: i64,
    pub machine_answers: i64,
    /// Estimated AMD false positives (`AMfp`).
    pub amd_false_positives: f64,
    /// `D'`.
    pub adjusted_abandoned: f64,
    pub uk_rate: Option<f64>,
    pub plain_rate: Option<f64>,
    pub within_two_seconds: Option<f64>,
    pub breach: bool,
}

fn decimal(value: f64) -> String {
    format!("{value:.2}")
}

impl ReportRow for ComplianceDayRow {
    const SORTABLE: bool = true;

    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("report_day", "Day", |r| r.report_day.clone()),
                Column::<Self>::new("organization", "Organization", |r| r.organization.clone()),
                Column::<Self>::new("campaign", "Campaign", |r| r.campaign.clone()),
                Column::<Self>::new("answered", "Human answers", |r| r.answered.to_string())
                    .number(),
                Column::<Self>::new("live", "Live (agent)", |r| r.live.to_string()).number(),
                Column::<Self>::new("abandoned", "Abandoned (D)", |r| r.abandoned.to_string())
                    .number(),
                Column::<Self>::new("machine_answers", "Machine answers", |r| {
                    r.machine_answers.to_string()
                })
                .number(),
                Column::<Self>::new("amd_false_positives", "AMD false positives (est.)", |r| {
                    decimal(r.amd_false_positives)
                })
                .number(),
                Column::<Self>::new("adjusted_abandoned", "Adjusted abandoned (D′)", |r| {
                    decimal(r.adjusted_abandoned)
                })
                .number(),
                Column::<Self>::new("uk_rate", "UK rate %", |r| percent_text(r.uk_rate)).number(),
                Column::<Self>::new("plain_rate", "Abandoned / answered %", |r| {
                    percent_text(r.plain_rate)
                })
                .number(),
                Column::<Self>::new("within_two_seconds", "Connected < 2 s %", |r| {
                    percent_text(r.within_two_seconds)
                })
                .number(),
                Column::<Self>::new("breach", "Over 3 %", |r| r.breach.to_string())
                    .for_people_as(|r| if r.breach { "Yes" } else { "" }.to_string()),
            ]
        }
    }
}

/// An abandon rate over a stretch of time for one campaign: the US (FCC) 30-day periods and the
/// rolling 24 hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbandonPeriod {
    pub organization: String,
    pub campaign: String,
    /// First and last report day (US), or first and last hour (rolling), in the report zone.
    pub from: String,
    pub to: String,
    pub answered: i64,
    pub abandoned: i64,
    pub rate: Option<f64>,
    pub breach: bool,
}

/// The compliance view's figures beside its day table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceOverview {
    pub time_zone: String,
    /// The AMD false-positive rate the UK estimate uses, in percent of machine answers.
    pub amd_false_positive_percent: f64,
    pub limit_percent: f64,
    pub us_periods: Vec<AbandonPeriod>,
    pub rolling_day: Vec<AbandonPeriod>,
    pub connect_delays: Chart,
}
