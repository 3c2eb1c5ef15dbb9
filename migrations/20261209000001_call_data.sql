-- Call data (docs/call-data.md): what the dialer did, read from the call-data feed
-- (docs/call-data-feed.md). Raw tables hold the feed's records, partitioned by month of
-- `occurred_at` (UTC) so retention drops partitions and the schema distributes on Citus by
-- organization; each has its natural key, so a replayed record adds nothing. Summary tables
-- (`report_*`) are kept up to date in the transaction that adds the raw rows and can be rebuilt
-- from them (`ocm reports rebuild`).

create table call_attempt (
    occurred_at timestamptz not null,          -- end of the call
    session_id text not null,
    organization text not null,
    job_id bigint not null,
    campaign text not null,
    campaign_type text not null,
    list_name text not null,
    user_contact_id text not null,
    address text,                              -- personal: cleared by retention
    phone_attribute text not null,
    zone text not null,
    attempt_number integer not null,
    attempt_at timestamptz not null,
    ringback_at timestamptz,
    answered_at timestamptz,
    connect_at timestamptz,
    result text not null,
    completion_code text not null,
    sys_completion_code text not null,
    agent_completion_code text,
    agent_id text,
    team text,
    talk_seconds integer not null,
    wrap_up_seconds integer not null,
    nuisance boolean not null,
    nuisance_reason text,
    aux_reason text,
    callback_id text,
    contact jsonb,                             -- personal: cleared by retention
    feed_cursor bigint not null,
    primary key (occurred_at, session_id)
) partition by range (occurred_at);

-- What the attempt summaries read of an attempt. Ingestion (`insert … returning` these columns
-- in this order) and rebuild (`call_attempt_fact(a)`) pass these to the summarising functions
-- instead of whole rows: building and unnesting whole rows (contact attributes and all) cost
-- a quarter of ingestion's time in the benchmark.
create type call_attempt_fact as (
    organization text, job_id bigint, campaign text, campaign_type text, attempt_at timestamptz,
    attempt_number integer, result text, answered_at timestamptz, connect_at timestamptz,
    nuisance boolean, nuisance_reason text, callback_id text, talk_seconds integer,
    wrap_up_seconds integer
);

create function call_attempt_fact(a call_attempt) returns call_attempt_fact
language sql immutable as $$
    select (a.organization, a.job_id, a.campaign, a.campaign_type, a.attempt_at, a.attempt_number,
            a.result, a.answered_at, a.connect_at, a.nuisance, a.nuisance_reason, a.callback_id,
            a.talk_seconds, a.wrap_up_seconds)::call_attempt_fact
$$;

create table agent_interval (
    occurred_at timestamptz not null,          -- end of the interval
    organization text not null,
    agent_id text not null,
    start_at timestamptz not null,
    team text not null,
    state text not null,
    aux_code integer,
    aux_reason text,
    seconds integer not null,
    session_id text,
    direction text,
    job_id bigint,
    campaign text,
    campaign_type text,
    feed_cursor bigint not null,
    primary key (occurred_at, organization, agent_id, start_at)
) partition by range (occurred_at);

create table agent_session (
    occurred_at timestamptz not null,
    organization text not null,
    agent_id text not null,
    event text not null,
    team text not null,
    login_at timestamptz not null,
    seconds integer,
    feed_cursor bigint not null,
    primary key (occurred_at, organization, agent_id, event)
) partition by range (occurred_at);

create table callback (
    occurred_at timestamptz not null,          -- created
    callback_id text not null,
    session_id text not null,
    organization text not null,
    job_id bigint not null,
    campaign text not null,
    list_name text not null,
    user_contact_id text not null,
    address text,                              -- personal
    callback_type text not null,
    agent_id text,
    due_at timestamptz not null,
    expires_at timestamptz not null,
    time_zone text,
    notes text,                                -- personal
    feed_cursor bigint not null,
    primary key (occurred_at, callback_id)
) partition by range (occurred_at);

create table callback_event (
    occurred_at timestamptz not null,
    callback_id text not null,
    event text not null,
    organization text not null,
    campaign text not null,
    job_id bigint,
    list_name text not null,
    user_contact_id text not null,
    agent_id text,
    handed_over boolean not null,
    session_id text,
    code text,
    due_at timestamptz,
    feed_cursor bigint not null,
    primary key (occurred_at, callback_id, event)
) partition by range (occurred_at);

