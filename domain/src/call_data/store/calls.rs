//! Attempts, callbacks, callback events and sales into their raw tables, each batch with its
//! summaries in the same statement (only rows really inserted are summarised).

use sqlx::PgConnection;

use super::super::records::{Attempt, Callback, CallbackEvent, Sale};
use super::{json_text, minor_units};

/// Inserts attempts not yet stored; returns how many were new.
pub async fn attempts(
    tx: &mut PgConnection,
    tz: &str,
    rows: &[(i64, &Attempt)],
) -> Result<i64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&Attempt) -> String| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let opt =
        |f: fn(&Attempt) -> Option<String>| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let at = |f: fn(&Attempt) -> time::OffsetDateTime| {
        rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>()
    };
    let maybe_at = |f: fn(&Attempt) -> Option<time::OffsetDateTime>| {
        rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>()
    };
    let int = |f: fn(&Attempt) -> i32| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let job_ids: Vec<i64> = rows.iter().map(|(_, r)| r.job_id).collect();
    let nuisance: Vec<bool> = rows.iter().map(|(_, r)| r.nuisance).collect();
    let contacts: Vec<String> = rows.iter().map(|(_, r)| json_text(&r.contact)).collect();
    let cursors: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    let summarised = sqlx::query!(
        r#"with new as (
             insert into call_attempt
             select t.end_at, t.session_id, t.organization, t.job_id, t.campaign, t.campaign_type,
                    t.list_name, t.user_contact_id, t.address, t.phone_attribute, t.zone,
                    t.attempt_number, t.attempt_at, t.ringback_at, t.answered_at, t.connect_at,
                    t.result, t.completion_code, t.sys_completion_code, t.agent_completion_code,
                    t.agent_id, t.team, t.talk_seconds, t.wrap_up_seconds, t.nuisance,
                    t.nuisance_reason, t.aux_reason, t.callback_id, t.contact::jsonb, t.feed_cursor
               from unnest($2::timestamptz[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                           $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                           $12::text[], $13::int[], $14::timestamptz[], $15::timestamptz[],
                           $16::timestamptz[], $17::timestamptz[], $18::text[], $19::text[],
                           $20::text[], $21::text[], $22::text[], $23::text[], $24::int[],
                           $25::int[], $26::bool[], $27::text[], $28::text[], $29::text[],
                           $30::text[], $31::bigint[])
                 as t(end_at, session_id, organization, job_id, campaign, campaign_type,
                      list_name, user_contact_id, address, phone_attribute, zone, attempt_number,
                      attempt_at, ringback_at, answered_at, connect_at, result, completion_code,
                      sys_completion_code, agent_completion_code, agent_id, team, talk_seconds,
                      wrap_up_seconds, nuisance, nuisance_reason, aux_reason, callback_id,
                      contact, feed_cursor)
             on conflict do nothing
             returning organization, job_id, campaign, campaign_type, attempt_at, attempt_number,
                       result, answered_at, connect_at, nuisance, nuisance_reason, callback_id,
                       talk_seconds, wrap_up_seconds, completion_code, agent_completion_code,
                       agent_id)
           select report_add_attempt_days($1, batch.rows) as "added!",
                  report_add_attempt_jobs(batch.rows) as "jobs!"
             from (select coalesce(array_agg(new::call_attempt_fact), '{}') as rows from new) batch"#,
        tz,
        &at(|r| r.end_at),
        &col(|r| r.session_id.clone()),
        &col(|r| r.organization.clone()),
        &job_ids,
        &col(|r| r.campaign.clone()),
        &col(|r| r.campaign_type.clone()),
        &col(|r| r.list.clone()),
        &col(|r| r.user_contact_id.clone()),
        &col(|r| r.address.clone()),
        &col(|r| r.phone_attribute.clone()),
        &col(|r| r.zone.clone()),
        &int(|r| r.attempt_number),
        &at(|r| r.attempt_at),
        &maybe_at(|r| r.ringback_at) as &[Option<time::OffsetDateTime>],
        &maybe_at(|r| r.answered_at) as &[Option<time::OffsetDateTime>],
        &maybe_at(|r| r.connect_at) as &[Option<time::OffsetDateTime>],
        &col(|r| r.result.clone()),
        &col(|r| r.completion_code.clone()),
        &col(|r| r.sys_completion_code.clone()),
        &opt(|r| r.agent_completion_code.clone()) as &[Option<String>],
        &opt(|r| r.agent_id.clone()) as &[Option<String>],
        &opt(|r| r.team.clone()) as &[Option<String>],
        &int(|r| r.talk_seconds),
        &int(|r| r.wrap_up_seconds),
        &nuisance,
        &opt(|r| r.nuisance_reason.clone()) as &[Option<String>],
        &opt(|r| r.aux_reason.clone()) as &[Option<String>],
        &opt(|r| r.callback_id.clone()) as &[Option<String>],
        &contacts,
        &cursors,
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(summarised.added)
}

