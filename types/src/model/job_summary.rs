//! The Predictive Job Performance Summary and the Preview Job Summary (seed 001: "job summary
//! data for the predictive calls mapping job name to team"): one row per job with its life, its
//! calls by result, its outcomes and agent time; rates worked out here from the sums.

use serde::{Deserialize, Serialize};

use super::abandon_reports::percent_text;
use super::agent_time::CampaignType;
use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

/// Filters of the job summaries: jobs started in the days (report time zone), organization
/// (admins), campaign type, exact campaign, team (of the campaign mapping) and job.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct JobSummaryFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(rename = "type", deserialize_with = "empty_as_none")]
    pub campaign_type: Option<CampaignType>,
    #[serde(deserialize_with = "empty_as_none")]
    pub campaign: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub team: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub job: Option<String>,
}

impl UrlQuery for JobSummaryFilters {}

/// One job (the totals row: job 0, campaign "All jobs").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSummaryRow {
    pub job_id: i64,
    pub organization: String,
    pub campaign: String,
    pub teams: String,
    pub started_at: String,
    pub finished_at: String,
    pub duration_seconds: Option<i64>,
    pub finish_reason: String,
    pub list_contacts: i64,
    pub dialled: i64,
    pub attempts: i64,
    pub answer_human: i64,
    pub answer_machine: i64,
    pub busy: i64,
    pub no_answer: i64,
    pub failed: i64,
    pub fax: i64,
    pub preview_cancelled: i64,
    pub connects: i64,
    pub nuisance: i64,
    pub sales: i64,
    pub callbacks: i64,
    pub nsp: i64,
    pub ntc: i64,
    pub dnc_requests: i64,
    pub talk_seconds: i64,
    pub wrap_up_seconds: i64,
    pub agent_seconds: i64,
    pub preview_seconds: i64,
    pub previews: i64,
    pub not_attempted: i64,
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

fn per(part: i64, whole: i64) -> String {
    if whole > 0 {
        format!("{:.0}", part as f64 / whole as f64)
    } else {
        String::new()
    }
}

impl JobSummaryRow {
    pub fn penetration(&self) -> Option<f64> {
        share(self.dialled, self.list_contacts)
    }

    pub fn nuisance_percent(&self) -> Option<f64> {
        share(self.nuisance, self.answer_human)
    }

    pub fn conversion(&self) -> Option<f64> {
        share(self.sales, self.connects)
    }

    pub fn attempts_per_agent_hour(&self) -> Option<f64> {
        (self.agent_seconds > 0).then(|| self.attempts as f64 * 3600.0 / self.agent_seconds as f64)
    }
}

fn count(value: i64) -> String {
    value.to_string()
}

impl ReportRow for JobSummaryRow {
    const SORTABLE: bool = true;

    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::<Self>::new("job_id", "Job", |r| r.job_id.to_string()).text(),
                Column::<Self>::new("organization", "Organization", |r| r.organization.clone()),
                Column::<Self>::new("campaign", "Campaign", |r| r.campaign.clone()),
                Column::<Self>::new("teams", "Teams", |r| r.teams.clone()),
                Column::<Self>::new("started_at", "Started", |r| r.started_at.clone()).date_time(),
                Column::<Self>::new("finished_at", "Finished", |r| r.finished_at.clone())
                    .date_time(),
                Column::<Self>::new("duration_seconds", "Duration s", |r| {
                    r.duration_seconds.map(count).unwrap_or_default()
                })
                .number(),
                Column::<Self>::new("finish_reason", "Finish reason", |r| {
                    r.finish_reason.clone()
                }),
                Column::<Self>::new("list_contacts", "List size", |r| count(r.list_contacts))
                    .number(),
                Column::<Self>::new("dialled", "Records dialled", |r| count(r.dialled)).number(),
                Column::<Self>::new("penetration", "Penetration %", |r| {
                    percent_text(r.penetration())
                })
                .number(),
                Column::<Self>::new("not_attempted", "Not attempted", |r| count(r.not_attempted))
                    .number(),
                Column::<Self>::new("attempts", "Attempts", |r| count(r.attempts)).number(),
                Column::<Self>::new("retries", "Retries", |r| count(r.attempts - r.dialled))
                    .number(),
                Column::<Self>::new("answer_human", "Human", |r| count(r.answer_human)).number(),
                Column::<Self>::new("answer_machine", "Machine", |r| count(r.answer_machine))
                    .number(),
                Column::<Self>::new("busy", "Busy", |r| count(r.busy)).number(),
                Column::<Self>::new("no_answer", "No answer", |r| count(r.no_answer)).number(),
                Column::<Self>::new("failed", "Failed", |r| count(r.failed)).number(),
                Column::<Self>::new("fax", "Fax", |r| count(r.fax)).number(),
                Column::<Self>::new("connects", "Connects", |r| count(r.connects)).number(),
                Column::<Self>::new("nuisance", "Nuisance", |r| count(r.nuisance)).number(),
                Column::<Self>::new("nuisance_percent", "Nuisance %", |r| {
                    percent_text(r.nuisance_percent())
                })
                .number(),
                Column::<Self>::new("sales", "Sales", |r| count(r.sales)).number(),
                Column::<Self>::new("conversion", "Conversion %", |r| {
                    percent_text(r.conversion())
                })
                .number(),
                Column::<Self>::new("callbacks", "Callbacks dialled", |r| count(r.callbacks))
                    .number(),
                Column::<Self>::new("nsp", "NSP", |r| count(r.nsp)).number(),
                Column::<Self>::new("ntc", "NTC", |r| count(r.ntc)).number(),
                Column::<Self>::new("dnc_requests", "DNCREQ", |r| count(r.dnc_requests)).number(),
                Column::<Self>::new("average_talk_seconds", "Avg talk s", |r| {
                    per(r.talk_seconds, r.connects)
                })
                .number(),
                Column::<Self>::new("average_wrap_up_seconds", "Avg wrap s", |r| {
                    per(r.wrap_up_seconds, r.connects)
                })
                .number(),
                Column::<Self>::new("agent_hours", "Agent hours", |r| {
                    format!("{:.2}", r.agent_seconds as f64 / 3600.0)
                })
                .number(),
                Column::<Self>::new("attempts_per_agent_hour", "Attempts per agent hour", |r| {
                    r.attempts_per_agent_hour()
                        .map(|v| format!("{v:.1}"))
                        .unwrap_or_default()
                })
                .number(),
                Column::<Self>::new("previews", "Previews", |r| count(r.previews)).number(),
                Column::<Self>::new("preview_cancelled", "Previews cancelled", |r| {
                    count(r.preview_cancelled)
                })
                .number(),
                Column::<Self>::new("average_preview_seconds", "Avg preview s", |r| {
                    per(r.preview_seconds, r.previews)
                })
                .number(),
            ]
        }
    }
}
