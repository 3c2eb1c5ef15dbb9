//! `Idempotency-Key` on state-changing calls: the first call with a key runs and its answer is
//! kept; the same key with the same request gets that answer again without acting; with another
//! request 422; while the first still runs 409. Keys live 24 hours (`sweep.rs`). A call that died
//! mid-way (its instance killed) leaves its key `running`: after `ABANDONED_AFTER_SECONDS` a repeat
//! is told the outcome is unknown (the action may or may not have happened), never run again. An
//! answer that says nothing happened (rate limited, busy, POM unreachable) releases the key.

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::error::AppError;

/// A running key older than this belongs to a call that will never answer.
const ABANDONED_AFTER_SECONDS: f64 = 300.0;
/// How long a key is remembered.
pub const KEEP_HOURS: i64 = 24;

/// What to do with a call carrying a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// The first call with this key: run it, then [`complete`].
    Fresh,
    /// Answered before: send this again.
    Replay {
        status: u16,
        body: serde_json::Value,
    },
    /// The first call with this key is still running.
    InProgress,
    /// The first call with this key never finished (its instance stopped): it may have acted.
    Abandoned,
    /// The key was used for a different request.
    Mismatch,
}

/// Checks a key as a client sent it: 1 to 200 visible ASCII characters.
pub fn check_key(key: &str) -> Result<(), AppError> {
    if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::validation(
            "Idempotency-Key",
            "1 to 200 visible ASCII characters",
        ));
    }
    Ok(())
}

/// The request's fingerprint: method, path (with query) and body.
pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let mut hash = Sha256::new();
    for part in [method.as_bytes(), b"\n", path.as_bytes(), b"\n", body] {
        hash.update(part);
    }
    hash.finalize().to_vec()
}

/// Claims `key` for this request, or says how it was used before.
pub async fn claim(
    pool: &PgPool,
    client_id: Uuid,
    key: &str,
    request: &[u8],
) -> Result<Claim, AppError> {
    // A key past its life is taken over in the same statement.
    let fresh = sqlx::query_scalar!(
        r#"insert into api_idempotency (api_client_id, idempotency_key, request_sha256, state)
           values ($1, $2, $3, 'running')
           on conflict (api_client_id, idempotency_key) do update
              set request_sha256 = excluded.request_sha256, state = 'running', status = null,
                  response = null, created_at = now()
            where api_idempotency.created_at < now() - make_interval(hours => $4::int)
           returning true as "fresh!""#,
        client_id,
        key,
        request,
        KEEP_HOURS as i32
    )
    .fetch_optional(pool)
    .await?;
    if fresh.is_some() {
        return Ok(Claim::Fresh);
    }
    let row = sqlx::query!(
        r#"select request_sha256, state, status, response,
                  created_at < now() - make_interval(secs => $3) as "abandoned!"
             from api_idempotency where api_client_id = $1 and idempotency_key = $2"#,
        client_id,
        key,
        ABANDONED_AFTER_SECONDS
    )
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        // Swept between the two statements: nobody holds it now.
        None => Box::pin(claim(pool, client_id, key, request)).await?,
        Some(row) if row.request_sha256 != request => Claim::Mismatch,
        Some(row) if row.state == "running" && row.abandoned => Claim::Abandoned,
        Some(row) if row.state == "running" => Claim::InProgress,
        Some(row) => Claim::Replay {
            status: row.status.map_or(200, |s| s as u16),
            body: row.response.unwrap_or(serde_json::Value::Null),
        },
    })
}

/// Keeps the answer of the call that claimed `key`.
pub async fn complete(
    pool: &PgPool,
    client_id: Uuid,
    key: &str,
    status: u16,
    body: &serde_json::Value,
) -> Result<(), AppError> {
    sqlx::query!(
        "update api_idempotency set state = 'done', status = $3, response = $4
          where api_client_id = $1 and idempotency_key = $2",
        client_id,
        key,
        status as i16,
        body
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Forgets `key`: the call it claimed did nothing, so a repeat may run.
pub async fn release(pool: &PgPool, client_id: Uuid, key: &str) -> Result<(), AppError> {
    sqlx::query!(
        "delete from api_idempotency where api_client_id = $1 and idempotency_key = $2 and state = 'running'",
        client_id,
        key
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_fingerprints() {
        assert!(check_key("a-1_B.c").is_ok());
        assert!(check_key("").is_err());
        assert!(check_key("has space").is_err());
        assert!(check_key(&"k".repeat(201)).is_err());
        let a = fingerprint("POST", "/api/v1/dnc", b"{}");
        assert_eq!(a, fingerprint("POST", "/api/v1/dnc", b"{}"));
        assert_ne!(a, fingerprint("POST", "/api/v1/dnc", b"{ }"));
        assert_ne!(a, fingerprint("POST", "/api/v1/dncx", b"{}"));
    }
}
