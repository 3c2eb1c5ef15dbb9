//! Running the pre-flight for an upload: the parse choices and number rules from the settings,
//! the run itself off the async threads in one of the pre-flight slots, and the summary kept of
//! it.

use serde::{Deserialize, Serialize};

use super::parse::{self, ParseOptions, Preflight, Target};
use crate::erasure::tombstone;
use crate::error::AppError;
use crate::model::{DncMode, PreflightOptions, ReasonCount, SampleRow};
use crate::settings::DncSettings;
use crate::state::AppState;
use crate::tabular::Cancel;

/// What is kept of a pre-flight (the valid values are computed again when sending).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    pub format: String,
    pub delimiter: Option<String>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub columns: Vec<String>,
    pub column: u32,
    pub rows: u64,
    pub valid: u64,
    pub duplicates: u64,
    pub empty: u64,
    pub invalid: Vec<ReasonCount>,
    /// Kept since phone numbers have warnings; absent from older uploads.
    #[serde(default)]
    pub warnings: Vec<ReasonCount>,
    pub sample: Vec<SampleRow>,
    /// SHA-256 of the values to send, one per line: the send job sends only if reading the file
    /// again gives exactly these (absent from uploads checked before it was kept).
    #[serde(default)]
    pub valid_sha256: Option<String>,
}

/// The digest of the values a pre-flight would send.
pub fn valid_digest(valid: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for value in valid {
        hasher.update(value.as_bytes());
        hasher.update(b"\n");
    }
    format!("{:x}", hasher.finalize())
}

pub fn summary(p: &Preflight) -> Summary {
    Summary {
        format: p.format.clone(),
        delimiter: p.delimiter.map(|d| (d as char).to_string()),
        sheets: p.sheets.clone(),
        sheet: p.sheet.clone(),
        columns: p.columns.clone(),
        column: p.column as u32,
        rows: p.rows,
        valid: p.valid.len() as u64,
        duplicates: p.duplicates,
        empty: p.empty,
        invalid: ReasonCount::list(&p.invalid),
        warnings: ReasonCount::list(&p.warnings),
        sample: p.sample.clone(),
        valid_sha256: Some(valid_digest(&p.valid)),
    }
}

/// The parse choices from the stored options.
pub fn parse_options(options: &PreflightOptions, settings: &DncSettings) -> ParseOptions {
    ParseOptions {
        delimiter: options.delimiter.as_deref().and_then(|d| match d {
            "\\t" | "tab" => Some(b'\t'),
            d if d.len() == 1 => d.bytes().next(),
            _ => None,
        }),
        sheet: options.sheet.clone().filter(|s| !s.is_empty()),
        column: options.column.map(|c| c as usize),
        max_rows: settings.max_rows,
        cancel: Cancel::default(),
        erased: Default::default(),
    }
}

pub fn target_of(mode: DncMode) -> Target {
    match mode {
        DncMode::DncList => Target::Address,
        DncMode::Uncallable => Target::ContactId,
    }
}

/// Runs the pre-flight on a blocking thread (it is CPU work over the whole file) once one of
/// the pre-flight slots is free: `queued` (a background job) waits as long as it takes, otherwise
/// at most the queue's wait. Hands the file back so it is never copied. Shutdown cancels it.
pub async fn run_preflight(
    state: &AppState,
    file_name: String,
    bytes: Vec<u8>,
    mode: DncMode,
    options: &PreflightOptions,
    queued: bool,
    organization: &str,
) -> Result<(Result<Preflight, parse::ParseError>, Vec<u8>), AppError> {
    let settings = &state.settings.dnc;
    let (mut parse_options, rules) = (
        parse_options(options, settings),
        state.settings.phone.clone(),
    );
    parse_options.erased =
        tombstone::load(&state.pool, &state.settings.erasure_key, organization).await?;
    let work = move |cancel: Cancel| {
        parse_options.cancel = cancel;
        let result = parse::preflight(&file_name, &bytes, &parse_options, target_of(mode), &rules);
        (result, bytes)
    };
    if queued {
        state.preflights.run_queued(work).await
    } else {
        state.preflights.run(work).await
    }
}