-- Answered (`inbound_call`) and abandoned (`inbound_abandon`) inbound calls.
create table inbound_call (
    occurred_at timestamptz not null,          -- arrival
    organization text not null,
    call_id text not null,
    answered boolean not null,
    queue text not null,
    caller text,                               -- personal
    ended_at timestamptz not null,             -- end of the conversation, or the abandon
    wait_seconds integer not null,
    agent_id text,
    team text,
    talk_seconds integer not null,
    wrap_up_seconds integer not null,
    feed_cursor bigint not null,
    primary key (occurred_at, organization, call_id)
) partition by range (occurred_at);

create table job_event (
    occurred_at timestamptz not null,
    job_id bigint not null,
    event text not null,
    organization text not null,
    campaign text not null,
    campaign_type text not null,
    state text not null,
    finish_reason text,
    list_sizes jsonb not null,
    counters jsonb,
    feed_cursor bigint not null,
    primary key (occurred_at, job_id, event)
) partition by range (occurred_at);

create table contact_skip (
    occurred_at timestamptz not null,
    job_id bigint not null,
    list_name text not null,
    user_contact_id text not null,
    organization text not null,
    campaign text not null,
    reason text not null,
    contact jsonb,                             -- personal
    feed_cursor bigint not null,
    primary key (occurred_at, job_id, list_name, user_contact_id)
) partition by range (occurred_at);

create table sale (
    occurred_at timestamptz not null,          -- submitted
    sale_id text not null,
    session_id text not null,
    organization text not null,
    job_id bigint not null,
    campaign text not null,
    list_name text not null,
    user_contact_id text not null,
    agent_id text not null,
    team text not null,
    product text not null,
    category text not null,
    amount_minor bigint not null,              -- in hundredths of `currency`
    currency text not null,
    feed_cursor bigint not null,
    primary key (occurred_at, sale_id)
) partition by range (occurred_at);

create table call_attempt_default partition of call_attempt default;
create table agent_interval_default partition of agent_interval default;
create table agent_session_default partition of agent_session default;
create table callback_default partition of callback default;
create table callback_event_default partition of callback_event default;
create table inbound_call_default partition of inbound_call default;
create table job_event_default partition of job_event default;
create table contact_skip_default partition of contact_skip default;
create table sale_default partition of sale default;

-- The raw tables, for the functions below and the upkeep.
create function call_data_tables() returns text[] language sql immutable as $$
    select array['call_attempt', 'agent_interval', 'agent_session', 'callback', 'callback_event',
                 'inbound_call', 'job_event', 'contact_skip', 'sale']
$$;

-- Creates a month's partition of every raw table. Returns false, creating nothing for that
-- table, when its default partition already holds rows of the month (they would have to move).
create function call_data_ensure_month(month date) returns boolean language plpgsql as $$
declare
    suffix text := to_char(month, 'YYYY_MM');
    low timestamptz := (month::timestamp at time zone 'UTC');
    high timestamptz := ((month + interval '1 month')::timestamp at time zone 'UTC');
    raw text;
    blocked boolean;
    all_made boolean := true;
begin
    foreach raw in array call_data_tables() loop
        if to_regclass(raw || '_' || suffix) is not null then
            continue;
        end if;
        execute format('select exists (select 1 from %I where occurred_at >= %L and occurred_at < %L)',
                       raw || '_default', low, high) into blocked;
        if blocked then
            all_made := false;
            continue;
        end if;
        execute format('create table %I partition of %I for values from (%L) to (%L)',
                       raw || '_' || suffix, raw, low, high);
    end loop;
    return all_made;
end;
$$;

select call_data_ensure_month(month::date)
  from generate_series(date_trunc('month', now() - interval '3 months'),
                       date_trunc('month', now() + interval '3 months'),
                       interval '1 month') as month;

-- Summaries. Days and hours are in the report time zone (OCM_REPORT_TIME_ZONE).

-- Agent time per day and campaign type ('' for time not attached to a job), by interval start.
create table report_agent_day (
    organization text not null,
    report_day date not null,
    agent_id text not null,
    campaign_type text not null,
    ready_seconds bigint not null,
    preview_seconds bigint not null,
    talking_seconds bigint not null,
    wrap_up_seconds bigint not null,
    pending_not_ready_seconds bigint not null,
    not_ready_seconds bigint not null,
    outbound_calls bigint not null,
    inbound_calls bigint not null,
    primary key (organization, report_day, agent_id, campaign_type)
);

