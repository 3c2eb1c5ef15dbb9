//! The row rules, in order, the first problem winning: the row's width against the header's,
//! userContactId present, valid and not on an earlier row, every mapped value valid for its type
//! (phone numbers, e-mail addresses, dates, numbers, booleans), some way to reach the contact, and
//! none of its addresses on a DNC list.

use super::{Decided, Inputs, Reject, Tally};
use crate::dnc::parse::check_contact_id;
use crate::erasure::tombstone::erased_reason;
use crate::tabular::{Cells, Source};
use crate::uploads::preflight::mapping::CONTACT_ID;
use crate::uploads::preflight::values::{check, Kind, Refusal, Rules};

const NO_ADDRESS: &str = "no phone number or e-mail";

/// A text row must have the header's (or first row's) number of fields; a spreadsheet row, whose
/// trailing empty cells are not there, no value beyond the columns.
pub(super) fn width_problem(decided: &Decided, cells: &dyn Cells) -> Option<Reject> {
    let width = decided.width;
    let against = if decided.has_header {
        "the header"
    } else {
        "the first row"
    };
    let detail = match decided.source {
        Source::Text if cells.width() != width => {
            format!("row has {} fields, {against} has {width}", cells.width())
        }
        Source::Text => return None,
        Source::Sheet => {
            let last = (0..cells.width())
                .rev()
                .find(|&i| !cells.cell(i).trim().is_empty())?;
            if last < width {
                return None;
            }
            let against = if decided.has_header {
                "the header's"
            } else {
                "the first rows'"
            };
            format!(
                "row has a value in column {}, beyond {against} {width} columns",
                last + 1
            )
        }
    };
    Some((None, Refusal::new(detail, "wrong number of fields".into())))
}

/// E-mail addresses are compared lower-cased, as the DNC list keeps them.
pub(super) fn address(kind: Kind, value: &str) -> String {
    match kind {
        Kind::Email => value.to_lowercase(),
        _ => value.to_string(),
    }
}

impl Tally {
    /// Whether the id was kept (it appears for the first time), or why the row is rejected.
    pub(super) fn check_id(
        &mut self,
        inputs: &Inputs<'_>,
        decided: &Decided,
        line: u64,
        cells: &dyn Cells,
    ) -> Result<bool, Reject> {
        let Some(column) = decided.plan.id else {
            return Ok(false);
        };
        let name = &decided.columns[column];
        let id = cells.cell(column).trim();
        if id.is_empty() {
            return Err((
                Some(column),
                Refusal::new(
                    format!("no {CONTACT_ID}: column '{name}' is empty"),
                    format!("no {CONTACT_ID}"),
                ),
            ));
        }
        let owned = check_contact_id(id)
            .map_err(|problem| (Some(column), Refusal::problem(name, id, &problem)))?;
        if let Some(erasure_id) = inputs.options.erased.customer_id(&owned) {
            return Err((Some(column), erased(erasure_id)));
        }
        if let Err(first) = self.ids.insert(owned, line) {
            self.duplicates += 1;
            return Err((
                Some(column),
                Refusal::new(
                    format!("{CONTACT_ID} {id} already on row {first}"),
                    format!("{CONTACT_ID} already on an earlier row"),
                ),
            ));
        }
        let value = &mut self.values[column];
        value.clear();
        value.push_str(id);
        Ok(true)
    }

    /// Every other mapped value, converted into `values`; then the row must reach the contact
    /// and not be on a DNC list. A valid row may come with the first value's flag.
    pub(super) fn check_values(
        &mut self,
        inputs: &Inputs<'_>,
        decided: &Decided,
        cells: &dyn Cells,
    ) -> Result<Option<Refusal>, Reject> {
        let rules = Rules {
            numbers: &inputs.options.numbers,
            dates: inputs.options.date_format,
        };
        let mut flag = None;
        for &(column, kind) in &decided.checked {
            let raw = cells.cell(column).trim();
            let value = &mut self.values[column];
            value.clear();
            if !raw.is_empty() {
                let flagged = check(kind, raw, &decided.columns[column], &rules, value)
                    .map_err(|refusal| (Some(column), refusal))?;
                flag = flag.or(flagged);
            }
        }
        let reaching = || {
            decided
                .checked
                .iter()
                .filter(|(column, kind)| kind.reaches() && !self.values[*column].is_empty())
        };
        if decided.reaches && reaching().next().is_none() {
            let refusal = Refusal::new(NO_ADDRESS.into(), NO_ADDRESS.into());
            return Err((None, refusal));
        }
        if !inputs.dnc_hits.is_empty() {
            for &(column, kind) in reaching() {
                let key = address(kind, &self.values[column]);
                if inputs.dnc_hits.contains(&key) {
                    let refusal =
                        Refusal::new(format!("on a DNC list: {key}"), "on a DNC list".into());
                    return Err((Some(column), refusal));
                }
            }
        }
        // Any mapped column, not only the ones that reach the contact: an erased number kept as
        // an account's "home phone" text is the person's all the same.
        if !inputs.options.erased.is_empty() {
            for &(column, _) in &decided.checked {
                let raw = cells.cell(column).trim();
                let looks_like_address =
                    raw.contains('@') || raw.bytes().filter(u8::is_ascii_digit).count() >= 6;
                let erasure = looks_like_address
                    .then(|| inputs.options.erased.address(raw, rules.numbers))
                    .flatten();
                if let Some(erasure_id) = erasure {
                    return Err((Some(column), erased(erasure_id)));
                }
            }
        }
        Ok(flag)
    }
}

/// The kind of refusal of a row whose person was erased on request.
pub(super) const ERASED_KIND: &str = "erased on request (right to erasure)";

/// The refusal of a row whose person was erased on request.
fn erased(erasure_id: i64) -> Refusal {
    Refusal::new(erased_reason(erasure_id), ERASED_KIND.into())
}
