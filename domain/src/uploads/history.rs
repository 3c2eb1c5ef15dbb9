//! The upload history as a report (seed 001's `Outbound_ManualUploadUtility`): uploads of the
//! user's organizations filtered by organization, list, state and day, newest first. Every role
//! reads it (supervisors and managers their own organization's); only admins upload.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use time::OffsetDateTime;

use crate::access::Ctx;
use crate::dates::{rfc3339, DateRange};
use crate::error::AppError;
use crate::model::{AuditAction, Role, UploadHistoryFilters, UploadHistoryRow};
use crate::organizations;
use crate::report::{self, Key, Report};

/// A checked history filter: the organizations the caller may see (and asked for).
pub struct HistoryFilter {
    organizations: Vec<String>,
    list: Option<String>,
    /// Any of these states (none: every state).
    states: Vec<String>,
    dates: DateRange,
}

/// The upload history report.
pub struct UploadHistory;

impl Report for UploadHistory {
    type Filters = UploadHistoryFilters;
    type Scoped = HistoryFilter;
    type Row = UploadHistoryRow;
    type Line = UploadHistoryRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const EXPORT_ACTION: AuditAction = AuditAction::UploadHistoryExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "uploads-history";
    const SHEET: &'static str = "Uploads";
    const KEY: Key = Key {
        at: Some("created_at"),
        id: "contact_upload_id",
    };

    async fn scope(ctx: &Ctx, q: &UploadHistoryFilters) -> Result<HistoryFilter, AppError> {
        let dates = DateRange::parse(q.from.as_deref(), q.to.as_deref())?;
        // Another organization than one's own shows nothing rather than an error.
        let organizations = match report::organization(&ctx.user, q.organization.as_deref()) {
            Ok(Some(one)) => vec![one],
            Ok(None) => organizations::all(&ctx.state.pool).await?,
            Err(AppError::Forbidden) => Vec::new(),
            Err(error) => return Err(error),
        };
        Ok(HistoryFilter {
            organizations,
            list: q.list_name.clone(),
            states: q.state.iter().map(|s| s.as_str().to_string()).collect(),
            dates,
        })
    }

    fn select(f: &HistoryFilter, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(
            "select contact_upload_id, created_at, created_by_name, organization, list_name, \
             data_source, file_name, rows_read, rows_sent, rows_rejected, state, import_job_id, \
             pom_state, (pom_counters->>'success')::bigint + (pom_counters->>'update')::bigint \
             as imported, missing_count, finished_at from contact_upload where organization = any(",
        );
        sql.push_bind(f.organizations.clone()).push(")");
        if let Some(list) = &f.list {
            sql.push(" and list_name = ").push_bind(list.clone());
        }
        if !f.states.is_empty() {
            sql.push(" and state = any(")
                .push_bind(f.states.clone())
                .push(")");
        }
        f.dates.push("created_at", sql);
    }

    fn decode(r: &PgRow) -> Result<UploadHistoryRow, sqlx::Error> {
        let finished_at: Option<OffsetDateTime> = r.try_get("finished_at")?;
        Ok(UploadHistoryRow {
            upload_id: r.try_get("contact_upload_id")?,
            created_at: rfc3339(r.try_get("created_at")?),
            created_by: r.try_get("created_by_name")?,
            organization: r.try_get("organization")?,
            list_name: r.try_get("list_name")?,
            data_source: r.try_get("data_source")?,
            file_name: r.try_get("file_name")?,
            rows_read: r.try_get("rows_read")?,
            rows_sent: r.try_get("rows_sent")?,
            rows_rejected: r.try_get("rows_rejected")?,
            state: r.try_get::<String, _>("state")?.into(),
            import_job_id: r.try_get("import_job_id")?,
            pom_state: r.try_get("pom_state")?,
            imported: r.try_get("imported")?,
            missing_count: r.try_get("missing_count")?,
            finished_at: finished_at.map(rfc3339),
        })
    }

    fn lines(row: UploadHistoryRow) -> Vec<UploadHistoryRow> {
        vec![row]
    }
}
