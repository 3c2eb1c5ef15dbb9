-- Two summary reports read lines kept ready instead of summing several summary tables at every
-- read (at 10,000,000 attempts over 90 days: 16,200 agent-days cost 200 ms a read, 64,800
-- agent-campaign-days 270 ms):
-- * the Agent Time Summaries: one line per agent, day and campaign type with every figure but the
--   team (joined when read);
-- * Secured/Unsecured Performance: one line per agent, day, campaign and currency with its team
--   and its place in the report's order (`line_no`), so a page is read off an index.
--
-- Ingestion does not compute those lines: it marks the (organization, day) it touched as stale,
-- and the reports settle the stale days before they read (`report_settle_days`). Marking takes
-- no lock beyond the mark's own row, so feeds ingested side by side never wait on one another;
-- a mark being settled makes a feed's upsert wait for the settle to commit and insert the mark
-- anew, so a feed's rows committed after a settle read the day are settled at the next read.
-- A change of an agent's team, or of a team's name or organization, marks the days of those
-- agents' calls and sales (triggers on `agent_team` and `team`).

create table report_agent_time_day (
    organization text not null,
    report_day date not null,
    agent_id text not null,
    campaign_type text not null,
    first_login timestamptz,
    last_logout timestamptz,
    staffed_seconds bigint not null,
    ready_seconds bigint not null,
    preview_seconds bigint not null,
    talking_seconds bigint not null,
    wrap_up_seconds bigint not null,
    not_ready_seconds bigint not null,
    pending_not_ready_seconds bigint not null,
    not_ready_reasons text not null,
    calls bigint not null,
    sales bigint not null,
    nuisance_caused bigint not null,
    previews_cancelled bigint not null,
    primary key (organization, report_day, agent_id, campaign_type)
);

create index report_agent_time_day_type on report_agent_time_day (campaign_type, report_day);

create table report_sales_line (
    organization text not null,
    report_day date not null,
    agent_id text not null,
    campaign text not null,
    currency text not null,
    team text not null,
    -- Larger first in the report's order (see `report_settle_days`).
    line_no bigint not null,
    connects bigint not null,
    agent_seconds bigint not null,
    secured_sales bigint not null,
    secured_amount bigint not null,
    unsecured_sales bigint not null,
    unsecured_amount bigint not null,
    primary key (organization, agent_id, report_day, campaign, currency)
);

create unique index report_sales_line_order on report_sales_line (line_no);

-- Days whose lines are out of date; `marked` only makes a repeated mark an update (which waits
-- for a settle in progress) rather than a no-op.
create table report_stale_day (
    organization text not null,
    report_day date not null,
    marked bigint not null default 1,
    primary key (organization, report_day)
);

-- Recomputes the lines of every stale day from the summary tables; `tz` is the report time zone
-- (the day a login without its logout yet belongs to).
create function report_settle_days(tz text) returns bigint
language plpgsql as $$
declare
    orgs text[];
    days date[];
    added bigint;
