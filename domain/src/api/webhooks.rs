//! Webhooks of the API's clients (`docs/api.md`): admins register a URL per client (the signing
//! secret shown once), disable, enable, rotate the secret or remove it, and read the delivery
//! log. Events reach them through `fanout` (one delivery per event and webhook) and `deliver`
//! (signed POSTs, retried with backoff), run by `worker` on every instance.

mod deliver;
mod fanout;
mod log;
pub mod sign;
pub mod worker;

pub use log::view;

use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::clients::Author;
use super::secrets::fresh;
use crate::audit::{self, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{AuditAction, IssuedWebhookSecret, NewWebhook, EVENT_KINDS};

/// The prefix of a webhook signing secret.
pub const SIGNING_PREFIX: &str = "ocmw_";
/// Webhooks one client may have.
const PER_CLIENT: i64 = 10;

/// A URL OCM may POST to: http or https with a host, no credentials or fragment, at most 2,000
/// characters.
fn check_url(raw: &str) -> Result<String, AppError> {
    let raw = raw.trim();
    let refuse = |why: &str| AppError::validation("url", why.to_string());
    if raw.len() > 2000 {
        return Err(refuse("at most 2,000 characters"));
    }
    let url = reqwest::Url::parse(raw).map_err(|e| refuse(&format!("not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse("must start with https:// (or http://)"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refuse("names no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            "must not hold a user name or password: the signature proves who sends",
        ));
    }
    if url.fragment().is_some() {
        return Err(refuse("must not have a #fragment"));
    }
    Ok(url.to_string())
}

fn check_kinds(kinds: &[String]) -> Result<Vec<String>, AppError> {
    let mut checked: Vec<String> = Vec::new();
    for kind in kinds {
        let kind = kind.trim();
        if !EVENT_KINDS.iter().any(|(k, _, _)| *k == kind) {
            return Err(AppError::validation(
                "kinds",
                format!("{kind} is not an event kind"),
            ));
        }
        if !checked.iter().any(|k| k == kind) {
            checked.push(kind.to_string());
        }
    }
    Ok(checked)
}

pub(crate) fn parse_id(text: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text.trim()).map_err(|_| AppError::BadId {
        what: "a webhook".into(),
        text: text.to_string(),
    })
}

async fn audit_webhook(
    tx: &mut sqlx::PgConnection,
    author: &Author<'_>,
    action: AuditAction,
    webhook_id: Uuid,
    parameters: serde_json::Value,
) -> Result<(), AppError> {
    let event = AuditEvent::new(action, Outcome::Success)
        .with_target(format!("webhook {webhook_id}"))
        .with_parameters(parameters);
    audit::record(&mut *tx, author.actor, author.meta, event).await?;
    Ok(())
}

/// Registers a webhook for a client; the answer holds its signing secret, shown once.
pub async fn create(
    pool: &PgPool,
    author: Author<'_>,
    new: &NewWebhook,
) -> Result<IssuedWebhookSecret, AppError> {
    let url = check_url(&new.url)?;
    let kinds = check_kinds(&new.kinds)?;
    let client_id = Uuid::parse_str(new.client_id.trim())
        .map_err(|_| AppError::validation("client_id", "choose a client"))?;
    let mut tx = pool.begin().await?;
    let client = sqlx::query!(
        r#"select name, (select count(*) from api_webhook w where w.api_client_id = c.api_client_id)
                  as "webhooks!"
           from api_client c where api_client_id = $1 for update"#,
        client_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::validation("client_id", "no such client"))?;
    if client.webhooks >= PER_CLIENT {
        return Err(AppError::validation(
            "url",
            format!("{} has {PER_CLIENT} webhooks already", client.name),
        ));
    }
    let webhook_id = Uuid::new_v4();
    let secret = fresh(SIGNING_PREFIX);
    sqlx::query!(
        "insert into api_webhook (api_webhook_id, api_client_id, url, kinds, signing_secret,
             created_by, created_by_name)
         values ($1, $2, $3, $4, $5, $6, $7)",
        webhook_id,
        client_id,
        url,
        &kinds,
        secret,
        author.actor.user_id,
        author.actor.username.clone().unwrap_or_default(),
    )
    .execute(&mut *tx)
    .await?;
    let parameters = json!({ "client": client.name, "url": url, "kinds": kinds });
    audit_webhook(
        &mut tx,
        &author,
        AuditAction::WebhookAdd,
        webhook_id,
        parameters,
    )
    .await?;
    tx.commit().await?;
    Ok(IssuedWebhookSecret {
        webhook_id: webhook_id.to_string(),
        url,
        secret,
    })
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
    audit_webhook(&mut tx, &author, action, webhook_id, json!({ "url": url })).await?;
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
    let parameters = json!({ "url": url });
    audit_webhook(
        &mut tx,
        &author,
        AuditAction::WebhookRotate,
        webhook_id,
        parameters,
    )
    .await?;
    tx.commit().await?;
    Ok(IssuedWebhookSecret {
        webhook_id: webhook_id.to_string(),
        url,
        secret,
    })
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
    let parameters = json!({ "url": url });
    audit_webhook(
        &mut tx,
        &author,
        AuditAction::WebhookRemove,
        webhook_id,
        parameters,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_kinds_are_checked() {
        assert_eq!(
            check_url(" https://crm.example.com/hooks/ocm ").unwrap(),
            "https://crm.example.com/hooks/ocm"
        );
        assert!(check_url("http://127.0.0.1:9000/x").is_ok());
        for bad in [
            "ftp://example.com/x",
            "https://user:pw@example.com/x",
            "https://example.com/x#frag",
            "not a url",
            "file:///etc/passwd",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check_kinds(&["dnc.request_state".into(), "dnc.request_state".into()]).unwrap(),
            ["dnc.request_state"]
        );
        assert!(check_kinds(&["dnc.anything".into()]).is_err());
    }
}
