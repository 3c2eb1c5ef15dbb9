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
            // The FaultInfo element is the detail child that holds a RetCode, wherever it stands.
            let info = fault
                .child("detail")
                .and_then(|d| d.children.iter().find(|c| c.child("RetCode").is_some()));
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

pub(super) fn decode_error(operation: &str, detail: impl Into<String>) -> PomError {
    PomError::Decode {
        what: operation.into(),
        excerpt: detail.into(),
    }
}

pub(super) fn number(element: &Element, name: &str) -> i64 {
    element
        .text_of(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

pub(super) fn boolean(operation: &str, response: &Element, name: &str) -> Result<bool, PomError> {
    match response.text_of(name) {
        Some("true") | Some("1") => Ok(true),
        Some("false") | Some("0") => Ok(false),
        other => Err(decode_error(operation, format!("{name} = {other:?}"))),
    }
}

pub(super) fn texts(response: &Element, name: &str) -> Vec<String> {
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
        body: &(dyn Fn(&mut BodyWriter) + Sync),
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_read_by_element_name_in_either_order() {
        for message_first in [true, false] {
            let body = xml::fault(
                AGENT_API_NS,
                "soapenv:Server",
                Some(("AddToDNCList", -9, message_first)),
                "Address already there in DNC list.",
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
