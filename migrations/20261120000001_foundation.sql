-- Foundation: organizations, teams, users, login sessions, login throttling and the audit log.
-- Naming: singular table names with `<table>_id` keys (docs/architecture.md).

create table organization (
    organization_id bigint generated always as identity primary key,
    -- The POM organization name this maps to, exactly as POM spells it.
    name text not null unique check (length(btrim(name)) > 0),
    created_at timestamptz not null default now()
);

create table team (
    team_id bigint generated always as identity primary key,
    name text not null unique check (length(btrim(name)) > 0),
    organization_id bigint not null references organization,
    created_at timestamptz not null default now()
);

create table app_user (
    app_user_id bigint generated always as identity primary key,
    -- Stored lower-case; the login form lower-cases what people type.
    username text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    display_name text not null,
    role text not null check (role in ('admin', 'supervisor', 'manager')),
    team_id bigint not null references team,
    password_hash text not null,
    -- Demo users exist only while OCM runs in demo mode; start-up removes them otherwise.
    is_demo boolean not null default false,
    disabled_at timestamptz,
    created_at timestamptz not null default now()
);

-- One row per sign-in. OCM decides inactivity expiry from `last_seen_at`, so expiry can be audited
-- and a session can be ended from the server side whatever the cookie says.
create table login_session (
    login_session_id uuid primary key,
    app_user_id bigint not null references app_user,
    started_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    ended_at timestamptz,
    end_reason text check (end_reason in ('logout', 'expired', 'revoked', 'replaced')),
    client_addr text,
    user_agent text
);
create index login_session_open on login_session (last_seen_at) where ended_at is null;

-- Every sign-in attempt is written here before the password is checked (and removed again when it
-- succeeds), so concurrent guesses count against the limit before any of them is verified.
create table login_failure (
    login_failure_id bigint generated always as identity primary key,
    occurred_at timestamptz not null default now(),
    username text not null,
    client_addr text not null
);
create index login_failure_by_user on login_failure (username, occurred_at);
create index login_failure_by_addr on login_failure (client_addr, occurred_at);

-- A block on a user name (`user:<name>`) or a client address (`addr:<ip>`). Refused attempts are
-- counted here; only the first of each block is written to the audit log, so a flood of attempts
-- cannot flood the append-only audit table.
create table login_block (
    subject text primary key,
    blocked_until timestamptz not null,
    refused_attempts bigint not null default 0
);

-- The forensic trail. Rows are never changed or removed by the application (see the trigger below);
-- who/what columns are copied, not referenced, so the record outlives renamed or deleted users.
create table audit_event (
    audit_event_id bigint generated always as identity primary key,
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
    user_agent text
);
create index audit_event_by_time on audit_event (occurred_at desc, audit_event_id desc);
create index audit_event_by_org on audit_event (organization, occurred_at desc);
create index audit_event_by_user on audit_event (username, occurred_at desc);

create function audit_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only';
end;
$$;

create trigger audit_event_no_update before update or delete on audit_event
    for each row execute function audit_event_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_append_only();
