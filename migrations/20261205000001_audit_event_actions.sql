-- The audit page's action list (`select distinct action … where organization = $1`) reads this
-- index alone instead of every event of the organization.
create index audit_event_by_org_action on audit_event (organization, action);
