//! One pass over the rows of a file: the first rows are held back until the column and header are
//! decided, then every row is checked as it arrives. Blank rows (no text in any cell) are skipped
//! and not counted. What is kept: counts, warnings, the unique values, the first rows as a sample,
//! and the reject file's bytes.

use std::collections::HashMap;

use super::columns::{self, Layout};
use super::normalise::{check, Problem};
use super::Suppression;
use super::{ParseError, PhoneRules, Preflight, Target};
use crate::erasure::ocm_stores::ERASED;
use crate::export::{push_field, UTF8_BOM};
use crate::model::SampleRow;
use crate::tabular::{clipped, Cells, RowSink, Unique};

/// Rows looked at to decide the column and header.
const DETECT_ROWS: usize = 100;
const SAMPLE_ROWS: usize = 20;
const REJECTS_HEADER: &str = "row_number,original_value,reason\r\n";

pub(super) struct Scanner<'r> {
    target: Target,
    rules: &'r PhoneRules,
    manual: Option<usize>,
    max_rows: u64,
    /// Rows held back until the layout is decided, and their row numbers.
    pending: Vec<Vec<String>>,
    pending_numbers: Vec<u64>,
    layout: Option<Layout>,
    header: Vec<String>,
    width: usize,
    rows: u64,
    empty: u64,
    duplicates: u64,
    invalid: HashMap<&'static str, (String, u64)>,
    warnings: HashMap<String, u64>,
    unique: Unique,
    sample: Vec<SampleRow>,
    rejects: Vec<u8>,
    erased: Suppression,
}

impl<'r> Scanner<'r> {
    pub(super) fn new(
        target: Target,
        rules: &'r PhoneRules,
        manual: Option<usize>,
        max_rows: u64,
    ) -> Self {
        let mut rejects = Vec::with_capacity(64 * 1024);
        rejects.extend_from_slice(UTF8_BOM.as_bytes());
        rejects.extend_from_slice(REJECTS_HEADER.as_bytes());
        Scanner {
            target,
            rules,
            manual,
            max_rows,
            pending: Vec::new(),
            pending_numbers: Vec::new(),
            layout: None,
            header: Vec::new(),
            width: 0,
            rows: 0,
            empty: 0,
            duplicates: 0,
            invalid: HashMap::new(),
            warnings: HashMap::new(),
            unique: Unique::new(),
            sample: Vec::new(),
            rejects,
            erased: Suppression::none(),
        }
    }

    /// Refuses the values of people erased on request.
    pub(super) fn suppressing(mut self, erased: Suppression) -> Self {
        self.erased = erased;
        self
    }

    /// The erasure a checked value was erased by.
    fn erasure_of(&self, checked: &super::Checked) -> Option<i64> {
        match (&checked.phone, self.target) {
            (Some(phone), _) => self.erased.phone(phone),
            (None, Target::Address) => self.erased.email(&checked.value),
            (None, Target::ContactId) => self.erased.customer_id(&checked.value),
        }
    }

    fn decide(&mut self) -> Result<Layout, ParseError> {
        let layout = columns::detect(&self.pending, self.target, self.rules, self.manual);
        self.layout = Some(layout);
        let mut rows = std::mem::take(&mut self.pending).into_iter();
        let numbers = std::mem::take(&mut self.pending_numbers);
        if layout.has_header {
            self.header = rows.next().unwrap_or_default();
        }
        for (row, number) in rows.zip(numbers.into_iter().skip(usize::from(layout.has_header))) {
            self.value(number, row.cell(layout.column))?;
        }
        Ok(layout)
    }

