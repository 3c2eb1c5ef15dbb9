//! `VP_POMCmpMgmtService`'s operations: campaigns and their jobs, schedules, data sources,
//! import jobs and contact list names, each answered from the simulated world.

use super::{boolean, job_id, required, strings, Body};
use crate::rules::{Caller, Fault};
use crate::Sim;
use pom::xml::{BodyWriter, Element};

/// Answers one Campaign Management operation.
pub(super) fn campaign_management(
    sim: &Sim,
    caller: &Caller,
    operation: &str,
    request: &Element,
) -> Result<Body, Fault> {
    sim.with_world(|w, now| match operation {
        "GetCampaignDetails" => {
            let rows = w.campaign_details(caller, &strings(request, "JobState"))?;
            Ok(Box::new(move |b: &mut BodyWriter| {
                for (name, id, state) in rows {
                    b.open("CampaignDetails")
                        .leaf("CampaignName", &name)
                        .leaf("JobID", &id.to_string());
                    b.optional("JobState", state.as_deref())
                        .close("CampaignDetails");
                }
            }) as Body)
        }
        "GetCampaignJobs" => {
            let jobs = w.campaign_jobs(
                caller,
                required(request, "CampaignName")?,
                &strings(request, "JobState"),
            )?;
            Ok(Box::new(move |b: &mut BodyWriter| {
                for (id, state) in jobs {
                    b.open("JobDetails")
                        .leaf("JobID", &id.to_string())
                        .leaf("JobState", &state)
                        .close("JobDetails");
                }
            }) as Body)
        }
        "RunCampaign" => w
            .run_campaign(caller, required(request, "CampaignName")?, now)
            .map(|_| boolean("IsQueued", true)),
        "PauseActiveJob" => w
            .job_action(caller, job_id(request)?, "pause", now)
            .map(|_| boolean("IsPaused", true)),
        "ResumePausedJob" => w
            .job_action(caller, job_id(request)?, "resume", now)
            .map(|_| boolean("IsResumed", true)),
        "StopJob" => w
            .job_action(caller, job_id(request)?, "stop", now)
            .map(|_| boolean("IsStopped", true)),
        "ScheduleCampaign" => {
            let zone = request.text_of("TimeZone").unwrap_or("UTC");
            w.schedule_campaign(
                caller,
                required(request, "CampaignName")?,
                required(request, "StartTime")?,
                zone,
            )?;
            Ok(Box::new(|b: &mut BodyWriter| {
                b.leaf("Result", "0");
            }) as Body)
        }
        "ScheduleDataSource" => {
            w.schedule_data_source(
                caller,
                required(request, "DataSourceName")?,
                required(request, "StartTime")?,
                request.text_of("TimeZone").unwrap_or("UTC"),
            )?;
            Ok(Box::new(|b: &mut BodyWriter| {
                b.leaf("Result", "0");
            }) as Body)
        }
        "GetImportJobStatus" => {
            let jobs: Vec<_> = w
                .import_jobs(
                    caller,
                    required(request, "DataSourceName")?,
                    &strings(request, "JobStates"),
                )?
                .into_iter()
                .cloned()
                .collect();
            Ok(Box::new(move |b: &mut BodyWriter| {
                const COUNTERS: [&str; 10] = [
                    "SuccessCount",
                    "UpdateCount",
                    "RunTimeErrorCount",
                    "ValidationFailedCount",
                    "DuplicateIgnoredCount",
                    "MatchPhoneRejectPatternCount",
                    "DeleteCount",
                    "MatchesDncCount",
                    "PhoneFormatFailedCount",
                    "ProcessedRecordCount",
                ];
                for job in jobs {
                    b.open("ImportJobs")
                        .leaf("ImportName", &job.data_source)
                        .leaf("ListName", &job.list_name);
                    b.leaf("ImportJobId", &job.id.to_string())
                        .leaf("Status", &job.state);
                    for (name, value) in COUNTERS.iter().zip(job.counters) {
                        b.leaf(name, &value.to_string());
                    }
                    b.close("ImportJobs");
                }
            }) as Body)
        }
        "GetContactListNames" => {
            let names = w.contact_list_names(caller, required(request, "CampaignName")?)?;
            Ok(Box::new(move |b: &mut BodyWriter| {
                for name in names {
                    b.leaf("ListNames", &name);
                }
            }) as Body)
        }
        other => Err(Fault {
            code: 0,
            message: format!("Unsupported operation {other}"),
        }),
    })
}