/// Inserts callbacks (their creation) not yet stored.
pub async fn callbacks(
    tx: &mut PgConnection,
    rows: &[(i64, &Callback)],
) -> Result<u64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&Callback) -> String| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let at = |f: fn(&Callback) -> time::OffsetDateTime| {
        rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>()
    };
    let owners: Vec<Option<String>> = rows.iter().map(|(_, r)| r.agent_id.clone()).collect();
    let sessions: Vec<Option<String>> = rows.iter().map(|(_, r)| r.session_id.clone()).collect();
    let zones: Vec<Option<String>> = rows.iter().map(|(_, r)| r.time_zone.clone()).collect();
    let job_ids: Vec<i64> = rows.iter().map(|(_, r)| r.job_id).collect();
    let cursors: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    let done = sqlx::query!(
        r#"insert into callback
           select * from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                                $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                                $11::text[], $12::timestamptz[], $13::timestamptz[], $14::text[],
                                $15::text[], $16::bigint[])
           on conflict do nothing"#,
        &at(|r| r.created_at),
        &col(|r| r.callback_id.clone()),
        &sessions as &[Option<String>],
        &col(|r| r.organization.clone()),
        &job_ids,
        &col(|r| r.campaign.clone()),
        &col(|r| r.list.clone()),
        &col(|r| r.user_contact_id.clone()),
        &col(|r| r.address.clone()),
        &col(|r| r.callback_type.clone()),
        &owners as &[Option<String>],
        &at(|r| r.due_at),
        &at(|r| r.expires_at),
        &zones as &[Option<String>],
        &col(|r| r.notes.clone()),
        &cursors,
    )
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected())
}

/// Inserts callback events not yet stored, with each callback's latest state.
pub async fn callback_events(
    tx: &mut PgConnection,
    rows: &[(i64, &CallbackEvent)],
) -> Result<i64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&CallbackEvent) -> String| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let opt = |f: fn(&CallbackEvent) -> Option<String>| {
        rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>()
    };
    let at: Vec<time::OffsetDateTime> = rows.iter().map(|(_, r)| r.at).collect();
    let due: Vec<Option<time::OffsetDateTime>> = rows.iter().map(|(_, r)| r.due_at).collect();
    let jobs: Vec<Option<i64>> = rows.iter().map(|(_, r)| r.job_id).collect();
    let handed: Vec<bool> = rows.iter().map(|(_, r)| r.handed_over).collect();
    let cursors: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    sqlx::query_scalar!(
        r#"with new as (
             insert into callback_event
             select * from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[],
                                  $6::bigint[], $7::text[], $8::text[], $9::text[], $10::bool[],
                                  $11::text[], $12::text[], $13::timestamptz[], $14::bigint[])
             on conflict do nothing
             returning *)
           select report_add_callback_events(coalesce(array_agg(new::callback_event), '{}')) as "added!"
             from new"#,
        &at,
        &col(|r| r.callback_id.clone()),
        &col(|r| r.event.clone()),
        &col(|r| r.organization.clone()),
        &col(|r| r.campaign.clone()),
        &jobs as &[Option<i64>],
        &col(|r| r.list.clone()),
        &col(|r| r.user_contact_id.clone()),
        &opt(|r| r.agent_id.clone()) as &[Option<String>],
        &handed,
        &opt(|r| r.session_id.clone()) as &[Option<String>],
        &opt(|r| r.code.clone()) as &[Option<String>],
        &due as &[Option<time::OffsetDateTime>],
        &cursors,
    )
    .fetch_one(&mut *tx)
    .await
}

/// Inserts sales not yet stored, with the sales summary. A sale whose amount is not a decimal
/// with at most two places is refused by the caller before this.
pub async fn sales(
    tx: &mut PgConnection,
    tz: &str,
    rows: &[(i64, &Sale)],
) -> Result<i64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&Sale) -> String| rows.iter().map(|(_, r)| f(r)).collect::<Vec<_>>();
    let at: Vec<time::OffsetDateTime> = rows.iter().map(|(_, r)| r.submitted_at).collect();
    let jobs: Vec<i64> = rows.iter().map(|(_, r)| r.job_id).collect();
    let amounts: Vec<i64> = rows
        .iter()
        .map(|(_, r)| minor_units(&r.amount).unwrap_or(0))
        .collect();
    let cursors: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    sqlx::query_scalar!(
        r#"with new as (
             insert into sale
             select * from unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                                  $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                                  $12::text[], $13::text[], $14::bigint[], $15::text[], $16::bigint[])
             on conflict do nothing
             returning *)
           select report_add_sales($1, coalesce(array_agg(new::sale), '{}')) as "added!" from new"#,
        tz,
        &at,
        &col(|r| r.sale_id.clone()),
        &col(|r| r.session_id.clone()),
        &col(|r| r.organization.clone()),
        &jobs,
        &col(|r| r.campaign.clone()),
        &col(|r| r.list.clone()),
        &col(|r| r.user_contact_id.clone()),
        &col(|r| r.agent_id.clone()),
        &col(|r| r.team.clone()),
        &col(|r| r.product.clone()),
        &col(|r| r.category.clone()),
        &amounts,
        &col(|r| r.currency.clone()),
        &cursors,
    )
    .fetch_one(&mut *tx)
    .await
}
