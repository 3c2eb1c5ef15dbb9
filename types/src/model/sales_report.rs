//! The Secured/Unsecured Performance report. Seed 001 names it without a line; OCM's reading
//! (docs/reports.md): the sales-screen records split by category, `secured` (payment taken on the
//! call) and `unsecured` (to be confirmed), per day, team, agent and campaign, against the
//! agent's connects and hours on that campaign.

use serde::{Deserialize, Serialize};

use super::abandon_reports::percent_text;
use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

/// Filters: days in the report time zone, organization (admins), exact campaign, team and agent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SalesFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub campaign: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub team: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub agent: Option<String>,
}

impl UrlQuery for SalesFilters {}

/// An agent's day on one campaign (the totals row: agent "", campaign "All").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesRow {
    pub row_no: i64,
    pub report_day: String,
    pub team: String,
    pub agent: String,
    pub campaign: String,
    pub currency: String,
    pub connects: i64,
    pub agent_seconds: i64,
    pub secured_sales: i64,
    pub secured_amount_minor: i64,
    pub unsecured_sales: i64,
    pub unsecured_amount_minor: i64,
}

/// Hundredths as a decimal amount (`1234` → `12.34`).
pub fn money(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!("{sign}{}.{:02}", m / 100, m % 100)
}

impl SalesRow {
    fn conversion(&self, sales: i64) -> Option<f64> {
        (self.connects > 0).then(|| 100.0 * sales as f64 / self.connects as f64)
    }

    /// Sales of both categories per hour the agent was attached to the campaign.
    pub fn sales_per_agent_hour(&self) -> Option<f64> {
        (self.agent_seconds > 0).then(|| {
            (self.secured_sales + self.unsecured_sales) as f64 * 3600.0 / self.agent_seconds as f64
        })
    }
}

impl ReportRow for SalesRow {
    const SORTABLE: bool = true;

    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("report_day", "Day", |r| r.report_day.clone()),
                Column::<Self>::new("team", "Team", |r| r.team.clone()),
                Column::<Self>::new("agent", "Agent", |r| r.agent.clone()).text(),
                Column::<Self>::new("campaign", "Campaign", |r| r.campaign.clone()),
                Column::<Self>::new("connects", "Connects", |r| r.connects.to_string()).number(),
                Column::<Self>::new("secured_sales", "Secured sales", |r| {
                    r.secured_sales.to_string()
                })
                .number(),
                Column::<Self>::new("secured_amount", "Secured amount", |r| {
                    money(r.secured_amount_minor)
                })
                .number(),
                Column::<Self>::new("secured_conversion", "Secured conversion %", |r| {
                    percent_text(r.conversion(r.secured_sales))
                })
                .number(),
                Column::<Self>::new("unsecured_sales", "Unsecured sales", |r| {
                    r.unsecured_sales.to_string()
                })
                .number(),
                Column::<Self>::new("unsecured_amount", "Unsecured amount", |r| {
                    money(r.unsecured_amount_minor)
                })
                .number(),
                Column::<Self>::new("unsecured_conversion", "Unsecured conversion %", |r| {
                    percent_text(r.conversion(r.unsecured_sales))
                })
                .number(),
                Column::<Self>::new("currency", "Currency", |r| r.currency.clone()),
                Column::<Self>::new("agent_hours", "Agent hours", |r| {
                    format!("{:.2}", r.agent_seconds as f64 / 3600.0)
                })
                .number(),
                Column::<Self>::new("sales_per_agent_hour", "Sales per agent hour", |r| {
                    r.sales_per_agent_hour()
                        .map(|v| format!("{v:.2}"))
                        .unwrap_or_default()
                })
                .number(),
            ]
        }
    }
}
