//! Audit log rows and the query that pages through them.

use serde::{Deserialize, Serialize};

use super::percent_encode;

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
}

/// Filters for the audit log. Dates are `YYYY-MM-DD` (whole days, UTC) or RFC 3339 instants.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub user: Option<String>,
    pub action: Option<String>,
    pub organization: Option<String>,
    pub sort: SortOrder,
    pub page: u32,
}

impl AuditQuery {
    /// Rows per page on the audit page.
    pub const PAGE_SIZE: u32 = 50;

    /// The query string that reproduces this query (used by links and the CSV export).
    pub fn to_query_string(&self, page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let fields = [
            ("from", &self.from),
            ("to", &self.to),
            ("user", &self.user),
            ("action", &self.action),
            ("organization", &self.organization),
        ];
        for (key, value) in fields {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                pairs.push((key, value.to_string()));
            }
        }
        if self.sort == SortOrder::Asc {
            pairs.push(("sort", "asc".into()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
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

/// One page of audit events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditEventRow>,
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
    /// Actions that exist in the visible log, for the filter's choices.
    pub actions: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_string_keeps_filters_and_escapes_values() {
        let query = AuditQuery {
            from: Some("2026-11-01".into()),
            user: Some("a b&c".into()),
            sort: SortOrder::Asc,
            ..AuditQuery::default()
        };
        assert_eq!(
            query.to_query_string(2),
            "from=2026-11-01&user=a%20b%26c&sort=asc&page=2"
        );
        assert_eq!(AuditQuery::default().to_query_string(1), "");
    }
}
