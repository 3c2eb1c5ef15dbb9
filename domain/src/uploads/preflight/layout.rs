//! The data source's explicit column layout checked against the mapping: its names are matched to
//! the mapped attributes without regard to case (POM's guide writes `UserContactId`, the REST
//! catalogue `userContactId`), and what it lacks blocks sending — no id column, no column any
//! mapped phone or e-mail goes to, or a name POM's catalogue does not have. Mapped file columns
//! the layout has no place for are named, since they will not reach POM.

use super::values::Kind;
use super::Attribute;

/// What the layout means for this mapping.
pub(super) struct LayoutCheck {
    pub problems: Vec<String>,
    /// File columns (by index) that are mapped but have no column in the layout.
    pub dropped: Vec<usize>,
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Checks `layout` (non-empty) against the file's `mapping` (per file column, with `kinds`).
pub(super) fn check(
    layout: &[String],
    mapping: &[Option<String>],
    kinds: &[Option<Kind>],
    attributes: &[Attribute],
    id_attribute: &str,
) -> LayoutCheck {
    let mut problems = Vec::new();
    for column in layout {
        if !attributes.iter().any(|a| same(&a.name, column)) {
            problems.push(format!(
                "The data source's layout names {column}, which POM's catalogue does not have: \
                 correct the data source's columns."
            ));
        }
    }
    if !layout.iter().any(|c| same(c, id_attribute)) {
        problems.push(format!(
            "The data source's layout has no {id_attribute} column, so POM could not tell the \
             contacts apart: correct the data source's columns."
        ));
    }
    let reached = mapping.iter().zip(kinds).any(|(m, kind)| {
        kind.is_some_and(Kind::reaches)
            && m.as_deref()
                .is_some_and(|m| layout.iter().any(|c| same(c, m)))
    });
    if !reached {
        problems.push(
            "None of the mapped phone number or e-mail attributes is a column of the data \
             source's layout, so POM could not reach the contacts."
                .to_string(),
        );
    }
    let dropped = mapping
        .iter()
        .zip(kinds)
        .enumerate()
        .filter(|(_, (m, kind))| {
            kind.is_some()
                && m.as_deref()
                    .is_some_and(|m| !layout.iter().any(|c| same(c, m)))
        })
        .map(|(index, _)| index)
        .collect();
    LayoutCheck { problems, dropped }
}
