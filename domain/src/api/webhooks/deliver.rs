//! Delivering: due deliveries are claimed (a claim other instances take over once it runs out;
//! at most [`PER_WEBHOOK`] at a time per webhook, so a receiver that never answers holds only
//! its own), each POSTed on its own task with the event's envelope, signed, and its outcome
//! recorded; at most [`IN_FLIGHT`] at once per instance. Anything but a 2xx answer is tried
//! again after 10 s, 30 s, 2 min, 10 min, 30 min, 1 h and 3 h; after the eighth attempt the
//! delivery has failed, and stays in the log.

use std::time::Duration;

use std::sync::Arc;

use reqwest::header::{CONTENT_TYPE, USER_AGENT};
use sqlx::PgPool;
use time::OffsetDateTime;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{address, sign};
use crate::api::events::{ApiEvent, Cursor};

/// Deliveries sent at once by one instance.
pub(super) const IN_FLIGHT: usize = 20;
/// Deliveries to one webhook at once, over every instance.
const PER_WEBHOOK: i64 = 2;
/// How long a receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a claim lasts: longer than a delivery's timeout.
const CLAIM_SECONDS: f64 = 60.0;
/// Pauses after each failed attempt, in seconds; one attempt more than pauses.
const PAUSES: [f64; 7] = [10.0, 30.0, 120.0, 600.0, 1800.0, 3600.0, 10800.0];

struct Claimed {
    delivery: i64,
    attempts: i32,
    url: String,
    secret: String,
    event: ApiEvent,
}