-- Logged-in time per agent and day of login, from logouts.
create table report_agent_login_day (
    organization text not null,
    report_day date not null,
    agent_id text not null,
    first_login timestamptz not null,
    last_logout timestamptz not null,
    sessions bigint not null,
    staffed_seconds bigint not null,
    primary key (organization, report_day, agent_id)
);

-- Calls per campaign and day of the attempt.
create table report_campaign_day (
    organization text not null,
    report_day date not null,
    campaign text not null,
    campaign_type text not null,
    attempts bigint not null,
    first_attempts bigint not null,
    answer_human bigint not null,
    answer_machine bigint not null,
    busy bigint not null,
    no_answer bigint not null,
    failed bigint not null,
    fax bigint not null,
    preview_cancelled bigint not null,
    connects bigint not null,
    nuisance bigint not null,
    callbacks_dialled bigint not null,
    talk_seconds bigint not null,
    wrap_up_seconds bigint not null,
    primary key (organization, report_day, campaign, campaign_type)
);

-- Sales per campaign, day, agent and category.
create table report_sales_day (
    organization text not null,
    report_day date not null,
    campaign text not null,
    agent_id text not null,
    category text not null,
    currency text not null,
    sales bigint not null,
    amount_minor bigint not null,
    primary key (organization, report_day, campaign, agent_id, category, currency)
);

-- Human answers and nuisance calls per campaign and hour of the attempt (abandon rates).
create table report_nuisance_hour (
    organization text not null,
    report_day date not null,
    hour smallint not null,
    campaign text not null,
    answered bigint not null,
    nuisance_no_agent bigint not null,
    nuisance_agent_aux bigint not null,
    primary key (organization, report_day, hour, campaign)
);

-- Inbound calls per queue and hour of arrival.
create table report_inbound_hour (
    organization text not null,
    report_day date not null,
    hour smallint not null,
    queue text not null,
    offered bigint not null,
    answered bigint not null,
    abandoned bigint not null,
    wait_seconds bigint not null,
    talk_seconds bigint not null,
    primary key (organization, report_day, hour, queue)
);

-- One row per job: its life from its events, its calls and the contacts it passed over.
create table report_job (
    organization text not null,
    job_id bigint not null,
    campaign text not null,
    campaign_type text not null,
    started_at timestamptz,
    finished_at timestamptz,
    finish_reason text,
    list_contacts bigint not null,
    attempts bigint not null,
    connects bigint not null,
    nuisance bigint not null,
    skipped bigint not null,
    primary key (organization, job_id)
);

-- Skipped contacts per job and reason.
create table report_job_skip (
    organization text not null,
    job_id bigint not null,
    reason text not null,
    contacts bigint not null,
    primary key (organization, job_id, reason)
);

-- Each callback's latest state.
create table report_callback (
    callback_id text primary key,
    organization text not null,
    campaign text not null,
    state text not null,
    state_at timestamptz not null,
    agent_id text,
    handed_over boolean not null
);
create index report_callback_state on report_callback (organization, state);

-- Ingestion's own bookkeeping: one row per source (the feed, or the import folder).
create table call_data_source (
    name text primary key,
    cursor_position bigint not null default 0,
    feed_version integer,
    last_run_at timestamptz,
    last_success_at timestamptz,
    newest_record_at timestamptz,
    records bigint not null default 0,
    unknown_records bigint not null default 0,
    unknown_fields bigint not null default 0
);

-- Problems met while ingesting, one row per reason: logged once, counted, shown to admins.
create table call_data_problem (
    source text not null,
    reason text not null,
    detail text not null,
    occurrences bigint not null default 1,
    first_seen timestamptz not null default now(),
    last_seen timestamptz not null default now(),
    primary key (source, reason)
);

-- Records OCM could not use, kept: kinds it does not know yet (forward compatibility; `problem`
-- is null) and records that break the contract (`problem` says how).
create table call_data_unknown (
    source text not null,
    feed_cursor bigint not null,
    kind text not null,
    problem text,
    record jsonb not null,
    received_at timestamptz not null default now(),
    primary key (source, feed_cursor)
);

