//! Turning events into deliveries: one instance at a time (the row lock on `api_event_fanout`)
//! reads the events after its place, makes one delivery per event and webhook that may receive
//! it (the client enabled and unexpired, its organization and scopes, the webhook's kinds, made
//! before the event; a test event to its one webhook), and moves its place on in the same transaction: each event once.

use sqlx::PgPool;
use types::model::ApiScope;
use uuid::Uuid;

use super::TEST_KIND;
use crate::api::events::{after, Cursor};
use crate::api::ApiPrincipal;

/// Events handled per transaction.
const BATCH: i64 = 500;

struct Target {
    webhook: Uuid,
    kinds: Vec<String>,
    created_at: time::OffsetDateTime,
    client: ApiPrincipal,
}

async fn targets(tx: &mut sqlx::PgConnection) -> Result<Vec<Target>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"select w.api_webhook_id, w.kinds, w.created_at, c.api_client_id, c.name, c.scopes,
                  c.organization_id as "organization_id?", o.name as "organization?"
           from api_webhook w
           join api_client c using (api_client_id)
           left join organization o using (organization_id)
           where w.disabled_at is null and c.disabled_at is null
             and (c.expires_at is null or c.expires_at > now())"#
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| Target {
        webhook: r.api_webhook_id,
        kinds: r.kinds,
        created_at: r.created_at,
        client: ApiPrincipal {
            client_id: r.api_client_id,
            name: r.name,
            organization: r.organization_id.zip(r.organization),
            scopes: r.scopes.iter().filter_map(|s| ApiScope::parse(s)).collect(),
        },
    })
    .collect())
}

/// Fans out one batch; true when there may be more.
pub(super) async fn fan_out(pool: &PgPool) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let Some(place) =
        sqlx::query!("select tx, api_event_id from api_event_fanout for update skip locked")
            .fetch_optional(&mut *tx)
            .await?
    else {
        return Ok(false);
    };
    let from = Cursor {
        tx: place.tx,
        id: place.api_event_id,
    };
    let events = after(pool, from, BATCH).await?;
    let Some(last) = events.last().map(|e| e.cursor) else {
        return Ok(false);
    };
    let targets = targets(&mut tx).await?;
    let (mut webhooks, mut event_ids) = (Vec::new(), Vec::new());
    for event in &events {
        for target in &targets {
            let wanted = if event.kind == TEST_KIND {
                event.data["webhook_id"].as_str() == Some(target.webhook.to_string().as_str())
            } else {
                (target.kinds.is_empty() || target.kinds.contains(&event.kind))
                    && event.occurred_at >= target.created_at
                    && event.visible_to(&target.client)
            };
            if wanted {
                webhooks.push(target.webhook);
                event_ids.push(event.cursor.id);
            }
        }
    }
    sqlx::query!(
        "insert into api_webhook_delivery (api_webhook_id, api_event_id, state)
         select w, e, 'pending' from unnest($1::uuid[], $2::bigint[]) as t(w, e)
         on conflict do nothing",
        &webhooks,
        &event_ids,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update api_event_fanout set tx = $1, api_event_id = $2",
        last.tx,
        last.id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(events.len() as i64 == BATCH)
}
