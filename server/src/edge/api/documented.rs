//! The problem answers routes share, described once for the OpenAPI document: every
//! authenticated call lists `ReadRefusals`, every state-changing call also `ActionRefusals`
//! (`responses(…, ReadRefusals, ActionRefusals)`), so a route cannot forget one.

use std::collections::BTreeMap;

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::{Ref, RefOr, Response};
use utoipa::IntoResponses;

/// What any authenticated call may answer besides its success.
pub struct ReadRefusals;

/// What a state-changing call may answer besides [`ReadRefusals`].
pub struct ActionRefusals;

const READ: &[(u16, &str)] = &[
    (400, "Bad input: `field` names it"),
    (401, "No valid bearer token"),
    (403, "The client lacks the scope"),
    (404, "Not found, or another organization's"),
    (
        408,
        "The answer took over 60 s; an action started goes on to its end",
    ),
    (429, "Rate limited (Retry-After)"),
    (500, "A fault inside OCM (the detail names its reference)"),
    (502, "POM could not be reached"),
    (503, "OCM's database is unavailable (Retry-After)"),
];

const ACTION: &[(u16, &str)] = &[
    (
        409,
        "The state does not allow it, POM refused (`pom_fault`), or the first call with this \
           Idempotency-Key is still running or did not finish",
    ),
    (413, "The body is larger than the API's limit"),
    (415, "The body is not in the content type the route takes"),
    (422, "This Idempotency-Key was used for a different request"),
];

/// Problem answers for `rows` (status, description).
fn problems(rows: &[(u16, &str)]) -> BTreeMap<String, RefOr<Response>> {
    rows.iter()
        .map(|(status, description)| {
            let content = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build();
            let response = ResponseBuilder::new()
                .description(*description)
                .content("application/problem+json", content)
                .build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
}

impl IntoResponses for ReadRefusals {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problems(READ)
    }
}

impl IntoResponses for ActionRefusals {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        problems(ACTION)
    }
}
