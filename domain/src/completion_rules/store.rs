//! Admins' side of the rules: the page (rules with how their applications stand, the campaigns,
//! codes and attributes to choose from), a new rule checked against POM, disabling and enabling;
//! each change audited in its transaction.

use std::collections::BTreeMap;

use serde_json::json;

use super::checks::{check, effect, PREDEFINED};
use super::ROLES;
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::campaigns::{campaign_in, organization_for};
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::{
    AuditAction, CompletionRuleRow, CompletionRulesView, NewCompletionRule, RuleAction,
    RuleCampaign,
};
use crate::organizations;
use crate::state::AppState;

/// The rules of the organizations the admin sees, with the form's choices.
pub async fn view(ctx: &Ctx) -> Result<CompletionRulesView, AppError> {
    ctx.require(AuditAction::CompletionRuleList, &ROLES).await?;
    let organizations = organizations::for_user(&ctx.state.pool, &ctx.user).await?;
    let rules = sqlx::query!(
        r#"select r.completion_rule_id, r.organization, r.campaign, r.completion_code, r.action,
                  r.attribute, r.fixed_value, r.days_after, r.created_by_name, r.created_at,
                  r.disabled_at, r.disabled_by_name,
                  count(a.*) filter (where a.state = 'pending') as "pending!",
                  count(a.*) filter (where a.state = 'applied') as "applied!",
                  count(a.*) filter (where a.state = 'failed') as "failed!"
             from completion_rule r
             left join completion_rule_application a using (completion_rule_id)
            where r.organization = any($1)
            group by r.completion_rule_id
            order by r.disabled_at is not null, r.organization, r.campaign, r.completion_code,
                     r.completion_rule_id"#,
        &organizations,
    )
    .fetch_all(&ctx.state.pool)
    .await?
    .into_iter()
    .map(|r| {
        let action = RuleAction::from(r.action);
        CompletionRuleRow {
            rule_id: r.completion_rule_id,
            effect: effect(
                &action,
                r.attribute.as_deref(),
                r.fixed_value.as_deref(),
                r.days_after,
            ),
            organization: r.organization,
            campaign: r.campaign,
            completion_code: r.completion_code,
            created_by: r.created_by_name,
            created_at: rfc3339(r.created_at),
            disabled_at: r.disabled_at.map(rfc3339),
            disabled_by: r.disabled_by_name,
            pending: r.pending,
            applied: r.applied,
            failed: r.failed,
        }
    })
    .collect();
    let (campaigns, attributes, pom_problem) = match choices(&ctx.state, &organizations).await {
        Ok((campaigns, attributes)) => (campaigns, attributes, None),
        Err(error) => (Vec::new(), Vec::new(), Some(error.to_string())),
    };
    Ok(CompletionRulesView {
        rules,
        campaigns,
        attributes,
        pom_problem,
    })
}

/// POM's campaigns with the codes their attempts closed with, and POM's custom attributes.
async fn choices(
    state: &AppState,
    organizations: &[String],
) -> Result<(Vec<RuleCampaign>, Vec<String>), AppError> {
    let mut seen: BTreeMap<(String, String), Vec<String>> = sqlx::query!(
        r#"select j.organization, j.campaign, array_agg(distinct c.code order by c.code) as "codes!"
             from report_job_code c join report_job j using (organization, job_id)
            where j.organization = any($1)
            group by 1, 2"#,
        organizations,
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| ((r.organization, r.campaign), r.codes))
    .collect();
    let mut campaigns = Vec::new();
    for organization in organizations {
        for campaign in state.campaigns.catalogue(organization, false).await? {
            let key = (organization.clone(), campaign.campaign_name);
            let codes = seen.remove(&key).unwrap_or_default();
            campaigns.push(RuleCampaign {
                organization: key.0,
                campaign: key.1,
                codes,
            });
        }
    }
    Ok((campaigns, custom_attributes(state).await?))
}

async fn custom_attributes(state: &AppState) -> Result<Vec<String>, AppError> {
    Ok(crate::lists::attributes(state)
        .await?
        .into_iter()
        .map(|a| a.name)
        .filter(|name| !PREDEFINED.contains(&name.as_str()))
        .collect())
}

