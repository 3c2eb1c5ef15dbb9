//! Running the pre-flight for an upload: the parse choices and number rules from the settings,
//! the run itself off the async threads, and the summary kept of it.

use serde::{Deserialize, Serialize};

use super::parse::{self, NumberRules, ParseOptions, Preflight, Target};
use crate::backend::state::DncSettings;
use crate::error::AppError;
use crate::model::{DncMode, PreflightOptions, ReasonCount, SampleRow};

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
    pub sample: Vec<SampleRow>,
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
        invalid: p
            .invalid
            .iter()
            .map(|(reason, count)| ReasonCount {
                reason: reason.clone(),
                count: *count,
            })
            .collect(),
        sample: p.sample.clone(),
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
    }
}

pub fn number_rules(settings: &DncSettings) -> NumberRules {
    NumberRules {
        default_country_code: settings.default_country_code.clone(),
        min_digits: settings.min_digits,
        max_digits: settings.max_digits,
    }
}

pub fn target_of(mode: DncMode) -> Target {
    match mode {
        DncMode::DncList => Target::Address,
        DncMode::Uncallable => Target::ContactId,
    }
}

/// Runs the pre-flight on a blocking thread (it is CPU work over the whole file); hands the file
/// back so it is never copied.
pub async fn run_preflight(
    settings: &DncSettings,
    file_name: String,
    bytes: Vec<u8>,
    mode: DncMode,
    options: &PreflightOptions,
) -> Result<(Result<Preflight, parse::ParseError>, Vec<u8>), AppError> {
    let (parse_options, rules) = (parse_options(options, settings), number_rules(settings));
    tokio::task::spawn_blocking(move || {
        let result = parse::preflight(&file_name, &bytes, &parse_options, target_of(mode), &rules);
        (result, bytes)
    })
    .await
    .map_err(|e| crate::error::internal(&e))
}
