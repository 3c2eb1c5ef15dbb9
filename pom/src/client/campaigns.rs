//! `VP_POMCmpMgmtService` operations: campaigns, jobs, schedules and import jobs.

use super::soap::{boolean, number, texts, CampaignDetail, ImportJobStatus, Service};
use super::{PomClient, PomError, Safety};

impl PomClient {
    /// `GetCampaignDetails`: the organization's campaigns; with states, their jobs in those states.
    pub async fn get_campaign_details(
        &self,
        job_states: &[&str],
    ) -> Result<Vec<CampaignDetail>, PomError> {
        let response = self
            .soap_call(Service::CmpMgmt, "GetCampaignDetails", Safety::Safe, &|w| {
                for state in job_states {
                    w.leaf("JobState", state);
                }
            })
            .await?;
        Ok(response
            .children_named("CampaignDetails")
            .map(|d| CampaignDetail {
                campaign_name: d.text_of("CampaignName").unwrap_or_default().to_string(),
                job_id: d.text_of("JobID").and_then(|v| v.parse().ok()),
                job_state: d
                    .text_of("JobState")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            })
            .collect())
    }

    /// `GetCampaignJobs`: every job of a campaign (finished ones too), optionally by state.
    pub async fn get_campaign_jobs(
        &self,
        campaign: &str,
        job_states: &[&str],
    ) -> Result<Vec<(i64, String)>, PomError> {
        let response = self
            .soap_call(Service::CmpMgmt, "GetCampaignJobs", Safety::Safe, &|w| {
                w.leaf("CampaignName", campaign);
                for state in job_states {
                    w.leaf("JobState", state);
                }
            })
            .await?;
        Ok(response
            .children_named("JobDetails")
            .map(|d| {
                (
                    number(d, "JobID"),
                    d.text_of("JobState").unwrap_or_default().to_string(),
                )
            })
            .collect())
    }

    /// `RunCampaign`: starts a job now; true when POM queued it.
    pub async fn run_campaign(&self, campaign: &str) -> Result<bool, PomError> {
        let r = self
            .soap_call(Service::CmpMgmt, "RunCampaign", Safety::Unsafe, &|w| {
                w.leaf("CampaignName", campaign);
            })
            .await?;
        boolean("RunCampaign", &r, "IsQueued")
    }

    async fn job_action(
        &self,
        operation: &str,
        answer: &str,
        job_id: i64,
    ) -> Result<bool, PomError> {
        let id = job_id.to_string();
        let r = self
            .soap_call(Service::CmpMgmt, operation, Safety::Unsafe, &|w| {
                w.leaf("JobID", &id);
            })
            .await?;
        boolean(operation, &r, answer)
    }

    /// `PauseActiveJob` (-55 when the job is not active).
    pub async fn pause_active_job(&self, job_id: i64) -> Result<bool, PomError> {
        self.job_action("PauseActiveJob", "IsPaused", job_id).await
    }

    /// `ResumePausedJob` (-56 when the job is not paused).
    pub async fn resume_paused_job(&self, job_id: i64) -> Result<bool, PomError> {
        self.job_action("ResumePausedJob", "IsResumed", job_id)
            .await
    }

    /// `StopJob` (-57 when the job is neither active nor paused).
    pub async fn stop_job(&self, job_id: i64) -> Result<bool, PomError> {
        self.job_action("StopJob", "IsStopped", job_id).await
    }

    /// `ScheduleCampaign` at `start_time` (`yyyy/MM/dd HH:mm:ss`) in `time_zone`.
    pub async fn schedule_campaign(
        &self,
        campaign: &str,
        start_time: &str,
        time_zone: &str,
    ) -> Result<i64, PomError> {
        let r = self
            .soap_call(Service::CmpMgmt, "ScheduleCampaign", Safety::Unsafe, &|w| {
                w.leaf("CampaignName", campaign)
                    .leaf("StartTime", start_time)
                    .leaf("TimeZone", time_zone);
            })
            .await?;
        Ok(number(&r, "Result"))
    }

    /// `GetImportJobStatus` of a data source, optionally only jobs in `states`.
    pub async fn get_import_job_status(
        &self,
        data_source: &str,
        states: &[&str],
    ) -> Result<Vec<ImportJobStatus>, PomError> {
        let r = self
            .soap_call(Service::CmpMgmt, "GetImportJobStatus", Safety::Safe, &|w| {
                w.leaf("DataSourceName", data_source);
                for state in states {
                    w.leaf("JobStates", state);
                }
            })
            .await?;
        Ok(r.children_named("ImportJobs")
            .map(|j| ImportJobStatus {
                import_name: j.text_of("ImportName").map(str::to_string),
                list_name: j.text_of("ListName").map(str::to_string),
                import_job_id: j.text_of("ImportJobId").and_then(|v| v.parse().ok()),
                status: j.text_of("Status").map(str::to_string),
                success: number(j, "SuccessCount"),
                update: number(j, "UpdateCount"),
                runtime_errors: number(j, "RunTimeErrorCount"),
                validation_failed: number(j, "ValidationFailedCount"),
                duplicates_ignored: number(j, "DuplicateIgnoredCount"),
                reject_pattern_matches: number(j, "MatchPhoneRejectPatternCount"),
                deleted: number(j, "DeleteCount"),
                dnc_matches: number(j, "MatchesDncCount"),
                phone_format_failed: number(j, "PhoneFormatFailedCount"),
                processed: number(j, "ProcessedRecordCount"),
            })
            .collect())
    }

    /// `ScheduleDataSource`: one run at `start_time` (`yyyy/MM/dd HH:mm:ss`) in `time_zone`.
    pub async fn schedule_data_source(
        &self,
        data_source: &str,
        start_time: &str,
        time_zone: &str,
    ) -> Result<i64, PomError> {
        let r = self
            .soap_call(
                Service::CmpMgmt,
                "ScheduleDataSource",
                Safety::Unsafe,
                &|w| {
                    w.leaf("DataSourceName", data_source)
                        .leaf("StartTime", start_time)
                        .leaf("TimeZone", time_zone);
                },
            )
            .await?;
        Ok(number(&r, "Result"))
    }

    /// `GetContactListNames`: the lists a campaign dials.
    pub async fn get_contact_list_names(&self, campaign: &str) -> Result<Vec<String>, PomError> {
        let r = self
            .soap_call(
                Service::CmpMgmt,
                "GetContactListNames",
                Safety::Safe,
                &|w| {
                    w.leaf("CampaignName", campaign);
                },
            )
            .await?;
        Ok(texts(&r, "ListNames"))
    }
}
