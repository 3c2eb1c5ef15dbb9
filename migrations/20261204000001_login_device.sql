-- Devices that signed in successfully (OWASP's "device cookie"): a browser holding one of these
-- tokens for a user name is let through that user's sign-in slow-down, so an attacker guessing
-- the password from many addresses cannot keep the real user out. Only a hash is stored.
create table login_device (
    token_sha256 text primary key,
    username text not null,
    created_at timestamptz not null default now(),
    last_used_at timestamptz not null default now()
);
create index login_device_by_user on login_device (username);
