//! SOAP 1.1 operations of `VP_POMCmpMgmtService` and `VP_POMAgentAPIService`, element names exactly
//! as the WSDLs in `pom/wsdl/` (seed 004, Appendix A). Faults are read by element name, since
//! RetCode and FaultMsg come in different orders in different operations.

use reqwest::{Method, StatusCode};

use super::{excerpt, PomClient, PomError, Safety};
use crate::xml::{self, BodyWriter, Element};

/// The campaign-management service's namespace.
pub const CMP_MGMT_NS: &str = "http://services.pim.avaya.com/CmpMgmt/";
/// The agent API service's namespace.
pub const AGENT_API_NS: &str = "http://services.pim.avaya.com/AgentAPI/";

/// Which SOAP service an operation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    CmpMgmt,
    AgentApi,
}

impl Service {
    /// The service's path under the SOAP base.
    pub fn path(self) -> &'static str {
        match self {
            Service::CmpMgmt => "VP_POMCmpMgmtService",
            Service::AgentApi => "VP_POMAgentAPIService",
        }
    }

    /// The service's target namespace.
    pub fn namespace(self) -> &'static str {
        match self {
            Service::CmpMgmt => CMP_MGMT_NS,
            Service::AgentApi => AGENT_API_NS,
        }
    }
}

/// A campaign with (when a state filter was given) one of its jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignDetail {
    pub campaign_name: String,
    /// Negative when POM lists the campaign without a job.
    pub job_id: Option<i64>,
    pub job_state: Option<String>,
}

/// An import job and its ten counters (`ImportJobStatus`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportJobStatus {
    pub import_name: Option<String>,
    pub list_name: Option<String>,
    pub import_job_id: Option<i64>,
    pub status: Option<String>,
    pub success: i64,
    pub update: i64,
    pub runtime_errors: i64,
    pub validation_failed: i64,
    pub duplicates_ignored: i64,
    pub reject_pattern_matches: i64,
    pub deleted: i64,
    pub dnc_matches: i64,
    pub phone_format_failed: i64,
    pub processed: i64,
}

/// The state of an asynchronous `EmptyContactList`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptyStatus {
    /// `LIST_BEING_EMPTIED` or `LIST_BEING_IDLE`.
    pub status: String,
    pub remaining: i64,
}

/// An attribute definition (`AttributeType`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub value: String,
    pub kind: Option<String>,
    pub display_name: Option<String>,
}

fn soap_outcome(status: StatusCode, body: String) -> Result<String, PomError> {
    if status == StatusCode::UNAUTHORIZED {
        return Err(PomError::Unauthorized);
    }
    if status.is_success() {
        return Ok(body);
    }
    if let Ok(root) = xml::parse(&body) {
        if let Some(fault) = root.find("Fault") {
            let info = fault.child("detail").and_then(|d| d.children.first());
            let operation = info
                .map(|i| i.name.trim_end_matches("FaultInfo").to_string())
                .unwrap_or_default();
            let code = info
                .and_then(|i| i.text_of("RetCode"))
                .and_then(|c| c.parse().ok());
            let message = info
                .and_then(|i| i.text_of("FaultMsg"))
                .or(fault.text_of("faultstring"))
                .unwrap_or("")
                .to_string();
            if let Some(code) = code {
                return Err(PomError::Fault {
                    operation,
                    code,
                    message,
                });
            }
        }
    }
    Err(PomError::Status {
        status: status.as_u16(),
        code: None,
        message: excerpt(&body),
        display: None,
    })
}

fn decode_error(operation: &str, detail: impl Into<String>) -> PomError {
    PomError::Decode {
        what: operation.into(),
        excerpt: detail.into(),
    }
}

