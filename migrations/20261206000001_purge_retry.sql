-- Retrying a purge run's failed deletes as its own job: the job kind, and the contacts a retry
-- job still has to try (marked when the retry is queued, cleared as each one's outcome is stored).
ALTER TABLE job DROP CONSTRAINT job_kind_check;
ALTER TABLE job ADD CONSTRAINT job_kind_check
    CHECK (kind IN ('purge', 'restore', 'dnc_send', 'contact_upload', 'purge_retry'));

ALTER TABLE purge_contact ADD COLUMN retry_pending boolean NOT NULL DEFAULT false;
CREATE INDEX purge_contact_retry_pending ON purge_contact (purge_run_id, purge_contact_id)
    WHERE retry_pending;
