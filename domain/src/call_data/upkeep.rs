//! Hourly upkeep of the raw call-data tables: partitions for the coming months, and partitions
//! older than `OCM_CALL_DATA_RETENTION_MONTHS` dropped whole, rows that old in the default
//! partitions and the Account Not in Listing rows deleted (personal data goes with them; the
//! summaries stay). Safe on every instance: both steps are idempotent.

use sqlx::PgPool;
use time::{Date, Month};

/// Partitions are created this many months ahead.
const MONTHS_AHEAD: i32 = 3;

/// What one upkeep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Upkeep {
    /// Partitions dropped (`call_attempt_2025_01`, …).
    pub dropped: Vec<String>,
    /// Months whose rows sit in a default partition, so no partition could be made for them.
    pub blocked: Vec<Date>,
    /// Rows past retention deleted from the default partitions and `not_listed`.
    pub default_rows_deleted: u64,
}

fn first_of_month(day: Date, plus: i32) -> Date {
    let index = day.year() * 12 + i32::from(u8::from(day.month())) - 1 + plus;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1))
        .unwrap_or(Month::January);
    Date::from_calendar_date(index.div_euclid(12), month, 1).unwrap_or(day)
}

/// The first day of the oldest month whose raw rows retention keeps on `today`.
pub fn oldest_kept(today: Date, retention_months: u32) -> Date {
    let keep = i32::try_from(retention_months).unwrap_or(i32::MAX / 2);
    first_of_month(today, 1 - keep)
}

/// Runs the upkeep for `today` (UTC) keeping `retention_months` months of raw rows.
pub async fn run(pool: &PgPool, today: Date, retention_months: u32) -> Result<Upkeep, sqlx::Error> {
    let mut done = Upkeep::default();
    for ahead in 0..=MONTHS_AHEAD {
        let month = first_of_month(today, ahead);
        let made = sqlx::query_scalar!(r#"select call_data_ensure_month($1) as "made!""#, month)
            .fetch_one(pool)
            .await?;
        if !made {
            done.blocked.push(month);
        }
    }
    let oldest_kept = oldest_kept(today, retention_months);
    let partitions = sqlx::query!(
        r#"select c.relname as "name!",
                  to_date(substring(c.relname from '_(\d{4}_\d{2})$'), 'YYYY_MM') as "month!"
             from pg_inherits i
             join pg_class c on c.oid = i.inhrelid
             join pg_class p on p.oid = i.inhparent
            where p.relname = any(call_data_tables())
              and c.relname ~ '_\d{4}_\d{2}$'
            order by 2, 1"#
    )
    .fetch_all(pool)
    .await?;
    for partition in partitions.into_iter().filter(|p| p.month < oldest_kept) {
        // The name comes from the catalogue and matches the pattern above: safe to quote.
        sqlx::query(&format!("drop table if exists \"{}\"", partition.name))
            .execute(pool)
            .await?;
        done.dropped.push(partition.name);
    }
    // Rows outside every monthly partition (dated before the partitions made ahead, or far
    // ahead) sit in the default partitions: retention reaches them row by row.
    let cutoff = oldest_kept.midnight().assume_utc();
    let tables = sqlx::query_scalar!(r#"select unnest(call_data_tables()) as "name!""#)
        .fetch_all(pool)
        .await?;
    for table in tables {
        // The names come from the migration's fixed list.
        let delete = format!("delete from \"{table}_default\" where occurred_at < $1");
        done.default_rows_deleted += sqlx::query(&delete)
            .bind(cutoff)
            .execute(pool)
            .await?
            .rows_affected();
    }
    // The Account Not in Listing rows hold accounts and phone numbers too: kept as long as the
    // raw call data.
    done.default_rows_deleted +=
        sqlx::query!("delete from not_listed where recorded_at < $1", cutoff)
            .execute(pool)
            .await?
            .rows_affected();
    // The completion-code rules' applications name contacts: kept as long as the calls they
    // acted on (one still waiting stays until it ends).
    done.default_rows_deleted += sqlx::query!(
        "delete from completion_rule_application where attempt_ended_at < $1 and state <> 'pending'",
        cutoff
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(done)
}

/// Ingestion as `/readyz` and the status page show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    pub cursor: i64,
    pub records: i64,
    pub newest_record_at: Option<String>,
    pub last_success_at: Option<String>,
    /// Seconds between now and the newest record ingested.
    pub lag_seconds: Option<i64>,
    pub problems: i64,
}

/// The feed's ingestion status (none before the first run).
pub async fn status(pool: &PgPool) -> Result<Option<Status>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select cursor_position, records, newest_record_at, last_success_at,
                  extract(epoch from now() - newest_record_at)::bigint as lag,
                  (select count(*) from call_data_problem where source = s.name) as "problems!"
             from call_data_source s where name = 'feed'"#
    )
    .fetch_optional(pool)
    .await?;
    let text = |t: Option<time::OffsetDateTime>| {
        t.and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
    };
    Ok(row.map(|r| Status {
        cursor: r.cursor_position,
        records: r.records,
        newest_record_at: text(r.newest_record_at),
        last_success_at: text(r.last_success_at),
        lag_seconds: r.lag,
        problems: r.problems,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_step_across_years() {
        assert_eq!(
            first_of_month(date!(2026 - 12 - 05), 0),
            date!(2026 - 12 - 01)
        );
        assert_eq!(
            first_of_month(date!(2026 - 12 - 05), 1),
            date!(2027 - 01 - 01)
        );
        assert_eq!(
            first_of_month(date!(2026 - 01 - 31), -1),
            date!(2025 - 12 - 01)
        );
        assert_eq!(
            first_of_month(date!(2026 - 03 - 15), -12),
            date!(2025 - 03 - 01)
        );
    }
}
