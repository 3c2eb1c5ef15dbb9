//! The Predictive and Preview Agent Time Summaries (seed 001: "agent summary data for the
//! predictive calls mapping agent to team"): per agent per day under their team, with a total per
//! team; times in seconds (pages show them as h:mm:ss), averages and occupancy worked out here
//! from the sums so pages, files and the API compute them alike.

use serde::{Deserialize, Serialize};

use super::abandon_reports::percent_text;
use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

stored_text! {
    /// Which campaigns' agent time a summary covers.
    CampaignType {
        Predictive = "predictive" : "Predictive",
        Preview = "preview" : "Preview",
    }
}

/// Filters of the agent time summaries: days in the report time zone, organization (admins),
/// campaign type (predictive unless preview is chosen), exact team and agent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentTimeFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(rename = "type", deserialize_with = "empty_as_none")]
    pub campaign_type: Option<CampaignType>,
    #[serde(deserialize_with = "empty_as_none")]
    pub team: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub agent: Option<String>,
}

impl UrlQuery for AgentTimeFilters {}

/// An agent's day (or, with `team_total`, a team's sum over the filtered days; the report's
/// totals row has team "All teams").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentTimeRow {
    pub row_no: i64,
    pub team_total: bool,
    pub team: String,
    pub report_day: String,
    pub agent: String,
    pub first_login: String,
    pub last_logout: String,
    pub staffed_seconds: i64,
    pub ready_seconds: i64,
    pub preview_seconds: i64,
    pub talk_seconds: i64,
    pub wrap_up_seconds: i64,
    pub not_ready_seconds: i64,
    pub pending_not_ready_seconds: i64,
    /// `reason=seconds` pairs, `;`-separated, longest first.
    pub not_ready_reasons: String,
    pub calls: i64,
    pub sales: i64,
    pub nuisance_caused: i64,
    pub previews_cancelled: i64,
}

impl AgentTimeRow {
    fn average(&self, seconds: i64) -> Option<f64> {
        (self.calls > 0).then(|| seconds as f64 / self.calls as f64)
    }

    /// Seconds per call of talk plus wrap-up.
    pub fn average_handle(&self) -> Option<f64> {
        self.average(self.talk_seconds + self.wrap_up_seconds)
    }

    /// (talk + wrap-up) / (staffed − not ready), in percent.
    pub fn occupancy(&self) -> Option<f64> {
        let available = self.staffed_seconds - self.not_ready_seconds;
        (available > 0)
            .then(|| 100.0 * (self.talk_seconds + self.wrap_up_seconds) as f64 / available as f64)
    }
}

fn seconds(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.0}")).unwrap_or_default()
}

impl ReportRow for AgentTimeRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("team", "Team", |r| r.team.clone()),
                Column::<Self>::new("report_day", "Day", |r| r.report_day.clone()),
                Column::<Self>::new("agent", "Agent", |r| r.agent.clone()).text(),
                Column::<Self>::new("first_login", "First login", |r| r.first_login.clone())
                    .date_time(),
                Column::<Self>::new("last_logout", "Last logout", |r| r.last_logout.clone())
                    .date_time(),
                Column::<Self>::new("staffed_seconds", "Staffed s", |r| {
                    r.staffed_seconds.to_string()
                })
                .number(),
                Column::<Self>::new("ready_seconds", "Ready s", |r| r.ready_seconds.to_string())
                    .number(),
                Column::<Self>::new("preview_seconds", "Preview s", |r| {
                    r.preview_seconds.to_string()
                })
                .number(),
                Column::<Self>::new("talk_seconds", "Talk s", |r| r.talk_seconds.to_string())
                    .number(),
                Column::<Self>::new("wrap_up_seconds", "Wrap s", |r| {
                    r.wrap_up_seconds.to_string()
                })
                .number(),
                Column::<Self>::new("not_ready_seconds", "Not ready s", |r| {
                    r.not_ready_seconds.to_string()
                })
                .number(),
                Column::<Self>::new("pending_not_ready_seconds", "Pending not ready s", |r| {
                    r.pending_not_ready_seconds.to_string()
                })
                .number(),
                Column::<Self>::new("not_ready_reasons", "Not ready by reason", |r| {
                    r.not_ready_reasons.clone()
                }),
                Column::<Self>::new("calls", "Calls", |r| r.calls.to_string()).number(),
                Column::<Self>::new("average_talk_seconds", "Avg talk s", |r| {
                    seconds(r.average(r.talk_seconds))
                })
                .number(),
                Column::<Self>::new("average_wrap_up_seconds", "Avg wrap s", |r| {
                    seconds(r.average(r.wrap_up_seconds))
                })
                .number(),
                Column::<Self>::new("average_handle_seconds", "Avg handle s", |r| {
                    seconds(r.average_handle())
                })
                .number(),
                Column::<Self>::new("occupancy", "Occupancy %", |r| percent_text(r.occupancy()))
                    .number(),
                Column::<Self>::new("sales", "Sales", |r| r.sales.to_string()).number(),
                Column::<Self>::new("nuisance_caused", "Nuisances caused", |r| {
                    r.nuisance_caused.to_string()
                })
                .number(),
                Column::<Self>::new("previews_cancelled", "Previews cancelled", |r| {
                    r.previews_cancelled.to_string()
                })
                .number(),
            ]
        }
    }
}
