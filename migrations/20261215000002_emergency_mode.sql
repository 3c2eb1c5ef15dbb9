-- Emergency mode (issue 20, seed 003's global emergency): after an emergency stop, starts,
-- resumes and schedules stay refused (UI and API) for one organization or all, and jobs POM
-- starts on its own are stopped, until an admin lifts it.
create table emergency_mode (
    emergency_mode_id bigserial primary key,
    -- null: every organization.
    organization text,
    reason text not null default '',
    enabled_by bigint references app_user (app_user_id) on delete set null,
    enabled_by_name text not null,
    enabled_at timestamptz not null default now(),
    emergency_stop_id bigint references emergency_stop (emergency_stop_id),
    lifted_by bigint references app_user (app_user_id) on delete set null,
    lifted_by_name text,
    lifted_at timestamptz
);
-- At most one mode in force per organization (and one for all).
create unique index emergency_mode_in_force on emergency_mode (coalesce(organization, ''))
    where lifted_at is null;
