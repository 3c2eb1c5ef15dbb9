//! The hostile corpus (`corpus`, written at test time with the builders of `books` and the
//! hand-made writers of `containers`): each file is read by both pre-flights in a child process
//! of this test binary, which reports its peak resident memory (`VmHWM`); every file must end in
//! a refusal naming its bound or in a bounded read, with the peak under [`MEMORY_BOUND_MIB`].
//! Also: a long read stops promptly when cancelled.

mod books;
mod containers;
mod corpus;

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::{read, Cancel, Cells, ParseError, ReadOptions, RowSink};
use crate::dnc::parse::{self, ParseOptions, PhoneRules, Target};
use crate::uploads::preflight::{self as contacts, Attribute, OutputLayout, UploadOptions};
use corpus::Expect;

/// The most resident memory reading one hostile file may take, the test binary itself included
/// (about 10 MiB) and the file (up to 10 MiB here).
const MEMORY_BOUND_MIB: u64 = 48;
/// Which file a child reads; set only for children.
const CHILD_FILE: &str = "OCM_HOSTILE_FILE";
/// The child's address space (`ulimit -v`), so a reader that does blow up fails alone.
const CHILD_ADDRESS_SPACE_KIB: u64 = 4 << 20;

/// Both pre-flights as an upload runs them, with the default limits.
fn outcomes(name: &str, bytes: &[u8]) -> (String, String) {
    let options = ParseOptions {
        delimiter: None,
        sheet: None,
        column: None,
        max_rows: 1_000_000,
        cancel: Cancel::default(),
        erased: Default::default(),
    };
    let rules = PhoneRules::demo();
    let dnc = match parse::preflight(name, bytes, &options, Target::Address, &rules) {
        Ok(found) => format!("read {} rows", found.rows),
        Err(error) => error.to_string(),
    };
    let attributes =
        [("userContactId", "STRING"), ("phoneNumber1", "PHONE")].map(|(n, t)| Attribute {
            name: n.into(),
            pom_type: t.into(),
        });
    let upload = UploadOptions {
        delimiter: None,
        sheet: None,
        has_header: None,
        mapping: Default::default(),
        date_format: Default::default(),
        max_rows: 1_000_000,
        numbers: rules,
        collect_addresses_up_to: 2_000,
        cancel: Cancel::default(),
        erased: Default::default(),
    };
    let layout = OutputLayout {
        delimiter: b',',
        header_row: true,
        columns: Vec::new(),
    };
    let read = contacts::preflight(name, bytes, &upload, &attributes, &layout, &HashSet::new());
    let contact = match read {
        Ok(found) => format!("read {} rows", found.rows),
        Err(error) => error.to_string(),
    };
    (dnc, contact)
}

/// This process's peak resident memory in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The child's side: reads the file it was given and reports. Does nothing in a normal run.
#[test]
fn hostile_file_in_child() {
    let Ok(path) = std::env::var(CHILD_FILE) else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let name = Path::new(&path).file_name().unwrap().to_string_lossy();
    let (dnc, contact) = outcomes(&name, &bytes);
    println!("OUTCOME\t{dnc}\t{contact}\t{}", peak_kib());
}

/// Reads `file` in a child process: (DNC outcome, contact outcome, peak KiB), or why it died.
fn in_child(file: &Path) -> Result<(String, String, u64), String> {
    let exe = std::env::current_exe().unwrap();
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {CHILD_ADDRESS_SPACE_KIB}; exec \"$0\" \"$@\""
        ))
        .arg(exe)
        .args(["--exact", "tabular::tests::hostile_file_in_child"])
        .args(["--nocapture", "--test-threads=1", "-q"])
        .env(CHILD_FILE, file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().find_map(|l| l.strip_prefix("OUTCOME\t"));
    match line.map(|l| l.split('\t').collect::<Vec<_>>()).as_deref() {
        Some([dnc, contact, peak]) => {
            Ok((dnc.to_string(), contact.to_string(), peak.parse().unwrap()))
        }
        _ => Err(format!(
            "the child ended with {} without an answer:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

#[test]
fn every_hostile_file_ends_in_a_refusal_or_a_bounded_read_within_the_memory_bound() {
    let dir = std::env::temp_dir().join(format!("ocm-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = corpus::write(&dir);
    let mut failures = Vec::new();
    for (name, expect) in &files {
        let result = in_child(&dir.join(name));
        let verdict = match &result {
            Err(death) => Some(death.clone()),
            Ok((dnc, contact, peak)) => {
                println!("{name:<24} {:>5.1} MiB  {dnc}", *peak as f64 / 1024.0);
                let ends_right = |outcome: &str| match expect {
                    Expect::Read => outcome.starts_with("read "),
                    Expect::Refused(bound) => outcome.contains(bound),
                };
                if !ends_right(dnc) || !ends_right(contact) {
                    Some(format!("expected {expect:?}, got {dnc:?} / {contact:?}"))
                } else if *peak > MEMORY_BOUND_MIB * 1024 {
                    Some(format!("peak {} KiB over {MEMORY_BOUND_MIB} MiB", peak))
                } else {
                    None
                }
            }
        };
        if let Some(verdict) = verdict {
            failures.push(format!("{name}: {verdict}"));
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A sink that takes a millisecond per row, as a slow reader of a huge file would.
struct Slow(u64);

impl RowSink for Slow {
    fn row(&mut self, _line: u64, _cells: &dyn Cells) -> Result<(), ParseError> {
        self.0 += 1;
        std::thread::sleep(Duration::from_millis(1));
        Ok(())
    }
}

#[test]
fn a_long_read_stops_promptly_when_cancelled() {
    for (name, bytes) in books::long_files(100_000) {
        let options = ReadOptions::default();
        let cancel = options.cancel.clone();
        let reader = std::thread::spawn(move || {
            let mut sink = Slow(0);
            (read(name, &bytes, &options, &mut sink), sink.0)
        });
        std::thread::sleep(Duration::from_millis(200));
        let start = Instant::now();
        cancel.cancel();
        let (outcome, rows) = reader.join().unwrap();
        assert_eq!(outcome, Err(ParseError::Cancelled), "{name}");
        assert!(
            start.elapsed() < Duration::from_millis(500),
            "{name}: {:?}",
            start.elapsed()
        );
        assert!(rows < 10_000, "{name}: {rows} rows read");
    }
}

/// Found by `make fuzz` (tabular_read, 2026-12-07, docs/fuzzing.md): an XLS whose workbook
/// stream makes calamine 0.38 index past a record (`utils.rs` `read_u16`, a panic). The reader
/// catches it, and the file is refused as damaged.
#[test]
fn an_xls_calamine_panics_on_is_refused_as_damaged() {
    let bytes = include_bytes!("../../tests/fixtures/fuzz/tabular_read-calamine-read_u16.xls");
    let read = read("found.xls", bytes, &ReadOptions::default(), &mut Slow(0));
    match read {
        Err(ParseError::Corrupt(reason)) => assert!(reason.contains("not laid out"), "{reason}"),
        other => panic!("{other:?}"),
    }
}