-- Summarising functions: each adds a set of raw rows to the summaries. Ingestion calls them
-- with the rows a batch really inserted (`insert … returning`), `ocm reports rebuild` with the
-- raw rows of the days it rebuilds; one definition for both keeps them equal. Every summary is
-- a sum, a count, a least or a greatest, so the order rows arrive in does not matter.

-- Day-keyed summaries of attempts (by the attempt's start in the report time zone).
create function report_add_attempt_days(tz text, rows call_attempt_fact[]) returns bigint
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
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- The attempts' part of each job's summary.
create function report_add_attempt_jobs(rows call_attempt_fact[]) returns bigint
language plpgsql as $$
begin
    insert into report_job as j (organization, job_id, campaign, campaign_type, list_contacts,
                                 attempts, connects, nuisance, skipped)
    select r.organization, r.job_id, max(r.campaign), max(r.campaign_type), 0,
           count(*), count(*) filter (where r.connect_at is not null),
           count(*) filter (where r.nuisance), 0
      from unnest(rows) r
     group by 1, 2
    on conflict (organization, job_id) do update set
        campaign_type = greatest(j.campaign_type, excluded.campaign_type),
        attempts = j.attempts + excluded.attempts,
        connects = j.connects + excluded.connects,
        nuisance = j.nuisance + excluded.nuisance;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

create function report_add_intervals(tz text, rows agent_interval[]) returns bigint
language plpgsql as $$
begin
    insert into report_agent_day as d
    select r.organization, (r.start_at at time zone tz)::date, r.agent_id,
           coalesce(r.campaign_type, ''),
           coalesce(sum(r.seconds) filter (where r.state = 'ready'), 0),
           coalesce(sum(r.seconds) filter (where r.state = 'preview'), 0),
           coalesce(sum(r.seconds) filter (where r.state = 'talking'), 0),
           coalesce(sum(r.seconds) filter (where r.state = 'wrap_up'), 0),
           coalesce(sum(r.seconds) filter (where r.state = 'pending_not_ready'), 0),
           coalesce(sum(r.seconds) filter (where r.state = 'not_ready'), 0),
           count(*) filter (where r.state = 'talking' and r.direction = 'outbound'),
           count(*) filter (where r.state = 'talking' and r.direction = 'inbound')
      from unnest(rows) r
     group by 1, 2, 3, 4
    on conflict (organization, report_day, agent_id, campaign_type) do update set
        ready_seconds = d.ready_seconds + excluded.ready_seconds,
        preview_seconds = d.preview_seconds + excluded.preview_seconds,
        talking_seconds = d.talking_seconds + excluded.talking_seconds,
        wrap_up_seconds = d.wrap_up_seconds + excluded.wrap_up_seconds,
        pending_not_ready_seconds = d.pending_not_ready_seconds + excluded.pending_not_ready_seconds,
        not_ready_seconds = d.not_ready_seconds + excluded.not_ready_seconds,
        outbound_calls = d.outbound_calls + excluded.outbound_calls,
        inbound_calls = d.inbound_calls + excluded.inbound_calls;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

create function report_add_sessions(tz text, rows agent_session[]) returns bigint
language plpgsql as $$
begin
    insert into report_agent_login_day as d
    select r.organization, (r.login_at at time zone tz)::date, r.agent_id,
           min(r.login_at), max(r.occurred_at), count(*), coalesce(sum(r.seconds), 0)
      from unnest(rows) r
     where r.event = 'logout'
     group by 1, 2, 3
    on conflict (organization, report_day, agent_id) do update set
        first_login = least(d.first_login, excluded.first_login),
        last_logout = greatest(d.last_logout, excluded.last_logout),
        sessions = d.sessions + excluded.sessions,
        staffed_seconds = d.staffed_seconds + excluded.staffed_seconds;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

create function report_add_sales(tz text, rows sale[]) returns bigint
language plpgsql as $$
begin
    insert into report_sales_day as d
    select r.organization, (r.occurred_at at time zone tz)::date, r.campaign, r.agent_id,
           r.category, r.currency, count(*), sum(r.amount_minor)
      from unnest(rows) r
     group by 1, 2, 3, 4, 5, 6
    on conflict (organization, report_day, campaign, agent_id, category, currency) do update set
        sales = d.sales + excluded.sales,
        amount_minor = d.amount_minor + excluded.amount_minor;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

create function report_add_inbound(tz text, rows inbound_call[]) returns bigint
language plpgsql as $$
begin
    insert into report_inbound_hour as h
    select r.organization, (r.occurred_at at time zone tz)::date,
           extract(hour from r.occurred_at at time zone tz)::smallint, r.queue,
           count(*), count(*) filter (where r.answered), count(*) filter (where not r.answered),
           coalesce(sum(r.wait_seconds), 0), coalesce(sum(r.talk_seconds), 0)
      from unnest(rows) r
     group by 1, 2, 3, 4
    on conflict (organization, report_day, hour, queue) do update set
        offered = h.offered + excluded.offered,
        answered = h.answered + excluded.answered,
        abandoned = h.abandoned + excluded.abandoned,
        wait_seconds = h.wait_seconds + excluded.wait_seconds,
        talk_seconds = h.talk_seconds + excluded.talk_seconds;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

create function report_add_job_events(rows job_event[]) returns bigint
language plpgsql as $$
begin
    insert into report_job as j (organization, job_id, campaign, campaign_type, started_at,
                                 finished_at, finish_reason, list_contacts, attempts, connects,
                                 nuisance, skipped)
    select r.organization, r.job_id, max(r.campaign), max(r.campaign_type),
           min(r.occurred_at) filter (where r.event = 'started'),
           max(r.occurred_at) filter (where r.event in ('stopped', 'completed')),
           max(r.finish_reason),
           coalesce(sum((select sum((s ->> 'contacts')::bigint) from jsonb_array_elements(r.list_sizes) s))
                        filter (where r.event = 'started'), 0),
           0, 0, 0, 0
      from unnest(rows) r
     group by 1, 2
    on conflict (organization, job_id) do update set
        campaign_type = greatest(j.campaign_type, excluded.campaign_type),
        started_at = least(j.started_at, excluded.started_at),
        finished_at = greatest(j.finished_at, excluded.finished_at),
        finish_reason = greatest(j.finish_reason, excluded.finish_reason),
        list_contacts = j.list_contacts + excluded.list_contacts;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

create function report_add_skips(rows contact_skip[]) returns bigint
language plpgsql as $$
begin
    insert into report_job as j (organization, job_id, campaign, campaign_type, list_contacts,
                                 attempts, connects, nuisance, skipped)
    select r.organization, r.job_id, max(r.campaign), '', 0, 0, 0, 0, count(*)
      from unnest(rows) r
     group by 1, 2
    on conflict (organization, job_id) do update set skipped = j.skipped + excluded.skipped;

    insert into report_job_skip as s
    select r.organization, r.job_id, r.reason, count(*)
      from unnest(rows) r
     group by 1, 2, 3
    on conflict (organization, job_id, reason) do update set contacts = s.contacts + excluded.contacts;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- The order of a callback's events at one instant (a later event wins).
create function callback_event_rank(event text) returns integer language sql immutable as $$
    select array_position(array['created', 'pending', 'dialled', 'rescheduled', 'completed',
                                'cancelled', 'expired'], event)
$$;

create function report_add_callback_events(rows callback_event[]) returns bigint
language plpgsql as $$
begin
    insert into report_callback as c
    select l.callback_id, l.organization, l.campaign, l.event, l.occurred_at, l.agent_id,
           h.handed_over
      from (select distinct on (r.callback_id)
                   r.callback_id, r.organization, r.campaign, r.event, r.occurred_at, r.agent_id
              from unnest(rows) r
             order by r.callback_id, r.occurred_at desc, callback_event_rank(r.event) desc) l
      join (select r.callback_id, bool_or(r.handed_over) as handed_over
              from unnest(rows) r group by 1) h using (callback_id)
    on conflict (callback_id) do update set
        state = case when (excluded.state_at, callback_event_rank(excluded.state))
                         > (c.state_at, callback_event_rank(c.state)) then excluded.state else c.state end,
        state_at = case when (excluded.state_at, callback_event_rank(excluded.state))
                         > (c.state_at, callback_event_rank(c.state)) then excluded.state_at else c.state_at end,
        agent_id = case when (excluded.state_at, callback_event_rank(excluded.state))
                         > (c.state_at, callback_event_rank(c.state)) then excluded.agent_id else c.agent_id end,
        handed_over = c.handed_over or excluded.handed_over;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- The kill list's own cursor: call-data ingestion reads the whole feed from its start instead
-- (kill-list entries are registered once each, so nothing is registered twice).
drop table feed_cursor;
