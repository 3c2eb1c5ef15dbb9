-- The Call Attempt report filtered by job reads the job's attempts newest first on an index that
-- leads with the job: the one before led with the organization, so an admin reading every
-- organization scanned whole partitions instead (report benchmark at 10,000,000 attempts,
-- docs/performance.md "Reports"). A job belongs to one organization, so a reader pinned to
-- theirs filters the job's rows by it without a column of the index.
drop index if exists call_attempt_by_job;
create index call_attempt_by_job on call_attempt (job_id, attempt_at desc, row_id desc);
