//! How people sort a report: the column they chose in the URL ([`Sort`]) and how each column
//! may sort its report ([`ColumnSort`]).

use serde::{Deserialize, Serialize};

use super::UrlQuery;

/// The column people sorted a report by: `order=nuisance_percent` (smallest first) or
/// `order=-nuisance_percent` (largest first), the sign as the lists and campaigns tables write it
/// (`order`, not `sort`: the audit log's filters already have a `sort`); none: the report's own
/// order. A column the report does not sort by is refused naming `order`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Sort {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
}

impl Sort {
    /// Sorted by `key`, largest first when `descending`.
    pub fn by(key: &str, descending: bool) -> Self {
        let sign = if descending { "-" } else { "" };
        Sort {
            order: Some(format!("{sign}{key}")),
        }
    }

    /// The column and whether largest first; `None`: the report's own order.
    pub fn column(&self) -> Option<(&str, bool)> {
        let text = self.order.as_deref()?.trim();
        let (key, descending) = match text.strip_prefix('-') {
            Some(key) => (key, true),
            None => (text, false),
        };
        (!key.is_empty()).then_some((key, descending))
    }
}

impl UrlQuery for Sort {}

/// How a column sorts a report ([`Sort`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnSort {
    /// As its report says ([`ReportRow::SORTABLE`]).
    Report,
    /// By its value: the report's rows are numbered in that order (summary reports, whose
    /// rows are few per day).
    Value,
    /// It is the time the report's keyset index is in: sorting turns the order round, still
    /// on the index (detail reports).
    Key,
    /// Never (the columns of a report that is not `SORTABLE`).
    Never,
}
