//! The Predictive Job Performance Summary and the Preview Job Summary: one row per job started in
//! the days, newest job first, with the teams the campaign mapping gives, from the summaries only
//! (`report_job`, `report_job_outcome`, `report_job_code`); NSP, NTC and DNCREQ are the completion
//! codes the settings name, counted when read.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::{known_campaign, organization, ReportDays, SUMMARY_DAYS};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AuditAction, CampaignType, JobSummaryFilters, JobSummaryRow, Role};
use crate::report::{ChartQuery, Key, Report, Summarised};

/// Days shown when the filter names none: the last thirty.
pub const RECENT_DAYS: i64 = 29;

/// The checked filters.
pub struct Scoped {
    zone: String,
    organization: Option<String>,
    days: ReportDays,
    campaign_type: String,
    campaign: Option<String>,
    team: Option<String>,
    job: Option<i64>,
    codes: [Vec<String>; 3],
}

/// The job summaries (the type is a filter).
pub struct JobSummary;

/// The sums a row and the totals row share, by column name.
const SUMS: [&str; 24] = [
    "list_contacts",
    "dialled",
    "attempts",
    "answer_human",
    "answer_machine",
    "busy",
    "no_answer",
    "failed",
    "fax",
    "preview_cancelled",
    "connects",
    "nuisance",
    "sales",
    "callbacks",
    "nsp",
    "ntc",
    "dnc_requests",
    "talk_seconds",
    "wrap_up_seconds",
    "agent_seconds",
    "preview_seconds",
    "previews",
    "not_attempted",
    "duration_seconds",
];