fn number(element: &Element, name: &str) -> i64 {
    element
        .text_of(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn boolean(operation: &str, response: &Element, name: &str) -> Result<bool, PomError> {
    match response.text_of(name) {
        Some("true") | Some("1") => Ok(true),
        Some("false") | Some("0") => Ok(false),
        other => Err(decode_error(operation, format!("{name} = {other:?}"))),
    }
}

fn texts(response: &Element, name: &str) -> Vec<String> {
    response
        .children_named(name)
        .map(|e| e.text.trim().to_string())
        .collect()
}

impl PomClient {
    /// Calls one operation; returns its `<op>Response` element.
    pub(crate) async fn soap_call(
        &self,
        service: Service,
        operation: &str,
        safety: Safety,
        body: &dyn Fn(&mut BodyWriter),
    ) -> Result<Element, PomError> {
        let url = format!(
            "{}/{}",
            self.config.soap_base.trim_end_matches('/'),
            service.path()
        );
        let envelope = xml::envelope(service.namespace(), operation, body);
        let action = format!("\"{}{operation}\"", service.namespace());
        let text = self
            .send_with(
                operation,
                safety,
                &|| {
                    self.request(Method::POST, &url)
                        .header("Content-Type", "text/xml; charset=utf-8")
                        .header("SOAPAction", action.clone())
                        .body(envelope.clone())
                },
                soap_outcome,
            )
            .await?;
        let root = xml::parse(&text)
            .map_err(|e| decode_error(operation, format!("{e}: {}", excerpt(&text))))?;
        root.find(&format!("{operation}Response"))
            .cloned()
            .ok_or_else(|| decode_error(operation, excerpt(&text)))
    }

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

    /// `EmptyContactList` (asynchronous): returns the contacts remaining when emptying began.
    pub async fn empty_contact_list(&self, list: &str) -> Result<i64, PomError> {
        let r = self
            .soap_call(
                Service::AgentApi,
                "EmptyContactList",
                Safety::Unsafe,
                &|w| {
                    w.leaf("ContactListName", list);
                },
            )
            .await?;
        Ok(number(&r, "TotalContacts"))
    }

    /// `GetContactListEmptyStatus`: progress of an `EmptyContactList`.
    pub async fn get_contact_list_empty_status(&self, list: &str) -> Result<EmptyStatus, PomError> {
        let r = self
            .soap_call(
                Service::AgentApi,
                "GetContactListEmptyStatus",
                Safety::Safe,
                &|w| {
                    w.leaf("ContactListName", list);
                },
            )
            .await?;
        let status = r.child("ContactListEmptyStatus").ok_or_else(|| {
            decode_error("GetContactListEmptyStatus", "no ContactListEmptyStatus")
        })?;
        Ok(EmptyStatus {
            status: status
                .text_of("EmptyStatus")
                .unwrap_or_default()
                .to_string(),
            remaining: number(status, "TotalCount"),
        })
    }

    async fn dnc_call(
        &self,
        operation: &str,
        safety: Safety,
        address: &str,
        organization: Option<&str>,
    ) -> Result<bool, PomError> {
        let r = self
            .soap_call(Service::AgentApi, operation, safety, &|w| {
                w.leaf("Address", address).optional("OrgName", organization);
            })
            .await?;
        boolean(operation, &r, "Result")
    }

    /// `IsDNC`: with an organization, its list; without, the common list.
    pub async fn is_dnc(
        &self,
        address: &str,
        organization: Option<&str>,
    ) -> Result<bool, PomError> {
        self.dnc_call("IsDNC", Safety::Safe, address, organization)
            .await
    }

    /// `AddToDNCList` (global POM users only: -21 otherwise; -9 when already listed).
    pub async fn add_to_dnc_list(
        &self,
        address: &str,
        organization: Option<&str>,
    ) -> Result<bool, PomError> {
        self.dnc_call("AddToDNCList", Safety::Unsafe, address, organization)
            .await
    }

    /// `RemoveFromDNCList` (-17 when not listed).
    pub async fn remove_from_dnc_list(
        &self,
        address: &str,
        organization: Option<&str>,
    ) -> Result<bool, PomError> {
        self.dnc_call("RemoveFromDNCList", Safety::Unsafe, address, organization)
            .await
    }

    /// `DeleteContactFromList` (-33 while the contact is being dialled).
    pub async fn delete_contact_from_list(
        &self,
        user_contact_id: &str,
        list: &str,
    ) -> Result<bool, PomError> {
        let r = self
            .soap_call(
                Service::AgentApi,
                "DeleteContactFromList",
                Safety::Unsafe,
                &|w| {
                    w.leaf("ContactID", user_contact_id)
                        .leaf("ContactListName", list);
                },
            )
            .await?;
        boolean("DeleteContactFromList", &r, "Result")
    }

    /// `GetAttributesList`: the attribute catalogue (optionally as used by one list).
    pub async fn get_attributes_list(
        &self,
        list: Option<&str>,
    ) -> Result<Vec<Attribute>, PomError> {
        let r = self
            .soap_call(Service::AgentApi, "GetAttributesList", Safety::Safe, &|w| {
                w.optional("ContactListName", list);
            })
            .await?;
        Ok(r.children_named("attributes")
            .map(|a| Attribute {
                name: a.text_of("Name").unwrap_or_default().to_string(),
                value: a.text_of("Value").unwrap_or_default().to_string(),
                kind: a.text_of("Type").map(str::to_string),
                display_name: a.text_of("DisplayName").map(str::to_string),
            })
            .collect())
    }

    /// `GetAllCompletionCodesForCampaign` of the campaign that runs `job_id`.
    pub async fn get_all_completion_codes_for_campaign(
        &self,
        job_id: i64,
    ) -> Result<Vec<String>, PomError> {
        let id = job_id.to_string();
        let r = self
            .soap_call(
                Service::AgentApi,
                "GetAllCompletionCodesForCampaign",
                Safety::Safe,
                &|w| {
                    w.leaf("JobID", &id);
                },
            )
            .await?;
        Ok(texts(&r, "CompletionCodes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_read_by_element_name_in_either_order() {
        for message_first in [true, false] {
            let body = xml::fault(
                AGENT_API_NS,
                "AddToDNCList",
                -9,
                "Address already there in DNC list.",
                message_first,
            );
            let error = soap_outcome(StatusCode::INTERNAL_SERVER_ERROR, body).unwrap_err();
            assert_eq!(error.fault_code(), Some(-9));
            assert_eq!(
                error.user_message(),
                "This address is already on the DNC list."
            );
        }
    }

    #[test]
    fn a_non_soap_error_page_is_a_status_error() {
        let error =
            soap_outcome(StatusCode::BAD_GATEWAY, "<html>proxy error</html>".into()).unwrap_err();
        assert!(matches!(error, PomError::Status { status: 502, .. }));
        assert!(error.is_transient());
    }
}
