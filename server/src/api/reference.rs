//! `/api/docs`: the API reference for people, rendered on the server from the same OpenAPI
//! document clients download (nothing fetched by the browser but OCM's own stylesheet), with
//! an entry per problem code that each problem's `type` links to.

use std::fmt::Write as _;

use axum::response::Html;
use serde_json::Value;

use super::document;

/// The stable problem codes and what they mean (the `docs/api.md` table, for clients).
const PROBLEMS: &[(&str, u16, &str)] = &[
    ("unauthorized", 401, "No bearer token, or one that is unknown, expired, or of a disabled or rotated client."),
    ("insufficient_scope", 403, "The client lacks the scope the call needs."),
    ("forbidden", 403, "OCM's rules do not allow this caller to do this."),
    ("not_found", 404, "Nothing with that id is visible to this client (another organization's objects are not found)."),
    ("organization_not_found", 404, "The organization named is not this client's, or OCM knows none by that name."),
    ("campaign_not_found", 404, "The organization has no campaign by that name."),
    ("list_not_found", 404, "The organization has no contact list with that id (or name, where the call takes a name)."),
    ("dnc_request_not_found", 404, "The organization has no DNC request with that id."),
    ("report_not_found", 404, "No report by that name: see the `reports` routes for the list."),
    ("team_not_found", 404, "The client's organization has no team with that id."),
    ("user_not_found", 404, "The client's organization has no user with that id."),
    ("emergency_mode_not_found", 404, "Emergency mode is not on for that organization (or for every organization)."),
    ("route_not_found", 404, "No such route."),
    ("method_not_allowed", 405, "The route does not take that method."),
    ("invalid_parameter", 400, "A field, header or query parameter is missing, malformed, of the wrong type or unknown; `field` names it."),
    ("invalid_request", 400, "The request could not be read (sent with the status that refused it)."),
    ("campaign_already_running", 409, "The campaign already has a queued, running, paused or stopping job."),
    ("campaign_not_running", 409, "The campaign has no job to pause, resume or stop."),
    ("pom_refused", 409, "POM refused; `pom_fault` is its return code when POM gave one."),
    ("emergency_mode", 409, "Emergency mode is on: starts, resumes and schedules are refused until it is lifted. Do not retry until then."),
    ("idempotency_in_progress", 409, "The first call with this Idempotency-Key is still running."),
    ("idempotency_key_reused", 422, "This Idempotency-Key was used with a different request."),
    ("body_too_large", 413, "The body is larger than the route takes."),
    ("unsupported_media_type", 415, "The body is not in the format the route takes."),
    ("rate_limited", 429, "Too many calls from this client; wait the Retry-After seconds."),
    ("internal", 500, "A fault inside OCM; quote the reference its detail names."),
    ("request_timeout", 408, "The call took longer than 60 s to answer; an action it started goes on to its end."),
    ("idempotency_outcome_unknown", 409, "The first call with this Idempotency-Key did not finish (OCM was interrupted): read the state, then use a new key."),
    ("pom_unavailable", 502, "POM could not be reached or failed. When the detail says POM may have acted anyway (no answer to a change), read the state before retrying."),
    ("not_supported_by_pom", 501, "POM offers no interface for this (creating a campaign, changing its dialling mode); do it in POM."),
    ("busy", 503, "OCM is busy; wait the Retry-After seconds."),
    ("database_unavailable", 503, "OCM cannot reach its database (stopped or restarting); wait the Retry-After seconds. A change under way when it went may be partly done: read the state before retrying it."),
];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The name of a `$ref`'d schema, or the schema's type.
fn schema_name(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference
            .rsplit('/')
            .next()
            .unwrap_or(reference)
            .to_string();
    }
    match schema.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "value".into(),
    }
}

