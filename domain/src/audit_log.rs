//! Reading the audit log: who may see what (scope), filter parsing, pages for the audit page and
//! keyset-paged batches for the CSV export.

use sqlx::PgPool;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time};

use crate::error::AppError;
use crate::model::{AuditEventRow, AuditPage, AuditQuery, CurrentUser, Role, SortOrder};

/// What part of the log a user may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditScope {
    All,
    Organization(String),
}

/// Admins read everything, supervisors their organization, managers nothing.
pub fn scope_for(user: &CurrentUser) -> Result<AuditScope, AppError> {
    match user.role {
        Role::Admin => Ok(AuditScope::All),
        Role::Supervisor => Ok(AuditScope::Organization(user.organization.clone())),
        Role::Manager => Err(AppError::Forbidden),
    }
}

/// A validated filter, ready for SQL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditFilter {
    pub from: Option<OffsetDateTime>,
    pub to_exclusive: Option<OffsetDateTime>,
    pub user: Option<String>,
    pub action: Option<String>,
    pub organization: Option<String>,
    pub sort: SortOrder,
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// Parses `YYYY-MM-DD` (a whole UTC day) or an RFC 3339 instant. `end_of_day` moves a bare date
/// to the start of the next day, so "to 2026-11-20" includes all of the 20th.
fn parse_instant(field: &str, value: &str, end_of_day: bool) -> Result<OffsetDateTime, AppError> {
    if let Ok(instant) = OffsetDateTime::parse(value, &Rfc3339) {
        return Ok(instant);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = Date::parse(value, format).map_err(|_| {
        AppError::validation(field, format!("'{value}' is not a date; use YYYY-MM-DD"))
    })?;
    let date = if end_of_day {
        date.next_day()
            .ok_or_else(|| AppError::validation(field, "the date is out of range"))?
    } else {
        date
    };
    Ok(date.with_time(Time::MIDNIGHT).assume_utc())
}

/// Checks a query against the user's scope and turns it into a filter.
pub fn parse_filter(query: &AuditQuery, scope: &AuditScope) -> Result<AuditFilter, AppError> {
    let from = non_empty(&query.from)
        .map(|v| parse_instant("from", &v, false))
        .transpose()?;
    let to_exclusive = non_empty(&query.to)
        .map(|v| parse_instant("to", &v, true))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to_exclusive) {
        if to <= from {
            return Err(AppError::validation("to", "the end is before the start"));
        }
    }
    let requested_org = non_empty(&query.organization);
    let organization = match scope {
        AuditScope::All => requested_org,
        AuditScope::Organization(own) => {
            if requested_org.as_ref().is_some_and(|r| r != own) {
                return Err(AppError::Forbidden);
            }
            Some(own.clone())
        }
    };
    Ok(AuditFilter {
        from,
        to_exclusive,
        user: non_empty(&query.user).map(|u| u.to_lowercase()),
        action: non_empty(&query.action),
        organization,
        sort: query.sort,
    })
}

/// Where a keyset batch continues from: the last row's time and id.
pub type Cursor = (OffsetDateTime, i64);

