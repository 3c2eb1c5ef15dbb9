//! The generated call-data store: attempts, agent intervals and the smaller raw tables written
//! day by day in SQL, each statement handing the rows it inserted to the product's summarising
//! functions (`report_add_*`), as ingestion does, so the summaries are the real ones.

use std::time::Instant;

use sqlx::PgPool;
use time::Date;

use super::{Range, TZ};

/// One day's attempts in three organizations (Sales, Collections, Retention), each with
/// campaigns `<org>_C0`…`_C3` (`_C3` preview, the others predictive), 60 agents (`Sal000`…) and
/// one job per campaign per day; results about 40 % human answers, 15 % machines, the rest no answer,
/// busy, failed, fax and cancelled previews; 1 in 32 human answers a nuisance call (no agent
/// free, or the agent went AUX). `$1` day, `$2` attempts that day, `$3` the first attempt's
/// number, `$4` the day's index (job numbers), `$5` report time zone.
const ATTEMPTS: &str = r#"
with g as (
    select k, ($1::date::timestamp at time zone $5) + (n * 86400.0 / $2) * interval '1 second' as at,
           (k % 3)::int as o, ((k / 3) % 4)::int as c, ((k * 7919) % 100)::int as roll,
           ((k / 12) % 60)::int as agent, (k % 32)::int as nuisance_roll
      from generate_series(0, $2 - 1) n, lateral (select $3::bigint + n as k) kk
), r as (
    select g.*, (array['Sales', 'Collections', 'Retention'])[o + 1] as organization,
           case when c = 3 then 'preview' else 'predictive' end as campaign_type,
           case when roll < 40 then 'answer_human' when roll < 55 then 'answer_machine'
                when roll < 70 then 'no_answer' when roll < 80 then 'busy'
                when roll < 87 then 'failed' when roll < 89 then 'fax'
                when roll < 92 and c = 3 then 'preview_cancelled' else 'no_answer' end as result
      from g
), s as (
    select r.*, organization || '_C' || c as campaign,
           case when result = 'answer_human' and nuisance_roll = 0 then 'no_agent'
                when result = 'answer_human' and nuisance_roll = 1 then 'agent_aux' end as nuisance_reason,
           (30 + k % 240)::int as talk, (5 + k % 30)::int as wrap,
           left(organization, 3) || lpad(agent::text, 3, '0') as agent_id,
           '+4477' || lpad((k % 3000000)::text, 8, '0') as address
      from r
), t as (
    select s.*, result = 'answer_human' and nuisance_reason is null as connected,
           case when result = 'answer_human' and nuisance_reason is null
                then (array['SALE', 'NO_SALE', 'NSP', 'CM_NTC', 'CALLBACK', 'DNCREQ', 'NO_SALE', 'NO_SALE'])[k % 8 + 1] end as agent_code
      from s
), new as (
    insert into call_attempt (occurred_at, session_id, organization, job_id, campaign, campaign_type,
        list_name, user_contact_id, address, phone_attribute, zone, attempt_number, attempt_at,
        ringback_at, answered_at, connect_at, result, completion_code, sys_completion_code,
        agent_completion_code, agent_id, team, talk_seconds, wrap_up_seconds, nuisance,
        nuisance_reason, aux_reason, callback_id, contact, feed_cursor)
    select case when connected then at + (6 + talk) * interval '1 second' else at + interval '25 seconds' end,
           'S' || k, organization, $4 * 12 + o * 4 + c + 1, campaign, campaign_type,
           campaign || '_List', 'C' || (k % 3000000), address, 'phoneNumber1', 'London', (1 + k % 3)::int, at,
           case when result <> 'failed' then at + interval '1 second' end,
           case when result in ('answer_human', 'answer_machine') then at + interval '6 seconds' end,
           case when connected then at + interval '6 seconds' + (k % 5) * interval '400 milliseconds' end,
           result, coalesce(agent_code, initcap(result)), initcap(result), agent_code,
           case when connected or nuisance_reason = 'agent_aux' or result = 'preview_cancelled' then agent_id end,
           case when connected or nuisance_reason = 'agent_aux' or result = 'preview_cancelled'
                then 'Team ' || (agent % 6) end,
           case when connected then talk else 0 end, case when connected then wrap else 0 end,
           nuisance_reason is not null, nuisance_reason,
           case when nuisance_reason = 'agent_aux' then 'Break' end,
           case when agent_code = 'CALLBACK' then 'CB' || k end,
           jsonb_build_object('ACCOUNT_NO', 'AC' || lpad((k % 3000000)::text, 8, '0'), 'phoneNumber1', address),
           k
      from t
    on conflict do nothing
    returning organization, job_id, campaign, campaign_type, attempt_at, attempt_number, result,
              answered_at, connect_at, nuisance, nuisance_reason, callback_id, talk_seconds,
              wrap_up_seconds, completion_code, agent_completion_code, agent_id)
