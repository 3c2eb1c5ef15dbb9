//! The one campaign-job poller of this server: each organization's board lives in a `watch`
//! channel that every open browser of that organization shares, and POM's job list is read at
//! most once per interval for all watched organizations together, however many tabs are open.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pom::client::rest::JobSummary;
use pom::client::CampaignInfo;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::observe;
use crate::backend::dates::rfc3339;
use crate::backend::lists::pom;
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::CampaignBoard;

/// Boards per organization and what the last reads of POM returned.
#[derive(Clone, Default)]
pub struct CampaignMonitor {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    boards: Mutex<HashMap<String, watch::Sender<Arc<CampaignBoard>>>>,
    /// One read of POM at a time: tabs and server functions asking together share it.
    reads: tokio::sync::Mutex<Reads>,
    wake: Notify,
    /// Set by [`CampaignMonitor::nudge`]: the next read ignores the interval.
    forced: AtomicBool,
}

#[derive(Default)]
struct Reads {
    catalogues: HashMap<String, (Instant, Vec<CampaignInfo>)>,
    last_read: HashMap<String, Instant>,
    /// The state each job was last seen in, so only changes are written.
    seen: HashMap<i64, (String, String)>,
}

impl CampaignMonitor {
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
        let mut boards = self.inner.boards.lock().unwrap_or_else(|e| e.into_inner());
        boards
            .entry(organization.to_string())
            .or_insert_with(|| watch::Sender::new(Arc::new(empty_board(organization))))
            .clone()
    }

    fn watched(&self) -> Vec<String> {
        let boards = self.inner.boards.lock().unwrap_or_else(|e| e.into_inner());
        boards
            .iter()
            .filter(|(_, sender)| sender.receiver_count() > 0)
            .map(|(organization, _)| organization.clone())
            .collect()
    }

    /// The organization's board, read from POM unless a read within the interval exists.
    pub async fn current(
        &self,
        state: &AppState,
        organization: &str,
    ) -> Result<Arc<CampaignBoard>, AppError> {
        self.refresh(state, &[organization.to_string()], false)
            .await?;
        Ok(self.sender(organization).borrow().clone())
    }

    /// The organization's catalogue (cached for the configured time unless `fresh`).
    pub async fn catalogue(
        &self,
        state: &AppState,
        organization: &str,
        fresh: bool,
    ) -> Result<Vec<CampaignInfo>, AppError> {
        let mut reads = self.inner.reads.lock().await;
        catalogue(state, &mut reads, organization, fresh)
            .await
            .map_err(AppError::ExternalService)
    }

    /// Reads POM for the organizations whose boards are older than the interval (all of them
    /// when `force`): their catalogues when stale, then one job list for all.
    pub async fn refresh(
        &self,
        state: &AppState,
        organizations: &[String],
        force: bool,
    ) -> Result<(), AppError> {
        let client = pom(state)?;
        let interval = state.settings.campaigns.poll_interval;
        let mut reads = self.inner.reads.lock().await;
        let due: Vec<&String> = organizations
            .iter()
            .filter(|o| {
                force
                    || reads
                        .last_read
                        .get(*o)
                        .is_none_or(|at| at.elapsed() >= interval)
            })
            .collect();
        if due.is_empty() {
            return Ok(());
        }
        let mut catalogues = Vec::with_capacity(due.len());
        for organization in &due {
            catalogues.push(catalogue(state, &mut reads, organization, false).await);
        }
        let jobs = client.job_list().await.map_err(|e| e.user_message());
        for (organization, catalogue) in due.into_iter().zip(catalogues) {
            reads.last_read.insert(organization.clone(), Instant::now());
            let read = match (catalogue, &jobs) {
                (Ok(campaigns), Ok(jobs)) => Ok((campaigns, jobs.as_slice())),
                (Err(problem), _) => Err(problem),
                (_, Err(problem)) => Err(problem.clone()),
            };
            self.publish(state, &mut reads, organization, read).await?;
        }
        Ok(())
    }

    async fn publish(
        &self,
        state: &AppState,
        reads: &mut Reads,
        organization: &str,
        read: Result<(Vec<CampaignInfo>, &[JobSummary]), String>,
    ) -> Result<(), AppError> {
        let sender = self.sender(organization);
        let (campaigns, problem) = match read {
            Ok((catalogue, jobs)) => {
                let rows =
                    observe::rows(&state.pool, &mut reads.seen, organization, &catalogue, jobs)
                        .await?;
                (Some(rows), None)
            }
            Err(problem) => (None, Some(problem)),
        };
        sender.send_if_modified(|board| {
            let before = board.clone();
            let next = Arc::make_mut(board);
            if let Some(rows) = campaigns {
                next.campaigns = rows;
                next.read_at = Some(rfc3339(time::OffsetDateTime::now_utc()));
            }
            next.pom_problem = problem;
            // The read time alone changes every interval; browsers only hear real changes.
            before.campaigns != next.campaigns || before.pom_problem != next.pom_problem
        });
        Ok(())
    }

    /// Polls every interval while any board is watched, or at once when nudged; until `stop`.
    pub fn spawn(state: AppState, stop: CancellationToken) -> JoinHandle<()> {
        tokio::spawn(async move {
            let monitor = state.campaigns.clone();
            loop {
                let watched = monitor.watched();
                if !watched.is_empty() {
                    if let Err(error) = monitor.refresh(&state, &watched, false).await {
                        tracing::warn!(error = %error, "campaign poll failed");
                    }
                }
                let pause = if watched.is_empty() {
                    Duration::from_secs(3_600)
                } else {
                    state.settings.campaigns.poll_interval
                };
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = monitor.inner.wake.notified() => {
                        // A nudge after an action reads POM again even within the interval; a
                        // new watcher only gets its organization read if it is due.
                        if monitor.inner.forced.swap(false, Ordering::SeqCst) {
                            monitor.inner.reads.lock().await.last_read.clear();
                        }
                    }
                    () = tokio::time::sleep(pause) => {}
                }
            }
        })
    }
}

async fn catalogue(
    state: &AppState,
    reads: &mut Reads,
    organization: &str,
    fresh: bool,
) -> Result<Vec<CampaignInfo>, String> {
    let ttl = state.settings.campaigns.catalogue_ttl;
    if let Some((at, campaigns)) = reads.catalogues.get(organization) {
        if !fresh && at.elapsed() < ttl {
            return Ok(campaigns.clone());
        }
    }
    let client = pom(state).map_err(|e| e.to_string())?;
    let mut campaigns = client
        .campaigns(organization)
        .await
        .map_err(|e| e.user_message())?;
    // The search is a "like": keep exactly this organization's campaigns.
    campaigns.retain(|c| c.organization_name.as_deref() == Some(organization));
    campaigns.sort_by(|a, b| a.campaign_name.cmp(&b.campaign_name));
    reads.catalogues.insert(
        organization.to_string(),
        (Instant::now(), campaigns.clone()),
    );
    Ok(campaigns)
}

fn empty_board(organization: &str) -> CampaignBoard {
    CampaignBoard {
        organization: organization.to_string(),
        campaigns: Vec::new(),
        read_at: None,
        pom_problem: None,
        can_act: false,
        organizations: Vec::new(),
    }
}
