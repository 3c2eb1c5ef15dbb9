//! The Inbound Abandoned report: inbound calls the caller gave up on (`inbound_call` not
//! answered), newest first on a partial index, each with the contact OCM's call data knows at the caller's number
//! (the organization's latest attempt to it) and the organization's first call to that number
//! after the abandon, on the `(organization, address, attempt_at)` index; abandons per hour.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::{local_time, organization, DetailDays};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AuditAction, InboundAbandonRow, InboundFilters, Role};
use crate::report::{ChartQuery, Key, Report, Summarised};

/// The checked filters.
pub struct Scoped {
    zone: String,
    organization: Option<String>,
    days: DetailDays,
    queue: Option<String>,
    min_wait: Option<i32>,
}

/// The Inbound Abandoned report.
pub struct InboundAbandoned;

impl Report for InboundAbandoned {
    type Filters = InboundFilters;
    type Scoped = Scoped;
    type Row = InboundAbandonRow;
    type Line = InboundAbandonRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("inbound_abandoned");
    const READ_ACTION: AuditAction = AuditAction::InboundAbandonReport;
    const EXPORT_ACTION: AuditAction = AuditAction::InboundAbandonExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "inbound-abandoned";
    const SHEET: &'static str = "Inbound abandoned";
    const XLSX_NUMBERS: bool = false;
    const KEY: Key = Key {
        at: Some("occurred_at"),
        id: "row_id",
    };

    async fn scope(ctx: &Ctx, q: &InboundFilters) -> Result<Scoped, AppError> {
        let zone = ctx.state.settings.call_data.time_zone.clone();
        let days = DetailDays::parse(&zone, q.from.as_deref(), q.to.as_deref(), Some(6))?;
        let organization = organization(ctx, q.organization.as_deref())?;
        let min_wait = q
            .min_wait
            .as_deref()
            .map(|w| {
                w.trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|w| *w >= 0)
                    .ok_or_else(|| {
                        AppError::validation(
                            "min_wait",
                            format!("“{w}” is not a number of seconds."),
                        )
                    })
            })
            .transpose()?;
        Ok(Scoped {
            zone,
            organization,
            days,
            queue: q.queue.clone(),
            min_wait,
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        // Scalar subqueries rather than lateral joins: the total's count(*) leaves them out, and
        // a page computes them for its own rows only.
        sql.push(format_args!(
            "select c.occurred_at, c.row_id, c.call_id, {arrived} as arrived_local, \
                    {abandoned} as abandoned_local, c.wait_seconds, c.organization, c.queue, \
                    coalesce(c.caller, '') as caller, \
                    extract(hour from c.occurred_at at time zone tz)::int as hour, \
                    (select array[a.list_name, a.user_contact_id, coalesce(a.contact->>'ACCOUNT_NO', '')] \
                       from call_attempt a \
                      where a.organization = c.organization and a.address = c.caller \
                      order by a.attempt_at desc limit 1) as matched, \
                    (select array[{called_back}, a.result] from call_attempt a \
                      where a.organization = c.organization and a.address = c.caller \
                        and a.attempt_at >= c.ended_at \
                      order by a.attempt_at limit 1) as called_back \
               from inbound_call c cross join (select ",
            arrived = local_time("c.occurred_at"),
            abandoned = local_time("c.ended_at"),
            called_back = local_time("a.attempt_at"),
        ));
        sql.push_bind(f.zone.clone())
            .push("::text as tz) z where not c.answered");
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
        if let Some(queue) = &f.queue {
            sql.push(" and c.queue = ").push_bind(queue.clone());
        }
        if let Some(wait) = f.min_wait {
            sql.push(" and c.wait_seconds >= ").push_bind(wait);
        }
    }

    fn decode(r: &PgRow) -> Result<InboundAbandonRow, sqlx::Error> {
        let texts = |column: &str| -> Result<Vec<String>, sqlx::Error> {
            Ok(r.try_get::<Option<Vec<String>>, _>(column)?
                .unwrap_or_default())
        };
        let (matched, back) = (texts("matched")?, texts("called_back")?);
        let part = |values: &[String], i: usize| values.get(i).cloned().unwrap_or_default();
        Ok(InboundAbandonRow {
            row_id: r.try_get("row_id")?,
            call_id: r.try_get("call_id")?,
            arrived_at: r.try_get("arrived_local")?,
            abandoned_at: r.try_get("abandoned_local")?,
            wait_seconds: i64::from(r.try_get::<i32, _>("wait_seconds")?),
            organization: r.try_get("organization")?,
            queue: r.try_get("queue")?,
            caller: r.try_get("caller")?,
            matched_list: part(&matched, 0),
            matched_contact: part(&matched, 1),
            matched_account: part(&matched, 2),
            called_back_at: part(&back, 0),
            called_back_result: part(&back, 1),
        })
    }

    fn lines(row: InboundAbandonRow) -> Vec<InboundAbandonRow> {
        vec![row]
    }

    fn page_check(f: &Scoped) -> Result<(), AppError> {
        f.days.page_check()
    }
}

impl Summarised for InboundAbandoned {
    fn chart(_: &Scoped) -> Option<ChartQuery> {
        Some(ChartQuery {
            title: "Abandoned calls per hour of arrival".into(),
            kind: ChartKind::Bars,
            unit: ChartUnit::Count,
            series: vec!["Abandoned".into()],
            limit: None,
            sql: "select lpad(h::text, 2, '0') || ':00' as label, \
                  array[count(m.row_id)::float8] as values \
                  from generate_series(0, 23) h left join matching m on m.hour = h \
                  group by h order by h"
                .into(),
        })
    }
}
