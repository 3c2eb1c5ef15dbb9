-- DNC: uploaded files with their pre-flight, and the registry of every address OCM sends (or
-- learns from the dialer's kill list): who asked, when, from where, when POM confirmed it and
-- what POM said. The registry is the proof of suppression and the DNC List report.

ALTER TABLE job DROP CONSTRAINT job_kind_check;
ALTER TABLE job ADD CONSTRAINT job_kind_check CHECK (kind IN ('purge', 'restore', 'dnc_send'));

CREATE TABLE dnc_upload (
    dnc_upload_id   bigserial PRIMARY KEY,
    organization    text NOT NULL,
    mode            text NOT NULL CHECK (mode IN ('dnc_list', 'uncallable')),
    -- The contact list (uncallable) or the DNC list (dnc_list) it goes to.
    target_id       bigint NOT NULL,
    target_name     text NOT NULL,
    file_name       text NOT NULL,
    file_sha256     text NOT NULL,
    file_bytes      bigint NOT NULL,
    -- Kept until sent so the pre-flight can be run again with other choices; cleared after.
    content         bytea,
    -- expired: never sent, and the file was dropped after a week.
    state           text NOT NULL CHECK (state IN ('preflight', 'refused', 'sent', 'expired')),
    problem         text,
    -- The last pre-flight: choices, counts, sample (JSON) and the reject file.
    options         jsonb NOT NULL DEFAULT '{}'::jsonb,
    preflight       jsonb,
    rejects_csv     bytea,
    job_id          bigint REFERENCES job (job_id),
    created_by      bigint REFERENCES app_user (app_user_id) ON DELETE SET NULL,
    created_by_name text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX dnc_upload_organization ON dnc_upload (organization, created_at DESC);

CREATE TABLE dnc_entry (
    dnc_entry_id    bigserial PRIMARY KEY,
    organization    text NOT NULL,
    address         text NOT NULL,
    action          text NOT NULL CHECK (action IN ('add', 'remove', 'mark_uncallable')),
    source          text NOT NULL CHECK (source IN ('upload', 'single', 'api', 'dialer_kill')),
    list_name       text NOT NULL,
    dnc_upload_id   bigint REFERENCES dnc_upload (dnc_upload_id),
    file_name       text,
    file_sha256     text,
    requested_by    bigint REFERENCES app_user (app_user_id) ON DELETE SET NULL,
    requested_by_name text NOT NULL,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    -- not_sent: registered for an upload whose sending was cancelled.
    state           text NOT NULL CHECK (state IN ('pending', 'confirmed', 'failed', 'not_sent')),
    confirmed_at    timestamptz,
    outcome         text,
    -- Where an ingested entry came from (the dialer's session), so ingestion is idempotent.
    external_ref    text,
    UNIQUE (source, external_ref)
);

CREATE INDEX dnc_entry_report ON dnc_entry (organization, requested_at DESC);
CREATE INDEX dnc_entry_upload ON dnc_entry (dnc_upload_id, state, dnc_entry_id);

-- How far OCM has read a POM feed (the dialer kill list).
CREATE TABLE feed_cursor (
    name        text PRIMARY KEY,
    position    bigint NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
