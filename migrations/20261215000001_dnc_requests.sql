-- DNC requests from other systems (issue 20, `docs/api.md`): each `POST /api/v1/dnc` is a
-- receipt that follows its addresses and contacts from accepted to applied (POM confirmed) to
-- verified (POM read back), and timed DNC: an entry that POM is asked to forget when it expires.

-- A receipt. Its phone number lives once, in `dnc_entry` (erasable), to which each item points;
-- a customer id is looked up in the contact lists after the receipt is given.
create table dnc_request (
    dnc_request_id uuid primary key,
    organization text not null,
    api_client_id uuid references api_client on delete set null,
    client_name text not null,
    campaign text,
    scope text not null check (scope in ('all_chain', 'record_only')),
    customer_id text,
    -- When the customer id was looked up in the contact lists (null: still to do).
    expanded_at timestamptz,
    -- POM could not be asked: look again after this.
    not_before timestamptz not null default now(),
    expires_at timestamptz,
    state text not null check (state in ('accepted', 'applied', 'verified', 'failed')),
    reason text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index dnc_request_to_expand on dnc_request (created_at)
    where customer_id is not null and expanded_at is null;

-- One thing POM is asked to do for a receipt: an address onto a DNC list, or a contact marked
-- uncallable in a contact list. Items of many receipts for the same target go to POM in one call.
create table dnc_request_item (
    dnc_request_item_id bigserial primary key,
    dnc_request_id uuid not null references dnc_request on delete cascade,
    kind text not null check (kind in ('address', 'contact')),
    organization text not null,
    -- The contact list a contact is in; an address's DNC list is the organization's, found when
    -- the batch is sent (and then written here).
    target_id bigint,
    target_name text,
    dnc_entry_id bigint not null references dnc_entry,
    state text not null check (state in ('pending', 'sending', 'applied', 'verified', 'failed')),
    -- While `sending`, until when this instance holds it; after, another may send it again.
    claimed_until timestamptz,
    -- Transient POM failures wait before the next attempt.
    not_before timestamptz not null default now(),
    attempts int not null default 0,
    -- Read-backs that found POM unreadable; past ten the item stays `applied`.
    reads int not null default 0,
    pom_fault int,
    reason text,
    applied_at timestamptz,
    verified_at timestamptz
);
create index dnc_request_item_of on dnc_request_item (dnc_request_id, dnc_request_item_id);
create index dnc_request_item_to_send on dnc_request_item (dnc_request_item_id)
    where state in ('pending', 'sending');
create index dnc_request_item_to_verify on dnc_request_item (dnc_request_item_id)
    where state = 'applied';

-- Timed DNC: when an added address comes off the list again, and how that went.
alter table dnc_entry add column expires_at timestamptz;
alter table dnc_entry add column expiry_state text check (expiry_state in ('removing', 'removed', 'kept', 'failed'));
alter table dnc_entry add column expiry_claimed_until timestamptz;
alter table dnc_entry add column expiry_attempts int not null default 0;
-- The removal registered for it, sent again by a later attempt rather than registered twice.
alter table dnc_entry add column expiry_removal bigint references dnc_entry (dnc_entry_id);
create index dnc_entry_expiring on dnc_entry (expires_at) where expires_at is not null;
-- "Was this address added again since?" when an entry expires.
create index dnc_entry_address on dnc_entry (organization, address);

-- An upload to the organization's DNC list may expire as a whole (its entries carry the time).
alter table dnc_upload add column expires_at timestamptz;

alter table dnc_entry drop constraint dnc_entry_source_check;
alter table dnc_entry add constraint dnc_entry_source_check
    check (source in ('upload', 'single', 'api', 'dialer_kill', 'expiry'));