impl Report for JobSummary {
    type Filters = JobSummaryFilters;
    type Scoped = Scoped;
    type Row = JobSummaryRow;
    type Line = JobSummaryRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("job_summary");
    const READ_ACTION: AuditAction = AuditAction::JobSummaryReport;
    const EXPORT_ACTION: AuditAction = AuditAction::JobSummaryExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "job-summary";
    const SHEET: &'static str = "Jobs";
    const KEY: Key = Key {
        at: None,
        id: "job_id",
    };
    const SORT_SQL: &'static [(&'static str, &'static str)] = &[
        ("started_at", "nullif(started_local, '')"),
        ("finished_at", "nullif(finished_local, '')"),
        ("penetration", "dialled::float8 / nullif(list_contacts, 0)"),
        ("retries", "attempts - dialled"),
        (
            "nuisance_percent",
            "nuisance::float8 / nullif(answer_human, 0)",
        ),
        ("conversion", "sales::float8 / nullif(connects, 0)"),
        (
            "average_talk_seconds",
            "talk_seconds::float8 / nullif(connects, 0)",
        ),
        (
            "average_wrap_up_seconds",
            "wrap_up_seconds::float8 / nullif(connects, 0)",
        ),
        ("agent_hours", "agent_seconds"),
        (
            "attempts_per_agent_hour",
            "attempts::float8 / nullif(agent_seconds, 0)",
        ),
        (
            "average_preview_seconds",
            "preview_seconds::float8 / nullif(previews, 0)",
        ),
    ];

    async fn scope(ctx: &Ctx, q: &JobSummaryFilters) -> Result<Scoped, AppError> {
        let settings = &ctx.state.settings.call_data;
        let zone = settings.time_zone.clone();
        let job = q
            .job
            .as_deref()
            .map(|j| {
                j.trim()
                    .parse::<i64>()
                    .map_err(|_| AppError::validation("job", format!("“{j}” is not a job number.")))
            })
            .transpose()?;
        let mut days = ReportDays::parse(q.from.as_deref(), q.to.as_deref())?;
        if job.is_none() {
            days = days.or_recent(&zone, RECENT_DAYS);
        }
        let days = days.within(SUMMARY_DAYS)?;
        let organization = organization(ctx, q.organization.as_deref())?;
        known_campaign(
            &ctx.state.pool,
            organization.as_deref(),
            q.campaign.as_deref(),
        )
        .await?;
        let campaign_type = match &q.campaign_type {
            None => CampaignType::Predictive,
            Some(CampaignType::Other(text)) => {
                return Err(AppError::validation(
                    "type",
                    format!("“{text}” is not a campaign type: predictive or preview."),
                ))
            }
            Some(known) => known.clone(),
        };
        Ok(Scoped {
            zone,
            organization,
            days,
            campaign_type: campaign_type.as_str().to_string(),
            campaign: q.campaign.clone(),
            team: q.team.clone(),
            job,
            codes: [
                settings.nsp_codes.clone(),
                settings.ntc_codes.clone(),
                settings.dnc_request_codes.clone(),
            ],
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        let local = |column: &str| {
            format!("coalesce(to_char({column} at time zone p.tz, 'YYYY-MM-DD HH24:MI:SS'), '')")
        };
        sql.push(format_args!(
            "select j.job_id, j.organization, j.campaign, coalesce(tm.teams, '(no team)') as teams, \
             {started} as started_local, {finished} as finished_local, \
             extract(epoch from j.finished_at - j.started_at)::bigint as duration_seconds, \
             coalesce(j.finish_reason, '') as finish_reason, j.list_contacts, \
             coalesce(o.first_attempts, 0) as dialled, j.attempts, \
             coalesce(o.answer_human, 0) as answer_human, coalesce(o.answer_machine, 0) as answer_machine, \
             coalesce(o.busy, 0) as busy, coalesce(o.no_answer, 0) as no_answer, \
             coalesce(o.failed, 0) as failed, coalesce(o.fax, 0) as fax, \
             coalesce(o.preview_cancelled, 0) as preview_cancelled, j.connects, j.nuisance, \
             coalesce(o.sales, 0) as sales, coalesce(o.callbacks_dialled, 0) as callbacks, \
             coalesce(c.nsp, 0) as nsp, coalesce(c.ntc, 0) as ntc, coalesce(c.dnc_requests, 0) as dnc_requests, \
             coalesce(o.talk_seconds, 0) as talk_seconds, coalesce(o.wrap_up_seconds, 0) as wrap_up_seconds, \
             coalesce(o.agent_seconds, 0) as agent_seconds, coalesce(o.preview_seconds, 0) as preview_seconds, \
             coalesce(o.previews, 0) as previews, j.skipped as not_attempted \
             from report_job j \
             left join report_job_outcome o using (organization, job_id) \
             cross join (select ",
            started = local("j.started_at"),
            finished = local("j.finished_at"),
        ));
        sql.push_bind(f.zone.clone()).push("::text as tz, ");
        sql.push_bind(f.codes[0].clone()).push("::text[] as nsp, ");
        sql.push_bind(f.codes[1].clone()).push("::text[] as ntc, ");
        sql.push_bind(f.codes[2].clone()).push(
            "::text[] as dncreq) p \
             left join lateral (select (sum(x.attempts) filter (where x.code = any(p.nsp)))::bigint as nsp, \
                                       (sum(x.attempts) filter (where x.code = any(p.ntc)))::bigint as ntc, \
                                       (sum(x.attempts) filter (where x.code = any(p.dncreq)))::bigint as dnc_requests \
                                  from report_job_code x \
                                 where x.organization = j.organization and x.job_id = j.job_id) c on true \
             left join lateral (select string_agg(t.name, ', ' order by t.name) as teams \
                                  from campaign_team ct join team t using (team_id) \
                                 where ct.organization = j.organization and ct.campaign_name = j.campaign) tm on true \
             where j.campaign_type = ",
        );
        sql.push_bind(f.campaign_type.clone());
        if let Some(organization) = &f.organization {
            sql.push(" and j.organization = ")
                .push_bind(organization.clone());
        }
        let (from, to) = f.days.instants(&f.zone);
        if let Some(from) = from {
            sql.push(" and j.started_at >= ").push_bind(from);
        }
        if let Some(to) = to {
            sql.push(" and j.started_at < ").push_bind(to);
        }
        if let Some(campaign) = &f.campaign {
            sql.push(" and j.campaign = ").push_bind(campaign.clone());
        }
        if let Some(job) = f.job {
            sql.push(" and j.job_id = ").push_bind(job);
        }
        if let Some(team) = &f.team {
            sql.push(
                " and exists (select 1 from campaign_team ct join team t using (team_id) \
                   where ct.organization = j.organization and ct.campaign_name = j.campaign \
                     and t.name = ",
            )
            .push_bind(team.clone())
            .push(")");
        }
    }

    fn decode(r: &PgRow) -> Result<JobSummaryRow, sqlx::Error> {
        let n = |name: &str| r.try_get::<i64, _>(name);
        Ok(JobSummaryRow {
            job_id: r.try_get("job_id")?,
            organization: r.try_get("organization")?,
            campaign: r.try_get("campaign")?,
            teams: r.try_get("teams")?,
            started_at: r.try_get("started_local")?,
            finished_at: r.try_get("finished_local")?,
            duration_seconds: r.try_get("duration_seconds")?,
            finish_reason: r.try_get("finish_reason")?,
            list_contacts: n("list_contacts")?,
            dialled: n("dialled")?,
            attempts: n("attempts")?,
            answer_human: n("answer_human")?,
            answer_machine: n("answer_machine")?,
            busy: n("busy")?,
            no_answer: n("no_answer")?,
            failed: n("failed")?,
            fax: n("fax")?,
            preview_cancelled: n("preview_cancelled")?,
            connects: n("connects")?,
            nuisance: n("nuisance")?,
            sales: n("sales")?,
            callbacks: n("callbacks")?,
            nsp: n("nsp")?,
            ntc: n("ntc")?,
            dnc_requests: n("dnc_requests")?,
            talk_seconds: n("talk_seconds")?,
            wrap_up_seconds: n("wrap_up_seconds")?,
            agent_seconds: n("agent_seconds")?,
            preview_seconds: n("preview_seconds")?,
            previews: n("previews")?,
            not_attempted: n("not_attempted")?,
        })
    }

    fn lines(row: JobSummaryRow) -> Vec<JobSummaryRow> {
        vec![row]
    }
}

impl Summarised for JobSummary {
    const ONCE: bool = true;

    fn totals(_: &Scoped) -> Option<&'static str> {
        static TOTALS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = TOTALS.get_or_init(|| {
            let sums: Vec<String> = SUMS
                .iter()
                .map(|c| format!("coalesce(sum({c}), 0)::bigint as {c}"))
                .collect();
            format!(
                "select 0::bigint as job_id, '' as organization, 'All jobs' as campaign, '' as teams, \
                 '' as started_local, '' as finished_local, '' as finish_reason, {} from matching",
                sums.join(", ")
            )
        });
        Some(sql.as_str())
    }

    fn chart(_: &Scoped) -> Option<ChartQuery> {
        Some(ChartQuery {
            title: "Attempts by result, newest 20 jobs".into(),
            kind: ChartKind::StackedBars,
            unit: ChartUnit::Count,
            series: ["Human", "Machine", "Busy", "No answer", "Failed or fax", "Preview cancelled"]
                .map(String::from)
                .to_vec(),
            limit: None,
            sql: "select label, values from (select job_id, job_id::text as label, \
                  array[answer_human, answer_machine, busy, no_answer, failed + fax, preview_cancelled]::float8[] \
                    as values \
                  from matching order by job_id desc limit 20) newest order by job_id"
                .into(),
        })
    }
}
