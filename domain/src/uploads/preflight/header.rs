//! Whether the first row is a header, and the columns' names: the header's texts trimmed
//! (`Column 3` for an empty one, ` (column 5)` added to a repeated one so that every name picks
//! out one column), or `Column 1`, `Column 2`, … without a header.

use super::mapping::auto_map;
use super::values::{is_address, is_data};
use super::{Attribute, PhoneRules};

/// A header names at least one attribute, or holds no phone number or e-mail address and mostly
/// things that are not data.
pub(super) fn is_header(first: &[String], attributes: &[Attribute], numbers: &PhoneRules) -> bool {
    let cells: Vec<&str> = first
        .iter()
        .map(|cell| cell.trim())
        .filter(|cell| !cell.is_empty())
        .collect();
    if cells
        .iter()
        .any(|cell| auto_map(cell, attributes).is_some())
    {
        return true;
    }
    if cells.iter().any(|cell| is_address(cell, numbers)) {
        return false;
    }
    let names = cells.iter().filter(|cell| !is_data(cell, numbers)).count();
    names * 2 > cells.len()
}

/// `width` names, from the header when there is one.
pub(super) fn column_names(header: Option<&[String]>, width: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(width);
    for index in 0..width {
        let text = header
            .and_then(|cells| cells.get(index))
            .map_or("", |cell| cell.trim());
        let name = if text.is_empty() {
            format!("Column {}", index + 1)
        } else if names.iter().any(|earlier| earlier == text) {
            format!("{text} (column {})", index + 1)
        } else {
            text.to_string()
        };
        names.push(name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    fn catalogue() -> Vec<Attribute> {
        ["userContactId", "phoneNumber1"]
            .iter()
            .map(|name| Attribute {
                name: name.to_string(),
                pom_type: "STRING".into(),
            })
            .collect()
    }

    #[test]
    fn headers_are_told_from_data() {
        let rules = PhoneRules::demo();
        let header = |cells: &[&str]| is_header(&row(cells), &catalogue(), &rules);
        assert!(header(&["Ref", "Mobile", "Name"]));
        assert!(header(&["Who", "Where", "When", "2026"]));
        assert!(!header(&[
            "C0001",
            "Ann",
            "Smith",
            "1 High St",
            "+447700900123"
        ]));
        assert!(!header(&["C0001", "ann@example.com"]));
        assert!(!header(&["C1", "12.5", "31/03/2026", "Ann"]));
        assert!(!header(&["", " "]));
    }

    #[test]
    fn names_are_unique_and_never_empty() {
        let header = row(&[" id ", "", "Phone", "Phone", "id"]);
        assert_eq!(
            column_names(Some(&header), 6),
            [
                "id",
                "Column 2",
                "Phone",
                "Phone (column 4)",
                "id (column 5)",
                "Column 6"
            ]
        );
        assert_eq!(column_names(None, 2), ["Column 1", "Column 2"]);
    }
}
