//! The DNC List report over the registry (`dnc_entry`): every address sent or learnt, with who,
//! when, from where (Manual: uploads and single entries; API; Dialer Kill List) and POM's outcome.
//! Admins see every organization; supervisors and managers (who read it without acting) their own.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use time::OffsetDateTime;

use crate::access::Ctx;
use crate::dates::{rfc3339, DateRange};
use crate::error::AppError;
use crate::model::{AuditAction, DncEntryRow, DncReportFilters, Role};
use crate::report::{self, Key, Report};

/// A checked report filter.
pub struct ReportFilter {
    organization: Option<String>,
    dates: DateRange,
    sources: Option<Vec<String>>,
    user: Option<String>,
    list: Option<String>,
    address: Option<String>,
}

/// The DNC List report.
pub struct DncReport;

impl Report for DncReport {
    type Filters = DncReportFilters;
    type Scoped = ReportFilter;
    type Row = DncEntryRow;
    type Line = DncEntryRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const ACCESS_KEY: Option<&'static str> = Some("dnc_list");
    const READ_ACTION: AuditAction = AuditAction::DncReport;
    const EXPORT_ACTION: AuditAction = AuditAction::DncReportExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "dnc-list-report";
    const SHEET: &'static str = "DNC list";
    const XLSX_NUMBERS: bool = false;
    const KEY: Key = Key {
        at: None,
        id: "dnc_entry_id",
    };

    async fn scope(ctx: &Ctx, q: &DncReportFilters) -> Result<ReportFilter, AppError> {
        let dates = DateRange::parse(q.from.as_deref(), q.to.as_deref())?;
        Ok(ReportFilter {
            // No organization filter on this page: supervisors and managers read their own.
            organization: report::organization(&ctx.user, None)?,
            dates,
            sources: q
                .source
                .as_ref()
                .map(|s| s.sources().iter().map(|s| s.as_str().to_string()).collect()),
            user: q.user.clone(),
            list: q.list.clone(),
            address: q.address.clone(),
        })
    }

    fn select(f: &ReportFilter, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(
            "select dnc_entry_id, address, action, source, list_name, organization, \
             requested_by_name, requested_at, file_name, file_sha256, state, confirmed_at, outcome, \
             expires_at, expiry_state from dnc_entry where true",
        );
        if let Some(organization) = &f.organization {
            sql.push(" and organization = ")
                .push_bind(organization.clone());
        }
        f.dates.push("requested_at", sql);
        if let Some(sources) = &f.sources {
            sql.push(" and source = any(")
                .push_bind(sources.clone())
                .push(")");
        }
        report::push_contains(sql, "requested_by_name", &f.user);
        report::push_contains(sql, "list_name", &f.list);
        report::push_contains(sql, "address", &f.address);
    }

    fn decode(r: &PgRow) -> Result<DncEntryRow, sqlx::Error> {
        let confirmed_at: Option<OffsetDateTime> = r.try_get("confirmed_at")?;
        Ok(DncEntryRow {
            entry_id: r.try_get("dnc_entry_id")?,
            address: r.try_get("address")?,
            action: r.try_get::<String, _>("action")?.into(),
            source: r.try_get::<String, _>("source")?.into(),
            list: r.try_get("list_name")?,
            organization: r.try_get("organization")?,
            requested_by: r.try_get("requested_by_name")?,
            requested_at: rfc3339(r.try_get("requested_at")?),
            file_name: r.try_get("file_name")?,
            file_sha256: r.try_get("file_sha256")?,
            state: r.try_get::<String, _>("state")?.into(),
            confirmed_at: confirmed_at.map(rfc3339),
            outcome: r.try_get("outcome")?,
            expires_at: r
                .try_get::<Option<OffsetDateTime>, _>("expires_at")?
                .map(rfc3339),
            expiry_state: r.try_get("expiry_state")?,
        })
    }

    fn lines(row: DncEntryRow) -> Vec<DncEntryRow> {
        vec![row]
    }
}
