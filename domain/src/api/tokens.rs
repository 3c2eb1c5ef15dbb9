//! Bearer tokens: `POST /api/v1/auth/token` trades a client id and secret for a token that lives
//! `OCM_API_TOKEN_SECONDS`; every other call presents it. Checking a token is one indexed read of
//! its SHA-256 (no slow hash per request), then a few seconds in memory; a disabled, expired or
//! rotated client's tokens fail.

use std::time::Duration;

use serde_json::json;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use super::principal::ApiPrincipal;
use super::secrets::{digest, fresh, same_digest, TOKEN_PREFIX};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{ApiScope, AuditAction};
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// A token just issued.
#[derive(Debug, Clone)]
pub struct Issued {
    pub access_token: String,
    pub expires_in: u64,
}

/// Why a token request was refused (audited; the caller only hears 401).
fn refused_because(
    row: &Option<TokenClient>,
    secret_matches: bool,
    now: OffsetDateTime,
) -> Option<&'static str> {
    match row {
        None => Some("unknown client"),
        Some(_) if !secret_matches => Some("wrong secret"),
        Some(c) if c.disabled_at.is_some() => Some("client disabled"),
        Some(c) if c.expires_at.is_some_and(|at| at <= now) => Some("client expired"),
        Some(c) if c.organization_inactive => Some("organization deactivated"),
        Some(_) => None,
    }
}

struct TokenClient {
    name: String,
    organization: Option<String>,
    secret_sha256: Vec<u8>,
    disabled_at: Option<OffsetDateTime>,
    expires_at: Option<OffsetDateTime>,
    organization_inactive: bool,
}

async fn refuse(
    pool: &PgPool,
    (actor, meta): (&Actor, &RequestMeta),
    client_id: &str,
    reason: &str,
) -> Result<Issued, AppError> {
    let event = AuditEvent::new(AuditAction::ApiToken, Outcome::Denied)
        .with_target(client_id.chars().take(64).collect::<String>())
        .with_parameters(json!({ "reason": reason }));
    audit::record(pool, actor, meta, event).await?;
    Err(AppError::Unauthorized)
}

