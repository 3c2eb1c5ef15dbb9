//! The Call Attempt report: every attempt POM made, newest first, read from `call_attempt` on
//! its `(organization, attempt_at, row_id)` index, with a chart of the filtered attempts by
//! result (the report's totals by result). Pages span at most `reports::PAGE_DAYS` days; the export
//! takes any range.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::{
    job_number, known_agent, known_campaign, local_time, organization, DetailDays, PAGE_DAYS,
};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AuditAction, CallAttemptFilters, CallAttemptRow, CallResult, Role};
use crate::report::{self, ChartQuery, Key, Report, Summarised};

/// The checked filters.
pub struct Scoped {
    zone: String,
    organization: Option<String>,
    days: DetailDays,
    campaign: Option<String>,
    job: Option<i64>,
    list: Option<String>,
    result: Option<String>,
    code: Option<String>,
    agent: Option<String>,
    team: Option<String>,
    search: Option<String>,
}

/// The Call Attempt report.
pub struct CallAttempts;

impl Report for CallAttempts {
    type Filters = CallAttemptFilters;
    type Scoped = Scoped;
    type Row = CallAttemptRow;
    type Line = CallAttemptRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("call_attempts");
    const READ_ACTION: AuditAction = AuditAction::CallAttemptReport;
    const EXPORT_ACTION: AuditAction = AuditAction::CallAttemptExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "call-attempts";
    const SHEET: &'static str = "Call attempts";
    const XLSX_NUMBERS: bool = false;
    const KEY: Key = Key {
        at: Some("attempt_at"),
        id: "row_id",
    };

    async fn scope(ctx: &Ctx, q: &CallAttemptFilters) -> Result<Scoped, AppError> {
        let zone = ctx.state.settings.call_data.time_zone.clone();
        let job = job_number(q.job.as_deref())?;
        let days = DetailDays::parse(
            &zone,
            q.from.as_deref(),
            q.to.as_deref(),
            // A job spans days: its filter reads the last page of days unless days are chosen.
            Some(if job.is_some() { PAGE_DAYS - 1 } else { 0 }),
        )?;
        let organization = organization(ctx, q.organization.as_deref())?;
        let pool = &ctx.state.pool;
        known_campaign(pool, organization.as_deref(), q.campaign.as_deref()).await?;
        known_agent(pool, organization.as_deref(), q.agent.as_deref()).await?;
        let result = match &q.result {
            Some(CallResult::Other(text)) => {
                return Err(AppError::validation(
                    "result",
                    format!("“{text}” is not a result."),
                ))
            }
            other => other.as_ref().map(|r| r.as_str().to_string()),
        };
        Ok(Scoped {
            zone,
            organization,
            days,
            campaign: q.campaign.clone(),
            job,
            list: q.list.clone(),
            result,
            code: q.code.clone(),
            agent: q.agent.clone(),
            team: q.team.clone(),
            search: q.search.clone(),
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        let local = local_time;
        sql.push(format_args!(
            "select a.row_id, a.attempt_at, {attempt} as attempt_local, a.organization, a.campaign, \
             a.job_id, a.list_name, a.user_contact_id, \
             coalesce(a.contact->>'ACCOUNT_NO', '') as account, coalesce(a.address, '') as phone, \
             a.attempt_number, {ring} as ring_local, {connect} as connect_local, \
             {ended} as ended_local, \
             extract(epoch from coalesce(a.answered_at, a.occurred_at) - a.ringback_at)::bigint as ring_seconds, \
             a.result, a.sys_completion_code, coalesce(a.agent_completion_code, '') as agent_code, \
             coalesce(a.agent_id, '') as agent, coalesce(a.team, '') as team, a.talk_seconds, \
             a.wrap_up_seconds, a.nuisance \
             from call_attempt a, (select ",
            attempt = local("a.attempt_at"),
            ring = local("a.ringback_at"),
            connect = local("a.connect_at"),
            ended = local("a.occurred_at"),
        ));
        sql.push_bind(f.zone.clone())
            .push("::text as tz) z where true");
        if let Some(organization) = &f.organization {
            sql.push(" and a.organization = ")
                .push_bind(organization.clone());
        }
        f.days.push("a.attempt_at", "a.occurred_at", sql);
        for (column, value) in [
            ("a.campaign", &f.campaign),
            ("a.result", &f.result),
            ("a.agent_id", &f.agent),
            ("a.team", &f.team),
        ] {
            if let Some(value) = value {
                sql.push(format_args!(" and {column} = "))
                    .push_bind(value.clone());
            }
        }
        if let Some(job) = f.job {
            sql.push(" and a.job_id = ").push_bind(job);
        }
        if let Some(code) = &f.code {
            sql.push(" and (a.completion_code = ")
                .push_bind(code.clone())
                .push(" or a.sys_completion_code = ")
                .push_bind(code.clone())
                .push(" or a.agent_completion_code = ")
                .push_bind(code.clone())
                .push(")");
        }
        report::push_contains(sql, "a.list_name", &f.list);
        if let Some(search) = &f.search {
            let pattern = format!("%{}%", report::like_escaped(search));
            sql.push(" and (a.address ilike ")
                .push_bind(pattern.clone())
                .push(" or a.user_contact_id ilike ")
                .push_bind(pattern.clone())
                .push(" or a.contact->>'ACCOUNT_NO' ilike ")
                .push_bind(pattern)
                .push(")");
        }
    }

    fn decode(r: &PgRow) -> Result<CallAttemptRow, sqlx::Error> {
        Ok(CallAttemptRow {
            row_id: r.try_get("row_id")?,
            attempt_at: r.try_get("attempt_local")?,
            organization: r.try_get("organization")?,
            campaign: r.try_get("campaign")?,
            job_id: r.try_get("job_id")?,
            list: r.try_get("list_name")?,
            contact_id: r.try_get("user_contact_id")?,
            account: r.try_get("account")?,
            phone: r.try_get("phone")?,
            attempt_number: i64::from(r.try_get::<i32, _>("attempt_number")?),
            ringback_at: r.try_get("ring_local")?,
            connect_at: r.try_get("connect_local")?,
            ended_at: r.try_get("ended_local")?,
            ring_seconds: r.try_get("ring_seconds")?,
            result: r.try_get::<String, _>("result")?.into(),
            system_code: r.try_get("sys_completion_code")?,
            agent_code: r.try_get("agent_code")?,
            agent: r.try_get("agent")?,
            team: r.try_get("team")?,
            talk_seconds: i64::from(r.try_get::<i32, _>("talk_seconds")?),
            wrap_up_seconds: i64::from(r.try_get::<i32, _>("wrap_up_seconds")?),
            nuisance: r.try_get("nuisance")?,
        })
    }

    fn lines(row: CallAttemptRow) -> Vec<CallAttemptRow> {
        vec![row]
    }

    fn page_check(f: &Scoped) -> Result<(), AppError> {
        f.days.page_check()
    }
}

impl Summarised for CallAttempts {
    fn chart(_: &Scoped) -> Option<ChartQuery> {
        // The results' words come from the one list the filter and the table use.
        let words: String = CallResult::all()
            .iter()
            .map(|r| format!("when '{}' then '{}' ", r.as_str(), r.label()))
            .collect();
        Some(ChartQuery {
            title: "Attempts by result".into(),
            kind: ChartKind::Bars,
            unit: ChartUnit::Count,
            series: vec!["Attempts".into()],
            limit: None,
            sql: format!(
                "select case result {words} else result end as label, \
                 array[count(*)::float8] as values from matching \
                 group by result order by count(*) desc, result"
            ),
        })
    }
}
