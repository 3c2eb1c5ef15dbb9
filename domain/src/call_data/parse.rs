//! Reading one page of the feed (JSON lines) into records, pure: unknown kinds and records that
//! break the contract are kept aside with their cursor, a line cut off at the end of an
//! incomplete transfer is left for the next read, and nothing stops the rest of the page.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::records::{
    AgentInterval, AgentSession, AgentState, Attempt, Callback, CallbackEvent, ContactSkip,
    DialerKill, Inbound, InboundAbandon, InboundCall, JobEvent, Sale,
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
    AgentState(AgentState),
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

impl Item {
    /// The line's place in the feed.
    pub fn cursor(&self) -> i64 {
        match self {
            Item::Known { cursor, .. } | Item::Aside { cursor, .. } => *cursor,
        }
    }
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
    /// Lines read (records, lines kept aside and lines that could not be read).
    pub lines: usize,
}

/// Reads `body` of a feed declaring contract `version`; `complete` says the transfer ended
/// normally (a last line without its newline is then still a whole line).
pub fn parse_page(body: &str, complete: bool, version: u32) -> Page {
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
        page.lines += 1;
        match read_line(line).map(|item| held_to(item, version, line)) {
            Ok(item) => {
                let cursor = item.cursor();
                page.last_cursor = Some(page.last_cursor.map_or(cursor, |c| c.max(cursor)));
                page.problems.extend(breach(&item));
                page.items.push(item);
            }
            Err(problem) => page.problems.push(problem),
        }
    }
    page
}

/// A record its feed's declared version does not allow, kept aside: before version 3 every
/// callback names the session it was arranged on.
fn held_to(item: Item, version: u32, line: &str) -> Item {
    match item {
        Item::Known { cursor, record, .. }
            if version < 3
                && matches!(&*record, Record::Callback(callback) if callback.session_id.is_none()) =>
        {
            Item::Aside {
                cursor,
                kind: "callback".to_string(),
                problem: Some(format!(
                    "has no session_id, which contract version {version} requires (only version 3 allows none)"
                )),
                value: serde_json::from_str(line).unwrap_or(Value::Null),
            }
        }
        item => item,
    }
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
    if checks::has_nul_escape(line) {
        return Err(nul_problem());
    }
    // The usual line is read once into its record, with no tree of values in between (that
    // tree cost half of ingestion's time); anything unusual takes the general path.
    if let Ok(Envelope {
        kind: Some(kind),
        cursor: Some(cursor),
    }) = serde_json::from_str::<Envelope>(line)
    {
        let mut reader = serde_json::Deserializer::from_str(line);
        if let Some(Ok((record, unknown_fields))) = known(&kind, &mut reader) {
            return Ok(Item::Known {
                cursor,
                record: Box::new(record),
                unknown_fields,
            });
        }
    }
    let value: Value = serde_json::from_str(line).map_err(|error| Problem {
        reason: "unreadable_line",
        detail: format!("a line is not JSON ({error}); skipped"),
    })?;
    read_value(value)
}

fn nul_problem() -> Problem {
    Problem {
        reason: "record_with_nul",
        detail: "a record holding a NUL character (which Postgres cannot store) was skipped"
            .to_string(),
    }
}

/// A line's kind and cursor, its other fields skipped unread.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    kind: Option<Cow<'a, str>>,
    cursor: Option<i64>,
}

/// One record given as a JSON object with its `kind` and `cursor`.
pub fn read_value(value: Value) -> Result<Item, Problem> {
    if checks::holds_nul(&value) {
        return Err(nul_problem());
    }
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
    Ok(match known(&kind, &value) {
        None => Item::Aside {
            cursor,
            kind,
            problem: None,
            value,
        },
        Some(Ok((record, unknown_fields))) => Item::Known {
            cursor,
            record: Box::new(record),
            unknown_fields,
        },
        Some(Err(error)) => Item::Aside {
            cursor,
            kind,
            problem: Some(error),
            value,
        },
    })
}

/// The record of `kind` read from `reader` with how many fields the contract does not name;
/// `None` for a kind OCM does not know.
fn known<'de, D>(kind: &str, reader: D) -> Option<Result<(Record, usize), String>>
where
    D: Deserializer<'de>,
{
    Some(match kind {
        "attempt" => typed(reader).map(|(r, n)| (Record::Attempt(Box::new(r)), n)),
        "agent_interval" => typed(reader).map(|(r, n)| (Record::AgentInterval(r), n)),
        "agent_session" => typed(reader).map(|(r, n)| (Record::AgentSession(r), n)),
        "agent_state" => typed(reader).map(|(r, n)| (Record::AgentState(r), n)),
        "callback" => typed(reader).map(|(r, n)| (Record::Callback(Box::new(r)), n)),
        "callback_event" => typed(reader).map(|(r, n)| (Record::CallbackEvent(r), n)),
        "inbound_call" => {
            typed::<InboundCall, _>(reader).map(|(r, n)| (Record::Inbound(r.into()), n))
        }
        "inbound_abandon" => {
            typed::<InboundAbandon, _>(reader).map(|(r, n)| (Record::Inbound(r.into()), n))
        }
        "dialer_kill" => typed(reader).map(|(r, n)| (Record::DialerKill(r), n)),
        "job_event" => typed::<JobEvent, _>(reader).and_then(|(r, n)| {
            if checks::list_sizes_ok(&r.list_sizes) {
                Ok((Record::JobEvent(r), n))
            } else {
                Err("has list sizes that are not lists with whole contact counts".to_string())
            }
        }),
        "contact_skip" => typed(reader).map(|(r, n)| (Record::ContactSkip(r), n)),
        "sale" => typed::<Sale, _>(reader).and_then(|(r, n)| match minor_units(&r.amount) {
            Some(minor) if minor <= checks::MAX_AMOUNT_MINOR => Ok((Record::Sale(r), n)),
            _ => Err(format!(
                "has an amount ({}) that is not a decimal up to 10,000,000,000",
                r.amount
            )),
        }),
        _ => return None,
    })
}

/// The record as `T`, and how many of its own fields `T` does not know (`kind` and `cursor`
/// aside; fields inside nested values are not counted).
fn typed<'de, T, D>(reader: D) -> Result<(T, usize), String>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    let mut unknown = 0;
    let record = serde_ignored::deserialize(reader, |path| {
        if let serde_ignored::Path::Map {
            parent: serde_ignored::Path::Root,
            key,
        } = path
        {
            if key != "kind" && key != "cursor" {
                unknown += 1;
            }
        }
    })
    .map_err(|e| format!("does not match the contract: {e}"))?;
    Ok((record, unknown))
}

mod checks;

#[cfg(test)]
mod tests;
