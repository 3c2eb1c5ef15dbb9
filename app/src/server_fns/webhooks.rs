//! Webhooks of the API's clients (`/admin/webhooks`, admins only; refusals audited): list with
//! the delivery log, register (the signing secret shown once), disable and enable, rotate the
//! secret, send a test event, remove.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{IssuedWebhookSecret, NewWebhook, WebhooksView};

/// The signed-in admin's context for `action`.
#[cfg(feature = "ssr")]
async fn admin(action: crate::model::AuditAction) -> Result<domain::access::Ctx, AppError> {
    crate::guard::require(action, domain::admin::ROLES).await
}

/// Runs `change` as the signed-in admin, who is its audit record's author.
#[cfg(feature = "ssr")]
macro_rules! as_admin {
    ($action:expr, |$pool:ident, $author:ident| $change:expr) => {{
        let ctx = admin($action).await?;
        let actor = domain::audit::Actor::user(&ctx.user);
        let $author = domain::api::clients::Author {
            actor: &actor,
            meta: &ctx.meta,
        };
        let $pool = &ctx.state.pool;
        $change.await
    }};
}

/// Every webhook, the clients one may be added to, the latest deliveries.
#[server(endpoint = "admin/webhooks")]
pub async fn get_webhooks() -> Result<WebhooksView, AppError> {
    let ctx = admin(crate::model::AuditAction::WebhookList).await?;
    domain::api::webhooks::view(&ctx.state.pool).await
}

/// Registers a webhook; its signing secret is in the answer and never again.
#[server(endpoint = "admin/webhooks/create", input = server_fn::codec::Json)]
pub async fn create_webhook(new: NewWebhook) -> Result<IssuedWebhookSecret, AppError> {
    use crate::model::AuditAction::WebhookAdd;
    let ctx = admin(WebhookAdd).await?;
    let actor = domain::audit::Actor::user(&ctx.user);
    let author = domain::api::clients::Author {
        actor: &actor,
        meta: &ctx.meta,
    };
    let allow_private = ctx.state.settings.api.webhook_private_addresses;
    domain::api::webhooks::create(&ctx.state.pool, author, &new, allow_private).await
}

/// Disables (deliveries still waiting are given up) or enables a webhook.
#[server(endpoint = "admin/webhooks/enabled")]
pub async fn set_webhook_enabled(webhook_id: String, enabled: bool) -> Result<(), AppError> {
    use crate::model::AuditAction::{WebhookDisable, WebhookEnable};
    let action = if enabled {
        WebhookEnable
    } else {
        WebhookDisable
    };
    as_admin!(action, |pool, author| domain::api::webhooks::set_enabled(
        pool,
        author,
        &webhook_id,
        enabled
    ))
}

/// A new signing secret, shown once.
#[server(endpoint = "admin/webhooks/rotate")]
pub async fn rotate_webhook(webhook_id: String) -> Result<IssuedWebhookSecret, AppError> {
    use crate::model::AuditAction::WebhookRotate;
    as_admin!(WebhookRotate, |pool, author| domain::api::webhooks::rotate(
        pool,
        author,
        &webhook_id
    ))
}

/// Sends a test event to the webhook alone.
#[server(endpoint = "admin/webhooks/test")]
pub async fn test_webhook(webhook_id: String) -> Result<(), AppError> {
    use crate::model::AuditAction::WebhookTest;
    as_admin!(
        WebhookTest,
        |pool, author| domain::api::webhooks::send_test(pool, author, &webhook_id)
    )
}

/// Removes a webhook and its delivery log.
#[server(endpoint = "admin/webhooks/remove")]
pub async fn remove_webhook(webhook_id: String) -> Result<(), AppError> {
    use crate::model::AuditAction::WebhookRemove;
    as_admin!(WebhookRemove, |pool, author| domain::api::webhooks::remove(
        pool,
        author,
        &webhook_id
    ))
}
