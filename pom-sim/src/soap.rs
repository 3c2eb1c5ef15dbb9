//! The simulator's SOAP 1.1 services at `/axis2/services/VP_POMCmpMgmtService` and
//! `/axis2/services/VP_POMAgentAPIService` (`?wsdl` serves the WSDL from seed 004). Faults carry
//! `<op>FaultInfo{RetCode, FaultMsg}` in each operation's declared element order.

mod agent_api;
mod campaign_management;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::rules::{Caller, Fault};
use super::Sim;
use agent_api::agent_api;
use campaign_management::campaign_management;
use pom::client::soap::{AGENT_API_NS, CMP_MGMT_NS};
use pom::xml::{self, BodyWriter, Element};

const CMP_MGMT_WSDL: &str = include_str!("../wsdl/VP_POMCmpMgmtService.wsdl");
const AGENT_API_WSDL: &str = include_str!("../wsdl/VP_POMAgentAPIService.wsdl");

/// Operations whose FaultInfo declares FaultMsg before RetCode (WSDL; digest §2).
const MESSAGE_FIRST: [&str; 5] = [
    "SaveContact",
    "AddToDNCList",
    "RemoveFromDNCList",
    "GetContactDataFromList",
    "GetContactListNames",
];

fn xml_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Where the guide words a code differently for one operation (seed 004).
fn operation_text(operation: &str, code: i32) -> Option<&'static str> {
    match (operation, code) {
        ("GetCampaignJobs", -53) => Some("Invalid job state."),
        ("ScheduleDataSource" | "ScheduleRecurringDataSource", -12) => {
            Some("Data source not found.")
        }
        _ => None,
    }
}

fn fault_response(namespace: &str, operation: &str, mut fault: Fault) -> Response {
    if let Some(text) = operation_text(operation, fault.code) {
        fault.message = text.to_string();
    }
    let detail = Some((operation, fault.code, MESSAGE_FIRST.contains(&operation)));
    let body = xml::fault(namespace, "soapenv:Server", detail, &fault.message);
    xml_response(StatusCode::INTERNAL_SERVER_ERROR, body)
}

fn client_fault(message: &str) -> Response {
    let body = xml::fault(CMP_MGMT_NS, "soapenv:Client", None, message);
    xml_response(StatusCode::INTERNAL_SERVER_ERROR, body)
}

async fn wsdl(
    Path(service): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    if !query.contains_key("wsdl") {
        return (StatusCode::NOT_FOUND, "append ?wsdl").into_response();
    }
    let text = match service.as_str() {
        "VP_POMCmpMgmtService" => CMP_MGMT_WSDL,
        "VP_POMAgentAPIService" => AGENT_API_WSDL,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    xml_response(StatusCode::OK, text.to_string())
}

fn strings(request: &Element, name: &str) -> Vec<String> {
    request
        .children_named(name)
        .map(|e| e.text.trim().to_string())
        .collect()
}

/// A required request element; its absence is the caller's mistake (a `soapenv:Client` fault).
fn required<'a>(request: &'a Element, name: &str) -> Result<&'a str, Fault> {
    request.text_of(name).ok_or_else(|| Fault {
        code: 0,
        message: format!("{name} is required."),
    })
}

fn job_id(request: &Element) -> Result<i64, Fault> {
    required(request, "JobID")?.parse().map_err(|_| Fault {
        code: 0,
        message: "JobID must be an integer.".into(),
    })
}

type Body = Box<dyn FnOnce(&mut BodyWriter)>;

/// One service's dispatcher: operation name and request element to the response body.
type Handler = fn(&Sim, &Caller, &str, &Element) -> Result<Body, Fault>;

fn boolean(name: &'static str, value: bool) -> Body {
    Box::new(move |w| {
        w.leaf(name, if value { "true" } else { "false" });
    })
}

async fn call(
    State(sim): State<Arc<Sim>>,
    Path(service): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (namespace, handler): (&str, Handler) = match service.as_str() {
        "VP_POMCmpMgmtService" => (CMP_MGMT_NS, campaign_management),
        "VP_POMAgentAPIService" => (AGENT_API_NS, agent_api),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let caller = match sim.authenticate(&headers) {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let text = String::from_utf8_lossy(&body);
    let Ok(root) = xml::parse(&text) else {
        return client_fault("The request is not well-formed XML.");
    };
    let Some(request) = root.find("Body").and_then(|b| b.children.first()) else {
        return client_fault("The request has no SOAP body.");
    };
    let operation = request.name.clone();
    if let Err(response) = sim.intercept(&operation).await {
        return response;
    }
    match handler(&sim, &caller, &operation, request) {
        Ok(write) => xml_response(
            StatusCode::OK,
            xml::envelope(namespace, &format!("{operation}Response"), write),
        ),
        Err(fault) if fault.code == 0 => client_fault(&fault.message),
        Err(fault) => fault_response(namespace, &operation, fault),
    }
}

/// SOAP routes.
pub(super) fn routes() -> Router<Arc<Sim>> {
    Router::new().route("/axis2/services/{service}", get(wsdl).post(call))
}