select report_add_attempt_days($5, b.rows) + report_add_attempt_jobs(b.rows)
  from (select coalesce(array_agg(new::call_attempt_fact), '{}') as rows from new) b
"#;

/// The agents' intervals around each of the day's attempts they took: ready (preview on preview
/// campaigns) before, talking, wrap-up; not ready with a reason where the agent went AUX.
const INTERVALS: &str = r#"
with new as (
    insert into agent_interval (occurred_at, organization, agent_id, start_at, team, state, aux_code,
        aux_reason, seconds, session_id, direction, job_id, campaign, campaign_type, feed_cursor)
    select v.e, a.organization, a.agent_id, v.s, a.team, v.state, v.aux_code, v.aux_reason,
           extract(epoch from v.e - v.s)::int, a.session_id, 'outbound', a.job_id, a.campaign,
           a.campaign_type, a.feed_cursor
      from call_attempt a, lateral (values
            (case when a.campaign_type = 'preview' then 'preview' else 'ready' end,
             a.attempt_at - interval '20 seconds', coalesce(a.connect_at, a.attempt_at + interval '6 seconds'), null::int, null::text),
            ('talking', a.connect_at, a.connect_at + a.talk_seconds * interval '1 second', null, null),
            ('wrap_up', a.connect_at + a.talk_seconds * interval '1 second',
             a.connect_at + (a.talk_seconds + a.wrap_up_seconds) * interval '1 second', null, null),
            ('not_ready', a.attempt_at + interval '6 seconds', a.attempt_at + interval '306 seconds', 3, a.aux_reason)
           ) v(state, s, e, aux_code, aux_reason)
     where a.occurred_at >= $1 and a.occurred_at < $2 + interval '1 day'
       and a.attempt_at >= $1 and a.attempt_at < $2 and a.agent_id is not null and v.s is not null
       and (v.state <> 'not_ready' or a.nuisance_reason = 'agent_aux')
    on conflict do nothing
    returning *)
select report_add_intervals($3, coalesce(array_agg(new::agent_interval), '{}')) from new
"#;

/// The day's sales (every attempt closed `SALE`, secured or unsecured).
const SALES: &str = r#"
with new as (
    insert into sale (occurred_at, sale_id, session_id, organization, job_id, campaign, list_name,
        user_contact_id, agent_id, team, product, category, amount_minor, currency, feed_cursor)
    select a.occurred_at, 'SL' || a.feed_cursor, a.session_id, a.organization, a.job_id, a.campaign,
           a.list_name, a.user_contact_id, a.agent_id, a.team, 'Loan',
           case when a.feed_cursor % 3 = 0 then 'unsecured' else 'secured' end,
           1000 + a.feed_cursor % 90000, 'GBP', a.feed_cursor
      from call_attempt a
     where a.occurred_at >= $1 and a.occurred_at < $2 + interval '1 day'
       and a.attempt_at >= $1 and a.attempt_at < $2 and a.completion_code = 'SALE'
    on conflict do nothing
    returning *)
select report_add_sales($3, coalesce(array_agg(new::sale), '{}')) from new
"#;

