//! The audit records of the API's reads, written off the answer's path: reads of people's data
//! (reports, callbacks, DNC look-ups, users) as one record per call, queued and written in
//! batches; reads of operational status (campaigns, lists, emergency mode) counted per client,
//! route and address and written as one record per second with the number of calls
//! (docs/decisions.md, "Auditing the API's status reads").

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde_json::json;
use sqlx::PgPool;
use tokio::sync::mpsc;

use crate::audit::{self, Actor, AuditEvent};
use crate::error::AppError;
use crate::request_meta::RequestMeta;

/// Read records waiting for the writer at most; past it a read writes its own record.
const READ_QUEUE: usize = 10_000;
/// Read records written in one transaction at most.
const READ_BATCH: usize = 500;
/// How often counted status reads are written: what a crash can lose at most.
pub const STATUS_READS_EVERY: Duration = Duration::from_secs(1);
/// Distinct (client, route, organization, address, agent) counted at most between two writes;
/// past it a status read writes its own record, so no caller can grow the memory.
const TALLY_MAX: usize = 10_000;

struct PendingRead {
    actor: Actor,
    meta: RequestMeta,
    event: AuditEvent,
}

/// What makes two status reads the same record.
#[derive(Clone, PartialEq, Eq, Hash)]
struct TallyKey {
    username: Option<String>,
    actor_organization: Option<String>,
    target: Option<String>,
    organization: Option<String>,
    client_addr: String,
    user_agent: Option<String>,
}

/// Status reads counted since the last write under one key.
struct Counted {
    read: PendingRead,
    calls: u64,
    first_at: Timestamp,
    last_at: Timestamp,
}

type Tally = HashMap<TallyKey, Counted>;

/// The counted reads and the one write of them under way: a shutdown's last write waits for the
/// ticker's, so no second's counts are taken and then lost to a closing pool.
#[derive(Default)]
struct Counting {
    tally: Mutex<Tally>,
    writing: tokio::sync::Mutex<()>,
}

/// The API's read records. A full queue or tally, or a writer that is gone, makes the read
/// write its own record: none is dropped. A crash loses what was not yet written: milliseconds
/// of people's-data reads, at most a second of counted status reads; a graceful shutdown writes
/// both ([`ReadAudit::flush`]), except reads still being answered past the shutdown's grace
/// period, whose handlers are then cut off anyway.
#[derive(Clone)]
pub struct ReadAudit {
    queue: mpsc::Sender<PendingRead>,
    waiting: Arc<AtomicUsize>,
    counting: Arc<Counting>,
    pool: PgPool,
}

impl ReadAudit {
    /// Starts the writers on `pool` (call within the runtime).
    pub fn start(pool: PgPool) -> Self {
        let (queue, receiver) = mpsc::channel(READ_QUEUE);
        let waiting = Arc::new(AtomicUsize::new(0));
        tokio::spawn(write_reads(pool.clone(), receiver, waiting.clone()));
        let counting = Arc::default();
        tokio::spawn(write_tallies_every_second(
            Arc::downgrade(&counting),
            pool.clone(),
        ));
        ReadAudit {
            queue,
            waiting,
            counting,
            pool,
        }
    }

