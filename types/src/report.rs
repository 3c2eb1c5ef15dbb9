//! The report kit's shared half (browser and server): a page of rows with its total and keyset
//! cursors, the columns a report shows (one list for the HTML table, CSV and XLSX), and filter
//! queries that round-trip through the URL as an HTML form sends them.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// One page of a report: its rows, how many match (when the report counts them), and the cursors
/// that continue forwards or backwards (`None`: nothing more that way).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<R> {
    pub rows: Vec<R>,
    /// Rows matching the filters, from the same query as the rows; `None` for reports that only
    /// say whether there is more.
    pub total: Option<i64>,
    /// Position of the first row (1-based) for "Showing 51–100 of 1,234".
    pub first: i64,
    pub page_size: u32,
    /// Opaque cursor for the next page (`after=`).
    pub next: Option<String>,
    /// Opaque cursor for the previous page (`before=`).
    pub previous: Option<String>,
}

impl<R> Page<R> {
    /// A page with no rows (nothing matched).
    pub fn empty(page_size: u32) -> Self {
        Page {
            rows: Vec::new(),
            total: Some(0),
            first: 0,
            page_size,
            next: None,
            previous: None,
        }
    }
}

/// Where a report page starts: after or before a row's cursor, at `offset` rows from the start
/// (shown as the first row's position). Carried in the URL beside the filters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Position {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Rows before this page (so the pager can say "Showing 51–100").
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped: i64,
}

fn is_zero(value: &i64) -> bool {
    *value == 0
}

/// A report's filters plus its position: what the page URL, the server function and the export
/// link all carry. `Q` is the report's own filter struct (`#[serde(default)]`, every field
/// optional, empty values skipped, `impl UrlQuery`). In a URL both halves share one flat query
/// string (read twice rather than with `#[serde(flatten)]`, which cannot read repeated keys).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReportRequest<Q> {
    pub filters: Q,
    pub position: Position,
}

impl<Q: UrlQuery> ReportRequest<Q> {
    /// The same filters at the first page (what "Apply", exports and totals use).
    pub fn first_page(&self) -> Self
    where
        Q: Clone,
    {
        ReportRequest {
            filters: self.filters.clone(),
            position: Position::default(),
        }
    }
}

impl<Q: UrlQuery> UrlQuery for ReportRequest<Q> {
    fn from_query_string(query: &str) -> Self {
        ReportRequest {
            filters: Q::from_query_string(query),
            position: Position::from_query_string(query),
        }
    }

    fn to_query_string(&self) -> String {
        let filters = self.filters.to_query_string();
        let position = self.position.to_query_string();
        match (filters.is_empty(), position.is_empty()) {
            (_, true) => filters,
            (true, false) => position,
            (false, false) => format!("{filters}&{position}"),
        }
    }
}

impl UrlQuery for Position {}

/// Filter queries read from and written to URLs (`from=2026-11-01&state=sent&state=failed`).
/// Implement it (no methods needed) for each report's filter struct.
pub trait UrlQuery: Serialize + DeserializeOwned + Default {
    /// Reads a query string (without `?`); unknown or malformed fields fall back to defaults,
    /// as a hand-edited bookmark should not break the page.
    fn from_query_string(query: &str) -> Self {
        serde_html_form::from_str(query).unwrap_or_default()
    }

    /// The query string that reproduces this value (empty fields left out).
    fn to_query_string(&self) -> String {
        serde_html_form::to_string(self).unwrap_or_default()
    }
}

/// Serde helper for filter fields: an empty string in the URL (an untouched form field) is "no
/// filter". Use as `#[serde(default, deserialize_with = "crate::report::empty_as_none", skip_serializing_if = "Option::is_none")]`.
pub fn empty_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
{
    let text: Option<String> = Option::deserialize(deserializer)?;
    Ok(text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .and_then(|t| t.parse().ok()))
}

/// One column of a report: its key (CSV header and sort key), its heading for people, and its
/// cell as text. The HTML table, the CSV and the XLSX all come from the same list, so they can
/// never disagree; the page may render a column richer (a badge, a link) by its key.
pub struct Column<R> {
    pub key: &'static str,
    pub heading: &'static str,
    pub cell: fn(&R) -> String,
}

/// A report's row type knows its columns.
pub trait ReportRow: Sized {
    fn columns() -> &'static [Column<Self>];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Filters {
        #[serde(
            deserialize_with = "empty_as_none",
            skip_serializing_if = "Option::is_none"
        )]
        user: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        state: Vec<String>,
    }

    impl UrlQuery for Filters {}

    #[test]
    fn filters_round_trip_through_the_url_with_repeated_keys() {
        let request = ReportRequest {
            filters: Filters {
                user: Some("sam lee".into()),
                state: vec!["sent".into(), "failed".into()],
            },
            position: Position {
                after: Some("abc".into()),
                before: None,
                skipped: 50,
            },
        };
        let query = request.to_query_string();
        assert_eq!(
            query,
            "user=sam+lee&state=sent&state=failed&after=abc&skipped=50"
        );
        assert_eq!(ReportRequest::<Filters>::from_query_string(&query), request);
    }

    #[test]
    fn empty_form_fields_are_no_filter_and_garbage_is_the_default() {
        let read = ReportRequest::<Filters>::from_query_string("user=&skipped=x");
        assert_eq!(read, ReportRequest::default());
        let read = Filters::from_query_string("user=++");
        assert_eq!(read.user, None);
    }
}
