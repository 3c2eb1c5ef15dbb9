//! Reading one page of the feed (JSON lines) into records, pure: unknown kinds and records that
//! break the contract are kept aside with their cursor, a line cut off at the end of an
//! incomplete transfer is left for the next read, and nothing stops the rest of the page.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::records::{
    AgentInterval, AgentSession, Attempt, Callback, CallbackEvent, ContactSkip, DialerKill,
    Inbound, InboundAbandon, InboundCall, JobEvent, Sale,
};
use super::store::minor_units;

/// A line longer than this is not read (a record is a few kilobytes).
pub const MAX_LINE_BYTES: usize = 256 * 1024;

/// A record of a kind OCM knows.
#[derive(Debug, Clone)]
pub enum Record {
    Attempt(Box<Attempt>),
    AgentInterval(AgentInterval),
    AgentSession(AgentSession),
    Callback(Box<Callback>),
    CallbackEvent(CallbackEvent),
    Inbound(Inbound),
    DialerKill(DialerKill),
    JobEvent(JobEvent),
    ContactSkip(ContactSkip),
    Sale(Sale),
}

/// One line of the page.
#[derive(Debug, Clone)]
pub enum Item {
    Known {
        cursor: i64,
        record: Box<Record>,
        /// Fields the contract does not name (counted, not used).
        unknown_fields: usize,
    },
    /// A kind OCM does not know, or a record that breaks the contract (`problem`): kept.
    Aside {
        cursor: i64,
        kind: String,
        problem: Option<String>,
        value: Value,
    },
}

/// Something wrong with the input, by a stable reason (one line in the log per reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub reason: &'static str,
    pub detail: String,
}

/// A page read.
#[derive(Debug, Default)]
pub struct Page {
    pub items: Vec<Item>,
    pub problems: Vec<Problem>,
    /// The last cursor read past (records and lines kept aside included).
    pub last_cursor: Option<i64>,
    /// The transfer ended inside a line: read again from `last_cursor`.
    pub cut_off: bool,
}

/// Reads `body`; `complete` says the transfer ended normally (a last line without its newline
/// is then still a whole line).
pub fn parse_page(body: &str, complete: bool) -> Page {
    let mut page = Page::default();
    let mut rest = body;
    while !rest.is_empty() {
        let (line, next, terminated) = match rest.find('\n') {
            Some(at) => (&rest[..at], &rest[at + 1..], true),
            None => (rest, "", false),
        };
        rest = next;
        if !terminated && !complete {
            page.cut_off = true;
            break;
        }
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match read_line(line) {
            Ok(item) => {
                let cursor = match &item {
                    Item::Known { cursor, .. } | Item::Aside { cursor, .. } => *cursor,
                };
                page.last_cursor = Some(page.last_cursor.map_or(cursor, |c| c.max(cursor)));
                page.problems.extend(breach(&item));
                page.items.push(item);
            }
            Err(problem) => page.problems.push(problem),
        }
    }
    page
}

/// The problem of a record kept aside because it breaks the contract.
pub fn breach(item: &Item) -> Option<Problem> {
    match item {
        Item::Aside {
            cursor,
            kind,
            problem: Some(problem),
            ..
        } => Some(Problem {
            reason: "record_breaks_contract",
            detail: format!("record {cursor} ({kind}) {problem}"),
        }),
        _ => None,
    }
}

fn read_line(line: &str) -> Result<Item, Problem> {
    if line.len() > MAX_LINE_BYTES {
        return Err(Problem {
            reason: "record_too_long",
            detail: format!(
                "a record of {} bytes was skipped (at most {MAX_LINE_BYTES})",
                line.len()
            ),
        });
    }
    let value: Value = serde_json::from_str(line).map_err(|error| Problem {
        reason: "unreadable_line",
        detail: format!("a line is not JSON ({error}); skipped"),
    })?;
    read_value(value)
}

/// One record given as a JSON object with its `kind` and `cursor`.
pub fn read_value(value: Value) -> Result<Item, Problem> {
    let cursor = value
        .get("cursor")
        .and_then(Value::as_i64)
        .ok_or_else(|| Problem {
            reason: "line_without_cursor",
            detail: "a record without a numeric cursor was skipped".to_string(),
        })?;
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let known = match kind.as_str() {
        "attempt" => typed(&value).map(|(r, n)| (Record::Attempt(Box::new(r)), n)),
        "agent_interval" => typed(&value).map(|(r, n)| (Record::AgentInterval(r), n)),
        "agent_session" => typed(&value).map(|(r, n)| (Record::AgentSession(r), n)),
        "callback" => typed(&value).map(|(r, n)| (Record::Callback(Box::new(r)), n)),
        "callback_event" => typed(&value).map(|(r, n)| (Record::CallbackEvent(r), n)),
        "inbound_call" => typed::<InboundCall>(&value).map(|(r, n)| (Record::Inbound(r.into()), n)),
        "inbound_abandon" => {
            typed::<InboundAbandon>(&value).map(|(r, n)| (Record::Inbound(r.into()), n))
        }
        "dialer_kill" => typed(&value).map(|(r, n)| (Record::DialerKill(r), n)),
        "job_event" => typed(&value).map(|(r, n)| (Record::JobEvent(r), n)),
        "contact_skip" => typed(&value).map(|(r, n)| (Record::ContactSkip(r), n)),
        "sale" => typed::<Sale>(&value).and_then(|(r, n)| match minor_units(&r.amount) {
            Some(_) => Ok((Record::Sale(r), n)),
            None => Err(format!(
                "has an amount ({}) that is not a decimal",
                r.amount
            )),
        }),
        _ => {
            return Ok(Item::Aside {
                cursor,
                kind,
                problem: None,
                value,
            })
        }
    };
    Ok(match known {
        Ok((record, unknown_fields)) => Item::Known {
            cursor,
            record: Box::new(record),
            unknown_fields,
        },
        Err(error) => Item::Aside {
            cursor,
            kind,
            problem: Some(error),
            value,
        },
    })
}

/// The record as `T`, and how many of its fields `T` does not know (`kind` and `cursor` aside).
fn typed<T: DeserializeOwned + HasExtra>(value: &Value) -> Result<(T, usize), String> {
    let record: T =
        T::deserialize(value).map_err(|e| format!("does not match the contract: {e}"))?;
    let unknown = record
        .extra()
        .keys()
        .filter(|k| *k != "kind" && *k != "cursor")
        .count();
    Ok((record, unknown))
}

/// Records that collect the fields they do not know.
pub trait HasExtra {
    fn extra(&self) -> &std::collections::BTreeMap<String, Value>;
}

macro_rules! has_extra {
    ($($t:ty),*) => {
        $(impl HasExtra for $t {
            fn extra(&self) -> &std::collections::BTreeMap<String, Value> {
                &self.extra
            }
        })*
    };
}

has_extra!(
    Attempt,
    AgentInterval,
    AgentSession,
    Callback,
    CallbackEvent,
    InboundCall,
    InboundAbandon,
    DialerKill,
    JobEvent,
    ContactSkip,
    Sale
);

#[cfg(test)]
mod tests;
