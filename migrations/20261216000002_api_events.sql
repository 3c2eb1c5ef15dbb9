-- Events for integrators (issue 20, `docs/api.md`): what other systems are told, as a
-- server-sent event stream (`GET /api/v1/events`) and as signed webhooks. Events are written by
-- triggers on the tables whose changes they report, in the changing transaction, so no code path
-- can forget one and two instances writing the same change make one event.

create table api_event (
    api_event_id bigserial primary key,
    -- The writing transaction (`pg_current_xact_id`): readers take events in (tx, id) order and
    -- only from transactions older than every one still running, so none is skipped when a
    -- later id commits first.
    tx bigint not null default (pg_current_xact_id()::text::bigint),
    -- null: every organization (an emergency mode for all).
    organization text,
    -- `webhook.test`: an admin's test of one webhook (`data.webhook_id`), sent to it alone.
    kind text not null check (kind in ('campaign.job_state', 'emergency.enabled',
        'emergency.disabled', 'dnc.request_state', 'records.cancel_state', 'webhook.test')),
    data jsonb not null,
    occurred_at timestamptz not null default clock_timestamp()
);
create index api_event_order on api_event (tx, api_event_id);
create index api_event_age on api_event (occurred_at);

create function api_event_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('ocm_api_event', '');
    return null;
end $$;
create trigger api_event_written after insert on api_event
    for each statement execute function api_event_notify();

-- A job seen for the first time, or in a new state.
create function api_event_campaign_job() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and old.state is not distinct from new.state then
        return null;
    end if;
    insert into api_event (organization, kind, data)
    values (new.organization, 'campaign.job_state', jsonb_build_object(
        'campaign', new.campaign,
        'job_id', new.job_id,
        'pom_state', new.state,
        'previous_pom_state', case when tg_op = 'UPDATE' then old.state end));
    return null;
end $$;
create trigger api_event_campaign_job after insert or update of state on campaign_job
    for each row execute function api_event_campaign_job();

-- An emergency mode turned on, or lifted.
create function api_event_emergency() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into api_event (organization, kind, data)
        values (new.organization, 'emergency.enabled', jsonb_build_object(
            'all_organizations', new.organization is null,
            'reason', new.reason,
            'by', new.enabled_by_name,
            'at', to_char(new.enabled_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')));
    elsif old.lifted_at is null and new.lifted_at is not null then
        insert into api_event (organization, kind, data)
        values (new.organization, 'emergency.disabled', jsonb_build_object(
            'all_organizations', new.organization is null,
            'by', new.lifted_by_name,
            'at', to_char(new.lifted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')));
    end if;
    return null;
end $$;
create trigger api_event_emergency after insert or update of lifted_at on emergency_mode
    for each row execute function api_event_emergency();

-- A DNC request's or record cancel's receipt changing state (ids and states only: the phone and
-- customer are read from the receipt by a client allowed to).
create function api_event_dnc_request() returns trigger language plpgsql as $$
begin
    if old.state is not distinct from new.state then
        return null;
    end if;
    insert into api_event (organization, kind, data)
    values (new.organization,
        case when new.kind = 'cancel' then 'records.cancel_state' else 'dnc.request_state' end,
        jsonb_build_object(
            'request_id', new.dnc_request_id,
            'state', new.state,
            'previous_state', old.state,
            'client', new.client_name));
    return null;
end $$;
create trigger api_event_dnc_request after update of state on dnc_request
    for each row execute function api_event_dnc_request();

-- Where an admin wants a client's events delivered. The signing secret is kept as is: OCM must
-- sign with it, and it only proves to the receiver that a body came from OCM.
create table api_webhook (
    api_webhook_id uuid primary key,
    api_client_id uuid not null references api_client on delete cascade,
    url text not null check (url ~ '^https?://' and length(url) <= 2000),
    -- Empty: every kind the client's scopes allow.
    kinds text[] not null default '{}',
    signing_secret text not null,
    disabled_at timestamptz,
    created_by bigint references app_user (app_user_id) on delete set null,
    created_by_name text not null,
    created_at timestamptz not null default now(),
    secret_rotated_at timestamptz
);
create index api_webhook_of on api_webhook (api_client_id);

-- One event to one webhook: tried until delivered (2xx) or out of attempts, each outcome kept.
create table api_webhook_delivery (
    api_webhook_delivery_id bigserial primary key,
    api_webhook_id uuid not null references api_webhook on delete cascade,
    api_event_id bigint not null references api_event on delete cascade,
    state text not null check (state in ('pending', 'delivering', 'delivered', 'failed')),
    attempts int not null default 0,
    not_before timestamptz not null default now(),
    claimed_until timestamptz,
    last_status int,
    last_error text,
    last_attempt_at timestamptz,
    delivered_at timestamptz,
    created_at timestamptz not null default now(),
    unique (api_webhook_id, api_event_id)
);
create index api_webhook_delivery_due on api_webhook_delivery (not_before)
    where state in ('pending', 'delivering');
create index api_webhook_delivery_log on api_webhook_delivery (api_webhook_id,
    api_webhook_delivery_id desc);
-- Forgetting an event removes its deliveries (the cascade finds them by event).
create index api_webhook_delivery_event on api_webhook_delivery (api_event_id);

-- How far events have been fanned out to webhooks (one row; the instance holding its lock does
-- it).
create table api_event_fanout (
    singleton boolean primary key default true check (singleton),
    tx bigint not null,
    api_event_id bigint not null
);
insert into api_event_fanout (tx, api_event_id) values (0, 0);