fn operation(out: &mut String, method: &str, path: &str, op: &Value) {
    let id = format!("{method}-{path}").replace(['/', '{', '}'], "-");
    let scopes: Vec<String> = op["security"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|scheme| scheme.iter())
        .map(
            |(name, scopes)| match scopes.as_array().filter(|s| !s.is_empty()) {
                Some(list) => list
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
                None => name.replace('_', " "),
            },
        )
        .collect();
    let _ = write!(
        out,
        "<section class=\"api-op\" id=\"{id}\"><h3><code>{} /api/v1{}</code></h3><p>{}</p>",
        method.to_uppercase(),
        escape(path),
        escape(text(op, "description")),
    );
    if !scopes.is_empty() {
        let _ = write!(
            out,
            "<p>Needs: <strong>{}</strong></p>",
            escape(&scopes.join("; "))
        );
    }
    if let Some(parameters) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
        out.push_str("<table class=\"data\"><caption>Parameters</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">In</th><th scope=\"col\">Type</th><th scope=\"col\">Required</th><th scope=\"col\">Description</th></tr></thead><tbody>");
        for p in parameters {
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(text(p, "name")),
                escape(text(p, "in")),
                escape(&schema_name(&p["schema"])),
                if p["required"].as_bool() == Some(true) {
                    "yes"
                } else {
                    "no"
                },
                escape(text(p, "description")),
            );
        }
        out.push_str("</tbody></table>");
    }
    if let Some(content) = op["requestBody"]["content"].as_object() {
        for (kind, body) in content {
            let _ = write!(
                out,
                "<p>Body: <code>{}</code> ({})</p>",
                escape(kind),
                escape(&schema_name(&body["schema"]))
            );
        }
    }
    if let Some(responses) = op["responses"].as_object() {
        out.push_str("<p>Answers: ");
        let answers: Vec<String> = responses
            .iter()
            .map(|(status, response)| {
                let schema = response["content"]
                    .as_object()
                    .and_then(|c| c.values().next())
                    .map(|c| format!(" {}", schema_name(&c["schema"])))
                    .unwrap_or_default();
                format!("<code>{}</code>{}", escape(status), escape(&schema))
            })
            .collect();
        out.push_str(&answers.join(", "));
        out.push_str("</p>");
    }
    out.push_str("</section>");
}

fn schemas(out: &mut String, document: &Value) {
    let Some(schemas) = document["components"]["schemas"].as_object() else {
        return;
    };
    out.push_str("<h2 id=\"schemas\">Schemas</h2>");
    for (name, schema) in schemas {
        let _ = write!(
            out,
            "<section class=\"api-schema\" id=\"schema-{0}\"><h3>{0}</h3>",
            escape(name)
        );
        if let Some(values) = schema["enum"].as_array() {
            let values: Vec<String> = values
                .iter()
                .map(|v| format!("<code>{}</code>", escape(&v.to_string())))
                .collect();
            let _ = write!(out, "<p>One of {}</p>", values.join(", "));
        }
        if let Some(properties) = schema["properties"].as_object() {
            out.push_str("<table class=\"data\"><thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Type</th><th scope=\"col\">Description</th></tr></thead><tbody>");
            for (field, property) in properties {
                let _ = write!(
                    out,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                    escape(field),
                    escape(&schema_name(property)),
                    escape(text(property, "description"))
                );
            }
            out.push_str("</tbody></table>");
        }
        out.push_str("</section>");
    }
}

/// The reference page.
pub async fn page() -> Html<String> {
    let document = serde_json::to_value(&*document()).unwrap_or_default();
    let mut out = String::with_capacity(32 * 1024);
    out.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>API reference · OCM</title><link rel=\"stylesheet\" href=\"/pkg/ocm.css\"></head><body><main class=\"api-reference\">");
    let _ = write!(
        out,
        "<h1>{}</h1><p>{}</p><p>Version {} · <a href=\"/api/v1/openapi.json\">OpenAPI 3.1 document</a> · OpenAPI {}</p>",
        escape(text(&document["info"], "title")),
        escape(text(&document["info"], "description")),
        escape(text(&document["info"], "version")),
        escape(text(&document, "openapi")),
    );
    out.push_str("<nav aria-label=\"Routes\"><h2>Routes</h2><ul>");
    let paths = document["paths"].as_object().cloned().unwrap_or_default();
    for (path, item) in &paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            let id = format!("{method}-{path}").replace(['/', '{', '}'], "-");
            let _ = write!(
                out,
                "<li><a href=\"#{id}\"><code>{} {}</code></a> {}</li>",
                method.to_uppercase(),
                escape(path),
                escape(text(op, "summary"))
            );
        }
    }
    out.push_str("</ul></nav><h2>Operations</h2>");
    for (path, item) in &paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            operation(&mut out, method, path, op);
        }
    }
    out.push_str("<h2 id=\"problems\">Problem codes</h2><table class=\"data\"><thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Status</th><th scope=\"col\">Meaning</th></tr></thead><tbody>");
    for (code, status, meaning) in PROBLEMS {
        let _ = write!(
            out,
            "<tr id=\"problem-{code}\"><td><code>{code}</code></td><td>{status}</td><td>{}</td></tr>",
            escape(meaning)
        );
    }
    out.push_str("</tbody></table>");
    schemas(&mut out, &document);
    out.push_str("</main></body></html>");
    Html(out)
}
