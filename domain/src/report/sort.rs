//! Sorting a report by the column people chose ([`types::report::Sort`]): a column of a
//! `SORTABLE` row (the summary reports) numbers the report's rows in its order (ties in the
//! report's own order) and pages on that number; the column marked `key_sort` is the time of the
//! report's keyset index, so sorting by it only turns the order round and stays on the index.
//! Anything else is refused naming `order`.

use types::report::{ColumnSort, ReportRow, Sort};

use super::{Key, Report};
use crate::error::AppError;

/// The number a sorted page keys on, added to the report's `select`.
pub(super) const SORT_KEY: Key = Key {
    at: None,
    id: "ocm_sort",
};

/// The order a page or an export reads in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// The report's own.
    #[default]
    Own,
    /// The report's key, newest first or not.
    Key { descending: bool },
    /// By an output column of the report's `select` (a [`types::report::Column`] key), or the
    /// expression the report gives for it.
    Column {
        column: &'static str,
        descending: bool,
    },
}

impl Order {
    /// The order `sort` asks of report `R`.
    pub fn of<R: Report>(sort: &Sort) -> Result<Order, AppError> {
        let Some((key, descending)) = sort.column() else {
            return Ok(Order::Own);
        };
        let column = <R::Row as ReportRow>::columns()
            .iter()
            .find(|c| c.key == key && c.sorting() != ColumnSort::Never)
            .ok_or_else(|| {
                let shown: String = key.chars().take(60).collect();
                AppError::validation(
                    "order",
                    format!("This report cannot be sorted by “{shown}”."),
                )
            })?;
        Ok(match column.sorting() {
            ColumnSort::Key => Order::Key { descending },
            _ => Order::Column {
                column: R::SORT_SQL
                    .iter()
                    .find(|(key, _)| *key == column.key)
                    .map_or(column.key, |(_, sql)| *sql),
                descending,
            },
        })
    }

    /// The key pages are read on.
    pub(super) fn key<R: Report>(self) -> Key {
        match self {
            Order::Column { .. } => SORT_KEY,
            _ => R::KEY,
        }
    }

    /// Whether pages read the key largest first.
    pub(super) fn descending<R: Report>(self, scoped: &R::Scoped) -> bool {
        match self {
            Order::Own => R::descending(scoped),
            Order::Key { descending } => descending,
            Order::Column { .. } => false,
        }
    }
}
