-- Durable background jobs (purge and restore first; DNC sends, uploads and exports later) and
-- purge runs with their snapshot. A job's counters change in the same transaction as the items
-- they count, so a restart never loses or double-counts one.

CREATE TABLE job (
    job_id            bigserial PRIMARY KEY,
    kind              text NOT NULL CHECK (kind IN ('purge', 'restore')),
    organization      text NOT NULL,
    created_by        bigint REFERENCES app_user (app_user_id) ON DELETE SET NULL,
    created_by_name   text NOT NULL,
    state             text NOT NULL DEFAULT 'queued' CHECK (state IN
                        ('queued', 'running', 'paused', 'cancel_requested', 'cancelled', 'completed', 'failed')),
    payload           jsonb NOT NULL DEFAULT '{}'::jsonb,
    total             bigint NOT NULL DEFAULT 0,
    done              bigint NOT NULL DEFAULT 0,
    failed            bigint NOT NULL DEFAULT 0,
    skipped           bigint NOT NULL DEFAULT 0,
    message           text,
    -- The instance working on it and its last sign of life; a stale heartbeat lets another take over.
    worker            text,
    heartbeat_at      timestamptz,
    claims            integer NOT NULL DEFAULT 0,
    -- Rate and time left are measured over the current claim.
    run_started_at    timestamptz,
    processed_at_run_start bigint NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    finished_at       timestamptz
);

CREATE INDEX job_claimable ON job (job_id) WHERE state IN ('queued', 'running', 'cancel_requested');
CREATE INDEX job_organization ON job (organization, created_at DESC);

CREATE TABLE purge_run (
    purge_run_id      bigserial PRIMARY KEY,
    job_id            bigint NOT NULL UNIQUE REFERENCES job (job_id),
    organization      text NOT NULL,
    contact_list_id   bigint NOT NULL,
    contact_list_name text NOT NULL,
    mode              text NOT NULL CHECK (mode IN ('normal', 'direct')),
    attribute         text NOT NULL,
    operator          text NOT NULL,
    filter_values     jsonb NOT NULL,
    filter_text       text NOT NULL,
    reason            text NOT NULL,
    requested_by      bigint REFERENCES app_user (app_user_id) ON DELETE SET NULL,
    requested_by_name text NOT NULL,
    list_total_before bigint NOT NULL,
    list_total_after  bigint,
    matched           bigint NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    snapshot_expires_at timestamptz NOT NULL,
    snapshot_deleted_at timestamptz
);

CREATE INDEX purge_run_organization ON purge_run (organization, created_at DESC);
CREATE INDEX purge_run_list ON purge_run (contact_list_id, created_at DESC);
CREATE INDEX purge_run_snapshot_expiry ON purge_run (snapshot_expires_at) WHERE snapshot_deleted_at IS NULL;

-- Seed 001's OutboundPurgeData: contacts per campaign id before and after.
CREATE TABLE purge_campaign_count (
    purge_run_id  bigint NOT NULL REFERENCES purge_run (purge_run_id),
    campaign_id   text NOT NULL,
    before_count  bigint NOT NULL,
    after_count   bigint,
    PRIMARY KEY (purge_run_id, campaign_id)
);

-- The snapshot: every contact to delete, stored whole before any delete, and its fate. The
-- attributes (personal data) are cleared when the snapshot's retention ends; ids and outcomes stay.
CREATE TABLE purge_contact (
    purge_contact_id bigserial PRIMARY KEY,
    purge_run_id     bigint NOT NULL REFERENCES purge_run (purge_run_id),
    user_contact_id  text NOT NULL,
    attributes       jsonb,
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN
                       ('pending', 'deleted', 'absent', 'failed', 'cancelled')),
    tries            integer NOT NULL DEFAULT 0,
    error            text,
    restore_state    text CHECK (restore_state IN ('pending', 'restored', 'exists', 'failed')),
    restore_error    text,
    UNIQUE (purge_run_id, user_contact_id)
);

CREATE INDEX purge_contact_pending ON purge_contact (purge_run_id, purge_contact_id) WHERE state = 'pending';
CREATE INDEX purge_contact_restore_pending ON purge_contact (purge_run_id, purge_contact_id) WHERE restore_state = 'pending';

-- A dry run's result: the exact set it found. Confirming refers to it, so OCM knows the dry run
-- happened and can show what changed since. Plans are removed after a day.
CREATE TABLE purge_plan (
    purge_plan_id    bigserial PRIMARY KEY,
    app_user_id      bigint NOT NULL REFERENCES app_user (app_user_id) ON DELETE CASCADE,
    organization     text NOT NULL,
    contact_list_id  bigint NOT NULL,
    request          jsonb NOT NULL,
    user_contact_ids text[] NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
