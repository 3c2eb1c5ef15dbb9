//! The report kit's shared half (browser and server): a page of rows with its total and keyset
//! cursors, the columns a report shows (one list for the HTML table, CSV and XLSX), and filter
//! queries that round-trip through the URL as an HTML form sends them.

mod figures;
mod sort;

pub use figures::{Chart, ChartKind, ChartPoint, ChartUnit, Metric, ReportAnswer};
pub use sort::{ColumnSort, Sort};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The field a refusal names when only the page is refused and the export would still give the
/// filtered rows (a detail report's range too long to page through): the form keeps its exports.
pub const PAGE_ONLY_FIELD: &str = "range";

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

// Positions are counts a URL may have set to anything, so their arithmetic saturates rather than
// overflowing (a panic in debug builds, negative positions in release).
impl<R> Page<R> {
    /// Rows before this page.
    fn before(&self) -> i64 {
        self.first.saturating_sub(1).max(0)
    }

    /// Where the next page starts (`None` on the last page).
    pub fn next_position(&self) -> Option<Position> {
        let shown = i64::try_from(self.rows.len()).unwrap_or(i64::MAX);
        self.next.as_ref().map(|after| Position {
            after: Some(after.clone()),
            before: None,
            skipped: self.before().saturating_add(shown),
        })
    }

    /// Where the previous page starts (`None` on the first page).
    pub fn previous_position(&self) -> Option<Position> {
        self.previous.as_ref().map(|before| Position {
            after: None,
            before: Some(before.clone()),
            skipped: self
                .before()
                .saturating_sub(i64::from(self.page_size))
                .max(0),
        })
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
#[serde(default)]
pub struct ReportRequest<Q: Default> {
    pub filters: Q,
    pub position: Position,
    pub sort: Sort,
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
            sort: self.sort.clone(),
        }
    }
}

impl<Q: UrlQuery> UrlQuery for ReportRequest<Q> {
    fn from_query_string(query: &str) -> Self {
        ReportRequest {
            filters: Q::from_query_string(query),
            position: Position::from_query_string(query),
            sort: Sort::from_query_string(query),
        }
    }

    fn to_query_string(&self) -> String {
        let parts = [
            self.filters.to_query_string(),
            self.sort.to_query_string(),
            self.position.to_query_string(),
        ];
        let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        parts.join("&")
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
/// filter". Use as `#[serde(deserialize_with = "empty_as_none")]` on a `#[serde(default)]`
/// struct (a `None` is left out of a URL without `skip_serializing_if`).
/// Reads the value as a URL carries it (text) or as JSON does (`"list_id": 42`); a value that does
/// not parse is no filter.
pub fn empty_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
{
    let text = deserializer.deserialize_option(ScalarText)?;
    Ok(text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .and_then(|t| t.parse().ok()))
}

/// Serde helper for multi-select filters: every value that reads as a `T`, in order; empty and
/// unknown values are left out (a hand-edited URL narrows nothing rather than failing). Use as
/// `#[serde(default, deserialize_with = "crate::report::known_values", skip_serializing_if = "Vec::is_empty")]`.
pub fn known_values<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
{
    let texts = Vec::<String>::deserialize(deserializer)?;
    Ok(texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .filter_map(|t| t.parse().ok())
        .collect())
}

/// Any scalar (text, number, boolean) as text; `null` as none.
struct ScalarText;

impl<'de> serde::de::Visitor<'de> for ScalarText {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("text, a number or nothing")
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ScalarText)
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }
}

/// One column of a report: its key (CSV header and sort key), its heading for people, and its
/// cell as text. The HTML table, the CSV and the XLSX all come from the same list, so they can
/// never disagree; the page may render a column richer (a badge, a link) by its key.
pub struct Column<R> {
    pub key: &'static str,
    pub heading: &'static str,
    /// The stored value, as systems read it (CSV).
    pub cell: fn(&R) -> String,
    /// Words for people where they differ from the stored value (`add` is "Add"): the workbook
    /// uses them; `None` when the cell already reads well.
    pub label: Option<fn(&R) -> String>,
    /// What the workbook makes of the cell.
    pub kind: CellKind,
    /// Whether people may sort the report by this column.
    pub sort: ColumnSort,
}

/// What a workbook cell is: decided by the report's rule ([`CellKind::Auto`]), or by the column
/// (phone numbers and ids always text, counts numbers, times real dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Numbers become numbers where the report's workbook takes numbers at all.
    Auto,
    /// Always text (phone numbers keep `+` and leading zeros).
    Text,
    /// A number when it reads as one.
    Number,
    /// `YYYY-MM-DD HH:MM:SS` becomes an Excel date and time.
    DateTime,
}

impl<R> Column<R> {
    /// A column whose cell reads the same for systems and people.
    pub const fn new(key: &'static str, heading: &'static str, cell: fn(&R) -> String) -> Self {
        Column {
            key,
            heading,
            cell,
            label: None,
            kind: CellKind::Auto,
            sort: ColumnSort::Report,
        }
    }

    /// The same column, the time of the report's keyset index (sorting turns the order round).
    pub const fn key_sort(self) -> Self {
        Column {
            sort: ColumnSort::Key,
            ..self
        }
    }

    /// The same column, always text in workbooks.
    pub const fn text(self) -> Self {
        Column {
            kind: CellKind::Text,
            ..self
        }
    }

    /// The same column, a number in workbooks.
    pub const fn number(self) -> Self {
        Column {
            kind: CellKind::Number,
            ..self
        }
    }

    /// The same column, a date and time in workbooks.
    pub const fn date_time(self) -> Self {
        Column {
            kind: CellKind::DateTime,
            ..self
        }
    }

    /// The same column with other words for people than its stored value (`add` is "Add").
    pub const fn for_people_as(self, label: fn(&R) -> String) -> Self {
        Column {
            label: Some(label),
            ..self
        }
    }

    /// The cell for people: the label when the column has one, else the cell.
    pub fn for_people(&self, row: &R) -> String {
        self.label.unwrap_or(self.cell)(row)
    }
}

/// A report's row type knows its columns.
pub trait ReportRow: Sized {
    /// Whether every column sorts the report by its value: the summary reports (their query
    /// outputs each column under its key, or the report says how in `SORT_SQL`).
    const SORTABLE: bool = false;

    fn columns() -> &'static [Column<Self>];
}

impl<R: ReportRow> Column<R> {
    /// How this column sorts its report: `Value`, `Key` or `Never`.
    pub fn sorting(&self) -> ColumnSort {
        match self.sort {
            ColumnSort::Report if R::SORTABLE => ColumnSort::Value,
            ColumnSort::Report => ColumnSort::Never,
            other => other,
        }
    }
}

#[cfg(test)]
mod tests;
