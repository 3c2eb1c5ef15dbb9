//! The Account Not in Listing report: rows sent for dialling that never became contacts
//! (`not_listed`, filled when an upload's import ends and by external pre-processing steps
//! through `external`), newest first on its `(organization, recorded_at, row_id)` index; the
//! counts per list by stage as stacked bars.

pub mod external;

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use types::report::{ChartKind, ChartUnit};

use super::{local_time, organization, DetailDays, PAGE_DAYS};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AuditAction, NotListedFilters, NotListedRow, NotListedStage, Role};
use crate::report::{self, ChartQuery, Key, Report, Summarised};

/// The checked filters.
pub struct Scoped {
    zone: String,
    organization: Option<String>,
    days: DetailDays,
    list: Option<String>,
    batch: Option<String>,
    stage: Option<String>,
    search: Option<String>,
}

/// The Account Not in Listing report.
pub struct NotListed;

impl Report for NotListed {
    type Filters = NotListedFilters;
    type Scoped = Scoped;
    type Row = NotListedRow;
    type Line = NotListedRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("not_listed");
    const READ_ACTION: AuditAction = AuditAction::NotListedReport;
    const EXPORT_ACTION: AuditAction = AuditAction::NotListedExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "not-in-listing";
    const SHEET: &'static str = "Not in listing";
    const XLSX_NUMBERS: bool = false;
    const KEY: Key = Key {
        at: Some("recorded_at"),
        id: "row_id",
    };

    async fn scope(ctx: &Ctx, q: &NotListedFilters) -> Result<Scoped, AppError> {
        let zone = ctx.state.settings.call_data.time_zone.clone();
        // Uploads are occasional: without dates, the longest span a page may show.
        let days = DetailDays::parse(
            &zone,
            q.from.as_deref(),
            q.to.as_deref(),
            Some(PAGE_DAYS - 1),
        )?;
        let organization = organization(ctx, q.organization.as_deref())?;
        let stage = match &q.stage {
            Some(NotListedStage::Other(text)) => {
                return Err(AppError::validation(
                    "stage",
                    format!("“{text}” is not a stage."),
                ))
            }
            other => other.as_ref().map(|s| s.as_str().to_string()),
        };
        Ok(Scoped {
            zone,
            organization,
            days,
            list: q.list.clone(),
            batch: q.batch.clone(),
            stage,
            search: q.search.clone(),
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(format_args!(
            "select n.recorded_at, n.row_id, {at} as recorded_local, n.organization, \
                    n.list_name, n.contact_upload_id, n.batch, n.row_number, n.user_contact_id, \
                    n.phone, n.stage, n.category, n.reason \
               from not_listed n cross join (select ",
            at = local_time("n.recorded_at"),
        ));
        sql.push_bind(f.zone.clone())
            .push("::text as tz) z where true");
        if let Some(organization) = &f.organization {
            sql.push(" and n.organization = ")
                .push_bind(organization.clone());
        }
        if let Some(from) = f.days.from {
            sql.push(" and n.recorded_at >= ").push_bind(from);
        }
        if let Some(to) = f.days.to {
            sql.push(" and n.recorded_at < ").push_bind(to);
        }
        if let Some(stage) = &f.stage {
            sql.push(" and n.stage = ").push_bind(stage.clone());
        }
        report::push_contains(sql, "n.list_name", &f.list);
        report::push_contains(sql, "n.batch", &f.batch);
        if let Some(search) = &f.search {
            let pattern = format!("%{}%", report::like_escaped(search));
            sql.push(" and (n.phone ilike ")
                .push_bind(pattern.clone())
                .push(" or n.user_contact_id ilike ")
                .push_bind(pattern)
                .push(")");
        }
    }

    fn decode(r: &PgRow) -> Result<NotListedRow, sqlx::Error> {
        Ok(NotListedRow {
            row_id: r.try_get("row_id")?,
            recorded_at: r.try_get("recorded_local")?,
            organization: r.try_get("organization")?,
            list: r.try_get("list_name")?,
            upload_id: r.try_get("contact_upload_id")?,
            batch: r.try_get("batch")?,
            row_number: r.try_get("row_number")?,
            contact_id: r.try_get("user_contact_id")?,
            phone: r.try_get("phone")?,
            stage: r.try_get::<String, _>("stage")?.into(),
            category: r.try_get("category")?,
            reason: r.try_get("reason")?,
        })
    }

    fn lines(row: NotListedRow) -> Vec<NotListedRow> {
        vec![row]
    }

    fn page_check(f: &Scoped) -> Result<(), AppError> {
        f.days.page_check()
    }
}

impl Summarised for NotListed {
    fn chart(_: &Scoped) -> Option<ChartQuery> {
        let stages = NotListedStage::all();
        let counts: Vec<String> = stages
            .iter()
            .map(|s| format!("count(*) filter (where stage = '{}')", s.as_str()))
            .collect();
        Some(ChartQuery {
            title: "Rows not in their list, per list by stage".into(),
            kind: ChartKind::StackedBars,
            unit: ChartUnit::Count,
            series: stages.iter().map(|s| s.label().to_string()).collect(),
            limit: None,
            sql: format!(
                "select list_name as label, array[{}]::float8[] as values from matching \
                 group by list_name order by list_name limit 40",
                counts.join(", ")
            ),
        })
    }
}
