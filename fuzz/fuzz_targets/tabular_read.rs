//! The bounded file reader shared by DNC and contact uploads (CSV/TXT, XLSX, XLS, ODS by their
//! bytes): any file ends in rows or a refusal within its limits, never a panic.
#![no_main]

use domain::tabular::{self, Cells, ParseError, ReadOptions, RowSink};
use libfuzzer_sys::fuzz_target;

/// Touches every cell, as the pre-flights do.
struct Touch;

impl RowSink for Touch {
    fn row(&mut self, _line: u64, cells: &dyn Cells) -> Result<(), ParseError> {
        for i in 0..cells.width() {
            let _ = cells.cell(i).len();
        }
        Ok(())
    }
}

fuzz_target!(|bytes: &[u8]| {
    let _ = tabular::read("fuzz", bytes, &ReadOptions::default(), &mut Touch);
});
