//! Changing a registered webhook: disable or enable it, rotate its signing secret, send it a
//! test event, remove it. Each locks the webhook's row and is audited with its URL.

use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::{audit_webhook, parse_id, SIGNING_PREFIX};
use crate::api::clients::Author;
use crate::api::secrets::fresh;
use crate::error::AppError;
use crate::model::{AuditAction, IssuedWebhookSecret};

async fn audit_url(
    tx: &mut sqlx::PgConnection,
    author: &Author<'_>,
    action: AuditAction,
    webhook_id: Uuid,
    url: &str,
) -> Result<(), AppError> {
    audit_webhook(tx, author, action, webhook_id, json!({ "url": url })).await
}

/// The webhook's URL, locked for a change.
async fn locked(tx: &mut sqlx::PgConnection, webhook_id: Uuid) -> Result<String, AppError> {
    sqlx::query_scalar!(
        "select url from api_webhook where api_webhook_id = $1 for update",
        webhook_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("Webhook {webhook_id}")))
}

/// Disables (deliveries still waiting are given up) or enables a webhook.
pub async fn set_enabled(
    pool: &PgPool,
    author: Author<'_>,
    webhook_id: &str,
    enabled: bool,
) -> Result<(), AppError> {
    let webhook_id = parse_id(webhook_id)?;
    let mut tx = pool.begin().await?;
    let url = locked(&mut tx, webhook_id).await?;
    sqlx::query!(
        "update api_webhook
         set disabled_at = case when $2 then null else coalesce(disabled_at, now()) end
         where api_webhook_id = $1",
        webhook_id,
        enabled
    )
    .execute(&mut *tx)
    .await?;
    if !enabled {
        sqlx::query!(
            "update api_webhook_delivery set state = 'failed', claimed_until = null,
                 last_error = 'the webhook was disabled'
             where api_webhook_id = $1 and state in ('pending', 'delivering')",
            webhook_id
        )
        .execute(&mut *tx)
        .await?;
    }
    let action = if enabled {
        AuditAction::WebhookEnable
    } else {
        AuditAction::WebhookDisable
    };
    audit_url(&mut tx, &author, action, webhook_id, &url).await?;
    tx.commit().await?;
    Ok(())
}

/// A new signing secret (shown once); deliveries from now on are signed with it.
pub async fn rotate(
    pool: &PgPool,
    author: Author<'_>,
    webhook_id: &str,
) -> Result<IssuedWebhookSecret, AppError> {
    let webhook_id = parse_id(webhook_id)?;
    let secret = fresh(SIGNING_PREFIX);
    let mut tx = pool.begin().await?;
    let url = locked(&mut tx, webhook_id).await?;
    sqlx::query!(
        "update api_webhook set signing_secret = $2, secret_rotated_at = now()
         where api_webhook_id = $1",
        webhook_id,
        secret
    )
    .execute(&mut *tx)
    .await?;
    audit_url(
        &mut tx,
        &author,
        AuditAction::WebhookRotate,
        webhook_id,
        &url,
    )
    .await?;
    tx.commit().await?;
    Ok(IssuedWebhookSecret {
        webhook_id: webhook_id.to_string(),
        url,
        secret,
    })
}

/// The kind of an admin's test delivery: sent to the one webhook it names, never streamed.
pub const TEST_KIND: &str = "webhook.test";

/// Sends one test event to the webhook alone (signed and retried like any other), so that its
/// receiver can be checked before anything happens.
pub async fn send_test(
    pool: &PgPool,
    author: Author<'_>,
    webhook_id: &str,
) -> Result<(), AppError> {
    let webhook_id = parse_id(webhook_id)?;
    let mut tx = pool.begin().await?;
    let url = locked(&mut tx, webhook_id).await?;
    let target = sqlx::query!(
        r#"select w.disabled_at, o.name as "organization?" from api_webhook w
           join api_client c using (api_client_id) left join organization o using (organization_id)
           where w.api_webhook_id = $1"#,
        webhook_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if target.disabled_at.is_some() {
        return Err(AppError::validation(
            "webhook_id",
            "this webhook is disabled: enable it first",
        ));
    }
    let data = json!({
        "webhook_id": webhook_id,
        "message": "A test delivery from OCM: check its signature and answer 2xx.",
        "by": author.actor.username,
    });
    sqlx::query!(
        "insert into api_event (organization, kind, data) values ($1, $2, $3)",
        target.organization,
        TEST_KIND,
        data,
    )
    .execute(&mut *tx)
    .await?;
    audit_url(&mut tx, &author, AuditAction::WebhookTest, webhook_id, &url).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a webhook and its delivery log.
pub async fn remove(pool: &PgPool, author: Author<'_>, webhook_id: &str) -> Result<(), AppError> {
    let webhook_id = parse_id(webhook_id)?;
    let mut tx = pool.begin().await?;
    let url = locked(&mut tx, webhook_id).await?;
    sqlx::query!(
        "delete from api_webhook where api_webhook_id = $1",
        webhook_id
    )
    .execute(&mut *tx)
    .await?;
    audit_url(
        &mut tx,
        &author,
        AuditAction::WebhookRemove,
        webhook_id,
        &url,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
