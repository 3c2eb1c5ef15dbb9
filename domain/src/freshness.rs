//! Whether the live dashboards' sources are behind (the floor and the callback dashboard): POM's
//! job list as the campaign monitor last read it, and the call data as ingestion last stored it.
//! Each source behind is named with since when its figures are stale, in the report time zone,
//! so the pages mark the figures leaning on it as not current. The rules are pure functions over
//! what was read (the decision is in docs/decisions.md, "Sources behind").

use sqlx::PgPool;
use time::{Duration, OffsetDateTime};

use crate::dates::{pom_wall_time, rfc3339};
use crate::model::{CampaignBoard, FigureSource, SourceBehind};

/// Call data is behind when the feed has not been read for longer than this, or when its
/// newest record is this much older than the time calls were expected up to.
pub const CALL_DATA_BEHIND: Duration = Duration::minutes(5);
/// POM's job list is read every second while anyone watches and every 30 s otherwise: a last
/// successful read older than this means reads fail or hang.
pub const POM_BEHIND: Duration = Duration::minutes(2);

/// What OCM knows about how fresh the call data is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallDataFacts {
    /// The newest record stored from any input (the feed or the import folder).
    pub newest_record: Option<OffsetDateTime>,
    /// When OCM is configured to read a feed: how its reading goes.
    pub feed: Option<FeedRead>,
    /// Until when calls were expected: now while a job of the organization is active, else when
    /// its last job stopped dialling (paused, stopped, completed); none: no job ever dialled.
    pub expected_until: Option<OffsetDateTime>,
}

/// The feed's last successful read and the latest problem reading it since.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedRead {
    pub last_success: Option<OffsetDateTime>,
    pub problem: Option<String>,
}

/// The facts for `organization` (none: every organization, an admin's callback dashboard).
/// `feed_configured`: OCM reads a feed (`OCM_POM_FEED_URL`), so a read that stopped counts.
pub async fn call_data_facts(
    pool: &PgPool,
    organization: Option<&str>,
    feed_configured: bool,
    now: OffsetDateTime,
) -> Result<CallDataFacts, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        select (select max(newest_record_at) from call_data_source) as newest,
               (select last_success_at from call_data_source where name = 'feed') as feed_read,
               (select p.detail from call_data_problem p
                 where p.source = 'feed' and p.reason in ('feed_unreachable', 'feed_version')
                   and p.last_seen > coalesce((select last_success_at from call_data_source
                                                where name = 'feed'), '-infinity')
                 order by p.last_seen desc limit 1) as feed_problem,
               j.dialling as "dialling!", j.last_stopped
          from (select coalesce(bool_or(state = 'JOB_ACTIVE'), false) as dialling,
                       max(state_since) filter (where state <> 'JOB_ACTIVE') as last_stopped
                  from campaign_job
                 where ($1::text is null or organization = $1)
                   and state in ('JOB_ACTIVE', 'JOB_PAUSED', 'JOB_STOPPING', 'JOB_STOPPED',
                                 'JOB_COMPLETED')) j
        "#,
        organization,
    )
    .fetch_one(pool)
    .await?;
    Ok(CallDataFacts {
        newest_record: row.newest,
        feed: feed_configured.then_some(FeedRead {
            last_success: row.feed_read,
            problem: row.feed_problem,
        }),
        // A job dialling now expects records up to now (OCM's clock, not the database's).
        expected_until: if row.dialling {
            Some(now)
        } else {
            row.last_stopped
        },
    })
}

/// `at` as a wall time in `zone` (`YYYY-MM-DD HH:MM:SS`), as the pages' report times read.
pub fn local_time(zone: &str, at: OffsetDateTime) -> String {
    pom_wall_time(zone, at)
        .map(|t| t.replace('/', "-"))
        .unwrap_or_else(|| rfc3339(at))
}

/// "12 minutes", "3 hours".
fn age(span: Duration) -> String {
    match span.whole_minutes() {
        1 => "1 minute".to_string(),
        minutes @ ..=119 => format!("{minutes} minutes"),
        minutes => format!("{} hours", minutes / 60),
    }
}

fn behind(
    source: FigureSource,
    since: Option<OffsetDateTime>,
    zone: &str,
    words: String,
) -> SourceBehind {
    SourceBehind {
        source,
        since: since.map(rfc3339),
        since_local: since.map(|at| local_time(zone, at)),
        time_zone: zone.to_string(),
        words,
    }
}

/// A problem's own sentences after the headline (POM's and the feed's end with a full stop).
fn then(problem: Option<&str>) -> String {
    match problem.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) if p.ends_with('.') => format!(" {p}"),
        Some(p) => format!(" {p}."),
        None => String::new(),
    }
}

/// The call data, when it is behind: the feed not read lately (whether or not calls are
/// expected: every figure from the call data stopped there), nothing stored yet, or the newest
/// record well before the time calls were expected up to.
pub fn call_data_behind(
    facts: &CallDataFacts,
    now: OffsetDateTime,
    zone: &str,
) -> Option<SourceBehind> {
    const AS_OF: &str = "Figures from the call data are as of then, not current.";
    if let Some(feed) = &facts.feed {
        let problem = then(feed.problem.as_deref());
        match feed.last_success {
            None => {
                let words = format!(
                    "The call-data feed has not been read yet.{problem} Figures from the call data are unknown."
                );
                return Some(behind(FigureSource::CallData, None, zone, words));
            }
            Some(at) if now - at > CALL_DATA_BEHIND => {
                let words = format!(
                    "The call-data feed has not been read since {} ({zone}).{problem} {AS_OF}",
                    local_time(zone, at)
                );
                return Some(behind(FigureSource::CallData, Some(at), zone, words));
            }
            Some(_) => {}
        }
    }
    let Some(newest) = facts.newest_record else {
        let words = "No call data has arrived yet: attempts, agents, callbacks and contacts passed over are unknown.";
        return Some(behind(FigureSource::CallData, None, zone, words.into()));
    };
    let until = facts.expected_until?.min(now);
    if until - newest <= CALL_DATA_BEHIND {
        return None;
    }
    let when = if until == now {
        format!("{} ago, while a job is dialling", age(now - newest))
    } else {
        format!(
            "{} before the last job stopped dialling at {}",
            age(until - newest),
            local_time(zone, until)
        )
    };
    let words = format!(
        "The call data is behind: its newest record is from {} ({zone}), {when}. {AS_OF}",
        local_time(zone, newest)
    );
    Some(behind(FigureSource::CallData, Some(newest), zone, words))
}

/// POM's job list, when it is behind: the last read failed, or none succeeded lately (reads
/// that hang). Since its last successful read.
pub fn pom_behind(board: &CampaignBoard, now: OffsetDateTime, zone: &str) -> Option<SourceBehind> {
    const AS_OF: &str =
        "Job states, the campaigns' progress and the reasons are as of then, not current.";
    let read_at = board.read_at.as_deref().and_then(|at| {
        OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()
    });
    let late = read_at.is_none_or(|at| now - at > POM_BEHIND);
    if board.pom_problem.is_none() && !late {
        return None;
    }
    let problem = match board.pom_problem.as_deref() {
        Some(problem) => then(Some(problem)),
        None => " Its reads are not answered.".to_string(),
    };
    let words = match read_at {
        Some(at) => format!(
            "POM's job list has not been read since {} ({zone}).{problem} {AS_OF}",
            local_time(zone, at)
        ),
        None => format!("POM's job list has not been read yet.{problem} Job states are unknown."),
    };
    Some(behind(FigureSource::PomJobs, read_at, zone, words))
}

#[cfg(test)]
mod tests;