/// The day's callbacks (every attempt closed `CALLBACK`; half agent-owned) with their
/// `created` events, and the 1 in 3 that were dialled since.
const CALLBACKS: &str = r#"
with cb as (
    insert into callback (occurred_at, callback_id, session_id, organization, job_id, campaign,
        list_name, user_contact_id, address, callback_type, agent_id, due_at, expires_at, time_zone,
        notes, feed_cursor)
    select a.occurred_at, a.callback_id, a.session_id, a.organization, a.job_id, a.campaign,
           a.list_name, a.user_contact_id, a.address,
           case when a.feed_cursor % 2 = 0 then 'agent_owned' else 'campaign' end, a.agent_id,
           a.occurred_at + interval '1 day', a.occurred_at + interval '3 days', 'Europe/London',
           'Call back after lunch', a.feed_cursor
      from call_attempt a
     where a.occurred_at >= $1 and a.occurred_at < $2 + interval '1 day'
       and a.attempt_at >= $1 and a.attempt_at < $2 and a.callback_id is not null
    on conflict do nothing
    returning *),
new as (
    insert into callback_event (occurred_at, callback_id, event, organization, campaign, job_id,
        list_name, user_contact_id, agent_id, handed_over, session_id, code, due_at, feed_cursor)
    select e.at, cb.callback_id, e.event, cb.organization, cb.campaign, cb.job_id, cb.list_name,
           cb.user_contact_id, cb.agent_id, false, cb.session_id, null, cb.due_at, cb.feed_cursor
      from cb, lateral (values ('created', cb.occurred_at), ('dialled', cb.due_at)) e(event, at)
     where e.event = 'created' or cb.feed_cursor % 3 = 0
    on conflict do nothing
    returning *)
select report_add_callback_events(coalesce(array_agg(new::callback_event), '{}')) from new
"#;

/// The day's jobs (one per campaign: started, completed), 200 contacts each passed over, and
/// inbound calls (600 per organization, a third abandoned) from numbers the campaigns dialled.
const JOBS: &str = r#"
with jobs as (
    select $4 * 12 + o * 4 + c + 1 as job_id, (array['Sales', 'Collections', 'Retention'])[o + 1] as organization, o, c
      from generate_series(0, 2) o, generate_series(0, 3) c
), events as (
    insert into job_event (occurred_at, job_id, event, organization, campaign, campaign_type, state,
        finish_reason, list_sizes, counters, feed_cursor)
    select e.at, j.job_id, e.event, j.organization, j.organization || '_C' || j.c,
           case when j.c = 3 then 'preview' else 'predictive' end, e.event, e.reason,
           jsonb_build_array(jsonb_build_object('list', j.organization || '_C' || j.c || '_List', 'contacts', 20000)),
           null, j.job_id
      from jobs j, lateral (values ('started', $1 + interval '1 minute', null),
                                   ('completed', $2 - interval '1 minute', 'finished')) e(event, at, reason)
    on conflict do nothing
    returning *),
skips as (
    insert into contact_skip (occurred_at, job_id, list_name, user_contact_id, organization, campaign,
        reason, contact, feed_cursor)
    select $1 + n * interval '5 minutes', j.job_id, j.organization || '_C' || j.c || '_List',
           'C' || ((j.job_id * 200 + n) % 3000000), j.organization, j.organization || '_C' || j.c,
           (array['dnc', 'outside_window', 'not_callable', 'no_phone'])[n % 4 + 1],
           jsonb_build_object('ACCOUNT_NO', 'AC' || lpad(((j.job_id * 200 + n) % 3000000)::text, 8, '0'),
                              'phoneNumber1', '+4477' || lpad(((j.job_id * 200 + n) % 3000000)::text, 8, '0')),
           j.job_id * 200 + n
      from jobs j, generate_series(0, 199) n
    on conflict do nothing
    returning *),
