//! The one campaign-job poller of this server: each organization's board lives in a `watch`
//! channel that every open browser of that organization shares, and POM's job list is read at
//! most once per interval for all watched organizations together, however many tabs are open.
//! No lock is held across a POM call: while a read is under way, everyone else gets the last
//! board (with when it was read and POM's problem, if any) instead of waiting for it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pom::client::rest::JobSummary;
use pom::client::{CampaignInfo, PomClient};
use sqlx::PgPool;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::emergency;
use super::observe::{self, Seen};
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::CampaignBoard;
use crate::organizations;
use crate::pom_client;
use crate::settings::CampaignSettings;

/// How often every organization is read while nobody watches (for the dashboard's figures).
const IDLE_EVERY: Duration = Duration::from_secs(30);
/// How long a caller waits for the first read of an organization never read before.
const FIRST_READ_WAIT: Duration = Duration::from_secs(3);

/// Boards per organization and what the last reads of POM returned.
#[derive(Clone)]
pub struct CampaignMonitor {
    inner: Arc<Inner>,
}

struct Inner {
    pool: PgPool,
    pom: Option<PomClient>,
    settings: CampaignSettings,
    boards: Mutex<HashMap<String, watch::Sender<Arc<CampaignBoard>>>>,
    catalogues: Mutex<HashMap<String, (Instant, Vec<CampaignInfo>)>>,
    last_read: Mutex<HashMap<String, Instant>>,
    /// Held by the one read under way (never waited for, except for a first read).
    reading: tokio::sync::Mutex<()>,
    /// The state each job was last written in, so only changes are written.
    seen: tokio::sync::Mutex<Seen>,
    wake: Notify,
    /// Set by [`CampaignMonitor::nudge`]: the next read ignores the interval.
    forced: AtomicBool,
    /// Jobs emergency mode stops, when it last tried each.
    enforced: emergency::mode::Enforcement,
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl CampaignMonitor {
    /// A monitor reading `pom` (none: every read answers that no POM is configured) and
    /// writing job states to `pool`.
    pub fn new(pool: PgPool, pom: Option<PomClient>, settings: CampaignSettings) -> Self {
        CampaignMonitor {
            inner: Arc::new(Inner {
                pool,
                pom,
                settings,
                boards: Mutex::default(),
                catalogues: Mutex::default(),
                last_read: Mutex::default(),
                reading: tokio::sync::Mutex::default(),
                seen: tokio::sync::Mutex::default(),
                wake: Notify::new(),
                forced: AtomicBool::new(false),
                enforced: emergency::mode::Enforcement::default(),
            }),
        }
    }

    fn pom(&self) -> Result<&PomClient, AppError> {
        pom_client::required(self.inner.pom.as_ref())
    }

    /// A live view of `organization`'s board; the poller reads POM while anyone holds one.
    pub fn subscribe(&self, organization: &str) -> watch::Receiver<Arc<CampaignBoard>> {
        let receiver = self.sender(organization).subscribe();
        self.inner.wake.notify_one();
        receiver
    }

    /// Reads POM again soon (after an action), without waiting for the next interval.
    pub fn nudge(&self) {
        self.inner.forced.store(true, Ordering::SeqCst);
        self.inner.wake.notify_one();
    }

    fn sender(&self, organization: &str) -> watch::Sender<Arc<CampaignBoard>> {
        locked(&self.inner.boards)
            .entry(organization.to_string())
            .or_insert_with(|| watch::Sender::new(Arc::new(empty_board(organization))))
            .clone()
    }

    fn watched(&self) -> Vec<String> {
        locked(&self.inner.boards)
            .iter()
            .filter(|(_, sender)| sender.receiver_count() > 0)
            .map(|(organization, _)| organization.clone())
            .collect()
    }

    /// The organization's board, read from POM unless a read within the interval exists or one
    /// is under way (then the last board, read or not).
    pub async fn current(&self, organization: &str) -> Result<Arc<CampaignBoard>, AppError> {
        self.refresh(&[organization.to_string()], false).await?;
        Ok(self.sender(organization).borrow().clone())
    }

    /// The organization's catalogue (cached for the configured time unless `fresh`).
    pub async fn catalogue(
        &self,
        organization: &str,
        fresh: bool,
    ) -> Result<Vec<CampaignInfo>, AppError> {
        let ttl = self.inner.settings.catalogue_ttl;
        if let Some((at, campaigns)) = locked(&self.inner.catalogues).get(organization) {
            if !fresh && at.elapsed() < ttl {
                return Ok(campaigns.clone());
            }
        }
        let mut campaigns = self
            .pom()?
            .campaigns(organization)
            .await
            .map_err(|e| AppError::ExternalService(e.user_message()))?;
        // The search is a "like": keep exactly this organization's campaigns.
        campaigns.retain(|c| c.organization_name.as_deref() == Some(organization));
        campaigns.sort_by(|a, b| a.campaign_name.cmp(&b.campaign_name));
        locked(&self.inner.catalogues).insert(
            organization.to_string(),
            (Instant::now(), campaigns.clone()),
        );
        Ok(campaigns)
    }

    /// Reads POM for the organizations whose boards are older than the interval (all of them
    /// when `force`): their catalogues when stale, then one job list for all.
    pub async fn refresh(&self, organizations: &[String], force: bool) -> Result<(), AppError> {
        let client = self.pom()?;
        let interval = self.inner.settings.poll_interval;
        // Whether a board was never published: `last_read` is set when a read starts, so it
        // cannot tell while the first read is under way.
        let unpublished = |organization: &String| {
            let board = self.sender(organization).borrow().clone();
            board.read_at.is_none() && board.pom_problem.is_none()
        };
        let due: Vec<String> = {
            let last_read = locked(&self.inner.last_read);
            organizations
                .iter()
                .filter(|o| force || last_read.get(*o).is_none_or(|at| at.elapsed() >= interval))
                .cloned()
                .collect()
        };
        let due: Vec<String> = if due.is_empty() {
            organizations
                .iter()
                .filter(|o| unpublished(o))
                .cloned()
                .collect()
        } else {
            due
        };
        if due.is_empty() {
            return Ok(());
        }
        let never_read = || due.iter().any(unpublished);
        let _reading = match self.inner.reading.try_lock() {
            Ok(reading) => reading,
            // Another read is under way: its board will do, unless there is none at all yet.
            Err(_) if !never_read() => return Ok(()),
            Err(_) => {
                match tokio::time::timeout(FIRST_READ_WAIT, self.inner.reading.lock()).await {
                    // That read may have been of other organizations: read these if still unread.
                    Ok(reading) if never_read() => reading,
                    _ => return Ok(()),
                }
            }
        };
        {
            let mut last_read = locked(&self.inner.last_read);
            for organization in &due {
                last_read.insert(organization.clone(), Instant::now());
            }
        }
        let mut catalogues = Vec::with_capacity(due.len());
        for organization in &due {
            catalogues.push(self.catalogue(organization, false).await);
        }
        let jobs = client.job_list().await.map_err(|e| e.user_message());
        for (organization, catalogue) in due.iter().zip(catalogues) {
            let read = match (catalogue, &jobs) {
                (Ok(campaigns), Ok(jobs)) => Ok((campaigns, jobs.as_slice())),
                (Err(problem), _) => Err(problem.to_string()),
                (_, Err(problem)) => Err(problem.clone()),
            };
            self.publish(organization, read).await?;
        }
        Ok(())
    }

    async fn publish(
        &self,
        organization: &str,
        read: Result<(Vec<CampaignInfo>, &[JobSummary]), String>,
    ) -> Result<(), AppError> {
        let (campaigns, problem) = match read {
            Ok((catalogue, jobs)) => {
                let mut seen = self.inner.seen.lock().await;
                let rows =
                    observe::rows(&self.inner.pool, &mut seen, organization, &catalogue, jobs)
                        .await?;
                drop(seen);
                if let Ok(pom) = self.pom() {
                    let read = (catalogue.as_slice(), jobs);
                    self.inner
                        .enforced
                        .run(&self.inner.pool, pom, organization, read)
                        .await;
                }
                (Some(rows), None)
            }
            Err(problem) => (None, Some(problem)),
        };
        let actions_mark = actions_mark(&self.inner.pool, organization).await?;
        self.sender(organization).send_if_modified(|board| {
            let before = board.clone();
            let next = Arc::make_mut(board);
            if let Some(rows) = campaigns {
                next.campaigns = rows;
                next.read_at = Some(rfc3339(time::OffsetDateTime::now_utc()));
            }
            next.pom_problem = problem;
            next.actions_mark = actions_mark;
            // The read time alone changes every interval; browsers only hear real changes.
            before.campaigns != next.campaigns
                || before.pom_problem != next.pom_problem
                || before.actions_mark != next.actions_mark
        });
        Ok(())
    }

    /// Polls every interval while any board is watched (every organization every 30 s while
    /// none is, so the dashboard's figures stay true), or at once when nudged; until `stop`.
    pub fn spawn(&self, stop: CancellationToken) -> JoinHandle<()> {
        let monitor = self.clone();
        tokio::spawn(async move {
            loop {
                let watched = monitor.watched();
                let (organizations, pause) = if watched.is_empty() {
                    let all = organizations::all(&monitor.inner.pool)
                        .await
                        .unwrap_or_default();
                    (all, IDLE_EVERY)
                } else {
                    (watched, monitor.inner.settings.poll_interval)
                };
                tokio::select! {
                    () = stop.cancelled() => return,
                    result = monitor.refresh(&organizations, false) => {
                        if let Err(error) = result {
                            tracing::warn!(error = %error, "campaign poll failed");
                        }
                    }
                }
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = monitor.inner.wake.notified() => {
                        // A nudge after an action reads POM again even within the interval; a
                        // new watcher only gets its organization read if it is due.
                        if monitor.inner.forced.swap(false, Ordering::SeqCst) {
                            locked(&monitor.inner.last_read).clear();
                        }
                    }
                    () = tokio::time::sleep(pause) => {}
                }
            }
        })
    }
}

/// The organization's newest campaign action and how many of the recent ones still wait for
/// POM's answer: the pair changes when an action is recorded or answered (whoever made it). Only
/// the recent ones count: the page shows no more, and the index serves them.
async fn actions_mark(pool: &PgPool, organization: &str) -> Result<(i64, i64), AppError> {
    let mark = sqlx::query!(
        r#"
        select coalesce(max(campaign_action_id), 0) as "newest!",
               count(*) filter (where outcome = 'pending') as "pending!"
        from (select campaign_action_id, outcome from campaign_action
              where organization = $1 order by requested_at desc limit 50) recent
        "#,
        organization,
    )
    .fetch_one(pool)
    .await?;
    Ok((mark.newest, mark.pending))
}

fn empty_board(organization: &str) -> CampaignBoard {
    CampaignBoard {
        organization: organization.to_string(),
        campaigns: Vec::new(),
        read_at: None,
        pom_problem: None,
        can_act: false,
        organizations: Vec::new(),
        actions_mark: (0, 0),
    }
}
