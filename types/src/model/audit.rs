//! The audit log report: its filters (in the URL), its row and columns, and its page.

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, Column, Page, ReportRow, UrlQuery};

/// Newest first (the default) or oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Desc,
    Asc,
}

impl SortOrder {
    /// Parses the query-string form; anything unknown is newest first.
    pub fn parse(value: &str) -> SortOrder {
        if value == "asc" {
            SortOrder::Asc
        } else {
            SortOrder::Desc
        }
    }

    /// The query-string form.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Desc => "desc",
            SortOrder::Asc => "asc",
        }
    }

    fn is_default(&self) -> bool {
        *self == SortOrder::Desc
    }
}

/// Filters of the audit log. Dates are `YYYY-MM-DD` (whole days, UTC) or RFC 3339 instants.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub user: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub action: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(
        deserialize_with = "sort_or_default",
        skip_serializing_if = "SortOrder::is_default"
    )]
    pub sort: SortOrder,
}

impl UrlQuery for AuditFilters {}

/// A hand-edited `sort=` is newest first rather than a broken page.
fn sort_or_default<'de, D: serde::Deserializer<'de>>(d: D) -> Result<SortOrder, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    Ok(SortOrder::parse(text.as_deref().unwrap_or_default()))
}

/// One audit event as displayed and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEventRow {
    pub id: i64,
    /// RFC 3339, UTC.
    pub occurred_at: String,
    pub username: Option<String>,
    pub role: Option<String>,
    pub organization: Option<String>,
    pub action: String,
    pub target: Option<String>,
    /// JSON text of the parameters.
    pub parameters: String,
    pub outcome: String,
    pub counts: Option<String>,
    pub request_id: Option<String>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

impl ReportRow for AuditEventRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::new("id", "Id", |r| r.id.to_string()),
                Column::new("occurred_at_utc", "When (UTC)", |r| r.occurred_at.clone()),
                Column::new("username", "User", |r| text(&r.username)),
                Column::new("role", "Role", |r| text(&r.role)),
                Column::new("organization", "Organization", |r| text(&r.organization)),
                Column::new("action", "Action", |r| r.action.clone()),
                Column::new("target", "Target", |r| text(&r.target)),
                Column::new("outcome", "Outcome", |r| r.outcome.clone()),
                Column::new("parameters", "Parameters", |r| r.parameters.clone()),
                Column::new("counts", "Counts", |r| text(&r.counts)),
                Column::new("request_id", "Request id", |r| text(&r.request_id)),
                Column::new("client_addr", "Address", |r| text(&r.client_addr)),
                Column::new("user_agent", "Browser", |r| text(&r.user_agent)),
            ]
        }
    }
}

/// A page of the audit log, with the actions the visible log holds (the action filter's choices).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditReportPage {
    #[serde(flatten)]
    pub page: Page<AuditEventRow>,
    pub actions: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_and_the_default_sort_stays_out_of_the_url() {
        let filters = AuditFilters {
            from: Some("2026-11-01".into()),
            user: Some("a b&c".into()),
            sort: SortOrder::Asc,
            ..AuditFilters::default()
        };
        let query = filters.to_query_string();
        assert_eq!(query, "from=2026-11-01&user=a+b%26c&sort=asc");
        assert_eq!(AuditFilters::from_query_string(&query), filters);
        assert_eq!(AuditFilters::default().to_query_string(), "");
        assert_eq!(
            AuditFilters::from_query_string("sort=sideways&user=x")
                .user
                .as_deref(),
            Some("x")
        );
    }
}

/// Which months of the audit log are online and which are archived (the audit page's note).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditRetention {
    /// The oldest month still in the database, `YYYY-MM`.
    pub oldest_online: Option<String>,
    /// Months kept online (`OCM_AUDIT_ONLINE_MONTHS`).
    pub online_months: u32,
    /// Archived months, newest first.
    pub archived: Vec<ArchivedMonth>,
}

/// One archived month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Records in the archive: shown to admins only (they span every organization).
    pub records: Option<i64>,
    /// Loaded back for an investigation: searchable on the page until archived again.
    pub restored: bool,
    /// The archive's retention ended and its file was deleted.
    pub deleted: bool,
}