inbound as (
    insert into inbound_call (occurred_at, organization, call_id, answered, queue, caller, ended_at,
        wait_seconds, agent_id, team, talk_seconds, wrap_up_seconds, feed_cursor)
    select $1 + n * interval '2 minutes', org, 'IN' || $4 || '-' || org || '-' || n, n % 3 <> 0,
           'Queue ' || (n % 4), '+4477' || lpad((($4 * 7919 + n * 131) % 3000000)::text, 8, '0'),
           $1 + n * interval '2 minutes' + (10 + n % 90) * interval '1 second', (10 + n % 90)::int,
           case when n % 3 <> 0 then left(org, 3) || lpad((n % 60)::text, 3, '0') end,
           case when n % 3 <> 0 then 'Team ' || (n % 6) end,
           case when n % 3 <> 0 then 120 else 0 end, case when n % 3 <> 0 then 15 else 0 end, n
      from unnest(array['Sales', 'Collections', 'Retention']) org, generate_series(0, 599) n
    on conflict do nothing
    returning *),
sessions as (
    insert into agent_session (occurred_at, organization, agent_id, event, team, login_at, seconds, feed_cursor)
    select case when e.event = 'login' then $1 + interval '7 hours' else $1 + interval '19 hours' end,
           org, left(org, 3) || lpad(a::text, 3, '0'), e.event, 'Team ' || (a % 6),
           $1 + interval '7 hours', case when e.event = 'logout' then 43200 end, a
      from unnest(array['Sales', 'Collections', 'Retention']) org, generate_series(0, 59) a,
           (values ('login'), ('logout')) e(event)
    on conflict do nothing
    returning *)
select (select report_add_job_events(coalesce(array_agg(e::job_event), '{}')) from events e)
     + (select report_add_skips(coalesce(array_agg(s::contact_skip), '{}')) from skips s)
     + (select report_add_inbound($3, coalesce(array_agg(i::inbound_call), '{}')) from inbound i)
     + (select report_add_sessions($3, coalesce(array_agg(s::agent_session), '{}')) from sessions s)
"#;

/// Fills the store: `attempts` over the days of `range`, one transaction per day (as ingestion
/// commits pages), then `vacuum analyze` as autovacuum would after a load this size.
pub async fn generate(pool: &PgPool, range: &Range, attempts: i64) {
    let started = Instant::now();
    let days = range.days();
    let per_day = attempts / days;
    let mut month = range.from.replace_day(1).unwrap();
    while month <= range.to {
        sqlx::query("select call_data_ensure_month($1)")
            .bind(month)
            .execute(pool)
            .await
            .unwrap();
        month = month.replace_day(28).unwrap() + time::Duration::days(4);
        month = month.replace_day(1).unwrap();
    }
    for index in 0..days {
        let day: Date = range.from + time::Duration::days(index);
        let (low, high) = Range::instants(day, day);
        let mut tx = pool.begin().await.unwrap();
        sqlx::query("set local synchronous_commit = off")
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(ATTEMPTS)
            .bind(day)
            .bind(per_day)
            .bind(index * per_day)
            .bind(index)
            .bind(TZ)
            .execute(&mut *tx)
            .await
            .unwrap();
        for statement in [INTERVALS, SALES, CALLBACKS] {
            let query = sqlx::query(statement).bind(low).bind(high);
            let query = if statement == CALLBACKS {
                query
            } else {
                query.bind(TZ)
            };
            query.execute(&mut *tx).await.unwrap();
        }
        sqlx::query(JOBS)
            .bind(low)
            .bind(high)
            .bind(TZ)
            .bind(index)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        if index % 10 == 9 || index == days - 1 {
            println!(
                "  generated {} of {days} days ({} attempts) in {:.0} s",
                index + 1,
                (index + 1) * per_day,
                started.elapsed().as_secs_f64()
            );
        }
    }
    for table in [
        "call_attempt",
        "agent_interval",
        "sale",
        "callback",
        "callback_event",
        "job_event",
        "contact_skip",
        "inbound_call",
        "agent_session",
    ] {
        sqlx::query(&format!("vacuum analyze {table}"))
            .execute(pool)
            .await
            .unwrap();
    }
    println!(
        "  store ready (vacuum analyze included) in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}
