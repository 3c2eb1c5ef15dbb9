-- Scheduled exports (issue 18, seed 001 "OCM Export Scheduler", `docs/exports.md`): a report
-- with saved filters written to a CSV or XLSX file on a recurrence, each run a durable job whose
-- file is kept with its size, row count and SHA-256 for download.

ALTER TABLE job DROP CONSTRAINT job_kind_check;
ALTER TABLE job ADD CONSTRAINT job_kind_check
    CHECK (kind IN ('purge', 'restore', 'dnc_send', 'contact_upload', 'purge_retry', 'erasure',
                    'export_run'));

create table export_schedule (
    export_schedule_id bigint generated always as identity primary key,
    organization text not null,
    name text not null,
    -- The report's key (`call-attempts`) and its filters as the report page's query string,
    -- without the dates: each run sets them to the days its period covers.
    report text not null,
    filters text not null default '',
    format text not null check (format in ('csv', 'xlsx')),
    -- `types::model::export_schedules::{Recurrence, Period}` as JSON.
    recurrence jsonb not null,
    period jsonb not null,
    -- `{report}-{from}-{to}` and other fields (`docs/exports.md`).
    file_name text not null,
    skip_empty boolean not null default false,
    -- Deliveries besides the download: e-mail addresses, an SFTP destination admins configured
    -- (by name), and where to tell that a delivery failed for good.
    recipients text[] not null default '{}',
    sftp_destination text,
    notify_email text,
    owner_id bigint not null references app_user (app_user_id),
    -- The next instant it fires (none while paused); the firing worker moves it on in the
    -- transaction that records the run, so two instances never fire one instant twice.
    next_run_at timestamptz,
    paused_at timestamptz,
    deleted_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index export_schedule_due on export_schedule (next_run_at)
    where next_run_at is not null and paused_at is null and deleted_at is null;
create index export_schedule_by_org on export_schedule (organization, name)
    where deleted_at is null;

create table export_run (
    export_run_id bigint generated always as identity primary key,
    export_schedule_id bigint not null references export_schedule,
    organization text not null,
    -- What started it: its time (`schedule`), a time missed while OCM was down (`catch_up`, run
    -- late), a person pressing "Run now" or re-running a past period.
    trigger text not null check (trigger in ('schedule', 'catch_up', 'run_now', 'rerun')),
    -- The instant the recurrence named (none for a person's run).
    due_at timestamptz,
    period_from date not null,
    period_to date not null,
    job_id bigint references job,
    state text not null default 'queued'
        check (state in ('queued', 'running', 'done', 'empty', 'failed', 'refused')),
    rows bigint,
    bytes bigint,
    sha256 text,
    -- The file's name for people and where it is kept (relative to the exports folder); the
    -- file is erased after the retention (`file_erased_at`), the record stays.
    file_name text,
    file_path text,
    file_erased_at timestamptz,
    error text,
    requested_by bigint references app_user (app_user_id) on delete set null,
    requested_by_name text not null,
    -- The claim of the job working on it: only that claim may record how it ended (another
    -- instance that took the job over makes its own).
    claim uuid,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz
);
-- Exactly once: one run per schedule and instant, whoever fires it.
create unique index export_run_once on export_run (export_schedule_id, due_at)
    where due_at is not null;
create index export_run_by_schedule on export_run (export_schedule_id, export_run_id desc);
create index export_run_files on export_run (finished_at)
    where file_path is not null and file_erased_at is null;

-- Each delivery of a run's file: e-mail to the recipients, SFTP to the destination, or the notice
-- to `notify_email` that one failed for good. Retried with backoff (`next_attempt_at`); claimed by
-- one instance at a time (`claimed_until`).
create table export_delivery (
    export_delivery_id bigint generated always as identity primary key,
    export_run_id bigint not null references export_run,
    organization text not null,
    kind text not null check (kind in ('email', 'sftp', 'notice')),
    -- The addresses (comma-separated) or the destination's name.
    destination text not null,
    state text not null default 'pending'
        check (state in ('pending', 'sending', 'delivered', 'failed')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    claimed_until timestamptz,
    -- The claim sending it: only that claim may record the outcome.
    claim uuid,
    last_error text,
    -- What was delivered: attached or linked, the remote path, the message id.
    detail jsonb,
    delivered_at timestamptz,
    created_at timestamptz not null default now()
);
create index export_delivery_due on export_delivery (next_attempt_at)
    where state in ('pending', 'sending');
create index export_delivery_by_run on export_delivery (export_run_id);
