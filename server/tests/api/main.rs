//! HTTP-level tests: the real router on a loopback port, a real Postgres database per test.

mod access;
mod audit;
mod campaign_calls;
mod campaign_schedule;
mod campaign_stop;
mod campaigns;
mod dnc;
mod dnc_phones;
mod dnc_registry;
mod headers;
mod helpers;
mod hostile_files;
mod pom_sim;
mod purge;
mod purge_access;
mod purge_calls;
mod purge_jobs;
mod purge_resume;
mod safety;
mod sessions;
mod sign_in;
mod system;
mod upload_calls;
mod uploads;
mod uploads_follow;
mod uploads_sftp;