/// Saves a new rule: the campaign must be the organization's in POM and the attribute one of
/// POM's custom attributes. Returns its id.
pub async fn add(ctx: &Ctx, form: &NewCompletionRule) -> Result<i64, AppError> {
    ctx.require(AuditAction::CompletionRuleAdd, &ROLES).await?;
    let checked = check(form)?;
    let known = organizations::for_user(&ctx.state.pool, &ctx.user).await?;
    let organization = organization_for(&ctx.user, &checked.organization)
        .ok()
        .filter(|o| known.contains(o))
        .ok_or_else(|| {
            AppError::validation(
                "campaign",
                "Choose a campaign of an organization OCM knows.",
            )
        })?;
    campaign_in(ctx, &organization, &checked.campaign).await?;
    if let Some(attribute) = &checked.attribute {
        if !custom_attributes(&ctx.state).await?.contains(attribute) {
            return Err(AppError::validation(
                "attribute",
                format!("POM has no custom attribute {attribute} (names are case-sensitive)."),
            ));
        }
    }
    let (fixed, days) = match &checked.value {
        Some(super::checks::RuleValue::Fixed(text)) => (Some(text.clone()), None),
        Some(super::checks::RuleValue::DaysAfter(days)) => (None, Some(*days)),
        None => (None, None),
    };
    let mut tx = ctx.state.pool.begin().await?;
    let id = sqlx::query_scalar!(
        "insert into completion_rule (organization, campaign, completion_code, action, attribute,
                fixed_value, days_after, created_by, created_by_name)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict do nothing returning completion_rule_id",
        organization,
        checked.campaign,
        checked.completion_code,
        checked.action.as_str(),
        checked.attribute,
        fixed,
        days,
        ctx.user.stored_id(),
        ctx.user.username,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::validation(
            "completion_code",
            "An enabled rule already does this for this campaign and code.",
        )
    })?;
    let words = effect(
        &checked.action,
        checked.attribute.as_deref(),
        fixed.as_deref(),
        days,
    );
    let event = AuditEvent::new(AuditAction::CompletionRuleAdd, Outcome::Success)
        .with_organization(organization.clone())
        .with_target(format!("completion rule #{id}"))
        .with_parameters(json!({
            "campaign": checked.campaign, "completion_code": checked.completion_code,
            "action": checked.action.as_str(), "effect": words,
        }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Disables or enables a rule. Enabling refuses a rule another enabled one repeats, and acts on
/// calls that end from then on. Disabled, its waiting applications are not carried out.
pub async fn set_enabled(ctx: &Ctx, rule_id: i64, enabled: bool) -> Result<(), AppError> {
    let action = if enabled {
        AuditAction::CompletionRuleEnable
    } else {
        AuditAction::CompletionRuleDisable
    };
    ctx.require(action, &ROLES).await?;
    let organizations = organizations::for_user(&ctx.state.pool, &ctx.user).await?;
    let mut tx = ctx.state.pool.begin().await?;
    let organization = sqlx::query_scalar!(
        "select organization from completion_rule
          where completion_rule_id = $1 and organization = any($2) for update",
        rule_id,
        &organizations,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("Completion rule {rule_id}")))?;
    let changed = sqlx::query!(
        "update completion_rule
            set disabled_at = case when $2 then null else now() end,
                enabled_at = case when $2 then now() else enabled_at end,
                disabled_by_name = case when $2 then null else $3 end
          where completion_rule_id = $1 and (disabled_at is null) = not $2",
        rule_id,
        enabled,
        ctx.user.username,
    )
    .execute(&mut *tx)
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db) if db.constraint() == Some("completion_rule_once") => {
            AppError::Request("An enabled rule already does this; disable that one first.".into())
        }
        _ => error.into(),
    })?
    .rows_affected();
    if changed == 0 {
        return Ok(());
    }
    let event = AuditEvent::new(action, Outcome::Success)
        .with_organization(organization)
        .with_target(format!("completion rule #{rule_id}"));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Tries a rule's failed applications again from the first try (an enabled rule's; POM refused
/// them, or OCM gave up). Returns how many.
pub async fn retry_failed(ctx: &Ctx, rule_id: i64) -> Result<u64, AppError> {
    ctx.require(AuditAction::CompletionRuleRetry, &ROLES)
        .await?;
    let organizations = organizations::for_user(&ctx.state.pool, &ctx.user).await?;
    let mut tx = ctx.state.pool.begin().await?;
    let rule = sqlx::query!(
        r#"select organization, disabled_at is not null as "disabled!" from completion_rule
            where completion_rule_id = $1 and organization = any($2)"#,
        rule_id,
        &organizations,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("Completion rule {rule_id}")))?;
    if rule.disabled {
        return Err(AppError::Request(
            "Enable the rule first: a disabled rule does nothing.".into(),
        ));
    }
    let again = sqlx::query!(
        "update completion_rule_application
            set state = 'pending', tries = 0, next_try_at = now(), claimed_until = null,
                finished_at = null, outcome = 'To be tried again, as ' || $2 || ' asked.'
          where completion_rule_id = $1 and state = 'failed'
            and user_contact_id not like 'erased:%'",
        rule_id,
        ctx.user.username,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let event = AuditEvent::new(AuditAction::CompletionRuleRetry, Outcome::Success)
        .with_organization(rule.organization)
        .with_target(format!("completion rule #{rule_id}"))
        .with_counts(json!({ "applications": again }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(again)
}
