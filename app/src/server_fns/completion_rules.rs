//! Completion-code rules: the admins' page (rules and the form's choices), a new rule, disabling
//! and enabling one, and the applications report (admins and supervisors).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    CompletionRulesView, NewCompletionRule, RuleApplicationFilters, RuleApplicationRow,
};
use types::report::{Page, ReportRequest};

/// The rules with how their applications stand, and the form's choices.
#[server(endpoint = "completion-rules/view")]
pub async fn get_completion_rules() -> Result<CompletionRulesView, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::completion_rules::{store, ROLES};
    let ctx = guard::require(AuditAction::CompletionRuleList, &ROLES).await?;
    store::view(&ctx).await
}

/// Saves a new rule; answers its id.
#[server(endpoint = "completion-rules/add", input = server_fn::codec::Json)]
pub async fn add_completion_rule(form: NewCompletionRule) -> Result<i64, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::completion_rules::{store, ROLES};
    let ctx = guard::require(AuditAction::CompletionRuleAdd, &ROLES).await?;
    store::add(&ctx, &form).await
}

/// Disables or enables a rule.
#[server(endpoint = "completion-rules/enabled")]
pub async fn set_completion_rule_enabled(rule_id: i64, enabled: bool) -> Result<(), AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::completion_rules::{store, ROLES};
    let action = if enabled {
        AuditAction::CompletionRuleEnable
    } else {
        AuditAction::CompletionRuleDisable
    };
    let ctx = guard::require(action, &ROLES).await?;
    store::set_enabled(&ctx, rule_id, enabled).await
}

/// A page of applications, newest first.
#[server(endpoint = "completion-rules/applications", input = server_fn::codec::Json)]
pub async fn completion_rule_applications(
    request: ReportRequest<RuleApplicationFilters>,
) -> Result<Page<RuleApplicationRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::completion_rules::applications::Applications;
    use domain::report::{page, Report};
    let ctx = guard::require(AuditAction::CompletionRuleApplications, Applications::ROLES).await?;
    page::<Applications>(&ctx, &request).await
}

/// Tries a rule's failed applications again; answers how many.
#[server(endpoint = "completion-rules/retry")]
pub async fn retry_completion_rule(rule_id: i64) -> Result<u64, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::completion_rules::{store, ROLES};
    let ctx = guard::require(AuditAction::CompletionRuleRetry, &ROLES).await?;
    store::retry_failed(&ctx, rule_id).await
}
