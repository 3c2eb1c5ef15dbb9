-- The Call Attempt report filtered by job (and the job summaries' drill-down) reads the job's
-- attempts newest first on this index instead of scanning whole partitions (report benchmark,
-- docs/performance.md "Reports").
create index call_attempt_by_job on call_attempt (organization, job_id, attempt_at desc, row_id desc);
