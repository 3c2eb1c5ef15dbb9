-- The audit log kept for years (docs/audit-trail.md): `audit_event` partitioned by month (UTC), and a
-- hash chain per month in `audit_link`, so an edited, deleted or re-ordered record is detectable
-- (`ocm audit verify`). Old months are archived to files and their partitions dropped; `audit_archive`
-- remembers what was archived where.

alter table audit_event rename to audit_event_unpartitioned;
drop index audit_event_by_time;
drop index audit_event_by_org;
drop index audit_event_by_user;
drop index audit_event_by_org_action;

create table audit_event (
    audit_event_id bigint generated always as identity,
    occurred_at timestamptz not null default now(),
    app_user_id bigint,
    username text,
    role text,
    organization text,
    action text not null,
    target text,
    parameters jsonb not null default '{}'::jsonb,
    outcome text not null check (outcome in ('success', 'failure', 'denied')),
    counts jsonb,
    request_id text,
    client_addr text,
    user_agent text,
    primary key (audit_event_id, occurred_at)
) partition by range (occurred_at);
create index audit_event_by_time on audit_event (occurred_at desc, audit_event_id desc);
create index audit_event_by_org on audit_event (organization, occurred_at desc);
create index audit_event_by_user on audit_event (username, occurred_at desc);
create index audit_event_by_org_action on audit_event (organization, action);
-- Catches records outside every monthly partition (only possible through direct SQL with odd dates).
create table audit_event_default partition of audit_event default;

-- One link per record: the record's month, its place in that month's chain and
-- hash = sha256(previous link's hash (or the month's genesis) || the record's canonical text).
create table audit_link (
    chain_month date not null,
    seq bigint not null check (seq > 0),
    audit_event_id bigint not null,
    hash bytea not null check (length(hash) = 32),
    primary key (chain_month, seq),
    unique (chain_month, audit_event_id)
) partition by range (chain_month);
create table audit_link_default partition of audit_link default;

create table audit_archive (
    chain_month date primary key,
    file_name text not null,
    row_count bigint not null,
    -- The month's last link (null for a month without records): what the archive must reproduce.
    head_hash bytea,
    file_sha256 text not null,
    archived_at timestamptz not null default now(),
    restored_at timestamptz,
    deleted_at timestamptz
);

create function audit_month(at timestamptz) returns date language sql immutable as $$
    select date_trunc('month', at at time zone 'UTC')::date
$$;

create function audit_chain_genesis(month date) returns bytea language sql immutable as $$
    select sha256(convert_to('OCM audit chain ' || to_char(month, 'YYYY-MM'), 'UTF8'))
$$;

-- The exact text a record's hash covers. Changing it invalidates every chain: never edit, add a
-- new version instead.
create function audit_event_canonical(e audit_event) returns text language sql stable as $$
    select jsonb_build_array(
        e.audit_event_id,
        to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.app_user_id, e.username, e.role, e.organization, e.action, e.target, e.parameters,
        e.outcome, e.counts, e.request_id, e.client_addr, e.user_agent
    )::text
$$;

-- Runs at commit (deferred), so the chain lock is held only while committing: audited transactions
-- never wait for each other while they still hold other locks.
create function audit_event_link() returns trigger language plpgsql as $$
declare
    month date := audit_month(new.occurred_at);
    last_seq bigint;
    last_hash bytea;
begin
    perform pg_advisory_xact_lock(7040101);
    -- `ocm audit restore` brings archived records back with their archived links.
    if exists (select 1 from audit_link
                where chain_month = month and audit_event_id = new.audit_event_id) then
        return null;
    end if;
    select seq, hash into last_seq, last_hash
      from audit_link where chain_month = month order by seq desc limit 1;
    insert into audit_link (chain_month, seq, audit_event_id, hash)
    values (month, coalesce(last_seq, 0) + 1, new.audit_event_id,
            sha256(coalesce(last_hash, audit_chain_genesis(month))
                   || convert_to(audit_event_canonical(new), 'UTF8')));
    return null;
end;
$$;

create constraint trigger audit_event_chain after insert on audit_event
    deferrable initially deferred for each row execute function audit_event_link();
create trigger audit_event_no_update before update or delete on audit_event
    for each row execute function audit_event_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_append_only();
create trigger audit_link_no_update before update or delete on audit_link
    for each row execute function audit_event_append_only();
create trigger audit_link_no_truncate before truncate on audit_link
    for each statement execute function audit_event_append_only();

-- Creates a month's partitions of both tables (with the truncate guard, which partitions do not
-- inherit). Returns false, creating nothing, when the default partition already holds records of
-- that month (they would have to move, and audit records never move).
create function audit_ensure_month(month date) returns boolean language plpgsql as $$
declare
    suffix text := to_char(month, 'YYYY_MM');
    low timestamptz := (month::timestamp at time zone 'UTC');
    high timestamptz := ((month + interval '1 month')::timestamp at time zone 'UTC');
begin
    if to_regclass('audit_event_' || suffix) is not null then
        return true;
    end if;
    if exists (select 1 from audit_event_default where occurred_at >= low and occurred_at < high)
       or exists (select 1 from audit_link_default where chain_month = month) then
        return false;
    end if;
    execute format('create table %I partition of audit_event for values from (%L) to (%L)',
                   'audit_event_' || suffix, low, high);
    execute format('create table %I partition of audit_link for values from (%L) to (%L)',
                   'audit_link_' || suffix, month, (month + interval '1 month')::date);
    execute format('create trigger no_truncate before truncate on %I '
                   'for each statement execute function audit_event_append_only()',
                   'audit_event_' || suffix);
    execute format('create trigger no_truncate before truncate on %I '
                   'for each statement execute function audit_event_append_only()',
                   'audit_link_' || suffix);
    return true;
end;
$$;

create trigger no_truncate before truncate on audit_event_default
    for each statement execute function audit_event_append_only();
create trigger no_truncate before truncate on audit_link_default
    for each statement execute function audit_event_append_only();

select audit_ensure_month(month::date)
  from generate_series(
         audit_month(least((select min(occurred_at) from audit_event_unpartitioned), now())),
         audit_month(now()) + interval '3 months',
         interval '1 month') as month;

-- Existing records are chained in the order they were written (at this migration's commit).
insert into audit_event
    (audit_event_id, occurred_at, app_user_id, username, role, organization, action, target,
     parameters, outcome, counts, request_id, client_addr, user_agent)
overriding system value
select audit_event_id, occurred_at, app_user_id, username, role, organization, action, target,
       parameters, outcome, counts, request_id, client_addr, user_agent
  from audit_event_unpartitioned
 order by audit_event_id;

select setval(pg_get_serial_sequence('audit_event', 'audit_event_id'),
              coalesce((select max(audit_event_id) from audit_event_unpartitioned), 0) + 1,
              false);

drop table audit_event_unpartitioned;
