//! What the webhooks page shows: every webhook with its delivery counts and last outcome, the
//! clients a webhook may be added to, and the latest deliveries with their outcome.

use sqlx::PgPool;

use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::{WebhookDeliveryRow, WebhookRow, WebhooksView};

/// Deliveries shown, newest first.
const LATEST: i64 = 100;

/// The last attempt's outcome in words.
fn outcome(status: Option<i32>, error: Option<String>) -> Option<String> {
    match (status, error) {
        (_, Some(error)) => Some(error),
        (Some(status), None) => Some(format!("HTTP {status}")),
        (None, None) => None,
    }
}

async fn webhooks(pool: &PgPool) -> Result<Vec<WebhookRow>, AppError> {
    let rows = sqlx::query!(
        r#"select w.api_webhook_id, w.api_client_id, c.name as client_name, w.url, w.kinds,
                  w.disabled_at, w.created_by_name, w.created_at, w.secret_rotated_at,
                  count(d.*) filter (where d.state = 'delivered') as "delivered!",
                  count(d.*) filter (where d.state in ('pending', 'delivering')) as "waiting!",
                  count(d.*) filter (where d.state = 'failed') as "failed!",
                  last.last_attempt_at as "last_attempt_at?", last.last_status as "last_status?",
                  last.last_error as "last_error?"
           from api_webhook w
           join api_client c using (api_client_id)
           left join api_webhook_delivery d using (api_webhook_id)
           left join lateral (
               select l.last_attempt_at, l.last_status, l.last_error from api_webhook_delivery l
               where l.api_webhook_id = w.api_webhook_id and l.last_attempt_at is not null
               order by l.last_attempt_at desc limit 1) last on true
           group by w.api_webhook_id, c.name, last.last_attempt_at, last.last_status,
                    last.last_error
           order by c.name, w.created_at"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| WebhookRow {
            webhook_id: r.api_webhook_id.to_string(),
            client_id: r.api_client_id.to_string(),
            client_name: r.client_name,
            url: r.url,
            kinds: r.kinds,
            disabled_at: r.disabled_at.map(rfc3339),
            created_by: r.created_by_name,
            created_at: rfc3339(r.created_at),
            secret_rotated_at: r.secret_rotated_at.map(rfc3339),
            delivered: r.delivered,
            waiting: r.waiting,
            failed: r.failed,
            last_attempt_at: r.last_attempt_at.map(rfc3339),
            last_outcome: outcome(r.last_status, r.last_error),
        })
        .collect())
}

async fn deliveries(pool: &PgPool) -> Result<Vec<WebhookDeliveryRow>, AppError> {
    let rows = sqlx::query!(
        r#"select d.api_webhook_delivery_id, d.api_webhook_id, w.url, e.tx, e.api_event_id,
                  e.kind, e.organization, d.state, d.attempts, d.last_status, d.last_error,
                  d.last_attempt_at, d.not_before, d.created_at
           from api_webhook_delivery d
           join api_webhook w using (api_webhook_id)
           join api_event e using (api_event_id)
           order by d.api_webhook_delivery_id desc limit $1"#,
        LATEST
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| WebhookDeliveryRow {
            delivery_id: r.api_webhook_delivery_id,
            webhook_id: r.api_webhook_id.to_string(),
            url: r.url,
            event_id: format!("{}-{}", r.tx, r.api_event_id),
            kind: r.kind,
            organization: r.organization,
            next_attempt_at: matches!(r.state.as_str(), "pending" | "delivering")
                .then(|| rfc3339(r.not_before)),
            state: r.state,
            attempts: r.attempts,
            last_status: r.last_status,
            last_error: r.last_error,
            last_attempt_at: r.last_attempt_at.map(rfc3339),
            created_at: rfc3339(r.created_at),
        })
        .collect())
}

/// The page's data.
pub async fn view(pool: &PgPool) -> Result<WebhooksView, AppError> {
    let clients = sqlx::query!(
        "select api_client_id, name from api_client where disabled_at is null order by name"
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|c| (c.api_client_id.to_string(), c.name))
    .collect();
    Ok(WebhooksView {
        webhooks: webhooks(pool).await?,
        clients,
        deliveries: deliveries(pool).await?,
    })
}
