-- The Account Not in Listing report (seed 001: "accounts not dialled by POM, inserted by a
-- pre-processing step"): rows sent for dialling that never became contacts. Rows are copied here
-- when an upload's import ends, so they outlive the upload's files (erased after retention):
-- OCM's pre-flight rejects, rows POM's import left out (a rejection category when POM's counters
-- can say which), and rows an external pre-processing step reports (`ocm reports not-listed`).

-- The pre-flight's rejected rows as plain CSV (row, contact id, phone, problem kind, reason),
-- kept with the upload until its import ends. Unlike `rejects_csv` (a file for people, every cell
-- neutralised), the values are as read, for the report table.
alter table contact_upload add column not_listed_rows bytea;

create table not_listed (
    row_id            bigserial primary key,
    organization      text not null,
    list_name         text not null,
    -- The upload the row came in (null: reported by an external step).
    contact_upload_id bigint references contact_upload (contact_upload_id) on delete set null,
    -- "upload 42", or the external step's own batch name.
    batch             text not null check (length(batch) between 1 and 200),
    -- preflight: OCM refused the row. pom_import: POM's import rejected it, its counters name
    -- one category. absent: sent, but not in the list afterwards (POM's counters cannot say
    -- which row was which). external: an external pre-processing step left it out.
    stage             text not null check (stage in ('preflight', 'pom_import', 'absent', 'external')),
    -- The row of the file (data rows counted from the file's first line; null when unknown).
    row_number        bigint,
    user_contact_id   text not null,
    phone             text not null,
    -- The kind of reason, without the row's values: the pre-flight's problem kind ("Mobile:
    -- letters in a phone number"), POM's counter (`dnc_match`, …), `not_in_list`, or the external
    -- step's own key (`bad_debt`). `reason` says it for the row (it may quote the value).
    category          text not null,
    reason            text not null,
    recorded_at       timestamptz not null default now(),
    recorded_by       text not null
);
create index not_listed_recent on not_listed (organization, recorded_at, row_id);
-- Admins reading every organization.
create index not_listed_all on not_listed (recorded_at, row_id);
create index not_listed_upload on not_listed (contact_upload_id);
