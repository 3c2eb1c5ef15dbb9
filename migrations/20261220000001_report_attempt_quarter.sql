-- Attempts and connects per campaign and quarter hour (UTC instants on 15-minute boundaries),
-- for the floor dashboard's chart of today against the same weekday last week. Kept by the same
-- summarising call as the day summaries, so ingestion and `ocm reports rebuild` keep it alike.
-- Every real zone's offset is a multiple of 15 minutes, so a quarter lies within one report day.
create table report_attempt_quarter (
    organization text not null,
    quarter timestamptz not null,
    campaign text not null,
    attempts bigint not null,
    connects bigint not null,
    primary key (organization, quarter, campaign)
);

create function report_add_attempt_quarters(rows call_attempt_fact[]) returns bigint
language sql as $$
    insert into report_attempt_quarter as q
    select r.organization, date_bin('15 minutes', r.attempt_at, timestamptz '2000-01-01 00:00:00+00'),
           r.campaign, count(*), count(*) filter (where r.connect_at is not null)
      from unnest(rows) r
     group by 1, 2, 3
     -- Rows in key order, so two ingesting transactions lock them in the same order.
     order by 1, 2, 3
    on conflict (organization, quarter, campaign) do update set
        attempts = q.attempts + excluded.attempts,
        connects = q.connects + excluded.connects;
    select coalesce(array_length(rows, 1), 0)::bigint;
$$;

create or replace function report_add_attempt_days(tz text, rows call_attempt_fact[]) returns bigint
language plpgsql as $$
begin
    perform report_add_attempt_day_parts(tz, rows);
    perform report_add_attempt_quarters(rows);
    perform report_mark_days(m.orgs, m.days)
       from (select array_agg(r.organization) as orgs,
                    array_agg((r.attempt_at at time zone tz)::date) as days
               from unnest(rows) r) m;
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- The last nine days' attempts stored before this migration (the chart reads today and the
-- same day last week; older days are filled by `ocm reports rebuild` when wanted). An instance
-- of the previous version ingesting while this runs: rebuild the week afterwards.
insert into report_attempt_quarter
select organization, date_bin('15 minutes', attempt_at, timestamptz '2000-01-01 00:00:00+00'),
       campaign, count(*), count(*) filter (where connect_at is not null)
  from call_attempt
 where occurred_at >= now() - interval '9 days'
 group by 1, 2, 3;
