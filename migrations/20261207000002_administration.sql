-- Administration in the browser (issue 21): one-time passwords and set-password links, teams and
-- organizations that can be deactivated, and the reads the user list needs.

-- Set by an admin's one-time password or a reset: the user must choose a new password before
-- anything else.
alter table app_user add column must_change_password boolean not null default false;
alter table app_user add column password_changed_at timestamptz;
alter table app_user add column updated_at timestamptz not null default now();
alter table team add column deactivated_at timestamptz;
alter table organization add column deactivated_at timestamptz;

-- The user list's "last sign-in" and a user's sessions to end.
create index login_session_by_user on login_session (app_user_id, started_at desc);

-- A set-password link: only the SHA-256 of its token is stored; used once, before it expires.
create table password_link (
    token_sha256 text primary key,
    app_user_id bigint not null references app_user on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz
);
create index password_link_by_user on password_link (app_user_id);
