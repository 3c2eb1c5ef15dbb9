//! The audit log as a report: who may see what (scope), filter parsing, and its one `select`.
//! Admins read everything, supervisors their organization, managers nothing.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use types::report::ReportRequest;

use crate::access::Ctx;
use crate::dates::DateRange;
use crate::error::AppError;
use crate::model::{
    AuditAction, AuditEventRow, AuditFilters, AuditReportPage, CurrentUser, Role, SortOrder,
};
use crate::report::{self, Key, Report};

/// A validated filter, ready for SQL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditFilter {
    pub dates: DateRange,
    pub user: Option<String>,
    pub action: Option<String>,
    pub organization: Option<String>,
    pub sort: SortOrder,
}

/// Checks the filters against what `user` may read: admins everything, supervisors their
/// organization (asking for another is refused), managers nothing.
pub fn parse_filter(query: &AuditFilters, user: &CurrentUser) -> Result<AuditFilter, AppError> {
    if !AuditLog::ROLES.contains(&user.role) {
        return Err(AppError::Forbidden);
    }
    let dates = DateRange::parse(query.from.as_deref(), query.to.as_deref())?;
    Ok(AuditFilter {
        dates,
        user: query.user.as_deref().map(str::to_lowercase),
        action: query.action.clone(),
        organization: report::organization(user, query.organization.as_deref())?,
        sort: query.sort,
    })
}

/// The audit log report.
pub struct AuditLog;

impl Report for AuditLog {
    type Filters = AuditFilters;
    type Scoped = AuditFilter;
    type Row = AuditEventRow;
    type Line = AuditEventRow;

    const ROLES: &'static [Role] = &[Role::Admin, Role::Supervisor];
    const EXPORT_ACTION: AuditAction = AuditAction::AuditExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "ocm-audit";
    const SHEET: &'static str = "Audit log";
    const XLSX_NUMBERS: bool = false; // Targets may be phone numbers (Excel: 4.477E+11).
    const KEY: Key = Key {
        at: Some("occurred_at"),
        id: "audit_event_id",
    };

    async fn scope(ctx: &Ctx, filters: &AuditFilters) -> Result<AuditFilter, AppError> {
        parse_filter(filters, &ctx.user)
    }

    fn select(f: &AuditFilter, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(
            "select audit_event_id, occurred_at, username, role, organization, action, target, \
             parameters, outcome, counts, request_id, client_addr, user_agent \
             from audit_event where true",
        );
        f.dates.push("occurred_at", sql);
        if let Some(user) = &f.user {
            sql.push(" and username = ").push_bind(user.clone());
        }
        if let Some(action) = &f.action {
            sql.push(" and action = ").push_bind(action.clone());
        }
        if let Some(organization) = &f.organization {
            sql.push(" and organization = ")
                .push_bind(organization.clone());
        }
    }

    fn decode(r: &PgRow) -> Result<AuditEventRow, sqlx::Error> {
        let occurred_at: OffsetDateTime = r.try_get("occurred_at")?;
        let parameters: serde_json::Value = r.try_get("parameters")?;
        let counts: Option<serde_json::Value> = r.try_get("counts")?;
        Ok(AuditEventRow {
            id: r.try_get("audit_event_id")?,
            occurred_at: occurred_at.format(&Rfc3339).unwrap_or_default(),
            username: r.try_get("username")?,
            role: r.try_get("role")?,
            organization: r.try_get("organization")?,
            action: r.try_get("action")?,
            target: r.try_get("target")?,
            parameters: parameters.to_string(),
            outcome: r.try_get("outcome")?,
            counts: counts.map(|c| c.to_string()),
            request_id: r.try_get("request_id")?,
            client_addr: r.try_get("client_addr")?,
            user_agent: r.try_get("user_agent")?,
        })
    }

    fn lines(row: AuditEventRow) -> Vec<AuditEventRow> {
        vec![row]
    }

    fn descending(f: &AuditFilter) -> bool {
        f.sort == SortOrder::Desc
    }
}

/// One page for the audit page, with the actions of the visible log to filter by.
pub async fn page(
    ctx: &Ctx,
    request: &ReportRequest<AuditFilters>,
) -> Result<AuditReportPage, AppError> {
    let page = report::page::<AuditLog>(ctx, request).await?;
    let organization = parse_filter(&AuditFilters::default(), &ctx.user)?.organization;
    let actions = sqlx::query_scalar!(
        r#"
        select distinct action from audit_event
        where ($1::text is null or organization = $1)
        order by action
        "#,
        organization,
    )
    .fetch_all(&ctx.state.pool)
    .await?;
    Ok(AuditReportPage { page, actions })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::report::filters::test_user as user;

    #[test]
    fn dates_are_the_kits_range() {
        let query = AuditFilters {
            from: Some("2026-11-02".into()),
            to: Some("2026-11-01".into()),
            ..AuditFilters::default()
        };
        let error = parse_filter(&query, &user(Role::Admin)).unwrap_err();
        assert!(
            matches!(error, AppError::Validation { ref field, .. } if field == "to"),
            "{error:?}"
        );
    }

    #[test]
    fn supervisors_are_pinned_to_their_organization_and_refused_another() {
        let supervisor = user(Role::Supervisor);
        let filter = parse_filter(&AuditFilters::default(), &supervisor).unwrap();
        assert_eq!(filter.organization.as_deref(), Some("Sales"));
        let other = AuditFilters {
            organization: Some("Collections".into()),
            ..AuditFilters::default()
        };
        assert_eq!(parse_filter(&other, &supervisor), Err(AppError::Forbidden));
        let admin = parse_filter(&other, &user(Role::Admin)).unwrap();
        assert_eq!(admin.organization.as_deref(), Some("Collections"));
        assert_eq!(
            parse_filter(&AuditFilters::default(), &user(Role::Manager)),
            Err(AppError::Forbidden)
        );
    }
}
