-- The floor dashboard asks, every second per organization, who last paused or stopped each open
-- job through OCM: one index entry per job instead of the organization's whole action history.
create index campaign_action_by_job on campaign_action (organization, job_id, requested_at desc);
