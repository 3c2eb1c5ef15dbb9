//! Sorting and filtering the lists table in the browser, and the URL that reproduces a view.

use crate::model::{percent_encode, ContactListRow};

/// A sortable column of the lists table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Id,
    Organization,
    Zone,
    Total,
    Available,
    Excluded,
    Updated,
}

impl Column {
    pub const ALL: [Column; 8] = [
        Column::Name,
        Column::Id,
        Column::Organization,
        Column::Zone,
        Column::Total,
        Column::Available,
        Column::Excluded,
        Column::Updated,
    ];

    /// The name in the URL (`?sort=total`).
    pub fn key(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Id => "id",
            Column::Organization => "organization",
            Column::Zone => "zone",
            Column::Total => "total",
            Column::Available => "available",
            Column::Excluded => "excluded",
            Column::Updated => "updated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Name => "Name",
            Column::Id => "Id",
            Column::Organization => "Organization",
            Column::Zone => "Time zone",
            Column::Total => "Total",
            Column::Available => "Available",
            Column::Excluded => "Excluded",
            Column::Updated => "Last update",
        }
    }

    /// Counts are right-aligned so their digits line up.
    pub fn numeric(self) -> bool {
        matches!(
            self,
            Column::Id | Column::Total | Column::Available | Column::Excluded
        )
    }
}

/// The table's order (the shared sort order over this table's columns).
pub type Sort = crate::components::sort_order::Sort<Column>;

impl crate::components::sort_order::SortColumn for Column {
    const ALL: &'static [Column] = &Column::ALL;
    const DEFAULT: Column = Column::Name;

    fn key(self) -> &'static str {
        Column::key(self)
    }
}

/// The rows whose name contains `query` (any case), in `sort` order.
pub fn view_rows(rows: &[ContactListRow], query: &str, sort: Sort) -> Vec<ContactListRow> {
    let query = query.trim().to_lowercase();
    let mut out: Vec<_> = rows
        .iter()
        .filter(|row| query.is_empty() || row.name.to_lowercase().contains(&query))
        .cloned()
        .collect();
    out.sort_by(|a, b| {
        let order = match sort.column {
            Column::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            Column::Id => a.list_id.cmp(&b.list_id),
            Column::Organization => a.organization.cmp(&b.organization),
            Column::Zone => a.zone.cmp(&b.zone),
            Column::Total => a.total.cmp(&b.total),
            Column::Available => a.available.cmp(&b.available),
            Column::Excluded => a.excluded.cmp(&b.excluded),
            Column::Updated => a.last_update.cmp(&b.last_update),
        };
        // Ties keep a stable, readable order.
        let order = order.then_with(|| a.list_id.cmp(&b.list_id));
        if sort.descending {
            order.reverse()
        } else {
            order
        }
    });
    out
}

/// `/lists?manual=1&q=…&sort=…`, leaving out defaults.
pub fn lists_href(manual: bool, query: &str, sort: Sort) -> String {
    let mut pairs = Vec::new();
    if manual {
        pairs.push("manual=1".to_string());
    }
    if !query.trim().is_empty() {
        pairs.push(format!("q={}", percent_encode(query.trim())));
    }
    if sort != Sort::parse("") {
        pairs.push(format!("sort={}", sort.key()));
    }
    if pairs.is_empty() {
        "/lists".into()
    } else {
        format!("/lists?{}", pairs.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(list_id: i64, name: &str, total: i64) -> ContactListRow {
        ContactListRow {
            list_id,
            name: name.into(),
            organization: "Sales".into(),
            zone: None,
            total,
            available: total,
            excluded: 0,
            last_update: None,
            manual_upload: false,
        }
    }

    #[test]
    fn sort_keys_round_trip_and_toggle() {
        let sort = Sort::parse("-total");
        assert_eq!(
            sort,
            Sort {
                column: Column::Total,
                descending: true
            }
        );
        assert_eq!(sort.key(), "-total");
        assert_eq!(Sort::parse("nonsense").column, Column::Name);
        assert!(!sort.toggled(Column::Total).descending);
        assert!(!sort.toggled(Column::Name).descending);
        assert!(Sort::parse("name").toggled(Column::Name).descending);
        assert_eq!(sort.aria(Column::Total), Some("descending"));
        assert_eq!(sort.aria(Column::Name), None);
    }

    #[test]
    fn rows_are_filtered_by_name_and_sorted() {
        let rows = vec![
            row(1, "Spring offers", 10),
            row(2, "Renewals", 30),
            row(3, "spring leads", 20),
        ];
        let names: Vec<_> = view_rows(&rows, "SPRING", Sort::parse("-total"))
            .into_iter()
            .map(|r| r.list_id)
            .collect();
        assert_eq!(names, [3, 1]);
        assert_eq!(
            view_rows(&rows, "", Sort::parse("name"))[0].name,
            "Renewals"
        );
    }

    #[test]
    fn links_leave_out_defaults() {
        assert_eq!(lists_href(false, " ", Sort::parse("name")), "/lists");
        assert_eq!(
            lists_href(true, "a b", Sort::parse("-total")),
            "/lists?manual=1&q=a%20b&sort=-total"
        );
    }
}