    fn value(&mut self, number: u64, original: &str) -> Result<(), ParseError> {
        self.rows += 1;
        if self.rows > self.max_rows {
            return Err(ParseError::TooManyRows(self.max_rows));
        }
        let trimmed = original.trim();
        let mut phone = None;
        // An erased person's value is not kept in the reject file or the sample either.
        let mut erased = false;
        let outcome = if trimmed.is_empty() {
            self.empty += 1;
            Err("empty".to_string())
        } else {
            let checked = check(self.target, self.rules, trimmed).and_then(|checked| {
                match self.erasure_of(&checked) {
                    Some(erasure_id) => Err(Problem::Erased(erasure_id)),
                    None => Ok(checked),
                }
            });
            match checked {
                Ok(checked) => {
                    phone = checked.phone;
                    let value = checked.value;
                    let shown = (self.sample.len() < SAMPLE_ROWS).then(|| value.clone());
                    match self.unique.insert(value, number) {
                        Ok(()) => Ok(shown),
                        Err(first) => {
                            self.duplicates += 1;
                            Err(format!("duplicate of row {first}"))
                        }
                    }
                }
                Err(problem) => {
                    erased |= matches!(problem, Problem::Erased(_));
                    let group = self
                        .invalid
                        .entry(problem.key())
                        .or_insert_with(|| (problem.summary(), 0));
                    group.1 += 1;
                    Err(problem.to_string())
                }
            }
        };
        // Only a number kept counts its warning: a duplicate was counted on its first row.
        let warning = phone
            .filter(|_| outcome.is_ok())
            .and_then(|phone| phone.warning())
            .map(|warning| warning.to_string());
        if let Some(text) = &warning {
            match self.warnings.get_mut(text) {
                Some(count) => *count += 1,
                None => {
                    self.warnings.insert(text.clone(), 1);
                }
            }
        }
        let shown_original = if erased { ERASED } else { original };
        if let Err(reason) = &outcome {
            reject_line(&mut self.rejects, number, shown_original, reason);
        }
        if self.sample.len() < SAMPLE_ROWS {
            let (value, problem) = match outcome {
                Ok(value) => (value, None),
                Err(reason) => (None, Some(reason)),
            };
            self.sample.push(SampleRow {
                row: number,
                original: shown_original.to_string(),
                shown: phone.filter(|_| value.is_some()).map(|p| p.shown()),
                value,
                problem,
                warning,
            });
        }
        Ok(())
    }

    /// The result; `format`, `delimiter`, `sheets` and `sheet` describe what was read. No columns
    /// means nothing but blank rows was found.
    pub(super) fn finish(
        mut self,
        format: String,
        delimiter: Option<u8>,
        sheets: Vec<String>,
        sheet: Option<String>,
    ) -> Result<Preflight, ParseError> {
        let layout = match self.layout {
            Some(layout) => layout,
            None => self.decide()?,
        };
        if self.width > 0 && layout.column >= self.width {
            return Err(ParseError::NoSuchColumn(layout.column));
        }
        let columns = (0..self.width)
            .map(|i| match self.header.get(i).map(|name| name.trim()) {
                Some(name) if !name.is_empty() => name.to_string(),
                _ => format!("Column {}", i + 1),
            })
            .collect();
        let mut invalid: Vec<(String, u64)> = self.invalid.into_values().collect();
        invalid.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut warnings: Vec<(String, u64)> = self.warnings.into_iter().collect();
        warnings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(Preflight {
            format,
            delimiter,
            sheets,
            sheet,
            columns,
            column: layout.column,
            has_header: layout.has_header,
            rows: self.rows,
            empty: self.empty,
            duplicates: self.duplicates,
            invalid,
            warnings,
            valid: self.unique.into_values(),
            sample: self.sample,
            rejects_csv: self.rejects,
        })
    }
}

impl RowSink for Scanner<'_> {
    /// One row of the file; `number` is its 1-based line or row number.
    fn row(&mut self, number: u64, cells: &dyn Cells) -> Result<(), ParseError> {
        let width = cells.width();
        if (0..width).all(|i| cells.cell(i).trim().is_empty()) {
            return Ok(());
        }
        self.width = self.width.max(width);
        match self.layout {
            Some(layout) => self.value(number, cells.cell(layout.column)),
            None => {
                self.pending
                    .push((0..width).map(|i| cells.cell(i).to_string()).collect());
                self.pending_numbers.push(number);
                if self.pending.len() == DETECT_ROWS {
                    self.decide()?;
                }
                Ok(())
            }
        }
    }
}

/// One CSV line of the reject file, cells neutralised against formulas and quoted, each clipped
/// to [`clipped`]'s 1,000 characters so one row's line stays small.
fn reject_line(out: &mut Vec<u8>, number: u64, original: &str, reason: &str) {
    out.extend_from_slice(number.to_string().as_bytes());
    for cell in [original, reason] {
        out.push(b',');
        push_field(out, &clipped(cell));
    }
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reject_lines_are_quoted_and_neutralised() {
        let mut out = Vec::new();
        reject_line(&mut out, 7, "=1+2", "letters in a phone number");
        reject_line(&mut out, 8, "a,\"b\"\nc", "duplicate of row 2");
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "7,\"'=1+2\",\"letters in a phone number\"\r\n8,\"a,\"\"b\"\"\nc\",\"duplicate of row 2\"\r\n"
        );
    }

    #[test]
    fn reject_lines_quote_at_most_a_thousand_characters_of_a_value() {
        let mut out = Vec::new();
        reject_line(&mut out, 3, &"7".repeat(32_766), "not a phone number");
        let text = String::from_utf8(out).unwrap();
        let expected = format!("3,\"{}…\",\"not a phone number\"\r\n", "7".repeat(1_000));
        assert_eq!(text, expected);
    }
}
