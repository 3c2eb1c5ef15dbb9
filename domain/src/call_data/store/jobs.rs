//! Job events and the contacts jobs passed over into their raw tables, with the job summaries.

use sqlx::PgConnection;

use super::super::records::{ContactSkip, JobEvent};
use super::json_text;

/// Inserts job events not yet stored, with each job's summary.
pub async fn events(tx: &mut PgConnection, rows: &[(i64, &JobEvent)]) -> Result<i64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&JobEvent) -> String| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let at: Vec<time::OffsetDateTime> = rows.iter().map(|(_, r)| r.at).collect();
    let jobs: Vec<i64> = rows.iter().map(|(_, r)| r.job_id).collect();
    let reasons: Vec<Option<String>> = rows.iter().map(|(_, r)| r.finish_reason.clone()).collect();
    let sizes: Vec<String> = rows.iter().map(|(_, r)| r.list_sizes.to_string()).collect();
    let counters: Vec<Option<String>> = rows
        .iter()
        .map(|(_, r)| r.counters.as_ref().map(|c| c.to_string()))
        .collect();
    let cursors: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    sqlx::query_scalar!(
        r#"with new as (
             insert into job_event
             select t.at, t.job_id, t.event, t.organization, t.campaign, t.campaign_type, t.state,
                    t.finish_reason, t.list_sizes::jsonb, t.counters::jsonb, t.feed_cursor
               from unnest($1::timestamptz[], $2::bigint[], $3::text[], $4::text[], $5::text[],
                           $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[])
                 as t(at, job_id, event, organization, campaign, campaign_type, state,
                      finish_reason, list_sizes, counters, feed_cursor)
             on conflict do nothing
             returning *)
           select report_add_job_events(coalesce(array_agg(new::job_event), '{}')) as "added!"
             from new"#,
        &at,
        &jobs,
        &col(|r| r.event.clone()),
        &col(|r| r.organization.clone()),
        &col(|r| r.campaign.clone()),
        &col(|r| r.campaign_type.clone()),
        &col(|r| r.state.clone()),
        &reasons as &[Option<String>],
        &sizes,
        &counters as &[Option<String>],
        &cursors,
    )
    .fetch_one(&mut *tx)
    .await
}

/// Inserts contacts passed over not yet stored, with the skips per job and reason.
pub async fn skips(
    tx: &mut PgConnection,
    rows: &[(i64, &ContactSkip)],
) -> Result<i64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&ContactSkip) -> String| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let at: Vec<time::OffsetDateTime> = rows.iter().map(|(_, r)| r.at).collect();
    let jobs: Vec<i64> = rows.iter().map(|(_, r)| r.job_id).collect();
    let contacts: Vec<String> = rows.iter().map(|(_, r)| json_text(&r.contact)).collect();
    let cursors: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    sqlx::query_scalar!(
        r#"with new as (
             insert into contact_skip
             select t.at, t.job_id, t.list_name, t.user_contact_id, t.organization, t.campaign,
                    t.reason, t.contact::jsonb, t.feed_cursor
               from unnest($1::timestamptz[], $2::bigint[], $3::text[], $4::text[], $5::text[],
                           $6::text[], $7::text[], $8::text[], $9::bigint[])
                 as t(at, job_id, list_name, user_contact_id, organization, campaign, reason,
                      contact, feed_cursor)
             on conflict do nothing
             returning *)
           select report_add_skips(coalesce(array_agg(new::contact_skip), '{}')) as "added!"
             from new"#,
        &at,
        &jobs,
        &col(|r| r.list.clone()),
        &col(|r| r.user_contact_id.clone()),
        &col(|r| r.organization.clone()),
        &col(|r| r.campaign.clone()),
        &col(|r| r.reason.clone()),
        &contacts,
        &cursors,
    )
    .fetch_one(&mut *tx)
    .await
}