begin
    if not exists (select 1 from report_stale_day) then
        return 0;
    end if;
    -- One settle at a time: a read arriving meanwhile waits for its lines rather than read a
    -- day another read is still working out.
    perform pg_advisory_xact_lock(hashtext('report_settle_days'));
    -- Marks a feed is writing right now are left for the next read (they are marked again when
    -- it commits anyway): a settle never waits for a feed, so the two cannot deadlock.
    with free as (select organization, report_day from report_stale_day for update skip locked),
    settled as (delete from report_stale_day s using free f
                 where s.organization = f.organization and s.report_day = f.report_day
                returning s.organization, s.report_day)
    select array_agg(organization), array_agg(report_day) into orgs, days from settled;
    if orgs is null then
        return 0;
    end if;
    delete from report_agent_time_day t using unnest(orgs, days) s(organization, report_day)
     where t.organization = s.organization and t.report_day = s.report_day;

    insert into report_agent_time_day
    with stale as (select * from unnest(orgs, days) s(organization, report_day)),
    kinds as (select unnest(array['predictive', 'preview']) as kind),
    -- An agent's day counts for a type when the agent spent time on its campaigns; time not
    -- attached to a job that day ('') counts with it, and staffed time is at least all the
    -- attached time of every type.
    agent_days as (
        select d.organization, d.report_day, d.agent_id, k.kind,
               sum(d.ready_seconds) filter (where d.campaign_type in (k.kind, ''))::bigint as ready,
               sum(d.preview_seconds) filter (where d.campaign_type in (k.kind, ''))::bigint as preview,
               sum(d.talking_seconds) filter (where d.campaign_type in (k.kind, ''))::bigint as talk,
               sum(d.wrap_up_seconds) filter (where d.campaign_type in (k.kind, ''))::bigint as wrap,
               sum(d.not_ready_seconds) filter (where d.campaign_type in (k.kind, ''))::bigint as not_ready,
               sum(d.pending_not_ready_seconds) filter (where d.campaign_type in (k.kind, ''))::bigint as pending,
               sum(d.ready_seconds + d.preview_seconds + d.talking_seconds + d.wrap_up_seconds
                   + d.pending_not_ready_seconds + d.not_ready_seconds)::bigint as attached
          from report_agent_day d join stale using (organization, report_day) cross join kinds k
         group by 1, 2, 3, 4
        having bool_or(d.campaign_type = k.kind)),
    calls as (
        select x.organization, x.report_day, x.agent_id, x.campaign_type as kind,
               sum(x.calls)::bigint as calls, sum(x.nuisance_caused)::bigint as nuisance_caused,
               sum(x.previews_cancelled)::bigint as previews_cancelled
          from report_agent_campaign_day x join stale using (organization, report_day)
         group by 1, 2, 3, 4),
    -- A sale counts for each type its campaign was dialled as.
    sold as (
        select x.organization, x.report_day, x.agent_id, k.campaign_type as kind,
               sum(x.sales)::bigint as sales
          from report_sales_day x join stale using (organization, report_day)
          join (select distinct organization, campaign, campaign_type from report_campaign_day) k
            using (organization, campaign)
         group by 1, 2, 3, 4),
    reasons as (
        select organization, report_day, agent_id, kind,
               string_agg(reason || '=' || seconds, '; ' order by seconds desc, reason) as reasons
          from (select y.organization, y.report_day, y.agent_id, k.kind, y.reason,
                       sum(y.seconds)::bigint as seconds
                  from report_agent_reason_day y join stale using (organization, report_day)
                 cross join kinds k
                 where y.campaign_type in (k.kind, '')
                 group by 1, 2, 3, 4, 5) r
         group by 1, 2, 3, 4)
    select a.organization, a.report_day, a.agent_id, a.kind,
           coalesce(l.first_login,
               (select min(s.login_at) from agent_session s
                 where s.organization = a.organization and s.agent_id = a.agent_id
                   and s.event = 'login'
                   and s.occurred_at >= a.report_day::timestamp at time zone tz
                   and s.occurred_at < (a.report_day + 1)::timestamp at time zone tz)),
           l.last_logout,
           greatest(coalesce(l.staffed_seconds, 0), a.attached),
           coalesce(a.ready, 0), coalesce(a.preview, 0), coalesce(a.talk, 0), coalesce(a.wrap, 0),
           coalesce(a.not_ready, 0), coalesce(a.pending, 0), coalesce(r.reasons, ''),
           coalesce(c.calls, 0), coalesce(s.sales, 0), coalesce(c.nuisance_caused, 0),
           coalesce(c.previews_cancelled, 0)
      from agent_days a
      left join report_agent_login_day l using (organization, report_day, agent_id)
      left join calls c using (organization, report_day, agent_id, kind)
      left join sold s using (organization, report_day, agent_id, kind)
      left join reasons r using (organization, report_day, agent_id, kind);
    get diagnostics added = row_count;

    -- Sales lines. A line's number orders the report: later days first, then the organization
    -- (by id), then its rank in the organization's day by team, agent, campaign and currency.
    -- Numbered per organization and day, so a number tells nothing of other organizations' lines
    -- (ingestion sets aside records of organizations OCM does not know, so each has an id).
    delete from report_sales_line t using unnest(orgs, days) s(organization, report_day)
     where t.organization = s.organization and t.report_day = s.report_day;
    insert into report_sales_line
    with stale as (select * from unnest(orgs, days) s(organization, report_day))
    select x.organization, x.report_day, x.agent_id, x.campaign, x.currency, x.team,
           (x.report_day - date '2000-01-01')::bigint * 1000000000000
             + (100000 - coalesce(o.organization_id, 99999)) * 10000000 + 10000000
             - row_number() over (partition by x.organization, x.report_day
                                  order by x.team, x.agent_id, x.campaign, x.currency),
           x.connects, x.agent_seconds, x.secured_sales, x.secured_amount, x.unsecured_sales,
           x.unsecured_amount
      from (select l.*, coalesce(tm.name, '(no team)') as team
              from (select organization, report_day, agent_id, campaign,
                           coalesce(s.currency, '') as currency, coalesce(a.calls, 0) as connects,
                           coalesce(a.attached_seconds, 0) as agent_seconds,
                           coalesce(s.secured_sales, 0) as secured_sales,
                           coalesce(s.secured_amount, 0) as secured_amount,
                           coalesce(s.unsecured_sales, 0) as unsecured_sales,
                           coalesce(s.unsecured_amount, 0) as unsecured_amount
                      from (select organization, report_day, agent_id, campaign, calls, attached_seconds
                              from report_agent_campaign_day join stale using (organization, report_day)
                             where calls > 0) a
                      -- A line per currency: amounts in two currencies are never added together
                      -- (the agent's connects and hours then repeat on each of that day's lines).
                      full join (select organization, report_day, agent_id, campaign, currency,
                                        (sum(sales) filter (where category = 'secured'))::bigint as secured_sales,
                                        (sum(amount_minor) filter (where category = 'secured'))::bigint as secured_amount,
                                        (sum(sales) filter (where category = 'unsecured'))::bigint as unsecured_sales,
                                        (sum(amount_minor) filter (where category = 'unsecured'))::bigint as unsecured_amount
                                   from report_sales_day join stale using (organization, report_day)
                                  group by 1, 2, 3, 4, 5) s
                        using (organization, report_day, agent_id, campaign)) l
              left join (select at.agent_id, o.name as organization, t.name, at.valid_from, at.valid_to
                           from agent_team at join team t using (team_id)
                           join organization o using (organization_id)) tm
                on tm.agent_id = l.agent_id and tm.organization = l.organization
               and tm.valid_from <= l.report_day
               and (tm.valid_to is null or l.report_day < tm.valid_to)) x
      left join organization o on o.name = x.organization;
    return added;
