//! Webhooks of the API's clients (`docs/api.md`): admins register a URL per client (the signing
//! secret shown once; `address` keeps them out of private networks), then disable, enable,
//! rotate, test or remove it (`change`) and read the delivery log (`log`). Events reach them
//! through `fanout` (one delivery per event and webhook) and `deliver` (signed POSTs, retried
//! with backoff), run by `worker` on every instance.

pub mod address;
mod change;
mod deliver;
mod fanout;
mod log;
pub mod sign;
pub mod worker;

pub use change::{remove, rotate, send_test, set_enabled, TEST_KIND};
pub use log::view;

use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::clients::Author;
use super::secrets::fresh;
use crate::audit::{self, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{
    event_kind_allowed, ApiScope, AuditAction, IssuedWebhookSecret, NewWebhook, EVENT_KINDS,
};

/// The prefix of a webhook signing secret.
pub const SIGNING_PREFIX: &str = "ocmw_";
/// Webhooks one client may have.
const PER_CLIENT: i64 = 10;

/// A URL OCM may POST to: http or https with a host, no credentials or fragment, at most 2,000
/// characters, and no loopback or private address unless `allow_private`.
fn check_url(raw: &str, allow_private: bool) -> Result<String, AppError> {
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
    if !allow_private && address::refused_literal(&url) {
        return Err(refuse(
            "is an address in a private network, refused (OCM_WEBHOOK_PRIVATE_ADDRESSES)",
        ));
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

pub(super) fn parse_id(text: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text.trim()).map_err(|_| AppError::BadId {
        what: "a webhook".into(),
        text: text.to_string(),
    })
}

/// A URL as the audit log keeps it: without its query string, which may hold a receiver's token.
fn audited_url(url: &str) -> String {
    match url.split_once('?') {
        Some((base, _)) => format!("{base}?…"),
        None => url.to_string(),
    }
}

pub(super) async fn audit_webhook(
    tx: &mut sqlx::PgConnection,
    author: &Author<'_>,
    action: AuditAction,
    webhook_id: Uuid,
    mut parameters: serde_json::Value,
) -> Result<(), AppError> {
    if let Some(url) = parameters["url"].as_str() {
        parameters["url"] = json!(audited_url(url));
    }
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
    allow_private: bool,
) -> Result<IssuedWebhookSecret, AppError> {
    let url = check_url(&new.url, allow_private)?;
    let kinds = check_kinds(&new.kinds)?;
    let client_id = Uuid::parse_str(new.client_id.trim())
        .map_err(|_| AppError::validation("client_id", "choose a client"))?;
    let mut tx = pool.begin().await?;
    let client = sqlx::query!(
        r#"select name, scopes,
                  (select count(*) from api_webhook w where w.api_client_id = c.api_client_id)
                  as "webhooks!"
           from api_client c where api_client_id = $1 for update"#,
        client_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::validation("client_id", "no such client"))?;
    let scopes: Vec<ApiScope> = client
        .scopes
        .iter()
        .filter_map(|s| ApiScope::parse(s))
        .collect();
    if let Some(kind) = kinds.iter().find(|k| !event_kind_allowed(k, &scopes)) {
        return Err(AppError::validation(
            "kinds",
            format!("{}'s scopes do not let it see {kind}", client.name),
        ));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_kinds_are_checked() {
        assert_eq!(
            check_url(" https://crm.example.com/hooks/ocm ", false).unwrap(),
            "https://crm.example.com/hooks/ocm"
        );
        assert!(check_url("http://127.0.0.1:9000/x", true).is_ok());
        assert!(check_url("http://127.0.0.1:9000/x", false).is_err());
        assert!(check_url("http://169.254.169.254/latest", false).is_err());
        for bad in [
            "ftp://example.com/x",
            "https://user:pw@example.com/x",
            "https://example.com/x#frag",
            "not a url",
            "file:///etc/passwd",
        ] {
            assert!(check_url(bad, true).is_err(), "{bad}");
        }
        assert_eq!(
            check_kinds(&["dnc.request_state".into(), "dnc.request_state".into()]).unwrap(),
            ["dnc.request_state"]
        );
        assert!(check_kinds(&["dnc.anything".into()]).is_err());
    }
}
