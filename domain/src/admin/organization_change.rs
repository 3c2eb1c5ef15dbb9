//! Organizations from the browser: a new one must be an organization POM knows (checked against
//! POM: it has contact lists or campaigns under exactly that name), and one can be deactivated once
//! none of its teams is active.

use serde_json::json;

use super::{audit_change, check_name};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::AuditAction;

/// Whether POM shows anything (contact lists or campaigns) under exactly `name`. POM's web
/// services list no organizations (they live in Experience Portal), so this is the check OCM can
/// make; an organization with nothing in POM yet cannot be told from a misspelt one.
async fn known_to_pom(ctx: &Ctx, name: &str) -> Result<bool, AppError> {
    let pom = ctx.state.pom()?;
    let lists = pom.contact_lists(name).await?;
    if lists
        .iter()
        .any(|l| l.organization_name.as_deref() == Some(name))
    {
        return Ok(true);
    }
    let campaigns = pom.campaigns(name).await?;
    Ok(campaigns
        .iter()
        .any(|c| c.organization_name.as_deref() == Some(name)))
}

/// Adds an organization after POM confirmed it.
pub async fn create(ctx: &Ctx, name: &str) -> Result<i64, AppError> {
    let name = check_name("name", name)?;
    if !known_to_pom(ctx, &name).await? {
        return Err(AppError::validation(
            "name",
            format!(
                "POM has no contact list or campaign of an organization called “{name}”: \
                 check the name as Experience Portal spells it (capitals count)"
            ),
        ));
    }
    let mut tx = ctx.state.pool.begin().await?;
    let organization_id = sqlx::query_scalar!(
        "insert into organization (name) values ($1)
         on conflict (name) do nothing returning organization_id",
        name
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::validation("name", format!("“{name}” exists already")))?;
    audit_change(
        &mut tx,
        ctx,
        AuditAction::OrganizationAdd,
        &name,
        &name,
        json!(null),
        json!({ "name": name, "active": true }),
    )
    .await?;
    tx.commit().await?;
    Ok(organization_id)
}

/// Deactivates (refused while a team of it is active) or activates an organization.
pub async fn set_active(ctx: &Ctx, organization_id: i64, active: bool) -> Result<(), AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    let row = sqlx::query!(
        r#"select name, deactivated_at is null as "active!" from organization
            where organization_id = $1 for update"#,
        organization_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("Organization {organization_id}")))?;
    if row.active == active {
        return Ok(());
    }
    if !active {
        let teams = sqlx::query_scalar!(
            r#"select count(*) as "count!" from team
                where organization_id = $1 and deactivated_at is null"#,
            organization_id
        )
        .fetch_one(&mut *tx)
        .await?;
        if teams > 0 {
            return Err(AppError::validation(
                "active",
                format!(
                    "“{}” still has {}: deactivate or move them first",
                    row.name,
                    types::words::plural(teams, "active team", "active teams")
                ),
            ));
        }
    }
    sqlx::query!(
        "update organization set deactivated_at = case when $2 then null else now() end
          where organization_id = $1",
        organization_id,
        active
    )
    .execute(&mut *tx)
    .await?;
    let action = if active {
        AuditAction::OrganizationActivate
    } else {
        AuditAction::OrganizationDeactivate
    };
    audit_change(
        &mut tx,
        ctx,
        action,
        &row.name,
        &row.name,
        json!({ "active": row.active }),
        json!({ "active": active }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
