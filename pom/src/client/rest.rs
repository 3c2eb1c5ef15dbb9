//! REST operations under `VP_POM_Service/v<N>` (seed 001 and reference/pom-rest-api.md): their
//! URLs, the DNC list, run-once and campaign job operations; contact-list operations are in
//! `contacts`, and reading POM's answers tolerantly in `answers`.

mod answers;
mod contacts;

use reqwest::Method;
use serde_json::{Map, Value};

use super::{PomClient, PomError, Safety};
use answers::{decode, refusal, rejected_or_refusal};

pub use super::records::*;
pub(super) use answers::tolerant_list;

/// `value` percent-encoded for a URL's query or path.
pub(super) fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl PomClient {
    /// The URL of `path` for `operation`, with the operation's API version when one is set.
    pub(super) fn rest_url(&self, operation: &str, path: &str) -> String {
        let base = self.config.rest_base.trim_end_matches('/');
        let base = match (
            self.config.endpoint_versions.get(operation),
            base.rsplit_once('/'),
        ) {
            (Some(version), Some((prefix, last)))
                if last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                format!("{prefix}/{version}")
            }
            _ => base.to_string(),
        };
        format!("{base}/{path}")
    }

    /// Every DNC list visible to OCM's POM user.
    pub async fn dnc_lists(&self) -> Result<Vec<DncList>, PomError> {
        let url = self.rest_url("dnclists", "dnclists");
        let body = self
            .send("dnclists", Safety::Safe, &|| {
                self.rest_request(Method::GET, &url)
            })
            .await?;
        tolerant_list("dnclists", &body)
    }

    /// Adds addresses (phone numbers or e-mail addresses) to a DNC list; returns the rejected ones.
    pub async fn add_dnc_addresses(
        &self,
        dnc_list_id: i64,
        addresses: &[String],
    ) -> Result<Rejected, PomError> {
        let url = self.rest_url(
            "dnclists.addresses",
            &format!("dnclists/{dnc_list_id}/addresses"),
        );
        let body = self
            .send("dnclists.addresses", Safety::Unsafe, &|| {
                self.rest_request(Method::POST, &url).json(addresses)
            })
            .await?;
        let value: Map<String, Value> = decode("dnclists.addresses", &body)?;
        rejected_or_refusal(&value)
    }

    /// Schedules a data source to run once at `start_time` (`yyyy/MM/dd HH:mm:ss`) in `time_zone`.
    /// Returns the import job id when POM reports one.
    pub async fn schedule_run_once(
        &self,
        data_source: &str,
        start_time: &str,
        time_zone: &str,
    ) -> Result<Option<i64>, PomError> {
        let url = self.rest_url("datasources.runonce", "datasources/schedule/runonce");
        let payload = serde_json::json!({ "DataSourceName": data_source, "StartTime": start_time, "TimeZone": time_zone });
        let body = self
            .send("datasources.runonce", Safety::Unsafe, &|| {
                self.rest_request(Method::POST, &url).json(&payload)
            })
            .await?;
        let value: Map<String, Value> = decode("datasources.runonce", &body)?;
        Ok(value.get("importJobId").and_then(Value::as_i64))
    }

    /// Starts a job of the campaign; POM answers whether it queued it.
    pub async fn start_job(&self, campaign_id: i64) -> Result<JobStart, PomError> {
        let url = self.rest_url(
            "campaigns.job.start",
            &format!("campaigns/{campaign_id}/job/start"),
        );
        let body = self
            .send("campaigns.job.start", Safety::Unsafe, &|| {
                self.rest_request(Method::POST, &url)
            })
            .await?;
        decode("campaigns.job.start", &body)
    }

    /// Every campaign job with its state (`campaigns/joblist/`).
    pub async fn job_list(&self) -> Result<Vec<JobSummary>, PomError> {
        let url = self.rest_url("campaigns.joblist", "campaigns/joblist/");
        let body = self
            .send("campaigns.joblist", Safety::Safe, &|| {
                self.rest_request(Method::GET, &url)
            })
            .await?;
        tolerant_list("campaigns.joblist", &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read_bare_or_wrapped() {
        let bare = r#"[{"DNCListId":1,"DNCListName":"Sales"}]"#;
        let wrapped = r#"{"dncLists":[{"DNCListId":1,"DNCListName":"Sales"}]}"#;
        assert_eq!(tolerant_list::<DncList>("x", bare).unwrap().len(), 1);
        assert_eq!(
            tolerant_list::<DncList>("x", wrapped).unwrap()[0].name,
            "Sales"
        );
        assert!(matches!(
            tolerant_list::<DncList>("x", "<html>"),
            Err(PomError::Decode { .. })
        ));
    }

    #[test]
    fn endpoint_versions_replace_the_base_version() {
        let client = PomClient::new(super::super::PomConfig::for_origin(
            "https://epm.example",
            "u",
            "p",
        ))
        .unwrap();
        assert_eq!(
            client.rest_url("contacts.list", "x"),
            "https://epm.example/VP_POM_Service/v2/x"
        );
        assert_eq!(
            client.rest_url("contacts.add", "x"),
            "https://epm.example/VP_POM_Service/v4/x"
        );
        assert_eq!(
            client.rest_url("dnclists", "dnclists"),
            "https://epm.example/VP_POM_Service/v1/dnclists"
        );
    }

    #[test]
    fn user_contact_ids_are_read_whatever_their_type_or_casing() {
        let contact: Map<String, Value> = serde_json::from_str(r#"{"userContactID": 42}"#).unwrap();
        assert_eq!(user_contact_id(&contact).as_deref(), Some("42"));
    }
}
