-- Completion-code rules (issue 19, seed 001 "Wrap-up codes handling: special completion codes,
-- update attributes using REST APIs"): when an attempt of a campaign closes with a code, set a
-- contact attribute through POM, mark the contact uncallable or add the number to the DNC list.

create table completion_rule (
    completion_rule_id bigserial primary key,
    organization text not null,
    campaign text not null,
    completion_code text not null,
    action text not null check (action in ('set_attribute', 'mark_uncallable', 'add_dnc')),
    -- set_attribute: the attribute, and either a fixed value or a date this many days after the
    -- attempt (its day in the report time zone).
    attribute text,
    fixed_value text,
    days_after integer check (days_after between 0 and 3650),
    created_by bigint references app_user (app_user_id) on delete set null,
    created_by_name text not null,
    created_at timestamptz not null default now(),
    -- A rule acts on calls that end from here on (saved, or enabled again).
    enabled_at timestamptz not null default now(),
    disabled_at timestamptz,
    disabled_by_name text,
    check ((action = 'set_attribute') = (attribute is not null)),
    check (action <> 'set_attribute' or (fixed_value is null) <> (days_after is null))
);
-- One enabled rule per campaign, code, action and attribute: a second would act twice.
create unique index completion_rule_once on completion_rule
    (organization, campaign, completion_code, action, coalesce(attribute, ''))
    where disabled_at is null;

-- A rule's application to one attempt, queued by ingestion in the page's transaction (once per
-- rule and attempt), carried to POM by the worker with retries.
create table completion_rule_application (
    application_id bigserial primary key,
    completion_rule_id bigint not null references completion_rule (completion_rule_id),
    organization text not null,
    -- The attempt (call_attempt's key).
    attempt_ended_at timestamptz not null,
    session_id text not null,
    campaign text not null,
    list_name text not null,
    user_contact_id text not null,
    completion_code text not null,
    -- set_attribute: the value worked out when queued.
    value text,
    state text not null default 'pending' check (state in ('pending', 'applied', 'failed')),
    tries integer not null default 0,
    next_try_at timestamptz not null default now(),
    claimed_until timestamptz,
    -- set_attribute: the value the contact had before (the snapshot), once read.
    previous_value text,
    outcome text,
    queued_at timestamptz not null default now(),
    finished_at timestamptz,
    dnc_entry_id bigint references dnc_entry (dnc_entry_id),
    unique (completion_rule_id, attempt_ended_at, session_id)
);
create index completion_rule_application_due on completion_rule_application (next_try_at)
    where state = 'pending';
create index completion_rule_application_contact on completion_rule_application
    (organization, list_name, user_contact_id, application_id);
create index completion_rule_application_report on completion_rule_application
    (organization, application_id);
-- The rules page's counts per rule and state.
create index completion_rule_application_by_rule on completion_rule_application
    (completion_rule_id, state);
-- Retention and erasure by the attempt.
create index completion_rule_application_attempt on completion_rule_application
    (attempt_ended_at, session_id);

alter table dnc_entry drop constraint dnc_entry_source_check;
alter table dnc_entry add constraint dnc_entry_source_check
    check (source in ('upload', 'single', 'api', 'dialer_kill', 'expiry', 'record_cancel',
                      'completion_rule'));
