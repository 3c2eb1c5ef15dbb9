-- Agent Owned Recalls: each callback's first dial and the due time in force then, kept with its
-- state by ingestion, so the report's lateness and "% on time" read one row per callback instead
-- of two lookups in callback_event per callback (at 500,000 callbacks a week's chart took
-- seconds: docs/performance.md "Reports").
alter table report_callback
    add column first_dial_at timestamptz,
    -- The due time of the last `created`/`rescheduled` event at or before the first dial (without
    -- a dial: the last one); null: no event gave one (the callback's own `due_at` applies).
    add column due_at_dial timestamptz;

-- Recomputes both for the callbacks `ids` from their stored events and `fresh` (events inserted
-- by the calling statement, which it may not see yet; a row seen twice changes neither a
-- minimum nor a latest value). Set-based (one sort), as a rebuild hands it days of events; two
-- due times given at the same instant are decided by the event's rank, then the later due.
create function report_callback_dials(ids text[], fresh callback_event[]) returns void
language sql as $$
    with events as (
        select e.callback_id, e.event, e.occurred_at, e.due_at
          from callback_event e where e.callback_id in (select unnest(ids))
        union all
        select f.callback_id, f.event, f.occurred_at, f.due_at from unnest(fresh) f),
    firsts as (
        select callback_id, min(occurred_at) filter (where event = 'dialled') as first_dial
          from events group by callback_id),
    dues as (
        select distinct on (e.callback_id) e.callback_id, e.due_at
          from events e join firsts f using (callback_id)
         where e.event in ('created', 'rescheduled') and e.due_at is not null
           and (f.first_dial is null or e.occurred_at <= f.first_dial)
         order by e.callback_id, e.occurred_at desc, callback_event_rank(e.event) desc, e.due_at desc)
    update report_callback c
       set first_dial_at = f.first_dial, due_at_dial = d.due_at
      from firsts f left join dues d using (callback_id)
     where c.callback_id = f.callback_id;
$$;

create or replace function report_add_callback_events(rows callback_event[]) returns bigint
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
    perform report_callback_dials(array(select distinct r.callback_id from unnest(rows) r), rows);
    return coalesce(array_length(rows, 1), 0);
end;
$$;

-- The callbacks stored so far, in one pass over callback_event (the function's union with a
-- batch and its lookup by id spill to disk at this size: minutes instead of seconds).
with firsts as (
    select callback_id, min(occurred_at) filter (where event = 'dialled') as first_dial
      from callback_event group by callback_id),
dues as (
    select distinct on (e.callback_id) e.callback_id, e.due_at
      from callback_event e join firsts f using (callback_id)
     where e.event in ('created', 'rescheduled') and e.due_at is not null
       and (f.first_dial is null or e.occurred_at <= f.first_dial)
     order by e.callback_id, e.occurred_at desc, callback_event_rank(e.event) desc, e.due_at desc)
update report_callback c
   set first_dial_at = f.first_dial, due_at_dial = d.due_at
  from firsts f left join dues d using (callback_id)
 where c.callback_id = f.callback_id;
