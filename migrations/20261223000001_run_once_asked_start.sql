-- The start time OCM asked POM to run the part at, remembered with `run_once_asked_part` before
-- each run-once request (issue 22): a job resuming after a crash that finds POM took the request
-- records the time it was asked for, not the time it resumed.
ALTER TABLE contact_upload
    ADD COLUMN run_once_asked_for text,
    ADD COLUMN run_once_asked_at timestamptz;
