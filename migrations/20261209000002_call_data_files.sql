-- The second call-data input (docs/call-data.md): CSV files of the feed's kinds dropped in
-- OCM_CALL_DATA_IMPORT_DIR. One row per file: how many of its rows are stored (moved forward in
-- the transaction that stores them, so a crash resumes after the last page), and when it was done.
create table call_data_file (
    name text primary key,
    bytes bigint not null,
    kind text not null,
    rows_done bigint not null default 0,
    started_at timestamptz not null default now(),
    done_at timestamptz
);
