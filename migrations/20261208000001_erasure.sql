-- Right to erasure: an admin erases a person (by phone, e-mail or customer id) from the
-- organization's POM lists and from OCM's own tables. What stays is a suppression tombstone per
-- identifier (a keyed hash: the key lives outside the database, so a copy of the database alone
-- cannot tell whose numbers they are), the counts, and the certificate made of them.

ALTER TABLE job DROP CONSTRAINT job_kind_check;
ALTER TABLE job ADD CONSTRAINT job_kind_check
    CHECK (kind IN ('purge', 'restore', 'dnc_send', 'contact_upload', 'purge_retry', 'erasure'));

-- The fingerprint of the key the tombstones were made with: OCM refuses to start with another
-- key, since tombstones made with a lost key no longer match anything.
create table erasure_key (
    singleton   boolean primary key default true check (singleton),
    fingerprint text not null,
    created_at  timestamptz not null default now()
);

create table erasure (
    erasure_id        bigserial primary key,
    organization      text not null,
    -- The request's reference (a ticket number), never the person's name.
    reference         text not null check (length(reference) between 1 and 100),
    -- The identifiers in OCM's comparison form: held only between the dry run and the end of
    -- the erasure, then cleared (null).
    identifiers       jsonb,
    -- How many identifiers of each kind: what the certificate may say about them.
    identifier_counts jsonb not null,
    -- planned: dry run done, not confirmed (removed after a day); running; completed;
    -- cancelled.
    state             text not null check (state in ('planned', 'running', 'completed', 'cancelled')),
    -- What the dry run found in OCM's own tables, per store.
    ocm_found         jsonb not null default '{}'::jsonb,
    -- What was erased there, per store (at completion).
    ocm_erased        jsonb,
    job_id            bigint unique references job (job_id),
    created_by        bigint references app_user (app_user_id) on delete set null,
    created_by_name   text not null,
    created_at        timestamptz not null default now(),
    confirmed_at      timestamptz,
    finished_at       timestamptz,
    -- The certificate as made when the erasure ended (no personal data), and its SHA-256, which
    -- the closing audit record carries too.
    certificate        text,
    certificate_sha256 text
);
create index erasure_recent on erasure (organization, created_at desc);
create index erasure_planned on erasure (created_at) where state = 'planned';

-- The contacts found in POM and what became of each; the ids are cleared at the end.
create table erasure_contact (
    erasure_contact_id bigserial primary key,
    erasure_id      bigint not null references erasure (erasure_id),
    list_id         bigint not null,
    list_name       text not null,
    user_contact_id text,
    state           text not null default 'pending' check (state in
                      ('pending', 'deleted', 'absent', 'failed', 'cancelled')),
    tries           integer not null default 0,
    error           text
);
create index erasure_contact_pending on erasure_contact (erasure_id, erasure_contact_id)
    where state = 'pending';

-- One per identifier erased: HMAC-SHA256(key, kind ':' canonical form).
create table erasure_tombstone (
    organization text not null,
    digest       bytea not null,
    kind         text not null check (kind in ('phone', 'email', 'customer_id')),
    erasure_id   bigint not null references erasure (erasure_id),
    created_at   timestamptz not null default now(),
    primary key (organization, digest)
);

-- A registry entry whose address was erased keeps its dates and outcome, not the address.
alter table dnc_entry add column erased_by bigint references erasure (erasure_id);
