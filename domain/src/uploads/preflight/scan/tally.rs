//! What is kept of the data rows, and what becomes of each row once the rules have judged it: a
//! valid row goes to the converted file (and its id and addresses are kept), a rejected one to
//! the reject file and the counts; the first rows also go to the sample.

use std::collections::HashMap;

use super::rules::{address, width_problem, ERASED_KIND};
use super::{Decided, Inputs};
use crate::erasure::ocm_stores::ERASED;
use crate::tabular::{clipped, Cells, Unique};
use crate::uploads::preflight::output::{converted_line, reject_line};
use crate::uploads::preflight::values::Kind;
use crate::uploads::preflight::{ContactSample, ParseError};

const SAMPLE_ROWS: usize = 10;

/// What is kept of the data rows.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) rows: u64,
    pub(super) rejected: u64,
    pub(super) duplicates: u64,
    pub(super) reasons: HashMap<String, u64>,
    /// Valid rows sent with a flag, by kind.
    pub(super) flagged: HashMap<String, u64>,
    pub(super) ids: Unique,
    /// Per id kept in `ids`, whether its row was valid.
    pub(super) valid_ids: Vec<bool>,
    pub(super) addresses: Option<Unique>,
    /// Per file column, the current row's value as converted.
    pub(super) values: Vec<String>,
    pub(super) sample: Vec<ContactSample>,
    pub(super) rejects: Vec<u8>,
    /// The rejected rows as read, for the Account Not in Listing report
    /// (`ContactPreflight::not_listed_rows`).
    pub(super) not_listed: Vec<u8>,
    pub(super) converted: Vec<u8>,
}

impl Tally {
    /// The rows held back while the layout was decided, the header row left out.
    pub(super) fn replay(
        &mut self,
        inputs: &Inputs<'_>,
        decided: &Decided,
        pending: Vec<(u64, Vec<String>)>,
    ) -> Result<(), ParseError> {
        let rows = pending.into_iter().skip(usize::from(decided.has_header));
        for (line, cells) in rows {
            self.row(inputs, decided, line, &cells)?;
        }
        Ok(())
    }

    pub(super) fn row(
        &mut self,
        inputs: &Inputs<'_>,
        decided: &Decided,
        line: u64,
        cells: &dyn Cells,
    ) -> Result<(), ParseError> {
        self.rows += 1;
        let options = inputs.options;
        if self.rows > options.max_rows {
            return Err(ParseError::TooManyRows(options.max_rows));
        }
        if self.rows > options.collect_addresses_up_to {
            self.addresses = None;
        }
        let mut kept_id = false;
        let mut flag = None;
        let outcome = match width_problem(decided, cells) {
            Some(reject) => Err(reject),
            None => self
                .check_id(inputs, decided, line, cells)
                .and_then(|kept| {
                    kept_id = kept;
                    flag = self.check_values(inputs, decided, cells)?;
                    Ok(())
                }),
        };
        if let Some(flag) = &flag {
            match self.flagged.get_mut(&flag.kind) {
                Some(count) => *count += 1,
                None => {
                    self.flagged.insert(flag.kind.clone(), 1);
                }
            }
        }
        if kept_id {
            self.valid_ids.push(outcome.is_ok());
        }
        let sources = &decided.plan.sources;
        match &outcome {
            Ok(()) if decided.sendable => {
                let values = &self.values;
                let fields = sources.iter().map(|s| s.map_or("", |c| values[c].as_str()));
                converted_line(&mut self.converted, inputs.layout.delimiter, fields);
                if let Some(addresses) = &mut self.addresses {
                    for &(column, kind) in decided.checked.iter().filter(|(_, k)| k.reaches()) {
                        let value = address(kind, &values[column]);
                        if !value.is_empty() {
                            // A repeat is simply not kept again.
                            let _ = addresses.insert(value, line);
                        }
                    }
                }
            }
            Ok(()) => {}
            Err((column, refusal)) => {
                self.rejected += 1;
                match self.reasons.get_mut(&refusal.kind) {
                    Some(count) => *count += 1,
                    None => {
                        self.reasons.insert(refusal.kind.clone(), 1);
                    }
                }
                let id = decided.plan.id.map_or("", |c| cells.cell(c).trim());
                let (name, value) =
                    column.map_or(("", ""), |c| (decided.columns[c].as_str(), cells.cell(c)));
                // An erased person's row is refused without being written down again.
                let (id, value) = if refusal.kind == ERASED_KIND {
                    (ERASED, ERASED)
                } else {
                    (id, value)
                };
                reject_line(&mut self.rejects, line, [id, name, value, &refusal.detail]);
                let phone = match decided.checked.iter().find(|(_, k)| *k == Kind::Phone) {
                    Some(_) if refusal.kind == ERASED_KIND => ERASED,
                    Some(&(c, _)) => cells.cell(c).trim(),
                    None => "",
                };
                // Clipped like the reject file's cells, and without NUL, which Postgres text
                // refuses: the import's end stores these rows.
                let plain = |text: &str| clipped(text).replace('\0', "");
                let row = line.to_string();
                let fields = [row.as_str(), id, phone, &refusal.kind, &refusal.detail].map(plain);
                converted_line(
                    &mut self.not_listed,
                    b',',
                    fields.iter().map(String::as_str),
                );
            }
        }
        if self.sample.len() < SAMPLE_ROWS {
            let erased = matches!(&outcome, Err((_, r)) if r.kind == ERASED_KIND);
            let values = sources.iter().map(|source| match (source, &outcome) {
                (None, _) => String::new(),
                (Some(_), Err(_)) if erased => ERASED.to_string(),
                (Some(c), Ok(())) => self.values[*c].clone(),
                (Some(c), Err(_)) => cells.cell(*c).trim().to_string(),
            });
            self.sample.push(ContactSample {
                row: line,
                values: values.collect(),
                problem: outcome.err().map(|(_, refusal)| refusal.detail),
                flag: flag.map(|flag| flag.detail),
            });
        }
        Ok(())
    }
}
