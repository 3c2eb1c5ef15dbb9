//! How far each job has got through its contacts — contacts it attempted, and those whose last
//! attempt reached nobody (waiting for a retry) — read from the raw attempts. That read sorts a
//! job's attempts (seconds for a million), so each job's answer is kept for [`KEPT_FOR`] and
//! then read again in the background while the floor's other figures, worked out every second,
//! go on with the last answer. Only a job never read before is read while a reader waits.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::error::AppError;

/// How long a job's progress is reused.
pub const KEPT_FOR: Duration = Duration::from_secs(30);
/// A job not asked about for this long is forgotten.
const FORGOTTEN_AFTER: Duration = Duration::from_secs(600);

/// One job's progress through its contacts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub contacts_tried: i64,
    pub retry_waiting: i64,
    pub retry_oldest: Option<OffsetDateTime>,
}

/// The last progress read per job (shared by the organizations' workings-out).
#[derive(Default)]
pub struct ProgressCache {
    jobs: Mutex<HashMap<i64, (Instant, Progress)>>,
    /// A background read is under way (one at a time).
    reading: AtomicBool,
}

impl ProgressCache {
    fn locked(&self) -> std::sync::MutexGuard<'_, HashMap<i64, (Instant, Progress)>> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn keep(&self, ids: &[i64], read: &HashMap<i64, Progress>) {
        let mut kept = self.locked();
        kept.retain(|_, (at, _)| at.elapsed() < FORGOTTEN_AFTER);
        for id in ids {
            let progress = read.get(id).copied().unwrap_or_default();
            kept.insert(*id, (Instant::now(), progress));
        }
    }

    /// Progress of `ids` in `organization` (attempts read from `since` on): jobs never read are
    /// read now; those older than [`KEPT_FOR`] are read again in the background.
    pub async fn of(
        self: &Arc<Self>,
        pool: &PgPool,
        organization: &str,
        ids: &[i64],
        since: OffsetDateTime,
    ) -> Result<HashMap<i64, Progress>, AppError> {
        let (unknown, old): (Vec<i64>, Vec<i64>) = {
            let kept = self.locked();
            let stale = ids
                .iter()
                .copied()
                .filter(|id| kept.get(id).is_none_or(|(at, _)| at.elapsed() >= KEPT_FOR));
            stale.partition(|id| !kept.contains_key(id))
        };
        if !unknown.is_empty() {
            let read = read(pool, organization, &unknown, since).await?;
            self.keep(&unknown, &read);
        }
        if !old.is_empty() && !self.reading.swap(true, Ordering::AcqRel) {
            let (cache, pool, organization) =
                (self.clone(), pool.clone(), organization.to_string());
            tokio::spawn(async move {
                match read(&pool, &organization, &old, since).await {
                    Ok(read) => cache.keep(&old, &read),
                    Err(error) => {
                        tracing::warn!(%error, "a floor progress read failed; the last one stays")
                    }
                }
                cache.reading.store(false, Ordering::Release);
            });
        }
        let kept = self.locked();
        Ok(ids
            .iter()
            .filter_map(|id| kept.get(id).map(|(_, progress)| (*id, *progress)))
            .collect())
    }
}

/// Each job's distinct contacts attempted, and those whose last attempt reached nobody.
async fn read(
    pool: &PgPool,
    organization: &str,
    ids: &[i64],
    since: OffsetDateTime,
) -> Result<HashMap<i64, Progress>, AppError> {
    let rows = sqlx::query!(
        r#"
        with last as (
            select distinct on (job_id, list_name, user_contact_id)
                   job_id, result, attempt_at
            from call_attempt
            where organization = $1 and job_id = any($2) and occurred_at >= $3
            order by job_id, list_name, user_contact_id, attempt_at desc
        )
        select job_id as "job_id!",
               count(*) as "tried!",
               count(*) filter (where result in ('busy', 'no_answer', 'answer_machine', 'failed'))
                   as "waiting!",
               min(attempt_at) filter (where result in ('busy', 'no_answer', 'answer_machine', 'failed'))
                   as waiting_since
        from last group by job_id
        "#,
        organization,
        ids,
        since,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let progress = Progress {
                contacts_tried: r.tried,
                retry_waiting: r.waiting,
                retry_oldest: r.waiting_since,
            };
            (r.job_id, progress)
        })
        .collect())
}
