-- The automation API (issue 20, `docs/api.md`): registered clients, the bearer tokens they are
-- issued, and the idempotency keys of their state-changing calls.

-- A system allowed to call `/api/v1`. The secret is 256 random bits, stored as its SHA-256 (a slow
-- hash protects guessable passwords; nobody guesses 256 random bits, and the token endpoint stays
-- cheap). `organization_id` null: every organization.
create table api_client (
    api_client_id uuid primary key,
    name text not null unique check (name ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$'),
    organization_id bigint references organization,
    scopes text[] not null check (cardinality(scopes) > 0),
    secret_sha256 bytea not null unique check (length(secret_sha256) = 32),
    expires_at timestamptz,
    disabled_at timestamptz,
    created_by bigint references app_user (app_user_id) on delete set null,
    created_by_name text not null,
    created_at timestamptz not null default now(),
    secret_rotated_at timestamptz
);

-- A bearer token: its SHA-256 only, so a copy of the database holds no usable token.
create table api_token (
    token_sha256 bytea primary key check (length(token_sha256) = 32),
    api_client_id uuid not null references api_client on delete cascade,
    issued_at timestamptz not null default now(),
    expires_at timestamptz not null
);
create index api_token_by_client on api_token (api_client_id);
create index api_token_by_expiry on api_token (expires_at);

-- One state-changing call per (client, Idempotency-Key): the same key with the same body gets the
-- first answer again; `request_sha256` is over method, path and body.
create table api_idempotency (
    api_client_id uuid not null references api_client on delete cascade,
    idempotency_key text not null check (length(idempotency_key) between 1 and 200),
    request_sha256 bytea not null check (length(request_sha256) = 32),
    state text not null check (state in ('running', 'done')),
    status smallint,
    response jsonb,
    created_at timestamptz not null default now(),
    primary key (api_client_id, idempotency_key)
);
create index api_idempotency_by_age on api_idempotency (created_at);
