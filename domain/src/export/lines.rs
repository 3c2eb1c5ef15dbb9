//! A report's lines as exports write them: the CSV header is the column keys (for systems), the
//! workbook's the headings (for people); cells are values as the screen shows them.

use types::report::ReportRow;

/// The CSV header: the column keys systems read.
pub fn keys<L: ReportRow + 'static>() -> Vec<&'static str> {
    L::columns().iter().map(|c| c.key).collect()
}

/// The workbook's header: the headings people read.
pub fn headings<L: ReportRow + 'static>() -> Vec<&'static str> {
    L::columns().iter().map(|c| c.heading).collect()
}

/// Values as the screen shows them ("Confirmed", not `confirmed`): people open these files.
pub fn cells<L: ReportRow + 'static>(line: &L) -> Vec<String> {
    L::columns().iter().map(|c| c.for_people(line)).collect()
}
