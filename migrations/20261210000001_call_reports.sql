-- The call-data reports (docs/reports.md): what their pages read on an index, and the one
-- summary the compliance view needs that the others do not keep.

-- A unique, increasing number per attempt: the Call Attempt report's keyset tie-breaker (the
-- natural key is text, and feed cursors repeat across the feed and the CSV folder). Added last,
-- so ingestion's positional insert leaves it to the default.
create sequence call_attempt_row_seq;
alter table call_attempt add column row_id bigint not null default nextval('call_attempt_row_seq');

-- The Call Attempt report's first page, newest first, per organization (and across them for
-- admins). The occurred_at bound the report adds prunes partitions.
create index call_attempt_report on call_attempt (organization, attempt_at desc, row_id desc);
create index call_attempt_report_all on call_attempt (attempt_at desc, row_id desc);

-- The NSP and NTC lists: attempts closed with a given code, newest first.
create index call_attempt_by_code on call_attempt (organization, completion_code, attempt_at desc, row_id desc);

-- Inbound Abandoned: the organization's calls to a caller's number (matched contact, called back).
create index call_attempt_by_address on call_attempt (organization, address, attempt_at);

-- Agent Owned Recalls: a callback's events.
create index callback_event_by_id on callback_event (callback_id, event, occurred_at);

-- List Accounts Not Attempted: a contact's last attempt.
create index call_attempt_by_contact on call_attempt (organization, list_name, user_contact_id, attempt_at);

-- Live answers per campaign and day by how long the person waited for an agent (connect minus
-- answer), in half-second buckets 0..9 and 10 for 5 s or more; nuisance calls are not connected
-- and count in bucket -1. The compliance view's "connected within 2 s" reads buckets 0..3.
create table report_connect_delay_day (
    organization text not null,
    report_day date not null,
    campaign text not null,
    bucket smallint not null,
    answers bigint not null,
    primary key (organization, report_day, campaign, bucket)
);

create function report_connect_bucket(answered_at timestamptz, connect_at timestamptz)
returns smallint language sql immutable as $$
    select case
        when connect_at is null then -1
        else least(10, greatest(0, floor(extract(epoch from connect_at - answered_at) * 2)))::smallint
    end
$$;

-- Keeps the other summaries as they were and adds the connect delays, in the same call.
create or replace function report_add_attempt_days(tz text, rows call_attempt_fact[]) returns bigint
language plpgsql as $$
begin
    insert into report_campaign_day as d
    select r.organization, (r.attempt_at at time zone tz)::date, r.campaign, r.campaign_type,
           count(*), count(*) filter (where r.attempt_number = 1),
           count(*) filter (where r.result = 'answer_human'),
           count(*) filter (where r.result = 'answer_machine'),
           count(*) filter (where r.result = 'busy'),
           count(*) filter (where r.result = 'no_answer'),
           count(*) filter (where r.result = 'failed'),
           count(*) filter (where r.result = 'fax'),
           count(*) filter (where r.result = 'preview_cancelled'),
           count(*) filter (where r.connect_at is not null),
           count(*) filter (where r.nuisance),
           count(*) filter (where r.callback_id is not null),
           coalesce(sum(r.talk_seconds), 0), coalesce(sum(r.wrap_up_seconds), 0)
      from unnest(rows) r
     group by 1, 2, 3, 4
    on conflict (organization, report_day, campaign, campaign_type) do update set
        attempts = d.attempts + excluded.attempts,
        first_attempts = d.first_attempts + excluded.first_attempts,
        answer_human = d.answer_human + excluded.answer_human,
        answer_machine = d.answer_machine + excluded.answer_machine,
        busy = d.busy + excluded.busy,
        no_answer = d.no_answer + excluded.no_answer,
        failed = d.failed + excluded.failed,
        fax = d.fax + excluded.fax,
        preview_cancelled = d.preview_cancelled + excluded.preview_cancelled,
        connects = d.connects + excluded.connects,
        nuisance = d.nuisance + excluded.nuisance,
        callbacks_dialled = d.callbacks_dialled + excluded.callbacks_dialled,
        talk_seconds = d.talk_seconds + excluded.talk_seconds,
        wrap_up_seconds = d.wrap_up_seconds + excluded.wrap_up_seconds;

    insert into report_nuisance_hour as h
    select r.organization, (r.attempt_at at time zone tz)::date,
           extract(hour from r.attempt_at at time zone tz)::smallint, r.campaign,
           count(*),
           count(*) filter (where r.nuisance_reason = 'no_agent'),
           count(*) filter (where r.nuisance_reason = 'agent_aux')
      from unnest(rows) r
     where r.result = 'answer_human' and r.answered_at is not null
     group by 1, 2, 3, 4
    on conflict (organization, report_day, hour, campaign) do update set
        answered = h.answered + excluded.answered,
        nuisance_no_agent = h.nuisance_no_agent + excluded.nuisance_no_agent,
        nuisance_agent_aux = h.nuisance_agent_aux + excluded.nuisance_agent_aux;

    insert into report_connect_delay_day as c
    select r.organization, (r.attempt_at at time zone tz)::date, r.campaign,
           report_connect_bucket(r.answered_at, r.connect_at), count(*)
      from unnest(rows) r
     where r.result = 'answer_human' and r.answered_at is not null
     group by 1, 2, 3, 4
    on conflict (organization, report_day, campaign, bucket) do update set
        answers = c.answers + excluded.answers;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- Days summarised before this migration get their connect delays from `ocm reports rebuild`
-- (the report time zone is a setting of the server, unknown here).
