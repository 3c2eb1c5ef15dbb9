-- A record inserted with a link already stored for it (what `ocm audit restore` does) must match
-- that link: its hash is recomputed from the previous link and refused when it differs, so a
-- forged archive or a second record under a linked id fails at commit instead of hiding.

create or replace function audit_event_link() returns trigger language plpgsql as $$
declare
    month date := audit_month(new.occurred_at);
    last_seq bigint;
    last_hash bytea;
    linked_seq bigint;
    linked_hash bytea;
    previous bytea;
begin
    perform pg_advisory_xact_lock(7040101);
    select seq, hash into linked_seq, linked_hash
      from audit_link where chain_month = month and audit_event_id = new.audit_event_id;
    if found then
        select hash into previous from audit_link where chain_month = month and seq = linked_seq - 1;
        if linked_hash is distinct from
           sha256(coalesce(previous, audit_chain_genesis(month))
                  || convert_to(audit_event_canonical(new), 'UTF8')) then
            raise exception 'audit record % does not match its stored link % of %',
                new.audit_event_id, linked_seq, to_char(month, 'YYYY-MM');
        end if;
        return null;
    end if;
    select seq, hash into last_seq, last_hash
      from audit_link where chain_month = month order by seq desc limit 1;
    insert into audit_link (chain_month, seq, audit_event_id, hash)
    values (month, coalesce(last_seq, 0) + 1, new.audit_event_id,
            sha256(coalesce(last_hash, audit_chain_genesis(month))
                   || convert_to(audit_event_canonical(new), 'UTF8')));
    return null;
end;
$$;
