//! Benchmark: the DNC upload pre-flight (`app::backend::dnc::parse::preflight`) over a
//! 1,000,000-row CSV (a phone column in mixed spellings and a name column; 1% too short, 1% with
//! letters, 2% repeats of the previous row's number), timed in the same run against a bare
//! csv-crate parse of the same bytes (and, for scale, that parse putting the raw column into a
//! `HashSet<String>`), with the process's resident memory before and its peak after;
//! then the pre-flight of a 100,000-row XLSX (phone numbers stored as numbers). Needs no database.
//! Run with `make bench`.

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::time::Instant;

use app::backend::dnc::parse::{preflight, NumberRules, ParseOptions, Preflight, Target};

const CSV_ROWS: u64 = 1_000_000;
const XLSX_ROWS: u64 = 100_000;
const NAMES: [&str; 4] = ["Ann", "Bob", "Cy", "Di"];

/// Resident memory now and at its peak, in MiB (Linux).
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Row `i`'s phone number as a person might have typed it: one UK mobile number per row,
/// written three ways, with some broken and some repeating the previous row's number in
/// another spelling.
fn phone(i: u64) -> String {
    let number = if i % 50 == 3 { i - 1 } else { i };
    match (i % 100, i % 3) {
        (7, _) => "12345".to_string(),
        (13, _) => "n/a".to_string(),
        (_, 0) => format!("+447{number:09}"),
        (_, 1) => format!("07{:04} {:05}", number / 100_000, number % 100_000),
        _ => format!("0044 7{number:09}"),
    }
}

fn report(what: &str, rows: u64, seconds: f64) {
    println!(
        "{what}: {rows} rows in {seconds:.3} s ({:.0} rows/s)",
        rows as f64 / seconds
    );
}

fn summary(found: &Preflight) -> String {
    let invalid: u64 = found.invalid.iter().map(|(_, count)| count).sum();
    format!(
        "{} valid, {} duplicates, {} invalid, {} empty; reject file {:.1} MiB",
        found.valid.len(),
        found.duplicates,
        invalid,
        found.empty,
        found.rejects_csv.len() as f64 / 1_048_576.0
    )
}

fn main() {
    let rules = NumberRules {
        default_country_code: Some("44".into()),
        ..NumberRules::default()
    };
    let options = ParseOptions {
        delimiter: None,
        sheet: None,
        column: None,
        max_rows: CSV_ROWS,
    };
    let path = std::env::temp_dir().join(format!("ocm-dnc-bench-{}.csv", std::process::id()));
    let mut file = BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "phone,name").unwrap();
    for i in 0..CSV_ROWS {
        writeln!(file, "{},{}", phone(i), NAMES[i as usize % NAMES.len()]).unwrap();
    }
    file.into_inner().unwrap().sync_all().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    println!(
        "CSV: {CSV_ROWS} rows, {:.1} MiB",
        bytes.len() as f64 / 1_048_576.0
    );
    let (rss_before, _) = memory();

    let began = Instant::now();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let mut record = csv::StringRecord::new();
    let mut records = 0u64;
    while reader.read_record(&mut record).unwrap() {
        records += 1;
    }
    let bare = began.elapsed().as_secs_f64();
    report("bare csv parse (every record)", records - 1, bare);

    let began = Instant::now();
    let found = preflight("bench.csv", &bytes, &options, Target::Address, &rules).unwrap();
    let checked = began.elapsed().as_secs_f64();
    report("preflight", found.rows, checked);
    println!("  {}", summary(&found));
    println!(
        "preflight speed relative to the bare parse: {:.2}× (target ≥ 0.5×)",
        bare / checked
    );
    let (rss_after, peak) = memory();
    println!(
        "memory: {rss_before:.0} MiB resident before the preflight (file bytes loaded), \
         {rss_after:.0} MiB after, peak {peak:.0} MiB (target < 200 MiB)"
    );
    drop(found);

    // For scale, measured after the memory figures so its set does not count in them: the least
    // any duplicate count costs, the raw column into a set with no checks.
    let began = Instant::now();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let mut seen = HashSet::new();
    while reader.read_record(&mut record).unwrap() {
        seen.insert(record[0].to_string());
    }
    report(
        "csv parse + raw column into a HashSet<String>",
        records - 1,
        began.elapsed().as_secs_f64(),
    );
    drop(seen);

    // Digits without a leading 0 are stored as numbers, so the reader meets floats.
    let rows = (0..XLSX_ROWS).map(|i| {
        let number = if i % 50 == 3 { i - 1 } else { i };
        let phone = match i % 100 {
            7 => "12345".to_string(),
            13 => "n/a".to_string(),
            _ => format!("447{number:09}"),
        };
        vec![phone, NAMES[i as usize % NAMES.len()].to_string()]
    });
    let workbook = app::backend::export::xlsx("Numbers", &["Phone", "Name"], rows).unwrap();
    println!(
        "XLSX: {XLSX_ROWS} rows, {:.1} MiB",
        workbook.len() as f64 / 1_048_576.0
    );
    let began = Instant::now();
    let found = preflight("bench.xlsx", &workbook, &options, Target::Address, &rules).unwrap();
    let seconds = began.elapsed().as_secs_f64();
    report("XLSX preflight", found.rows, seconds);
    println!("  {} (target < 5 s)", summary(&found));
}
