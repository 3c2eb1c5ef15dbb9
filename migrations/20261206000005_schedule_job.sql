-- The job POM started for a scheduled start, once OCM has seen it: the board names who scheduled
-- it and the schedule row links to the job.
ALTER TABLE campaign_schedule ADD COLUMN job_id bigint;
CREATE INDEX campaign_schedule_unlinked ON campaign_schedule (organization, campaign, starts_at)
    WHERE job_id IS NULL;
