//! The NSP List and NTC reports: attempts closed with a code the settings name
//! (`OCM_REPORT_NSP_CODES`, `OCM_REPORT_NTC_CODES`), newest first, on the
//! `(organization, completion_code, attempt_at, row_id)` index, each with the contact record as
//! POM dialled it; a chart of them per day.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::{known_agent, known_campaign, local_time, organization, DetailDays};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AuditAction, CodeList, CodeListFilters, CodeListRow, Role};
use crate::report::{self, ChartQuery, Key, Report, Summarised};

/// The checked filters.
pub struct Scoped {
    zone: String,
    codes: Vec<String>,
    organization: Option<String>,
    days: DetailDays,
    campaign: Option<String>,
    agent: Option<String>,
    team: Option<String>,
    list: Option<String>,
}

/// The NSP List and NTC reports (the list is a filter).
pub struct CodeLists;

impl Report for CodeLists {
    type Filters = CodeListFilters;
    type Scoped = Scoped;
    type Row = CodeListRow;
    type Line = CodeListRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("code_lists");
    const READ_ACTION: AuditAction = AuditAction::CodeListReport;
    const EXPORT_ACTION: AuditAction = AuditAction::CodeListExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "code-list";
    const SHEET: &'static str = "Calls";
    const XLSX_NUMBERS: bool = false;
    const KEY: Key = Key {
        at: Some("attempt_at"),
        id: "row_id",
    };

    async fn scope(ctx: &Ctx, q: &CodeListFilters) -> Result<Scoped, AppError> {
        let settings = &ctx.state.settings.call_data;
        let zone = settings.time_zone.clone();
        let codes = match &q.kind {
            None | Some(CodeList::Nsp) => settings.nsp_codes.clone(),
            Some(CodeList::Ntc) => settings.ntc_codes.clone(),
            Some(CodeList::Other(text)) => {
                return Err(AppError::validation(
                    "kind",
                    format!("“{text}” is not a list: nsp or ntc."),
                ))
            }
        };
        let days = DetailDays::parse(&zone, q.from.as_deref(), q.to.as_deref(), Some(0))?;
        let organization = organization(ctx, q.organization.as_deref())?;
        let pool = &ctx.state.pool;
        known_campaign(pool, organization.as_deref(), q.campaign.as_deref()).await?;
        known_agent(pool, organization.as_deref(), q.agent.as_deref()).await?;
        Ok(Scoped {
            zone,
            codes,
            organization,
            days,
            campaign: q.campaign.clone(),
            agent: q.agent.clone(),
            team: q.team.clone(),
            list: q.list.clone(),
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(format_args!(
            "select a.row_id, a.attempt_at, {attempt} as attempt_local, a.organization, a.campaign, \
             a.job_id, a.list_name, a.user_contact_id, \
             coalesce(a.contact->>'ACCOUNT_NO', '') as account, coalesce(a.address, '') as phone, \
             a.completion_code, coalesce(a.agent_id, '') as agent, coalesce(a.team, '') as team, \
             coalesce(a.contact::text, '') as contact \
             from call_attempt a, (select ",
            attempt = local_time("a.attempt_at"),
        ));
        sql.push_bind(f.zone.clone())
            .push("::text as tz) z where a.completion_code = any(")
            .push_bind(f.codes.clone())
            .push(")");
        if let Some(organization) = &f.organization {
            sql.push(" and a.organization = ")
                .push_bind(organization.clone());
        }
        f.days.push("a.attempt_at", "a.occurred_at", sql);
        for (column, value) in [
            ("a.campaign", &f.campaign),
            ("a.agent_id", &f.agent),
            ("a.team", &f.team),
        ] {
            if let Some(value) = value {
                sql.push(format_args!(" and {column} = "))
                    .push_bind(value.clone());
            }
        }
        report::push_contains(sql, "a.list_name", &f.list);
    }

    fn decode(r: &PgRow) -> Result<CodeListRow, sqlx::Error> {
        Ok(CodeListRow {
            row_id: r.try_get("row_id")?,
            attempt_at: r.try_get("attempt_local")?,
            organization: r.try_get("organization")?,
            campaign: r.try_get("campaign")?,
            job_id: r.try_get("job_id")?,
            list: r.try_get("list_name")?,
            contact_id: r.try_get("user_contact_id")?,
            account: r.try_get("account")?,
            phone: r.try_get("phone")?,
            code: r.try_get("completion_code")?,
            agent: r.try_get("agent")?,
            team: r.try_get("team")?,
            contact: r.try_get("contact")?,
        })
    }

    fn lines(row: CodeListRow) -> Vec<CodeListRow> {
        vec![row]
    }

    fn page_check(f: &Scoped) -> Result<(), AppError> {
        f.days.page_check()
    }
}

impl Summarised for CodeLists {
    fn chart(_: &Scoped) -> Option<ChartQuery> {
        Some(ChartQuery {
            title: "Calls per day".into(),
            kind: ChartKind::Bars,
            unit: ChartUnit::Count,
            series: vec!["Calls".into()],
            limit: None,
            sql: "select left(attempt_local, 10) as label, array[count(*)::float8] as values \
                  from matching group by 1 order by 1"
                .into(),
        })
    }
}
