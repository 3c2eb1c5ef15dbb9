//! Completion-code rules: what a rule does when an attempt closes with its code, the admins'
//! form, the rules as listed, and the applications report's filters and rows.

use serde::{Deserialize, Serialize};

use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

stored_text! {
    /// What a rule does to the attempt's contact.
    RuleAction {
        SetAttribute = "set_attribute" : "Set a contact attribute",
        MarkUncallable = "mark_uncallable" : "Mark the contact uncallable",
        AddDnc = "add_dnc" : "Add the number to the DNC list",
    }
}

stored_text! {
    /// Where one application stands.
    ApplicationState {
        Pending = "pending" : "Waiting",
        Applied = "applied" : "Applied",
        Failed = "failed" : "Failed",
    }
}

/// The new-rule form as typed. `value_kind` is `fixed` (`fixed_value`) or `days_after` (a date
/// `days_after` days after the call).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewCompletionRule {
    pub organization: String,
    pub campaign: String,
    pub completion_code: String,
    pub action: String,
    pub attribute: String,
    pub value_kind: String,
    pub fixed_value: String,
    pub days_after: String,
}

/// One rule as listed, with how its applications stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionRuleRow {
    pub rule_id: i64,
    pub organization: String,
    pub campaign: String,
    pub completion_code: String,
    /// What it does, in words (`NEXT_ACTION = "legal"`, `NEXT_ACTION_DATE = the call's day + 30 days`).
    pub effect: String,
    pub created_by: String,
    /// RFC 3339.
    pub created_at: String,
    pub disabled_at: Option<String>,
    pub disabled_by: Option<String>,
    pub pending: i64,
    pub applied: i64,
    pub failed: i64,
}

/// A campaign a rule may name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCampaign {
    pub organization: String,
    pub campaign: String,
    /// The codes its attempts closed with in the call data (`report_job_code`).
    pub codes: Vec<String>,
}

/// The admins' page: the rules and the choices the form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionRulesView {
    pub rules: Vec<CompletionRuleRow>,
    pub campaigns: Vec<RuleCampaign>,
    /// POM's custom attributes (predefined ones are not set by rules).
    pub attributes: Vec<String>,
    /// Set when POM could not be asked for campaigns or attributes: why.
    pub pom_problem: Option<String>,
}

/// Filters of the applications report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleApplicationFilters {
    #[serde(deserialize_with = "empty_as_none")]
    pub from: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub to: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub campaign: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub rule: Option<i64>,
    #[serde(deserialize_with = "empty_as_none")]
    pub state: Option<ApplicationState>,
    #[serde(deserialize_with = "empty_as_none")]
    pub list: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub contact: Option<String>,
}

impl UrlQuery for RuleApplicationFilters {}

/// One rule applied (or being applied) to one attempt's contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleApplicationRow {
    pub application_id: i64,
    /// RFC 3339: when the attempt ended.
    pub attempt_ended_at: String,
    pub organization: String,
    pub campaign: String,
    pub completion_code: String,
    pub rule_id: i64,
    pub effect: String,
    pub list: String,
    pub contact: String,
    pub state: ApplicationState,
    pub tries: i32,
    /// The attribute's value before the rule set it, when read.
    pub previous_value: Option<String>,
    pub outcome: Option<String>,
    pub finished_at: Option<String>,
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

impl ReportRow for RuleApplicationRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::new("attempt_ended_at_utc", "Call ended (UTC)", |r| {
                    r.attempt_ended_at.clone()
                }),
                Column::new("organization", "Organization", |r| r.organization.clone()),
                Column::new("campaign", "Campaign", |r| r.campaign.clone()),
                Column::new("completion_code", "Code", |r| r.completion_code.clone()),
                Column::new("effect", "Action", |r| r.effect.clone()),
                Column::new("list", "List", |r| r.list.clone()),
                Column::new("contact", "Contact", |r| r.contact.clone()),
                Column::<Self>::new("state", "State", |r| r.state.as_str().to_string())
                    .for_people_as(|r| r.state.label().to_string()),
                Column::new("tries", "Tries", |r| r.tries.to_string()),
                Column::new("previous_value", "Value before", |r| {
                    text(&r.previous_value)
                }),
                Column::new("outcome", "POM's answer", |r| text(&r.outcome)),
                Column::new("finished_at_utc", "Finished (UTC)", |r| {
                    text(&r.finished_at)
                }),
                Column::new("rule_id", "Rule id", |r| r.rule_id.to_string()),
                Column::new("application_id", "Application", |r| {
                    r.application_id.to_string()
                }),
            ]
        }
    }
}