macro_rules! fetch_rows {
    ($pool:expr, $filter:expr, $after:expr, $offset:expr, $limit:expr, $cmp:literal, $dir:literal) => {{
        let (after_time, after_id) = match $after {
            Some((time, id)) => (Some(time), id),
            None => (None, 0),
        };
        sqlx::query!(
            r#"
            select audit_event_id, occurred_at, username, role, organization, action, target,
                   parameters, outcome, counts, request_id, client_addr, user_agent
            from audit_event
            where ($1::timestamptz is null or occurred_at >= $1)
              and ($2::timestamptz is null or occurred_at < $2)
              and ($3::text is null or username = $3)
              and ($4::text is null or action = $4)
              and ($5::text is null or organization = $5)
              and ($6::timestamptz is null or (occurred_at, audit_event_id) "#
                + $cmp
                + r#" ($6, $7))
            order by occurred_at "#
                + $dir
                + r#", audit_event_id "#
                + $dir
                + r#"
            offset $8 limit $9
            "#,
            $filter.from,
            $filter.to_exclusive,
            $filter.user,
            $filter.action,
            $filter.organization,
            after_time,
            after_id,
            $offset,
            $limit,
        )
        .fetch_all($pool)
        .await?
        .into_iter()
        .map(|r| {
            (
                (r.occurred_at, r.audit_event_id),
                AuditEventRow {
                    id: r.audit_event_id,
                    occurred_at: r.occurred_at.format(&Rfc3339).unwrap_or_default(),
                    username: r.username,
                    role: r.role,
                    organization: r.organization,
                    action: r.action,
                    target: r.target,
                    parameters: r.parameters.to_string(),
                    outcome: r.outcome,
                    counts: r.counts.map(|c| c.to_string()),
                    request_id: r.request_id,
                    client_addr: r.client_addr,
                    user_agent: r.user_agent,
                },
            )
        })
        .collect::<Vec<_>>()
    }};
}

async fn fetch(
    pool: &PgPool,
    filter: &AuditFilter,
    after: Option<Cursor>,
    offset: i64,
    limit: i64,
) -> Result<Vec<(Cursor, AuditEventRow)>, sqlx::Error> {
    Ok(match filter.sort {
        SortOrder::Desc => fetch_rows!(pool, filter, after, offset, limit, "<", "desc"),
        SortOrder::Asc => fetch_rows!(pool, filter, after, offset, limit, ">", "asc"),
    })
}

/// One page for the audit page, with the total and the actions to filter by.
pub async fn list(
    pool: &PgPool,
    filter: &AuditFilter,
    page: u32,
) -> Result<AuditPage, sqlx::Error> {
    let page = page.max(1);
    let page_size = AuditQuery::PAGE_SIZE;
    let offset = i64::from(page - 1) * i64::from(page_size);
    let rows = fetch(pool, filter, None, offset, i64::from(page_size))
        .await?
        .into_iter()
        .map(|(_, row)| row)
        .collect();
    let total = sqlx::query_scalar!(
        r#"
        select count(*) as "count!" from audit_event
        where ($1::timestamptz is null or occurred_at >= $1)
          and ($2::timestamptz is null or occurred_at < $2)
          and ($3::text is null or username = $3)
          and ($4::text is null or action = $4)
          and ($5::text is null or organization = $5)
        "#,
        filter.from,
        filter.to_exclusive,
        filter.user,
        filter.action,
        filter.organization,
    )
    .fetch_one(pool)
    .await?;
    let actions = sqlx::query_scalar!(
        r#"
        select distinct action from audit_event
        where ($1::text is null or organization = $1)
        order by action
        "#,
        filter.organization,
    )
    .fetch_all(pool)
    .await?;
    Ok(AuditPage {
        rows,
        total,
        page,
        page_size,
        actions,
    })
}

/// The next batch of at most `limit` rows after `after`, for streaming exports.
pub async fn batch(
    pool: &PgPool,
    filter: &AuditFilter,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<(Cursor, AuditEventRow)>, sqlx::Error> {
    fetch(pool, filter, after, 0, limit).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: &str, to: &str) -> AuditQuery {
        AuditQuery {
            from: Some(from.into()),
            to: Some(to.into()),
            ..AuditQuery::default()
        }
    }

    #[test]
    fn whole_days_include_the_last_day() {
        let filter = parse_filter(&query("2026-11-01", "2026-11-01"), &AuditScope::All).unwrap();
        let day = time::Duration::days(1);
        assert_eq!(filter.to_exclusive.unwrap() - filter.from.unwrap(), day);
    }

    #[test]
    fn bad_dates_name_the_field() {
        let error = parse_filter(&query("2026-13-01", ""), &AuditScope::All).unwrap_err();
        assert!(
            matches!(error, AppError::Validation { ref field, .. } if field == "from"),
            "{error:?}"
        );
        let error = parse_filter(&query("2026-11-02", "2026-11-01"), &AuditScope::All).unwrap_err();
        assert!(
            matches!(error, AppError::Validation { ref field, .. } if field == "to"),
            "{error:?}"
        );
    }

    #[test]
    fn supervisors_are_pinned_to_their_organization() {
        let scope = AuditScope::Organization("Sales".into());
        let filter = parse_filter(&AuditQuery::default(), &scope).unwrap();
        assert_eq!(filter.organization.as_deref(), Some("Sales"));
        let other = AuditQuery {
            organization: Some("Collections".into()),
            ..AuditQuery::default()
        };
        assert_eq!(parse_filter(&other, &scope), Err(AppError::Forbidden));
    }
}