/// Gives up the waiting deliveries of webhooks disabled, or of clients disabled or expired,
/// since they were fanned out: nothing more reaches them.
async fn give_up_unwanted(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update api_webhook_delivery d
         set state = 'failed', claimed_until = null,
             last_error = 'the webhook or its client was disabled or expired'
         from api_webhook w join api_client c using (api_client_id)
         where d.api_webhook_id = w.api_webhook_id and d.state = 'pending'
           and (w.disabled_at is not null or c.disabled_at is not null
                or c.expires_at <= now())"
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Claims up to `free` due deliveries. The candidates are read without locks (a window over
/// webhooks cannot lock); the update re-checks each row once it holds it, so of two instances
/// claiming the same delivery one gets it.
async fn claim(pool: &PgPool, free: i64) -> Result<Vec<Claimed>, sqlx::Error> {
    give_up_unwanted(pool).await?;
    Ok(sqlx::query!(
        r#"with due as (
               select api_webhook_delivery_id, api_webhook_id,
                      row_number() over (partition by api_webhook_id
                                         order by api_webhook_delivery_id) as place
               from api_webhook_delivery
               where (state = 'pending' and not_before <= now())
                  or (state = 'delivering' and claimed_until < now())),
           busy as (
               select api_webhook_id, count(*) as sending from api_webhook_delivery
               where state = 'delivering' and claimed_until >= now()
               group by api_webhook_id),
           picked as (
               select due.api_webhook_delivery_id from due left join busy using (api_webhook_id)
               where due.place + coalesce(busy.sending, 0) <= $3
               order by due.api_webhook_delivery_id limit $1)
           update api_webhook_delivery d
              set state = 'delivering', attempts = d.attempts + 1, last_attempt_at = now(),
                  claimed_until = now() + make_interval(secs => $2)
           from picked, api_webhook w, api_event e
           where d.api_webhook_delivery_id = picked.api_webhook_delivery_id
             and ((d.state = 'pending' and d.not_before <= now())
                  or (d.state = 'delivering' and d.claimed_until < now()))
             and w.api_webhook_id = d.api_webhook_id and e.api_event_id = d.api_event_id
           returning d.api_webhook_delivery_id, d.attempts, w.url, w.signing_secret, e.tx,
                     e.api_event_id, e.organization, e.kind, e.data, e.occurred_at"#,
        free,
        CLAIM_SECONDS,
        PER_WEBHOOK,
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| Claimed {
        delivery: r.api_webhook_delivery_id,
        attempts: r.attempts,
        url: r.url,
        secret: r.signing_secret,
        event: ApiEvent {
            cursor: Cursor {
                tx: r.tx,
                id: r.api_event_id,
            },
            organization: r.organization,
            kind: r.kind,
            data: r.data,
            occurred_at: r.occurred_at,
        },
    })
    .collect())
}

/// The receiver's HTTP status, or what went wrong (never the URL: it may hold a secret).
async fn post(http: &Sender, claimed: &Claimed) -> Result<u16, String> {
    let url = reqwest::Url::parse(&claimed.url).map_err(|e| format!("not a URL: {e}"))?;
    if !http.allow_private && address::refused_literal(&url) {
        return Err(
            "an address in a private network, refused (OCM_WEBHOOK_PRIVATE_ADDRESSES)".into(),
        );
    }
    let body = serde_json::to_vec(&claimed.event.envelope()).map_err(|e| e.to_string())?;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let signature = sign::signature(&claimed.secret, now, &body);
    http.client
        .post(url)
        .header(CONTENT_TYPE, "application/json")
        .header(USER_AGENT, "OCM-Webhooks/1")
        .header("OCM-Event-Id", claimed.event.cursor.text())
        .header("OCM-Event-Type", &claimed.event.kind)
        .header("OCM-Delivery-Id", claimed.delivery.to_string())
        .header(sign::HEADER, signature)
        .body(body)
        .send()
        .await
        .map(|response| response.status().as_u16())
        .map_err(|error| {
            let error = error.without_url();
            let text = if error.is_timeout() {
                format!("no answer within {} s", TIMEOUT.as_secs())
            } else if error.is_connect() {
                "could not connect".to_string()
            } else {
                error.to_string()
            };
            text.chars().take(300).collect()
        })
}

async fn record(pool: &PgPool, claimed: &Claimed, outcome: Result<u16, String>) {
    let (status, error) = match outcome {
        Ok(status) => (Some(i32::from(status)), None),
        Err(error) => (None, Some(error)),
    };
    let delivered = status.is_some_and(|s| (200..300).contains(&s));
    let pause = PAUSES.get(claimed.attempts as usize - 1).copied();
    let written = sqlx::query!(
        "update api_webhook_delivery
         set state = case when $2 then 'delivered' when $5::float8 is null then 'failed'
                          else 'pending' end,
             delivered_at = case when $2 then now() end,
             not_before = now() + make_interval(secs => coalesce($5, 0)),
             claimed_until = null, last_status = $3, last_error = $4
         where api_webhook_delivery_id = $1 and state = 'delivering' and attempts = $6",
        claimed.delivery,
        delivered,
        status,
        error,
        pause,
        // Another instance that took the delivery over counted its own attempt: its outcome
        // stands, not this late one.
        claimed.attempts,
    )
    .execute(pool)
    .await;
    if let Err(error) = written {
        tracing::warn!(error = %error, delivery = claimed.delivery, "a webhook delivery's outcome could not be recorded");
    }
}

/// Claims what this instance has room for and sends each on its own task (holding a permit
/// of `room`, joined by `sending`); false when nothing was claimed.
pub(super) async fn dispatch(
    pool: &PgPool,
    http: &Arc<Sender>,
    room: &Arc<Semaphore>,
    sending: &mut JoinSet<()>,
) -> Result<bool, sqlx::Error> {
    while sending.try_join_next().is_some() {}
    let free = room.available_permits();
    if free == 0 {
        return Ok(false);
    }
    let claimed = claim(pool, free as i64).await?;
    let any = !claimed.is_empty();
    for c in claimed {
        let Ok(permit) = room.clone().try_acquire_owned() else {
            break;
        };
        let (pool, http) = (pool.clone(), http.clone());
        sending.spawn(async move {
            let outcome = post(&http, &c).await;
            tracing::info!(
                delivery = c.delivery,
                event = %c.event.cursor.text(),
                kind = %c.event.kind,
                attempt = c.attempts,
                outcome = ?outcome,
                "webhook delivery"
            );
            record(&pool, &c, outcome).await;
            drop(permit);
        });
    }
    Ok(any)
}

/// What deliveries are sent with: no redirects followed (a receiver moving must be registered
/// again), a timeout per delivery, and unless private addresses are allowed, names resolved to
/// public addresses only.
pub(super) struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

impl Sender {
    pub(super) fn new(allow_private: bool) -> Sender {
        let builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none());
        let builder = if allow_private {
            builder
        } else {
            builder.dns_resolver(std::sync::Arc::new(address::PublicOnly))
        };
        Sender {
            client: builder.build().unwrap_or_default(),
            allow_private,
        }
    }
}
