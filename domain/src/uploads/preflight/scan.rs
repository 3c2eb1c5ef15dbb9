//! One pass over the rows: the first rows are held back until the header, the columns and the
//! mapping are decided, then each data row is checked by the row rules in order (`rules`, the
//! first problem wins) as it arrives and its outcome kept (`tally`). Blank rows are skipped and
//! not counted. What is kept: the counts, the sample, the ids (compactly, for duplicates), the
//! reject file and the converted file.

use std::collections::HashSet;

use super::header::{column_names, is_header};
use super::mapping::Plan;
use super::output::{converted_line, rejects_start};
use super::values::{Kind, Refusal};
use super::{Attribute, ContactPreflight, OutputLayout, ParseError, UploadOptions};
use crate::tabular::{Cells, RowSink, Source, TableRead, Unique};
use tally::Tally;

mod rules;
mod tally;

/// Rows looked at to decide the columns of a spreadsheet (whose rows end at their last value).
const DETECT_ROWS: usize = 100;

/// The caller's inputs.
struct Inputs<'a> {
    options: &'a UploadOptions,
    attributes: &'a [Attribute],
    layout: &'a OutputLayout,
    dnc_hits: &'a HashSet<String>,
}

/// What the first rows decided.
struct Decided {
    source: Source,
    has_header: bool,
    width: usize,
    columns: Vec<String>,
    plan: Plan,
    /// The mapped columns besides userContactId's, in the order of the row rules.
    checked: Vec<(usize, Kind)>,
    /// Whether a phone or e-mail column is mapped.
    reaches: bool,
    sendable: bool,
}

/// A rejected row: the column at fault (none for the row as a whole) and why.
type Reject = (Option<usize>, Refusal);

pub(super) struct Scan<'a> {
    inputs: Inputs<'a>,
    source: Source,
    pending: Vec<(u64, Vec<String>)>,
    decided: Option<Decided>,
    tally: Tally,
}

impl<'a> Scan<'a> {
    pub(super) fn new(
        options: &'a UploadOptions,
        attributes: &'a [Attribute],
        layout: &'a OutputLayout,
        dnc_hits: &'a HashSet<String>,
    ) -> Self {
        Scan {
            inputs: Inputs {
                options,
                attributes,
                layout,
                dnc_hits,
            },
            source: Source::Text,
            pending: Vec::new(),
            decided: None,
            tally: Tally {
                addresses: (options.collect_addresses_up_to > 0).then(Unique::new),
                rejects: rejects_start(),
                ..Tally::default()
            },
        }
    }

    /// Decides from the rows held back, then checks them.
    fn decide(&mut self) -> Result<(), ParseError> {
        let (decided, pending) = self.layout();
        let decided = self.decided.insert(decided);
        self.tally.replay(&self.inputs, decided, pending)
    }

    /// The header, columns and mapping from the rows held back, which are handed back.
    fn layout(&mut self) -> (Decided, Vec<(u64, Vec<String>)>) {
        let inputs = &self.inputs;
        let pending = std::mem::take(&mut self.pending);
        let first = pending.first().map(|(_, cells)| cells.as_slice());
        let has_header = first.is_some_and(|first| {
            inputs
                .options
                .has_header
                .unwrap_or_else(|| is_header(first, inputs.attributes, &inputs.options.numbers))
        });
        let width = match self.source {
            Source::Text => first.map_or(0, <[String]>::len),
            Source::Sheet => pending.iter().map(|(_, c)| c.len()).max().unwrap_or(0),
        };
        let columns = column_names(first.filter(|_| has_header), width);
        let plan = Plan::new(&columns, inputs.options, inputs.attributes, inputs.layout);
        let mut checked: Vec<(usize, Kind)> = plan
            .kinds
            .iter()
            .enumerate()
            .filter(|&(column, _)| Some(column) != plan.id)
            .filter_map(|(column, kind)| kind.map(|kind| (column, kind)))
            .collect();
        checked.sort_by_key(|&(column, kind)| (kind, column));
        let sendable = plan.blocking.is_empty();
        if sendable && inputs.layout.header_row {
            let names = plan.output.iter().map(String::as_str);
            converted_line(&mut self.tally.converted, inputs.layout.delimiter, names);
        }
        self.tally.values = vec![String::new(); width];
        let decided = Decided {
            source: self.source,
            has_header,
            width,
            columns,
            reaches: checked.iter().any(|(_, kind)| kind.reaches()),
            checked,
            plan,
            sendable,
        };
        (decided, pending)
    }

    /// The result; `read` tells what was read.
    pub(super) fn finish(mut self, read: TableRead) -> Result<ContactPreflight, ParseError> {
        let decided = match self.decided.take() {
            Some(decided) => decided,
            None => {
                let (decided, pending) = self.layout();
                self.tally.replay(&self.inputs, &decided, pending)?;
                decided
            }
        };
        let tally = self.tally;
        let mut reasons: Vec<(String, u64)> = tally.reasons.into_iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut flagged: Vec<(String, u64)> = tally.flagged.into_iter().collect();
        flagged.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let (sent_ids, addresses) = if decided.sendable {
            let ids = tally.ids.into_values().into_iter().zip(tally.valid_ids);
            (
                ids.filter_map(|(id, valid)| valid.then_some(id)).collect(),
                tally.addresses.map(Unique::into_values).unwrap_or_default(),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let plan = decided.plan;
        let unmapped = decided
            .columns
            .iter()
            .zip(&plan.mapping)
            .enumerate()
            .filter_map(|(index, (name, m))| match m {
                None => Some(name.clone()),
                Some(attribute) if plan.dropped.contains(&index) => Some(format!(
                    "{name} (mapped to {attribute}, which the data source's layout has no column for)"
                )),
                Some(_) => None,
            })
            .collect();
        Ok(ContactPreflight {
            format: read.format,
            delimiter: read.delimiter,
            sheets: read.sheets,
            sheet: read.sheet,
            has_header: decided.has_header,
            columns: decided.columns,
            mapping: plan.mapping,
            auto_mapped: plan.auto_mapped,
            unmapped,
            blocking: plan.blocking,
            rows: tally.rows,
            valid: tally.rows - tally.rejected,
            rejected: tally.rejected,
            duplicates: tally.duplicates,
            reasons,
            flagged,
            sample: tally.sample,
            output_columns: plan.output,
            rejects_csv: tally.rejects,
            not_listed_rows: tally.not_listed,
            converted: if decided.sendable {
                tally.converted
            } else {
                Vec::new()
            },
            sent_ids,
            addresses,
        })
    }
}

impl RowSink for Scan<'_> {
    fn begin(&mut self, source: Source) {
        self.source = source;
    }

    fn row(&mut self, line: u64, cells: &dyn Cells) -> Result<(), ParseError> {
        let width = cells.width();
        if (0..width).all(|i| cells.cell(i).trim().is_empty()) {
            return Ok(());
        }
        match &self.decided {
            Some(decided) => self.tally.row(&self.inputs, decided, line, cells),
            None => {
                let row = (0..width).map(|i| cells.cell(i).to_string()).collect();
                self.pending.push((line, row));
                if self.pending.len() == DETECT_ROWS {
                    self.decide()?;
                }
                Ok(())
            }
        }
    }
}
