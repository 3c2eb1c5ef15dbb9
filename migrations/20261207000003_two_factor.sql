-- Two-factor sign-in (issue 21): a TOTP secret per user (RFC 6238), the last step accepted (a
-- code works once), recovery codes (hashes, each used once), and which roles must use it.

alter table app_user add column totp_secret bytea;
-- Set while the user scans the QR code; becomes `totp_secret` when a code from it is typed.
alter table app_user add column totp_pending_secret bytea;
alter table app_user add column totp_enabled_at timestamptz;
alter table app_user add column totp_last_step bigint;

create table recovery_code (
    app_user_id bigint not null references app_user on delete cascade,
    code_sha256 text not null,
    used_at timestamptz,
    primary key (app_user_id, code_sha256)
);

-- One row: the roles that must sign in with a second factor (admins set it on the settings page).
create table sign_in_policy (
    singleton boolean primary key default true check (singleton),
    two_factor_roles text[] not null default '{}',
    updated_at timestamptz not null default now()
);
insert into sign_in_policy default values;
