-- Summaries for the agent, job and sales reports (docs/reports.md): agent time per campaign and
-- not-ready time per reason per day, each job's outcomes, agent time and sales, and its final
-- completion codes (NSP, NTC, DNCREQ are settings, counted when read).

-- Attempts' facts now carry the codes and the agent, which the agent and job summaries need.
alter type call_attempt_fact
    add attribute completion_code text,
    add attribute agent_completion_code text,
    add attribute agent_id text;

create or replace function call_attempt_fact(a call_attempt) returns call_attempt_fact
language sql immutable as $$
    select (a.organization, a.job_id, a.campaign, a.campaign_type, a.attempt_at, a.attempt_number,
            a.result, a.answered_at, a.connect_at, a.nuisance, a.nuisance_reason, a.callback_id,
            a.talk_seconds, a.wrap_up_seconds, a.completion_code, a.agent_completion_code,
            a.agent_id)::call_attempt_fact
$$;

-- An agent's day on one campaign: time attached to it (intervals with its job), calls taken,
-- talk and wrap-up, nuisance calls the agent caused by going AUX, previews cancelled.
create table report_agent_campaign_day (
    organization text not null,
    report_day date not null,
    agent_id text not null,
    campaign text not null,
    campaign_type text not null,
    attached_seconds bigint not null default 0,
    calls bigint not null default 0,
    talk_seconds bigint not null default 0,
    wrap_up_seconds bigint not null default 0,
    nuisance_caused bigint not null default 0,
    previews_cancelled bigint not null default 0,
    primary key (organization, report_day, agent_id, campaign)
);

-- Not-ready time per agent, day, campaign type ('' when not attached) and AUX reason.
create table report_agent_reason_day (
    organization text not null,
    report_day date not null,
    agent_id text not null,
    campaign_type text not null,
    reason text not null,
    seconds bigint not null,
    primary key (organization, report_day, agent_id, campaign_type, reason)
);

-- What each job's attempts, agent time and sales came to, beside `report_job`.
create table report_job_outcome (
    organization text not null,
    job_id bigint not null,
    first_attempts bigint not null default 0,
    answer_human bigint not null default 0,
    answer_machine bigint not null default 0,
    busy bigint not null default 0,
    no_answer bigint not null default 0,
    failed bigint not null default 0,
    fax bigint not null default 0,
    preview_cancelled bigint not null default 0,
    callbacks_dialled bigint not null default 0,
    talk_seconds bigint not null default 0,
    wrap_up_seconds bigint not null default 0,
    agent_seconds bigint not null default 0,
    preview_seconds bigint not null default 0,
    previews bigint not null default 0,
    sales bigint not null default 0,
    primary key (organization, job_id)
);

-- Attempts per job and final completion code.
create table report_job_code (
    organization text not null,
    job_id bigint not null,
    code text not null,
    attempts bigint not null,
    primary key (organization, job_id, code)
);

-- The agents' part of attempt days, added to what report_add_attempt_days kept.
create function report_add_attempt_agents(tz text, rows call_attempt_fact[]) returns bigint
language plpgsql as $$
begin
    insert into report_agent_campaign_day as d (organization, report_day, agent_id, campaign,
        campaign_type, calls, talk_seconds, wrap_up_seconds, nuisance_caused, previews_cancelled)
    select r.organization, (r.attempt_at at time zone tz)::date, r.agent_id, r.campaign,
           max(r.campaign_type),
           count(*) filter (where r.connect_at is not null),
           coalesce(sum(r.talk_seconds), 0), coalesce(sum(r.wrap_up_seconds), 0),
           count(*) filter (where r.nuisance_reason = 'agent_aux'),
           count(*) filter (where r.result = 'preview_cancelled')
      from unnest(rows) r
     where r.agent_id is not null
     group by 1, 2, 3, 4
    on conflict (organization, report_day, agent_id, campaign) do update set
        calls = d.calls + excluded.calls,
        talk_seconds = d.talk_seconds + excluded.talk_seconds,
        wrap_up_seconds = d.wrap_up_seconds + excluded.wrap_up_seconds,
        nuisance_caused = d.nuisance_caused + excluded.nuisance_caused,
        previews_cancelled = d.previews_cancelled + excluded.previews_cancelled;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- Ingestion's and rebuild's one call for attempt days keeps the campaigns' part (as before) and
-- now the agents' part.
alter function report_add_attempt_days(text, call_attempt_fact[])
    rename to report_add_attempt_campaign_days;

create function report_add_attempt_days(tz text, rows call_attempt_fact[]) returns bigint
language plpgsql as $$
begin
    perform report_add_attempt_campaign_days(tz, rows);
    perform report_add_attempt_agents(tz, rows);
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- The attempts' part of each job's outcome and codes, beside what report_job keeps.
alter function report_add_attempt_jobs(call_attempt_fact[]) rename to report_add_attempt_job_totals;

