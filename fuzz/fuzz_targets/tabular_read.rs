//! The bounded file reader shared by DNC and contact uploads (CSV/TXT, XLSX, XLS, ODS by their
//! bytes): any file ends in rows or a refusal within its limits; no panic of OCM's own, and none
//! of calamine's that escapes the reader.
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
    /// The latest caught panic's message and place, kept for when one escapes the reader.
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// libfuzzer-sys aborts on every panic, even one of calamine's that the reader catches and turns
/// into a refusal (`docs/fuzzing.md`); that stopped the run at the first such input. Here a panic
/// raised inside calamine only records itself; any other panic (OCM's own parsers, which the
/// reader's guard also covers) still aborts at once through libfuzzer-sys's hook, and a panic
/// that escapes the reader aborts below.
fn tolerate_calamine_panics_the_reader_catches() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info
                .location()
                .is_some_and(|place| place.file().contains("/calamine-"));
            if in_calamine {
                LAST_PANIC.with(|last| *last.borrow_mut() = info.to_string());
            } else {
                abort(info);
            }
        }));
    });
}

fuzz_target!(|bytes: &[u8]| {
    tolerate_calamine_panics_the_reader_catches();
    let read = catch_unwind(AssertUnwindSafe(|| {
        let _ = tabular::read("fuzz", bytes, &ReadOptions::default(), &mut Touch);
    }));
    if read.is_err() {
        LAST_PANIC.with(|last| eprintln!("a panic escaped the reader: {}", last.borrow()));
        std::process::abort();
    }
});
