//! The bounded file reader shared by DNC and contact uploads (CSV/TXT, XLSX, XLS, ODS by their
//! bytes): any file ends in rows or a refusal within its limits, never a panic that escapes it.
#![no_main]

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

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

thread_local! {
    /// The latest panic's message and place, kept for when it escapes the reader.
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// libfuzzer-sys aborts on every panic, even one the reader catches and turns into a refusal
/// (it does for calamine's, `docs/fuzzing.md`); that stopped the run at the first such input.
/// Here a panic only records itself, and one that escapes the reader aborts below.
fn abort_only_on_escaped_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            LAST_PANIC.with(|last| *last.borrow_mut() = info.to_string());
        }));
    });
}

fuzz_target!(|bytes: &[u8]| {
    abort_only_on_escaped_panics();
    let read = catch_unwind(AssertUnwindSafe(|| {
        let _ = tabular::read("fuzz", bytes, &ReadOptions::default(), &mut Touch);
    }));
    if read.is_err() {
        LAST_PANIC.with(|last| eprintln!("a panic escaped the reader: {}", last.borrow()));
        std::process::abort();
    }
});
