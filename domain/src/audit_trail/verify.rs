//! `ocm audit verify`: walks each month's chain of the online audit log and names every broken
//! link: a record missing (deleted), a record whose hash no longer matches (edited, or records
//! swapped), a link missing or out of place (re-ordered), a record that has no link at all.

use futures::TryStreamExt;
use sqlx::PgExecutor;

use super::{hex, AuditMonth};

/// Breaks reported at most; the first is the one that matters, the rest show the extent.
const MAX_BREAKS: usize = 100;

/// One month's chain as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthChain {
    pub month: AuditMonth,
    pub links: i64,
    /// The last link's hash (hex): record it elsewhere to detect a recomputed chain later.
    pub head: Option<String>,
}

/// What is wrong with a link or record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// A link number is absent or repeated: links were deleted or re-ordered.
    Sequence {
        month: AuditMonth,
        seq: i64,
        expected: i64,
    },
    /// The record a link names is gone.
    RecordMissing {
        month: AuditMonth,
        seq: i64,
        audit_event_id: i64,
    },
    /// The record's content (or the link before it) differs from what was chained.
    HashMismatch {
        month: AuditMonth,
        seq: i64,
        audit_event_id: i64,
    },
    /// Records without a link (inserted with the chain switched off).
    Unchained { month: AuditMonth, records: i64 },
    /// A month between two online months has no records and was never archived: its records
    /// (or its partitions) were removed behind OCM's back.
    MonthMissing { month: AuditMonth },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Sequence { month, seq, expected } => write!(
                f,
                "{month} link {expected}: found link {seq} in its place (links deleted or re-ordered)"
            ),
            ChainBreak::RecordMissing { month, seq, audit_event_id } => write!(
                f,
                "{month} link {seq}: record #{audit_event_id} is missing (deleted)"
            ),
            ChainBreak::HashMismatch { month, seq, audit_event_id } => write!(
                f,
                "{month} link {seq}: record #{audit_event_id} does not match its hash \
                 (edited, swapped or moved)"
            ),
            ChainBreak::Unchained { month, records } => write!(
                f,
                "{month}: {records} record(s) have no link (written with the chain switched off)"
            ),
            ChainBreak::MonthMissing { month } => write!(
                f,
                "{month}: no records online and no archive of them (removed behind OCM's back)"
            ),
        }
    }
}

/// The result of a verification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainReport {
    pub months: Vec<MonthChain>,
    pub breaks: Vec<ChainBreak>,
    /// More breaks were found than are listed.
    pub more_breaks: bool,
}

impl ChainReport {
    pub fn is_intact(&self) -> bool {
        self.breaks.is_empty()
    }

    fn push(&mut self, found: ChainBreak) {
        if self.breaks.len() < MAX_BREAKS {
            self.breaks.push(found);
        } else {
            self.more_breaks = true;
        }
    }
}

/// Checks every online month from `from` to `to` (both included).
pub async fn verify(
    conn: &mut sqlx::PgConnection,
    from: AuditMonth,
    to: AuditMonth,
) -> Result<ChainReport, sqlx::Error> {
    let mut report = ChainReport::default();
    walk_links(&mut *conn, from, to, &mut report).await?;
    count_unchained(&mut *conn, from, to, &mut report).await?;
    find_missing_months(&mut *conn, &mut report).await?;
    Ok(report)
}

