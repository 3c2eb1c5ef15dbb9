-- The feed's `agent_state` records (an agent entering a state), raw like the other kinds:
-- natural key, the feed cursor, partitioned by month of `occurred_at` (when the agent entered
-- the state) and dropped with them after the retention. Agent ids are not contacts' data.
create table agent_state (
    occurred_at timestamptz not null,
    organization text not null,
    agent_id text not null,
    team text not null,
    state text not null,
    aux_code integer,
    aux_reason text,
    job_id bigint,
    campaign text,
    feed_cursor bigint not null,
    primary key (occurred_at, organization, agent_id, state)
) partition by range (occurred_at);
create table agent_state_default partition of agent_state default;

create or replace function call_data_tables() returns text[] language sql immutable as $$
    select array['call_attempt', 'agent_interval', 'agent_session', 'callback', 'callback_event',
                 'inbound_call', 'job_event', 'contact_skip', 'sale', 'agent_state']
$$;

-- The new table's partitions for the months the others have.
select call_data_ensure_month(to_date(substring(c.relname from '^call_attempt_(\d{4}_\d{2})$'), 'YYYY_MM'))
  from pg_inherits i join pg_class c on c.oid = i.inhrelid
 where i.inhparent = 'call_attempt'::regclass and c.relname ~ '^call_attempt_\d{4}_\d{2}$';

-- Each agent's newest state, for the floor dashboard's "Agents now": kept in the ingesting
-- transaction, replaced by a newer record (by its time, then its cursor); agents who logged
-- out keep their row as `logged_out`.
create table agent_state_now (
    organization text not null,
    agent_id text not null,
    team text not null,
    state text not null,
    aux_code integer,
    aux_reason text,
    since timestamptz not null,
    job_id bigint,
    campaign text,
    feed_cursor bigint not null,
    primary key (organization, agent_id)
);
