-- The part whose run-once request OCM is about to send, remembered with the data source's newest
-- import job at that moment (`import_after`) before POM is asked (issue 22): a process killed
-- after POM accepted the request and before OCM recorded the answer finds that import when the
-- job resumes, instead of scheduling the part again.
ALTER TABLE contact_upload ADD COLUMN run_once_asked_part integer;
