//! A sortable table's order as it travels in the URL (`name`, `-since`, …): which column, and
//! whether descending; shared by every sortable table (each names its own columns).

/// The columns of one sortable table.
pub trait SortColumn: Copy + PartialEq + 'static {
    /// Every column, in header order.
    const ALL: &'static [Self];
    /// The column a table is sorted by when the URL names none (or an unknown one).
    const DEFAULT: Self;
    /// The column's name in the URL.
    fn key(self) -> &'static str;
}

/// The table's order: a column, ascending or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<C> {
    pub column: C,
    pub descending: bool,
}

impl<C: SortColumn> Sort<C> {
    /// Parses `key` or `-key`; anything else is the default column, ascending.
    pub fn parse(value: &str) -> Sort<C> {
        let (descending, key) = match value.strip_prefix('-') {
            Some(key) => (true, key),
            None => (false, value),
        };
        match C::ALL.iter().copied().find(|c| c.key() == key) {
            Some(column) => Sort { column, descending },
            None => Sort {
                column: C::DEFAULT,
                descending: false,
            },
        }
    }

    pub fn key(self) -> String {
        format!(
            "{}{}",
            if self.descending { "-" } else { "" },
            self.column.key()
        )
    }

    /// The order after choosing `column`'s header: the other direction if it is already sorted
    /// by it, ascending otherwise.
    pub fn toggled(self, column: C) -> Sort<C> {
        Sort {
            column,
            descending: self.column == column && !self.descending,
        }
    }

    /// The `aria-sort` value for `column`'s header.
    pub fn aria(self, column: C) -> Option<&'static str> {
        (self.column == column).then_some(if self.descending {
            "descending"
        } else {
            "ascending"
        })
    }
}
