//! The organization's campaign catalogue (`GET campaigns?searchBy=organizationName…`, INFERRED:
//! docs/pom.md): the id `job/start` needs, plus type, finite or infinite and contact lists.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::rest::{encode, tolerant_list};
use super::{PomClient, PomError, Safety};

/// A campaign as the catalogue lists it. Fields other than id and name are optional because
/// the answer's shape is inferred; OCM shows "—" for what POM leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CampaignInfo {
    pub campaign_id: i64,
    pub campaign_name: String,
    /// `preview`, `progressive` or `predictive`.
    #[serde(default)]
    pub campaign_type: Option<String>,
    #[serde(default)]
    pub finite: Option<bool>,
    #[serde(default)]
    pub organization_name: Option<String>,
    #[serde(default)]
    pub contact_lists: Vec<String>,
}

impl PomClient {
    /// The campaigns of `organization`.
    pub async fn campaigns(&self, organization: &str) -> Result<Vec<CampaignInfo>, PomError> {
        let url = self.rest_url(
            "campaigns",
            &format!(
                "campaigns?searchBy=organizationName&searchOperator=like&searchValue={}",
                encode(organization)
            ),
        );
        let body = self
            .send("campaigns", Safety::Safe, &|| {
                self.rest_request(Method::GET, &url)
            })
            .await?;
        tolerant_list("campaigns", &body)
    }
}