end;
$$;

-- Teams changed: the days of the agents' calls and sales, from the tables the lines come from
-- (a line being worked out by a read that has not committed yet is then worked out again, as
-- the mark waits for that read). `agents`: the agents whose team changed.
create function report_mark_agent_days(agents text[]) returns void
language sql as $$
    insert into report_stale_day as s (organization, report_day)
    select organization, report_day from report_agent_campaign_day where agent_id = any(agents)
     union
    select organization, report_day from report_sales_day where agent_id = any(agents)
     order by 1, 2
    on conflict (organization, report_day) do update set marked = s.marked + 1;
$$;

create function report_agent_team_added() returns trigger
language plpgsql as $$
begin
    perform report_mark_agent_days(array(select distinct agent_id from added));
    return null;
end;
$$;

create function report_agent_team_removed() returns trigger
language plpgsql as $$
begin
    perform report_mark_agent_days(array(select distinct agent_id from removed));
    return null;
end;
$$;

create trigger report_agent_team_inserted after insert on agent_team
    referencing new table as added for each statement
    execute function report_agent_team_added();
create trigger report_agent_team_updated_to after update on agent_team
    referencing new table as added for each statement
    execute function report_agent_team_added();
create trigger report_agent_team_updated_from after update on agent_team
    referencing old table as removed for each statement
    execute function report_agent_team_removed();
create trigger report_agent_team_deleted after delete on agent_team
    referencing old table as removed for each statement
    execute function report_agent_team_removed();

-- A team renamed or moved to another organization: the days of its agents.
create function report_team_changed() returns trigger
language plpgsql as $$
begin
    perform report_mark_agent_days(
        array(select distinct agent_id from agent_team where team_id = old.team_id));
    return null;
end;
$$;

create trigger report_team_changed after update of name, organization_id on team
    for each row execute function report_team_changed();

-- Each writer of a table the lines come from marks the days it wrote (in key order, so two
-- feeds marking the same days lock them in the same order). `orgs` and `days` pair up.
create function report_mark_days(orgs text[], days date[]) returns void
language sql as $$
    insert into report_stale_day as s (organization, report_day)
    select distinct o, d from unnest(orgs, days) m(o, d)
     order by 1, 2
    on conflict (organization, report_day) do update set marked = s.marked + 1;
$$;
alter function report_add_attempt_days(text, call_attempt_fact[])
    rename to report_add_attempt_day_parts;

create function report_add_attempt_days(tz text, rows call_attempt_fact[]) returns bigint
language plpgsql as $$
begin
    perform report_add_attempt_day_parts(tz, rows);
    perform report_mark_days(m.orgs, m.days)
       from (select array_agg(r.organization) as orgs,
                    array_agg((r.attempt_at at time zone tz)::date) as days
               from unnest(rows) r) m;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

alter function report_add_interval_details(text, agent_interval[])
    rename to report_add_interval_detail_parts;

create function report_add_interval_details(tz text, rows agent_interval[]) returns bigint
language plpgsql as $$
begin
    perform report_add_interval_detail_parts(tz, rows);
    perform report_mark_days(m.orgs, m.days)
       from (select array_agg(r.organization) as orgs,
                    array_agg((r.start_at at time zone tz)::date) as days
               from unnest(rows) r) m;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

alter function report_add_sessions(text, agent_session[]) rename to report_add_session_days;

create function report_add_sessions(tz text, rows agent_session[]) returns bigint
language plpgsql as $$
begin
    perform report_add_session_days(tz, rows);
    -- The login's day (logins summarised at logout) and the event's own.
    perform report_mark_days(m.orgs || m.orgs, m.logins || m.events)
       from (select array_agg(r.organization) as orgs,
                    array_agg((r.login_at at time zone tz)::date) as logins,
                    array_agg((r.occurred_at at time zone tz)::date) as events
               from unnest(rows) r) m;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

alter function report_add_sale_days(text, sale[]) rename to report_add_sale_day_parts;

create function report_add_sale_days(tz text, rows sale[]) returns bigint
language plpgsql as $$
begin
    perform report_add_sale_day_parts(tz, rows);
    perform report_mark_days(m.orgs, m.days)
       from (select array_agg(r.organization) as orgs,
                    array_agg((r.occurred_at at time zone tz)::date) as days
               from unnest(rows) r) m;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- Days summarised before this migration are settled by the first read.
insert into report_stale_day (organization, report_day)
select organization, report_day from report_agent_day
 union
select organization, report_day from report_agent_campaign_day
 union
select organization, report_day from report_sales_day;
