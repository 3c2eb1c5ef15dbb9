-- Keyset keys for the detail reports over callbacks, inbound calls and contacts passed over
-- (docs/reports.md): a unique, increasing number per row beside the instant, so a page and an
-- export batch read only their rows from an index instead of numbering every matching row.
-- Added last, so ingestion's positional inserts leave them to their defaults.

create sequence callback_row_seq;
alter table callback add column row_id bigint not null default nextval('callback_row_seq');
create index callback_agent_owned on callback (organization, occurred_at desc, row_id desc)
    where callback_type = 'agent_owned';

create sequence inbound_call_row_seq;
alter table inbound_call add column row_id bigint not null default nextval('inbound_call_row_seq');
create index inbound_call_abandoned on inbound_call (organization, occurred_at desc, row_id desc)
    where not answered;

create sequence contact_skip_row_seq;
alter table contact_skip add column row_id bigint not null default nextval('contact_skip_row_seq');
create index contact_skip_report on contact_skip (organization, occurred_at desc, row_id desc);