/// Issues a token to the client whose id and secret these are; anything else is `Unauthorized`
/// (audited with the reason, which the caller is not told). The token lives `lifetime`, or until
/// the client expires if that is sooner.
pub async fn issue(
    pool: &PgPool,
    client_id: &str,
    secret: &str,
    lifetime: Duration,
    meta: &RequestMeta,
) -> Result<Issued, AppError> {
    let id = Uuid::parse_str(client_id.trim()).ok();
    let row = match id {
        Some(id) => sqlx::query_as!(
            TokenClient,
            r#"select c.name, o.name as "organization?", c.secret_sha256, c.disabled_at, c.expires_at,
                      coalesce(o.deactivated_at is not null, false) as "organization_inactive!"
                 from api_client c left join organization o using (organization_id)
                where c.api_client_id = $1"#,
            id
        )
        .fetch_optional(pool)
        .await?,
        None => None,
    };
    let secret_digest = digest(secret);
    let secret_matches = row
        .as_ref()
        .is_some_and(|c| same_digest(&c.secret_sha256, &secret_digest));
    let actor = match &row {
        Some(c) => Actor::api_client(&c.name, c.organization.as_ref()),
        None => Actor::named("api:unknown"),
    };
    if let Some(reason) = refused_because(&row, secret_matches, OffsetDateTime::now_utc()) {
        return refuse(pool, (&actor, meta), client_id, reason).await;
    }
    let id = id.expect("a known client has a parsed id");
    let token = fresh(TOKEN_PREFIX);
    let mut tx = pool.begin().await?;
    // Checked again as the token is written: a rotation or a disabling committed since the read
    // above leaves nothing to insert, so no token outlives the secret it was issued for.
    let expires_in = sqlx::query_scalar!(
        r#"insert into api_token (token_sha256, api_client_id, expires_at)
           select $1, c.api_client_id, least(now() + make_interval(secs => $4), c.expires_at)
             from api_client c left join organization o using (organization_id)
            where c.api_client_id = $2 and c.secret_sha256 = $3 and c.disabled_at is null
              and (c.expires_at is null or c.expires_at > now())
              and (c.organization_id is null or o.deactivated_at is null)
           returning extract(epoch from expires_at - now())::float8 as "expires_in!""#,
        digest(&token),
        id,
        secret_digest,
        lifetime.as_secs().max(1) as f64
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(expires_in) = expires_in else {
        drop(tx);
        return refuse(
            pool,
            (&actor, meta),
            client_id,
            "changed while the token was issued",
        )
        .await;
    };
    let expires_in = expires_in.max(1.0).floor() as u64;
    let event = AuditEvent::new(AuditAction::ApiToken, Outcome::Success)
        .with_target(id.to_string())
        .with_parameters(json!({ "expires_in": expires_in }));
    audit::record(&mut *tx, &actor, meta, event).await?;
    tx.commit().await?;
    Ok(Issued {
        access_token: token,
        expires_in,
    })
}

/// The rate-limit bucket of a caller's address: 16 bits of its SHA-256, so addresses by the
/// million share 65,536 buckets instead of growing a table.
pub fn bucket(address: &str) -> u16 {
    let digest = digest(address.trim());
    u16::from_be_bytes([digest[0], digest[1]])
}

/// The client a bearer token stands for; `Unauthorized` for anything that is not a live token of
/// an enabled, unexpired client of an active organization. A token checked within the last
/// `TOKEN_CACHE_FOR` is believed without asking the database (`runtime.rs`).
pub async fn authenticate(state: &AppState, token: &str) -> Result<ApiPrincipal, AppError> {
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
        return Err(AppError::Unauthorized);
    }
    let token_digest = digest(token);
    if let Some(principal) = state.api.tokens.get(&token_digest) {
        return Ok(principal);
    }
    let row = sqlx::query!(
        r#"select c.api_client_id, c.name, c.scopes, c.organization_id,
                  o.name as "organization?",
                  extract(epoch from least(t.expires_at, coalesce(c.expires_at, t.expires_at)) - now())::float8
                    as "lives_for!"
             from api_token t join api_client c using (api_client_id)
             left join organization o using (organization_id)
            where t.token_sha256 = $1 and t.expires_at > now() and c.disabled_at is null
              and (c.expires_at is null or c.expires_at > now())
              and (c.organization_id is null or o.deactivated_at is null)"#,
        token_digest
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::Unauthorized)?;
    let organization = match (row.organization_id, row.organization) {
        (None, _) => None,
        (Some(id), Some(name)) => Some((id, name)),
        // A client of one organization never becomes a client of all.
        (Some(_), None) => return Err(AppError::Unauthorized),
    };
    let principal = ApiPrincipal {
        client_id: row.api_client_id,
        name: row.name,
        organization,
        scopes: row
            .scopes
            .iter()
            .filter_map(|s| ApiScope::parse(s))
            .collect(),
    };
    let lives_for = Duration::from_secs_f64(row.lives_for.max(0.0));
    state
        .api
        .tokens
        .put(token_digest, principal.clone(), lives_for);
    Ok(principal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(disabled: bool, expires_in_days: Option<i64>) -> Option<TokenClient> {
        let now = OffsetDateTime::now_utc();
        Some(TokenClient {
            name: "crm".into(),
            organization: None,
            secret_sha256: digest("s"),
            disabled_at: disabled.then_some(now),
            expires_at: expires_in_days.map(|d| now + time::Duration::days(d)),
            organization_inactive: false,
        })
    }

    #[test]
    fn every_refusal_has_its_reason() {
        let now = OffsetDateTime::now_utc();
        assert_eq!(refused_because(&None, false, now), Some("unknown client"));
        assert_eq!(
            refused_because(&client(false, None), false, now),
            Some("wrong secret")
        );
        assert_eq!(
            refused_because(&client(true, None), true, now),
            Some("client disabled")
        );
        assert_eq!(
            refused_because(&client(false, Some(-1)), true, now),
            Some("client expired")
        );
        assert_eq!(refused_because(&client(false, Some(1)), true, now), None);
    }
}