async fn walk_links(
    conn: impl PgExecutor<'_>,
    from: AuditMonth,
    to: AuditMonth,
    report: &mut ChainReport,
) -> Result<(), sqlx::Error> {
    // Each link's expected hash is recomputed from the record it names and the previous link's
    // stored hash, so one edited record breaks its own link only and the report names it.
    let mut rows = sqlx::query!(
        r#"
        select l.chain_month as "chain_month!", l.seq as "seq!",
               l.audit_event_id as "audit_event_id!", l.hash as "hash!",
               e.audit_event_id is not null as "present!",
               sha256(coalesce(lag(l.hash) over w, audit_chain_genesis(l.chain_month))
                      || convert_to(audit_event_canonical(e), 'UTF8')) as expected
          from audit_link l
          left join audit_event e
            on e.audit_event_id = l.audit_event_id and audit_month(e.occurred_at) = l.chain_month
         where l.chain_month between $1 and $2
        window w as (partition by l.chain_month order by l.seq)
         order by l.chain_month, l.seq
        "#,
        from.first_day(),
        to.first_day(),
    )
    .fetch(conn);
    let mut current: Option<MonthChain> = None;
    while let Some(row) = rows.try_next().await? {
        let month = AuditMonth::of(row.chain_month);
        if current.as_ref().map(|c| c.month) != Some(month) {
            report.months.extend(current.take());
            current = Some(MonthChain {
                month,
                links: 0,
                head: None,
            });
        }
        let chain = current.as_mut().expect("set above");
        chain.links += 1;
        chain.head = Some(hex(&row.hash));
        if row.seq != chain.links {
            report.push(ChainBreak::Sequence {
                month,
                seq: row.seq,
                expected: chain.links,
            });
            chain.links = row.seq;
        }
        let id = row.audit_event_id;
        if !row.present {
            report.push(ChainBreak::RecordMissing {
                month,
                seq: row.seq,
                audit_event_id: id,
            });
        } else if row.expected.as_deref() != Some(row.hash.as_slice()) {
            report.push(ChainBreak::HashMismatch {
                month,
                seq: row.seq,
                audit_event_id: id,
            });
        }
    }
    report.months.extend(current);
    Ok(())
}

async fn count_unchained(
    conn: impl PgExecutor<'_>,
    from: AuditMonth,
    to: AuditMonth,
    report: &mut ChainReport,
) -> Result<(), sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select audit_month(e.occurred_at) as "month!", count(*) as "records!"
          from audit_event e
         where e.occurred_at >= ($1::date)::timestamp at time zone 'UTC'
           and e.occurred_at < (($2::date + interval '1 month')::timestamp at time zone 'UTC')
           and not exists (select 1 from audit_link l
                            where l.chain_month = audit_month(e.occurred_at)
                              and l.audit_event_id = e.audit_event_id)
         group by 1
         order by 1
        "#,
        from.first_day(),
        to.first_day(),
    )
    .fetch_all(conn)
    .await?;
    for row in rows {
        let month = AuditMonth::of(row.month);
        report.push(ChainBreak::Unchained {
            month,
            records: row.records,
        });
    }
    Ok(())
}

/// Months between the first and last month found online that have neither links nor an archive.
async fn find_missing_months(
    conn: &mut sqlx::PgConnection,
    report: &mut ChainReport,
) -> Result<(), sqlx::Error> {
    let (Some(first), Some(last)) = (
        report.months.first().map(|m| m.month),
        report.months.last().map(|m| m.month),
    ) else {
        return Ok(());
    };
    let online: std::collections::BTreeSet<AuditMonth> =
        report.months.iter().map(|m| m.month).collect();
    let mut month = first.plus(1);
    while month < last {
        if !online.contains(&month) {
            let archived = sqlx::query_scalar!(
                r#"select exists (select 1 from audit_archive where chain_month = $1) as "found!""#,
                month.first_day()
            )
            .fetch_one(&mut *conn)
            .await?;
            if !archived {
                report.push(ChainBreak::MonthMissing { month });
            }
        }
        month = month.plus(1);
    }
    Ok(())
}

/// The oldest and newest months that hold online records.
pub async fn online_range(
    conn: impl PgExecutor<'_>,
) -> Result<Option<(AuditMonth, AuditMonth)>, sqlx::Error> {
    let row = sqlx::query!(
        "select min(chain_month) as oldest, max(chain_month) as newest from audit_link"
    )
    .fetch_one(conn)
    .await?;
    Ok(row
        .oldest
        .zip(row.newest)
        .map(|(oldest, newest)| (AuditMonth::of(oldest), AuditMonth::of(newest))))
}
