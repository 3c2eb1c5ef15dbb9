//! What is kept and shown of a pre-flight: the page's summary, and the choices as the pre-flight
//! actually applied them (so that confirming maps exactly the same way).

use super::check::Checked;
use super::preflight::ContactPreflight;
use crate::model::{ColumnMapping, ContactSampleRow, ReasonCount, UploadChoices, UploadPreflight};

/// What the page shows of a pre-flight.
pub fn summary(checked: &Checked) -> UploadPreflight {
    let p = &checked.preflight;
    UploadPreflight {
        format: p.format.clone(),
        sheets: p.sheets.clone(),
        sheet: p.sheet.clone(),
        delimiter: p.delimiter.map(|d| {
            if d == b'\t' {
                "tab".into()
            } else {
                (d as char).to_string()
            }
        }),
        has_header: p.has_header,
        columns: p
            .columns
            .iter()
            .zip(&p.mapping)
            .zip(&p.auto_mapped)
            .map(|((header, attribute), automatic)| ColumnMapping {
                header: header.clone(),
                attribute: attribute.clone(),
                automatic: *automatic,
            })
            .collect(),
        unmapped: p.unmapped.clone(),
        blocking: p.blocking.clone(),
        rows: p.rows,
        valid: p.valid,
        rejected: p.rejected,
        duplicates: p.duplicates,
        reasons: ReasonCount::list(&p.reasons),
        flagged: ReasonCount::list(&p.flagged),
        output_columns: p.output_columns.clone(),
        sample: p
            .sample
            .iter()
            .map(|s| ContactSampleRow {
                row: s.row,
                values: s.values.clone(),
                problem: s.problem.clone(),
                flag: s.flag.clone(),
            })
            .collect(),
        dnc_checked: checked.dnc_checked,
        dnc_note: checked.dnc_note.clone(),
    }
}

/// The choices as used: the mapping the pre-flight applied, so that a later run (the send job)
/// maps exactly the same way even if the automatic rules change.
pub fn settled(choices: &UploadChoices, p: &ContactPreflight) -> UploadChoices {
    UploadChoices {
        mapping: p
            .columns
            .iter()
            .cloned()
            .zip(p.mapping.iter().cloned())
            .collect(),
        has_header: Some(p.has_header),
        sheet: p.sheet.clone(),
        ..choices.clone()
    }
}
