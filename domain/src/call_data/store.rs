//! One page of records into the raw tables and summaries, inside the caller's transaction:
//! grouped by kind, each kind one statement that inserts what is new and summarises only that.
//! Records kept aside go to `call_data_unknown`; kill-list entries to the DNC registry; attempts
//! a completion-code rule acts on to its queue.

mod agents;
mod calls;
mod jobs;

use std::collections::BTreeMap;

use sqlx::PgConnection;

use super::parse::{Item, Record};
use crate::dnc::kill_list::{KillEntry, Registrar};

/// What a page added, per kind (records already stored count nowhere).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Added {
    pub by_kind: BTreeMap<&'static str, i64>,
    /// Records kept aside (unknown kinds, records breaking the contract).
    pub aside: i64,
    pub unknown_fields: i64,
}

impl Added {
    pub fn total(&self) -> i64 {
        self.by_kind.values().sum()
    }
}

/// The page's records grouped by kind.
#[derive(Default)]
struct Grouped<'a> {
    attempts: Vec<(i64, &'a super::records::Attempt)>,
    intervals: Vec<(i64, &'a super::records::AgentInterval)>,
    sessions: Vec<(i64, &'a super::records::AgentSession)>,
    states: Vec<(i64, &'a super::records::AgentState)>,
    callbacks: Vec<(i64, &'a super::records::Callback)>,
    callback_events: Vec<(i64, &'a super::records::CallbackEvent)>,
    inbound: Vec<(i64, &'a super::records::Inbound)>,
    kills: Vec<(i64, &'a super::records::DialerKill)>,
    job_events: Vec<(i64, &'a super::records::JobEvent)>,
    skips: Vec<(i64, &'a super::records::ContactSkip)>,
    sales: Vec<(i64, &'a super::records::Sale)>,
}

/// Stores sales given by another system rather than the feed (`sales_input`), with the sales
/// summaries; returns how many were new.
pub async fn sales(
    tx: &mut PgConnection,
    tz: &str,
    sales: &[(i64, &super::records::Sale)],
) -> Result<i64, sqlx::Error> {
    calls::sales(tx, tz, sales).await
}

/// Stores `items` read from `source` (report days in `tz`).
pub async fn store(
    tx: &mut PgConnection,
    (source, tz): (&str, &str),
    items: &[Item],
    kills: &mut Registrar<'_>,
) -> Result<Added, sqlx::Error> {
    let mut grouped = Grouped::default();
    let mut added = Added::default();
    for item in items {
        match item {
            Item::Known {
                cursor,
                record,
                unknown_fields,
            } => {
                added.unknown_fields += *unknown_fields as i64;
                group(&mut grouped, *cursor, record);
            }
            Item::Aside {
                cursor,
                kind,
                problem,
                value,
            } => {
                added.aside += sqlx::query!(
                    "insert into call_data_unknown (source, feed_cursor, kind, problem, record)
                     values ($1, $2, $3, $4, $5) on conflict do nothing",
                    source,
                    cursor,
                    kind,
                    problem.as_deref(),
                    value
                )
                .execute(&mut *tx)
                .await?
                .rows_affected() as i64;
            }
        }
    }
    let g = &grouped;
    let counts = [
        ("attempt", calls::attempts(tx, tz, &g.attempts).await?),
        (
            "agent_interval",
            agents::intervals(tx, tz, &g.intervals).await?,
        ),
        (
            "agent_session",
            agents::sessions(tx, tz, &g.sessions).await?,
        ),
        ("agent_state", agents::states(tx, &g.states).await?),
        ("callback", calls::callbacks(tx, &g.callbacks).await? as i64),
        (
            "callback_event",
            calls::callback_events(tx, &g.callback_events).await?,
        ),
        ("inbound", agents::inbound(tx, tz, &g.inbound).await?),
        ("job_event", jobs::events(tx, &g.job_events).await?),
        ("contact_skip", jobs::skips(tx, &g.skips).await?),
        ("sale", calls::sales(tx, tz, &g.sales).await?),
    ];
    // Completion-code rules: queued with the attempts they act on.
    crate::completion_rules::queue::queue(tx, tz, &g.attempts).await?;
    let mut registered = 0;
    for (_, kill) in &g.kills {
        let entry = KillEntry {
            session_id: &kill.session_id,
            organization: &kill.organization,
            dnc_list: &kill.dnc_list,
            address: &kill.address,
            campaign: &kill.campaign,
            added_at: kill.added_at,
        };
        registered += kills.register(tx, &entry).await? as i64;
    }
    added.by_kind = counts.into_iter().collect();
    added.by_kind.insert("dialer_kill", registered);
    Ok(added)
}

fn group<'a>(g: &mut Grouped<'a>, cursor: i64, record: &'a Record) {
    match record {
        Record::Attempt(r) => g.attempts.push((cursor, r)),
        Record::AgentInterval(r) => g.intervals.push((cursor, r)),
        Record::AgentSession(r) => g.sessions.push((cursor, r)),
        Record::AgentState(r) => g.states.push((cursor, r)),
        Record::Callback(r) => g.callbacks.push((cursor, r)),
        Record::CallbackEvent(r) => g.callback_events.push((cursor, r)),
        Record::Inbound(r) => g.inbound.push((cursor, r)),
        Record::DialerKill(r) => g.kills.push((cursor, r)),
        Record::JobEvent(r) => g.job_events.push((cursor, r)),
        Record::ContactSkip(r) => g.skips.push((cursor, r)),
        Record::Sale(r) => g.sales.push((cursor, r)),
    }
}

/// A map as JSON text (for a `jsonb` column through a text array).
pub(super) fn json_text(map: &BTreeMap<String, String>) -> String {
    serde_json::to_string(map).unwrap_or_else(|_| "{}".to_string())
}

/// A decimal amount with at most two places in hundredths (`"12.5"` → 1250); `None` otherwise.
pub fn minor_units(amount: &str) -> Option<i64> {
    let (whole, fraction) = amount.trim().split_once('.').unwrap_or((amount.trim(), ""));
    if whole.is_empty() || fraction.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}
