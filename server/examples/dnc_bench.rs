//! Benchmark: the DNC upload pre-flight (`domain::dnc::parse::preflight`, phone numbers by
//! libphonenumber's rules for `GB`) over a 1,000,000-row CSV (a phone column in mixed spellings
//! and a name column; 1% too short, 1% with letters, 2% repeats of the previous row's number),
//! timed in the same run against a bare csv-crate parse of the same bytes (and, for scale, that
//! parse putting the raw column into a `HashSet<String>`) and against Python's `phonenumbers`
//! reading, parsing and formatting the same file (`scripts/phonenumbers-bench.py`, installed into
//! `target/bench-venv` on first use), with the process's resident memory before and its peak
//! after; then the same pre-flight writing POM's national form, and the pre-flight of a
//! 100,000-row XLSX (phone numbers stored as numbers). Needs no database. Run with `make bench`.

#[path = "shared/memory.rs"]
mod memory;

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use domain::dnc::parse::{preflight, ParseOptions, PhoneRules, Preflight, Target};
use domain::phone::PomFormat;
use domain::tabular::Cancel;

const CSV_ROWS: u64 = 1_000_000;
const XLSX_ROWS: u64 = 100_000;
const NAMES: [&str; 4] = ["Ann", "Bob", "Cy", "Di"];

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
    let warned: u64 = found.warnings.iter().map(|(_, count)| count).sum();
    format!(
        "{} valid ({warned} with a warning), {} duplicates, {} invalid, {} empty; reject file {:.1} MiB",
        found.valid.len(),
        found.duplicates,
        invalid,
        found.empty,
        found.rejects_csv.len() as f64 / 1_048_576.0
    )
}

/// A Python with `phonenumbers`: `target/bench-venv`, made on first use.
fn python() -> Result<PathBuf, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let venv = root.join("target/bench-venv");
    let python = venv.join("bin/python");
    let has_module = |python: &Path| {
        Command::new(python)
            .args(["-c", "import phonenumbers"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if has_module(&python) {
        return Ok(python);
    }
    let run = |program: &Path, args: &[&str]| match Command::new(program).args(args).status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{} {args:?}: {status}", program.display())),
        Err(error) => Err(format!("{}: {error}", program.display())),
    };
    println!("installing Python phonenumbers into {}", venv.display());
    run(
        Path::new("python3"),
        &["-m", "venv", &venv.to_string_lossy()],
    )?;
    run(
        &venv.join("bin/pip"),
        &["install", "--quiet", "phonenumbers"],
    )?;
    Ok(python)
}

/// Python's `phonenumbers` over the same file: its JSON figures and the wall time with start-up.
fn phonenumbers_run(csv: &Path) -> Result<(serde_json::Value, f64), String> {
    let python = python()?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/phonenumbers-bench.py");
    let began = Instant::now();
    let output = Command::new(python)
        .arg(script)
        .arg(csv)
        .arg("GB")
        .output()
        .map_err(|e| e.to_string())?;
    let wall = began.elapsed().as_secs_f64();
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let figures = serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())?;
    Ok((figures, wall))
}

fn main() {
    let rules = PhoneRules::new(domain::phone::Region::parse("GB").unwrap());
    let options = ParseOptions {
        delimiter: None,
        sheet: None,
        column: None,
        max_rows: CSV_ROWS,
        cancel: Cancel::default(),
        erased: Default::default(),
    };
    let path = std::env::temp_dir().join(format!("ocm-dnc-bench-{}.csv", std::process::id()));
    let mut file = BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "phone,name").unwrap();
    for i in 0..CSV_ROWS {
        writeln!(file, "{},{}", phone(i), NAMES[i as usize % NAMES.len()]).unwrap();
    }
    file.into_inner().unwrap().sync_all().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    println!(
        "CSV: {CSV_ROWS} rows, {:.1} MiB",
        bytes.len() as f64 / 1_048_576.0
    );
    let (rss_before, _) = memory::memory();

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
    let (rss_after, peak) = memory::memory();
    println!(
        "memory: {rss_before:.0} MiB resident before the preflight (file bytes loaded), \
         {rss_after:.0} MiB after, peak {peak:.0} MiB (target < 200 MiB)"
    );
    drop(found);

    match phonenumbers_run(&path) {
        Ok((figures, wall)) => {
            let seconds = figures["seconds"].as_f64().unwrap_or(f64::NAN);
            println!(
                "Python phonenumbers {} over the same file: {} rows in {seconds:.3} s \
                 ({wall:.3} s with start-up), {} valid, {} duplicates, {} refused, peak {:.0} MiB",
                figures["version"].as_str().unwrap_or("?"),
                figures["rows"],
                figures["valid"],
                figures["duplicates"],
                figures["refused"],
                figures["peak_mib"].as_f64().unwrap_or(f64::NAN)
            );
            println!(
                "OCM's pre-flight vs phonenumbers: {:.1}× faster (target ≥ 10×)",
                seconds / checked
            );
        }
        Err(reason) => println!("Python phonenumbers: skipped ({reason})"),
    }
    std::fs::remove_file(&path).unwrap();

    let national = PhoneRules {
        format: PomFormat::National,
        ..rules.clone()
    };
    let began = Instant::now();
    let found = preflight("bench.csv", &bytes, &options, Target::Address, &national).unwrap();
    report(
        "preflight writing the national form (OCM_POM_PHONE_FORMAT=national)",
        found.rows,
        began.elapsed().as_secs_f64(),
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
    let workbook = domain::export::xlsx("Numbers", &["Phone", "Name"], rows).unwrap();
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