create function report_add_attempt_jobs(rows call_attempt_fact[]) returns bigint
language plpgsql as $$
begin
    perform report_add_attempt_job_totals(rows);
    insert into report_job_outcome as o (organization, job_id, first_attempts, answer_human,
        answer_machine, busy, no_answer, failed, fax, preview_cancelled, callbacks_dialled,
        talk_seconds, wrap_up_seconds)
    select r.organization, r.job_id,
           count(*) filter (where r.attempt_number = 1),
           count(*) filter (where r.result = 'answer_human'),
           count(*) filter (where r.result = 'answer_machine'),
           count(*) filter (where r.result = 'busy'),
           count(*) filter (where r.result = 'no_answer'),
           count(*) filter (where r.result = 'failed'),
           count(*) filter (where r.result = 'fax'),
           count(*) filter (where r.result = 'preview_cancelled'),
           count(*) filter (where r.callback_id is not null),
           coalesce(sum(r.talk_seconds), 0), coalesce(sum(r.wrap_up_seconds), 0)
      from unnest(rows) r
     group by 1, 2
    on conflict (organization, job_id) do update set
        first_attempts = o.first_attempts + excluded.first_attempts,
        answer_human = o.answer_human + excluded.answer_human,
        answer_machine = o.answer_machine + excluded.answer_machine,
        busy = o.busy + excluded.busy,
        no_answer = o.no_answer + excluded.no_answer,
        failed = o.failed + excluded.failed,
        fax = o.fax + excluded.fax,
        preview_cancelled = o.preview_cancelled + excluded.preview_cancelled,
        callbacks_dialled = o.callbacks_dialled + excluded.callbacks_dialled,
        talk_seconds = o.talk_seconds + excluded.talk_seconds,
        wrap_up_seconds = o.wrap_up_seconds + excluded.wrap_up_seconds;

    insert into report_job_code as c
    select r.organization, r.job_id, r.completion_code, count(*)
      from unnest(rows) r
     group by 1, 2, 3
    on conflict (organization, job_id, code) do update set attempts = c.attempts + excluded.attempts;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- Agent time per campaign and not-ready time per reason, by the interval's start day.
create function report_add_interval_details(tz text, rows agent_interval[]) returns bigint
language plpgsql as $$
begin
    insert into report_agent_campaign_day as d (organization, report_day, agent_id, campaign,
        campaign_type, attached_seconds)
    select r.organization, (r.start_at at time zone tz)::date, r.agent_id, r.campaign,
           max(r.campaign_type), coalesce(sum(r.seconds), 0)
      from unnest(rows) r
     where r.campaign is not null
     group by 1, 2, 3, 4
    on conflict (organization, report_day, agent_id, campaign) do update set
        attached_seconds = d.attached_seconds + excluded.attached_seconds;

    insert into report_agent_reason_day as d
    select r.organization, (r.start_at at time zone tz)::date, r.agent_id,
           coalesce(r.campaign_type, ''), coalesce(nullif(r.aux_reason, ''), '(no reason)'),
           coalesce(sum(r.seconds), 0)
      from unnest(rows) r
     where r.state = 'not_ready'
     group by 1, 2, 3, 4, 5
    on conflict (organization, report_day, agent_id, campaign_type, reason) do update set
        seconds = d.seconds + excluded.seconds;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- Each job's agent time: every interval while attached, preview time and previews.
create function report_add_interval_jobs(rows agent_interval[]) returns bigint
language plpgsql as $$
begin
    insert into report_job_outcome as o (organization, job_id, agent_seconds, preview_seconds,
                                         previews)
    select r.organization, r.job_id, coalesce(sum(r.seconds), 0),
           coalesce(sum(r.seconds) filter (where r.state = 'preview'), 0),
           count(*) filter (where r.state = 'preview')
      from unnest(rows) r
     where r.job_id is not null
     group by 1, 2
    on conflict (organization, job_id) do update set
        agent_seconds = o.agent_seconds + excluded.agent_seconds,
        preview_seconds = o.preview_seconds + excluded.preview_seconds,
        previews = o.previews + excluded.previews;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

alter function report_add_intervals(text, agent_interval[]) rename to report_add_interval_days;

-- Ingestion's one call for intervals; rebuild calls the day parts and the job part apart.
create function report_add_intervals(tz text, rows agent_interval[]) returns bigint
language plpgsql as $$
begin
    perform report_add_interval_days(tz, rows);
    perform report_add_interval_details(tz, rows);
    perform report_add_interval_jobs(rows);
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- Each job's sales.
create function report_add_sale_jobs(rows sale[]) returns bigint
language plpgsql as $$
begin
    insert into report_job_outcome as o (organization, job_id, sales)
    select r.organization, r.job_id, count(*)
      from unnest(rows) r
     group by 1, 2
    on conflict (organization, job_id) do update set sales = o.sales + excluded.sales;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

alter function report_add_sales(text, sale[]) rename to report_add_sale_days;

-- Ingestion's one call for sales; rebuild calls the day part and the job part apart.
create function report_add_sales(tz text, rows sale[]) returns bigint
language plpgsql as $$
begin
    perform report_add_sale_days(tz, rows);
    perform report_add_sale_jobs(rows);
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- Days and jobs summarised before this migration get these from `ocm reports rebuild`.