    /// Records a read of people's data: one record for this call.
    pub async fn record(
        &self,
        actor: Actor,
        meta: RequestMeta,
        event: AuditEvent,
    ) -> Result<(), AppError> {
        let pending = PendingRead { actor, meta, event };
        self.waiting.fetch_add(1, Ordering::AcqRel);
        match self.queue.try_send(pending) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(p) | mpsc::error::TrySendError::Closed(p)) => {
                self.waiting.fetch_sub(1, Ordering::AcqRel);
                Ok(audit::record(&self.pool, &p.actor, &p.meta, p.event).await?)
            }
        }
    }

    /// Counts a read of operational status into the record of its client, route, organization,
    /// address and agent for this second.
    pub async fn count(
        &self,
        actor: Actor,
        meta: RequestMeta,
        event: AuditEvent,
    ) -> Result<(), AppError> {
        let key = TallyKey {
            username: actor.username.clone(),
            actor_organization: actor.organization.clone(),
            target: event.target.clone(),
            organization: event.organization.clone(),
            client_addr: meta.client_addr.clone(),
            user_agent: meta.user_agent.clone(),
        };
        let now = Timestamp::now();
        let own_record = {
            let mut tally = locked(&self.counting.tally);
            let room = tally.len() < TALLY_MAX;
            match tally.get_mut(&key) {
                Some(counted) => {
                    counted.calls += 1;
                    counted.last_at = now;
                    None
                }
                None if room => {
                    let read = PendingRead { actor, meta, event };
                    tally.insert(
                        key,
                        Counted {
                            read,
                            calls: 1,
                            first_at: now,
                            last_at: now,
                        },
                    );
                    None
                }
                None => Some(PendingRead { actor, meta, event }),
            }
        };
        match own_record {
            None => Ok(()),
            Some(p) => Ok(audit::record(&self.pool, &p.actor, &p.meta, p.event).await?),
        }
    }

    /// Writes what is counted and waits until every queued read is written, for at most
    /// `within` (shutdown).
    pub async fn flush(&self, within: Duration) {
        write_tally(&self.counting, &self.pool).await;
        let deadline = Instant::now() + within;
        while self.waiting.load(Ordering::Acquire) > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let left = self.waiting.load(Ordering::Acquire);
        if left > 0 {
            tracing::warn!(left, "API read records still queued at shutdown");
        }
    }
}

/// The record of counted status reads: the first call's request id, the number of calls and
/// when the first and the last were answered.
fn counted_record(counted: Counted) -> PendingRead {
    let Counted {
        mut read,
        calls,
        first_at,
        last_at,
    } = counted;
    read.event = read
        .event
        .with_counts(json!({ "calls": calls }))
        .with_parameters(json!({
            "counted": true,
            "first_at": first_at.to_string(),
            "last_at": last_at.to_string(),
        }));
    read
}

fn locked(tally: &Mutex<Tally>) -> std::sync::MutexGuard<'_, Tally> {
    tally
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Writes the counted status reads now (every second, and at shutdown), after any write of them
/// already under way.
async fn write_tally(counting: &Counting, pool: &PgPool) {
    let _writing = counting.writing.lock().await;
    let counted = std::mem::take(&mut *locked(&counting.tally));
    if counted.is_empty() {
        return;
    }
    let records: Vec<PendingRead> = counted.into_values().map(counted_record).collect();
    write_all(pool, &records).await;
}

/// Writes the tally every second for as long as the instance's `ReadAudit` lives.
async fn write_tallies_every_second(counting: Weak<Counting>, pool: PgPool) {
    let mut every = tokio::time::interval(STATUS_READS_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let Some(counting) = counting.upgrade() else {
            return;
        };
        write_tally(&counting, &pool).await;
    }
}

async fn write_batch(pool: &PgPool, batch: &[PendingRead]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for read in batch {
        audit::record(&mut *tx, &read.actor, &read.meta, read.event.clone()).await?;
    }
    tx.commit().await
}

/// Writes `records` in one transaction; if that fails, each on its own, so one bad record cannot
/// lose the others.
async fn write_all(pool: &PgPool, records: &[PendingRead]) {
    for batch in records.chunks(READ_BATCH) {
        if let Err(error) = write_batch(pool, batch).await {
            tracing::warn!(error = %error, reads = batch.len(), "writing a batch of API read records failed");
            for read in batch {
                if let Err(error) =
                    audit::record(pool, &read.actor, &read.meta, read.event.clone()).await
                {
                    tracing::error!(
                        error = %error,
                        client = read.actor.username.as_deref().unwrap_or("-"),
                        route = read.event.target.as_deref().unwrap_or("-"),
                        counts = ?read.event.counts,
                        "an API read's audit record could not be written"
                    );
                }
            }
        }
    }
}

async fn write_reads(
    pool: PgPool,
    mut receiver: mpsc::Receiver<PendingRead>,
    waiting: Arc<AtomicUsize>,
) {
    let mut batch = Vec::with_capacity(READ_BATCH);
    while let Some(first) = receiver.recv().await {
        batch.push(first);
        while batch.len() < READ_BATCH {
            match receiver.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        write_all(&pool, &batch).await;
        waiting.fetch_sub(batch.len(), Ordering::AcqRel);
        batch.clear();
    }
}
