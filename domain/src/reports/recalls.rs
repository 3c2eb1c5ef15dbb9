//! The Agent Owned Recalls report: agent-owned callbacks created in the days (`callback`), with
//! their latest state, when they were first dialled against the due time in force then (a
//! reschedule moves it; ingestion works both out from the events into `report_callback`) and who
//! fulfilled them. The chart shows each owner's callbacks by outcome, the label carrying the
//! owner's share dialled on time.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::{agent_team_join, known_agent, known_campaign, local_time, organization, DetailDays};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{
    AuditAction, CallbackState, RecallFilters, RecallRow, Role, ON_TIME_GRACE_SECONDS,
};
use crate::report::{ChartQuery, Key, Report, Summarised};

/// The checked filters.
pub struct Scoped {
    zone: String,
    organization: Option<String>,
    days: DetailDays,
    agent: Option<String>,
    team: Option<String>,
    campaign: Option<String>,
    state: Option<String>,
}

/// The Agent Owned Recalls report.
pub struct Recalls;

impl Report for Recalls {
    type Filters = RecallFilters;
    type Scoped = Scoped;
    type Row = RecallRow;
    type Line = RecallRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("recalls");
    const READ_ACTION: AuditAction = AuditAction::RecallReport;
    const EXPORT_ACTION: AuditAction = AuditAction::RecallExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "agent-owned-recalls";
    const SHEET: &'static str = "Agent owned recalls";
    const KEY: Key = Key {
        at: Some("occurred_at"),
        id: "row_id",
    };

    async fn scope(ctx: &Ctx, q: &RecallFilters) -> Result<Scoped, AppError> {
        let zone = ctx.state.settings.call_data.time_zone.clone();
        let days = DetailDays::parse(&zone, q.from.as_deref(), q.to.as_deref(), Some(6))?;
        let organization = organization(ctx, q.organization.as_deref())?;
        let pool = &ctx.state.pool;
        known_campaign(pool, organization.as_deref(), q.campaign.as_deref()).await?;
        known_agent(pool, organization.as_deref(), q.agent.as_deref()).await?;
        let state = match &q.state {
            Some(CallbackState::Other(text)) => {
                return Err(AppError::validation(
                    "state",
                    format!("“{text}” is not a callback state."),
                ))
            }
            other => other.as_ref().map(|s| s.as_str().to_string()),
        };
        Ok(Scoped {
            zone,
            organization,
            days,
            agent: q.agent.clone(),
            team: q.team.clone(),
            campaign: q.campaign.clone(),
            state,
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        // The first dial and the due time in force then are kept per callback by ingestion
        // (`report_callback`); `dial` holds their texts and the lateness in seconds.
        sql.push(format_args!(
            "select x.*, coalesce(tm.name, '(no team)') as team \
               from (select c.occurred_at, c.row_id, c.callback_id, {created} as created_local, \
                            c.organization, c.agent_id, (c.occurred_at at time zone tz)::date as report_day, \
                            c.campaign, c.job_id, c.list_name, c.user_contact_id, \
                            coalesce(c.address, '') as phone, {expires} as expires_local, \
                            coalesce(c.notes, '') as notes, coalesce(r.state, 'created') as state, \
                            case when r.state = 'completed' then coalesce(r.agent_id, '') else '' end as fulfilled_by, \
                            coalesce(r.handed_over, false) as handed_over, \
                            array[{dialled}, {due}, \
                                  extract(epoch from r.first_dial_at - coalesce(r.due_at_dial, c.due_at))::bigint::text] as dial \
                       from callback c cross join (select ",
            created = local_time("c.occurred_at"),
            expires = local_time("c.expires_at"),
            dialled = local_time("r.first_dial_at"),
            due = local_time("coalesce(r.due_at_dial, c.due_at)"),
        ));
        sql.push_bind(f.zone.clone()).push(
            "::text as tz) z \
             left join report_callback r on r.callback_id = c.callback_id and r.organization = c.organization \
             where c.callback_type = 'agent_owned'",
        );
        if let Some(organization) = &f.organization {
            sql.push(" and c.organization = ")
                .push_bind(organization.clone());
        }
        if let Some(from) = f.days.from {
            sql.push(" and c.occurred_at >= ").push_bind(from);
        }
        if let Some(to) = f.days.to {
            sql.push(" and c.occurred_at < ").push_bind(to);
        }
        for (column, value) in [
            ("c.agent_id", &f.agent),
            ("c.campaign", &f.campaign),
            ("coalesce(r.state, 'created')", &f.state),
        ] {
            if let Some(value) = value {
                sql.push(format_args!(" and {column} = "))
                    .push_bind(value.clone());
            }
        }
        sql.push(") x");
        sql.push(agent_team_join("x"));
        sql.push(" where true");
        if let Some(team) = &f.team {
            sql.push(" and coalesce(tm.name, '(no team)') = ")
                .push_bind(team.clone());
        }
    }

    fn decode(r: &PgRow) -> Result<RecallRow, sqlx::Error> {
        let dial: Vec<Option<String>> = r.try_get("dial")?;
        let part = |i: usize| dial.get(i).cloned().flatten().unwrap_or_default();
        Ok(RecallRow {
            row_id: r.try_get("row_id")?,
            callback_id: r.try_get("callback_id")?,
            created_at: r.try_get("created_local")?,
            owner: r
                .try_get::<Option<String>, _>("agent_id")?
                .unwrap_or_default(),
            team: r.try_get("team")?,
            campaign: r.try_get("campaign")?,
            job_id: r.try_get("job_id")?,
            list: r.try_get("list_name")?,
            contact_id: r.try_get("user_contact_id")?,
            phone: r.try_get("phone")?,
            due_at: part(1),
            expires_at: r.try_get("expires_local")?,
            notes: r.try_get("notes")?,
            state: r.try_get::<String, _>("state")?.into(),
            fulfilled_by: r.try_get("fulfilled_by")?,
            handed_over: r.try_get("handed_over")?,
            dialled_at: part(0),
            lateness_seconds: part(2).parse().ok(),
        })
    }

    fn lines(row: RecallRow) -> Vec<RecallRow> {
        vec![row]
    }

    fn page_check(f: &Scoped) -> Result<(), AppError> {
        f.days.page_check()
    }
}

impl Summarised for Recalls {
    fn chart(_: &Scoped) -> Option<ChartQuery> {
        Some(ChartQuery {
            title: "Each owner's callbacks by outcome (share dialled on time)".into(),
            kind: ChartKind::StackedBars,
            unit: ChartUnit::Count,
            series: ["Fulfilled by the owner", "Handed over", "Expired", "Open or other"]
                .map(String::from)
                .to_vec(),
            limit: None,
            sql: format!(
                "select coalesce(agent_id, '(no owner)') || coalesce(' (' || round(100.0 * count(*) filter (where dial[3]::bigint <= {ON_TIME_GRACE_SECONDS}) \
                        / nullif(count(dial[3]), 0)) || ' % on time)', '') as label, \
                 array[count(*) filter (where state = 'completed' and not handed_over), \
                       count(*) filter (where state = 'completed' and handed_over), \
                       count(*) filter (where state = 'expired'), \
                       count(*) filter (where state not in ('completed', 'expired'))]::float8[] as values \
                 from matching group by agent_id order by agent_id limit 40"
            ),
        })
    }
}
