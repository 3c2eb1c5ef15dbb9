//! The load's results: every request's time by page, every failure with what it was, and the
//! table that goes into `docs/performance.md` (each page's p95 beside the static file's).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// The page every other page is compared with: a file the same server serves from disk.
pub const STATIC_FILE: &str = "static file (ocm.css)";

#[derive(Default)]
struct Page {
    micros: Vec<u32>,
    errors: u64,
    first_errors: Vec<String>,
}

#[derive(Default)]
pub struct Tally {
    pages: Mutex<BTreeMap<&'static str, Page>>,
}

/// `sorted[p]` in milliseconds.
fn percentile_ms(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0
}

impl Tally {
    /// One request of `page` that took `took`; `outcome` says what was wrong, if anything.
    pub fn record(&self, page: &'static str, took: Duration, outcome: Result<(), String>) {
        let mut pages = self.pages.lock().unwrap();
        let entry = pages.entry(page).or_default();
        entry
            .micros
            .push(took.as_micros().min(u32::MAX as u128) as u32);
        if let Err(what) = outcome {
            entry.errors += 1;
            if entry.first_errors.len() < 5 {
                entry.first_errors.push(what);
            }
        }
    }

    pub fn requests(&self) -> usize {
        self.pages
            .lock()
            .unwrap()
            .values()
            .map(|p| p.micros.len())
            .sum()
    }

    pub fn errors(&self) -> u64 {
        self.pages.lock().unwrap().values().map(|p| p.errors).sum()
    }

    /// The table: requests, errors, p50/p95/p99/max per page and each p95 over the static file's.
    pub fn table(&self) -> String {
        let mut pages = self.pages.lock().unwrap();
        for page in pages.values_mut() {
            page.micros.sort_unstable();
        }
        let static_p95 = pages
            .get(STATIC_FILE)
            .map_or(0.0, |p| percentile_ms(&p.micros, 0.95));
        let mut out = String::from(
            "| Page | Requests | Errors | p50 ms | p95 ms | p99 ms | max ms | p95 ÷ static p95 |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        for (name, page) in pages.iter() {
            let p95 = percentile_ms(&page.micros, 0.95);
            out.push_str(&format!(
                "| {name} | {} | {} | {:.1} | {p95:.1} | {:.1} | {:.1} | {:.1} |\n",
                page.micros.len(),
                page.errors,
                percentile_ms(&page.micros, 0.50),
                percentile_ms(&page.micros, 0.99),
                percentile_ms(&page.micros, 1.0),
                p95 / static_p95.max(0.001),
            ));
        }
        for (name, page) in pages.iter().filter(|(_, p)| p.errors > 0) {
            out.push_str(&format!("\nFirst errors of {name}:\n"));
            for error in &page.first_errors {
                out.push_str(&format!("- {error}\n"));
            }
        }
        out
    }
}
