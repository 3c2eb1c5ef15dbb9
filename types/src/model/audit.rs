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
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub from: Option<String>,
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub to: Option<String>,
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<String>,
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub action: Option<String>,
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
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
        &[
            Column {
                key: "id",
                heading: "Id",
                cell: |r| r.id.to_string(),
                label: None,
            },
            Column {
                key: "occurred_at_utc",
                heading: "When (UTC)",
                cell: |r| r.occurred_at.clone(),
                label: None,
            },
            Column {
                key: "username",
                heading: "User",
                cell: |r| text(&r.username),
                label: None,
            },
            Column {
                key: "role",
                heading: "Role",
                cell: |r| text(&r.role),
                label: None,
            },
            Column {
                key: "organization",
                heading: "Organization",
                cell: |r| text(&r.organization),
                label: None,
            },
            Column {
                key: "action",
                heading: "Action",
                cell: |r| r.action.clone(),
                label: None,
            },
            Column {
                key: "target",
                heading: "Target",
                cell: |r| text(&r.target),
                label: None,
            },
            Column {
                key: "outcome",
                heading: "Outcome",
                cell: |r| r.outcome.clone(),
                label: None,
            },
            Column {
                key: "parameters",
                heading: "Parameters",
                cell: |r| r.parameters.clone(),
                label: None,
            },
            Column {
                key: "counts",
                heading: "Counts",
                cell: |r| text(&r.counts),
                label: None,
            },
            Column {
                key: "request_id",
                heading: "Request id",
                cell: |r| text(&r.request_id),
                label: None,
            },
            Column {
                key: "client_addr",
                heading: "Address",
                cell: |r| text(&r.client_addr),
                label: None,
            },
            Column {
                key: "user_agent",
                heading: "Browser",
                cell: |r| text(&r.user_agent),
                label: None,
            },
        ]
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
