//! `ocm reports rebuild --from --to`: the summaries of those report days recomputed from the raw
//! rows, in one transaction, through the same summarising functions ingestion uses — so a
//! rebuild gives exactly the tables ingestion kept. Job and callback summaries are recomputed
//! whole for every job and callback with a record in the range.

use sqlx::PgPool;
use time::Date;

/// What a rebuild recomputed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebuilt {
    pub days: i64,
    pub jobs: i64,
    pub callbacks: i64,
}

/// Recomputes the summaries of report days `from`..=`to` (in the report time zone `tz`).
pub async fn rebuild(
    pool: &PgPool,
    tz: &str,
    from: Date,
    to: Date,
) -> Result<Rebuilt, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // The raw rows of those days lie within a day either side in UTC (partition pruning).
    let low = from.midnight().assume_utc() - time::Duration::days(2);
    let high = to.midnight().assume_utc() + time::Duration::days(3);
    sqlx::query!(
        "with quarters as (delete from report_attempt_quarter
                            where quarter >= $4 and quarter < $5
                              and (quarter at time zone $3)::date between $1 and $2)
         delete from report_campaign_day where report_day between $1 and $2",
        from,
        to,
        tz,
        low,
        high
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from report_nuisance_hour where report_day between $1 and $2",
        from,
        to
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from report_connect_delay_day where report_day between $1 and $2",
        from,
        to
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "with campaigns as (delete from report_agent_campaign_day where report_day between $1 and $2)
         delete from report_agent_reason_day where report_day between $1 and $2",
        from,
        to
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from report_agent_day where report_day between $1 and $2",
        from,
        to
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from report_agent_login_day where report_day between $1 and $2",
        from,
        to
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from report_sales_day where report_day between $1 and $2",
        from,
        to
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from report_inbound_hour where report_day between $1 and $2",
        from,
        to
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"select report_add_attempt_days($1, coalesce(array_agg(call_attempt_fact(a)), '{}')) as "n!" from call_attempt a
            where a.occurred_at >= $2 and a.occurred_at < $3
              and (a.attempt_at at time zone $1)::date between $4 and $5"#,
        tz, low, high, from, to
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"select report_add_interval_days($1, d.rows) + report_add_interval_details($1, d.rows) as "n!"
             from (select coalesce(array_agg(i), '{}') as rows from agent_interval i
                    where i.occurred_at >= $2 and i.occurred_at < $3
                      and (i.start_at at time zone $1)::date between $4 and $5) d"#,
        tz, low, high, from, to
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"select report_add_sessions($1, coalesce(array_agg(s), '{}')) as "n!" from agent_session s
            where s.occurred_at >= $2 and s.occurred_at < $3::timestamptz + interval '2 days'
              and (s.login_at at time zone $1)::date between $4 and $5"#,
        tz,
        low,
        high,
        from,
        to
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"select report_add_sale_days($1, coalesce(array_agg(s), '{}')) as "n!" from sale s
            where s.occurred_at >= $2 and s.occurred_at < $3
              and (s.occurred_at at time zone $1)::date between $4 and $5"#,
        tz,
        low,
        high,
        from,
        to
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"select report_add_inbound($1, coalesce(array_agg(c), '{}')) as "n!" from inbound_call c
            where c.occurred_at >= $2 and c.occurred_at < $3
              and (c.occurred_at at time zone $1)::date between $4 and $5"#,
        tz,
        low,
        high,
        from,
        to
    )
    .fetch_one(&mut *tx)
    .await?;
    // The reports' ready lines of those days are worked out anew at the next read, those of
    // days left with no rows too (removed then).
    sqlx::query!(
        "insert into report_stale_day as s (organization, report_day)
         select organization, report_day from report_agent_time_day
          where report_day between $1 and $2
          union
         select organization, report_day from report_sales_line
          where report_day between $1 and $2
          order by 1, 2
         on conflict (organization, report_day) do update set marked = s.marked + 1",
        from,
        to
    )
    .execute(&mut *tx)
    .await?;
    let jobs = rebuild_jobs(&mut tx, (low, high)).await?;
    let callbacks = rebuild_callbacks(&mut tx, (low, high)).await?;
    tx.commit().await?;
    Ok(Rebuilt {
        days: (to - from).whole_days() + 1,
        jobs,
        callbacks,
    })
}

/// Every job with an attempt, event or skip in the window, recomputed from all its rows.
async fn rebuild_jobs(
    tx: &mut sqlx::PgConnection,
    (low, high): (time::OffsetDateTime, time::OffsetDateTime),
) -> Result<i64, sqlx::Error> {
    let jobs = sqlx::query_scalar!(
        r#"with touched as (
             select organization, job_id from call_attempt where occurred_at >= $1 and occurred_at < $2
             union select organization, job_id from job_event where occurred_at >= $1 and occurred_at < $2
             union select organization, job_id from contact_skip where occurred_at >= $1 and occurred_at < $2
             union select organization, job_id from agent_interval
                    where occurred_at >= $1 and occurred_at < $2 and job_id is not null
             union select organization, job_id from sale where occurred_at >= $1 and occurred_at < $2),
           gone as (delete from report_job j using touched t
                     where j.organization = t.organization and j.job_id = t.job_id),
           gone_outcomes as (delete from report_job_outcome o using touched t
                              where o.organization = t.organization and o.job_id = t.job_id),
           gone_codes as (delete from report_job_code c using touched t
                           where c.organization = t.organization and c.job_id = t.job_id),
           gone_skips as (delete from report_job_skip s using touched t
                           where s.organization = t.organization and s.job_id = t.job_id)
           select array_agg(job_id) from touched"#,
        low,
        high
    )
    .fetch_one(&mut *tx)
    .await?
    .unwrap_or_default();
    sqlx::query!(
        r#"select report_add_job_events(coalesce(array_agg(e), '{}')) as "n!" from job_event e
            where e.job_id = any($1)"#,
        &jobs
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"select report_add_attempt_jobs(coalesce(array_agg(call_attempt_fact(a)), '{}')) as "n!" from call_attempt a
            where a.job_id = any($1)"#,
        &jobs
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"select report_add_skips(coalesce(array_agg(s), '{}')) as "n!" from contact_skip s
            where s.job_id = any($1)"#,
        &jobs
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"select report_add_interval_jobs(coalesce(array_agg(i), '{}')) as "n!" from agent_interval i
            where i.job_id = any($1)"#,
        &jobs
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"select report_add_sale_jobs(coalesce(array_agg(s), '{}')) as "n!" from sale s
            where s.job_id = any($1)"#,
        &jobs
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(jobs.len() as i64)
}

/// Every callback with an event in the window, its state recomputed from all its events.
async fn rebuild_callbacks(
    tx: &mut sqlx::PgConnection,
    (low, high): (time::OffsetDateTime, time::OffsetDateTime),
) -> Result<i64, sqlx::Error> {
    let ids = sqlx::query_scalar!(
        r#"with touched as (select distinct callback_id from callback_event
                             where occurred_at >= $1 and occurred_at < $2),
           gone as (delete from report_callback c using touched t where c.callback_id = t.callback_id)
           select array_agg(callback_id) from touched"#,
        low,
        high
    )
    .fetch_one(&mut *tx)
    .await?
    .unwrap_or_default();
    sqlx::query!(
        r#"select report_add_callback_events(coalesce(array_agg(e), '{}')) as "n!"
             from callback_event e where e.callback_id = any($1)"#,
        &ids
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(ids.len() as i64)
}
