-- Manual contact uploads: the list → data source → SFTP path mapping (admin-editable, replacing
-- seed 001's payload.json), column-mapping templates per list, and one row per upload
-- (seed 001's Outbound_ManualUploadUtility): the file, its pre-flight, what was sent where and
-- when, POM's import job with its final counters, and the differences found afterwards.

ALTER TABLE job DROP CONSTRAINT job_kind_check;
ALTER TABLE job ADD CONSTRAINT job_kind_check
    CHECK (kind IN ('purge', 'restore', 'dnc_send', 'contact_upload'));

CREATE TABLE data_source (
    data_source_id bigserial PRIMARY KEY,
    -- POM's data source name.
    name           text NOT NULL UNIQUE,
    organization   text NOT NULL,
    list_name      text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('append', 'replace')),
    -- Where the data source reads its file on the SFTP drop, e.g. /ocm/Sales_Leads_Main.csv.
    remote_path    text NOT NULL CHECK (remote_path LIKE '%/%' AND remote_path NOT LIKE '%/'),
    -- The file layout the data source expects (POM does not expose it; the admin copies it).
    delimiter      text NOT NULL DEFAULT ',' CHECK (length(delimiter) = 1),
    header_row     boolean NOT NULL DEFAULT true,
    -- Attribute per column in order; empty: a header row of attribute names decides.
    columns        text[] NOT NULL DEFAULT '{}',
    updated_by     text NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_source_list ON data_source (organization, list_name);

CREATE TABLE upload_template (
    organization text NOT NULL,
    list_name    text NOT NULL,
    -- Header text → attribute (null: leave the column out).
    mapping      jsonb NOT NULL,
    date_format  text NOT NULL,
    updated_by   text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organization, list_name)
);

CREATE TABLE contact_upload (
    contact_upload_id bigserial PRIMARY KEY,
    organization      text NOT NULL,
    list_id           bigint NOT NULL,
    list_name         text NOT NULL,
    data_source       text NOT NULL,
    data_source_kind  text NOT NULL,
    remote_path       text NOT NULL,
    file_name         text NOT NULL,
    file_sha256       text NOT NULL,
    file_bytes        bigint NOT NULL,
    -- preflight: checked, not sent. refused: the file could not be read. queued → uploaded →
    -- scheduled → importing → completed | error (POM's import ended in ERROR) | failed (OCM
    -- could not hand it over; nothing left half-done) | cancelled. expired: never sent.
    state             text NOT NULL CHECK (state IN ('preflight', 'refused', 'queued', 'uploaded',
                          'scheduled', 'importing', 'completed', 'error', 'failed', 'cancelled',
                          'expired')),
    problem           text,
    -- The user's choices (sheet, delimiter, header, mapping, date format, DNC check).
    options           jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- Counts, sample, mapping as used, blocking problems.
    preflight         jsonb,
    rows_read         bigint,
    rows_sent         bigint,
    rows_rejected     bigint,
    original          bytea,
    rejects_csv       bytea,
    converted         bytea,
    converted_sha256  text,
    -- The user contact ids of the rows sent, to compare with the list after the import.
    sent_ids          text[],
    -- The run-once start time as sent to POM (yyyy/MM/dd HH:mm:ss), its zone, and the instant.
    scheduled_for     text,
    scheduled_at      timestamptz,
    time_zone         text,
    import_job_id     bigint,
    -- The newest import job id of the data source before OCM scheduled it: when POM does not
    -- answer the run-once with an id, OCM's import is the next one.
    import_after      bigint,
    pom_state         text,
    -- POM's ten ImportJobStatus counters.
    pom_counters      jsonb,
    -- Rows sent but not in the list afterwards: count and a CSV of them.
    missing_count     bigint,
    missing_csv       bytea,
    job_id            bigint REFERENCES job (job_id),
    created_by        bigint REFERENCES app_user (app_user_id) ON DELETE SET NULL,
    created_by_name   text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    sent_at           timestamptz,
    finished_at       timestamptz,
    -- Original, converted, reject and difference files are erased after this (audited).
    files_expire_at   timestamptz NOT NULL,
    files_erased_at   timestamptz
);
CREATE INDEX contact_upload_recent ON contact_upload (organization, created_at DESC);
-- One upload at a time per data source between sending and the end of its import: a second
-- would replace the first one's file on the drop before POM reads it.
CREATE UNIQUE INDEX contact_upload_one_active_per_source ON contact_upload (data_source)
    WHERE state IN ('queued', 'uploaded', 'scheduled', 'importing');
CREATE INDEX contact_upload_expiry ON contact_upload (files_expire_at) WHERE files_erased_at IS NULL;
