-- Who may read each report besides admins (docs/reports.md, "Who reads what"): an admin's
-- choice of roles per report. No row: the report's own default (supervisors and managers).
create table report_access (
    report text primary key,
    roles text[] not null check (roles <@ array['supervisor', 'manager']::text[]),
    updated_by text not null,
    updated_at timestamptz not null default now()
);
