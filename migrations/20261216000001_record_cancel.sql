-- Record cancel from other systems (issue 20, seed 002 `CM_ReqCancelRecord`): a receipt like a
-- DNC request's, whose phone is looked up in the contact lists (phoneNumber1 and phoneNumber2,
-- every form POM may hold) and whose contacts are made uncallable; those POM reported as being
-- dialled at the time are flagged (Genesys' "record(s) on desktop").

alter table dnc_request add column kind text not null default 'dnc'
    check (kind in ('dnc', 'cancel'));
-- The phone a cancel looks for, in POM's form (a DNC request keeps its phone in `dnc_entry`).
alter table dnc_request add column phone text;
alter table dnc_request add constraint dnc_request_cancel_phone
    check (kind = 'dnc' or phone is not null);

drop index dnc_request_to_expand;
create index dnc_request_to_expand on dnc_request (created_at)
    where (customer_id is not null or kind = 'cancel') and expanded_at is null;

-- Whether POM said an attempt was running for the contact when it was found (null: POM did
-- not say).
alter table dnc_request_item add column in_progress boolean;

alter table dnc_entry drop constraint dnc_entry_source_check;
alter table dnc_entry add constraint dnc_entry_source_check
    check (source in ('upload', 'single', 'api', 'dialer_kill', 'expiry', 'record_cancel'));
