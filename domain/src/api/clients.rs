//! Registering API clients (admins on `/admin/api-clients`, or `ocm api-client` on the command
//! line): create with the secret shown once, list, disable and enable, rotate the secret. Every
//! change is audited in the same transaction; a disabled or rotated client's tokens stop working
//! at once (they are deleted).

use serde_json::json;
use sqlx::PgPool;
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

use super::secrets::{digest, fresh, SECRET_PREFIX};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::dates::{instant_in_zone, rfc3339};
use crate::error::AppError;
use crate::model::{ApiClientRow, ApiScope, AuditAction, IssuedSecret, NewApiClient};
use crate::request_meta::RequestMeta;

/// Who registers or changes a client, and from where.
pub struct Author<'a> {
    pub actor: &'a Actor,
    pub meta: &'a RequestMeta,
}

/// A checked registration.
struct Checked {
    name: String,
    organization: Option<String>,
    scopes: Vec<String>,
    expires_at: Option<OffsetDateTime>,
}

fn check_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-'));
    if !first_ok || !rest_ok || name.len() > 64 {
        return Err(AppError::validation(
            "name",
            "1 to 64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit",
        ));
    }
    Ok(name.to_string())
}

fn check_scopes(scopes: &[String]) -> Result<Vec<String>, AppError> {
    let mut known = Vec::new();
    for scope in scopes {
        let parsed = ApiScope::parse(scope.trim()).ok_or_else(|| {
            AppError::validation(
                "scopes",
                format!(
                    "“{scope}” is not a scope (one of {})",
                    ApiScope::ALL.map(ApiScope::as_str).join(", ")
                ),
            )
        })?;
        if !known.contains(&parsed) {
            known.push(parsed);
        }
    }
    if known.is_empty() {
        return Err(AppError::validation("scopes", "choose at least one scope"));
    }
    Ok(known.into_iter().map(|s| s.as_str().to_string()).collect())
}

/// The end of `yyyy-mm-dd` in `zone`, which must not have passed.
fn check_expiry(text: &str, zone: &str) -> Result<Option<OffsetDateTime>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let refused = || AppError::validation("expires_on", "a date as yyyy-mm-dd, today or later");
    let date =
        Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|_| refused())?;
    let end = date
        .next_day()
        .ok_or_else(refused)?
        .with_time(Time::MIDNIGHT);
    let at = instant_in_zone(zone, end).ok_or_else(refused)?;
    if at <= OffsetDateTime::now_utc() {
        return Err(refused());
    }
    Ok(Some(at))
}

fn check(new: &NewApiClient, zone: &str) -> Result<Checked, AppError> {
    Ok(Checked {
        name: check_name(&new.name)?,
        organization: match (new.all_organizations, new.organization.trim()) {
            (true, _) => None,
            (false, "") => {
                return Err(AppError::validation(
                    "organization",
                    "choose the organization it serves, or all organizations",
                ))
            }
            (false, name) => Some(name.to_string()),
        },
        scopes: check_scopes(&new.scopes)?,
        expires_at: check_expiry(&new.expires_on, zone)?,
    })
}

/// Registers a client; the answer holds its secret, which OCM never shows again.
pub async fn create(
    pool: &PgPool,
    author: Author<'_>,
    new: &NewApiClient,
    zone: &str,
) -> Result<IssuedSecret, AppError> {
    let checked = check(new, zone)?;
    let client_id = Uuid::new_v4();
    let secret = fresh(SECRET_PREFIX);
    let mut tx = pool.begin().await?;
    let organization_id = match &checked.organization {
        Some(name) => Some(
            sqlx::query_scalar!(
                "select organization_id from organization where name = $1",
                name
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                AppError::validation(
                    "organization",
                    format!("OCM knows no active organization {name}"),
                )
            })?,
        ),
        None => None,
    };
    let inserted = sqlx::query!(
        "insert into api_client (api_client_id, name, organization_id, scopes, secret_sha256,
                                 expires_at, created_by, created_by_name)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        client_id,
        checked.name,
        organization_id,
        &checked.scopes,
        digest(&secret),
        checked.expires_at,
        author.actor.user_id,
        author.actor.username.clone().unwrap_or_default(),
    )
    .execute(&mut *tx)
    .await;
    if let Err(sqlx::Error::Database(db)) = &inserted {
        if db.is_unique_violation() {
            return Err(AppError::validation(
                "name",
                format!("a client named {} exists already", checked.name),
            ));
        }
    }
    inserted?;
    let event = AuditEvent::new(AuditAction::ApiClientAdd, Outcome::Success)
        .with_target(client_id.to_string())
        .with_parameters(json!({
            "name": checked.name, "organization": checked.organization,
            "scopes": checked.scopes, "expires_at": checked.expires_at.map(rfc3339),
        }));
    let event = match &checked.organization {
        Some(organization) => event.with_organization(organization),
        None => event,
    };
    audit::record(&mut *tx, author.actor, author.meta, event).await?;
    tx.commit().await?;
    Ok(IssuedSecret {
        client_id: client_id.to_string(),
        name: checked.name,
        secret,
    })
}

/// Every client, newest first.
pub async fn list(pool: &PgPool) -> Result<Vec<ApiClientRow>, AppError> {
    let rows = sqlx::query!(
        r#"select c.api_client_id, c.name, o.name as "organization?", c.scopes, c.expires_at,
                  c.disabled_at, c.created_by_name, c.created_at, c.secret_rotated_at,
                  (select max(issued_at) from api_token t
                    where t.api_client_id = c.api_client_id) as last_token_at
             from api_client c left join organization o using (organization_id)
            order by c.created_at desc, c.name"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ApiClientRow {
            client_id: r.api_client_id.to_string(),
            name: r.name,
            organization: r.organization,
            scopes: r.scopes,
            expires_at: r.expires_at.map(rfc3339),
            disabled_at: r.disabled_at.map(rfc3339),
            created_by: r.created_by_name,
            created_at: rfc3339(r.created_at),
            secret_rotated_at: r.secret_rotated_at.map(rfc3339),
            last_token_at: r.last_token_at.map(rfc3339),
        })
        .collect())
}

fn parse_id(text: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text.trim()).map_err(|_| AppError::BadId {
        what: "an API client".into(),
        text: text.to_string(),
    })
}

/// The client's name and organization, locked for a change.
async fn locked(
    tx: &mut sqlx::PgConnection,
    client_id: Uuid,
) -> Result<(String, Option<String>), AppError> {
    let row = sqlx::query!(
        r#"select c.name, o.name as "organization?" from api_client c
             left join organization o using (organization_id)
            where c.api_client_id = $1 for update of c"#,
        client_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("API client {client_id}")))?;
    Ok((row.name, row.organization))
}

async fn audit_change(
    tx: &mut sqlx::PgConnection,
    author: &Author<'_>,
    action: AuditAction,
    client_id: Uuid,
    (name, organization): (String, Option<String>),
) -> Result<(), AppError> {
    let event = AuditEvent::new(action, Outcome::Success)
        .with_target(client_id.to_string())
        .with_parameters(json!({ "name": name }));
    let event = match organization {
        Some(organization) => event.with_organization(organization),
        None => event,
    };
    audit::record(&mut *tx, author.actor, author.meta, event).await?;
    Ok(())
}

/// Disables (`enabled` false) or enables a client; disabling ends its tokens.
pub async fn set_enabled(
    pool: &PgPool,
    author: Author<'_>,
    client_id: &str,
    enabled: bool,
) -> Result<(), AppError> {
    let client_id = parse_id(client_id)?;
    let mut tx = pool.begin().await?;
    let described = locked(&mut tx, client_id).await?;
    sqlx::query!(
        "update api_client set disabled_at = case when $2 then null else coalesce(disabled_at, now()) end
          where api_client_id = $1",
        client_id,
        enabled
    )
    .execute(&mut *tx)
    .await?;
    if !enabled {
        sqlx::query!("delete from api_token where api_client_id = $1", client_id)
            .execute(&mut *tx)
            .await?;
    }
    let action = if enabled {
        AuditAction::ApiClientEnable
    } else {
        AuditAction::ApiClientDisable
    };
    audit_change(&mut tx, &author, action, client_id, described).await?;
    tx.commit().await?;
    Ok(())
}

/// A new secret for the client (shown once); the old secret and every token it obtained stop
/// working at once.
pub async fn rotate(
    pool: &PgPool,
    author: Author<'_>,
    client_id: &str,
) -> Result<IssuedSecret, AppError> {
    let client_id = parse_id(client_id)?;
    let secret = fresh(SECRET_PREFIX);
    let mut tx = pool.begin().await?;
    let described = locked(&mut tx, client_id).await?;
    sqlx::query!(
        "update api_client set secret_sha256 = $2, secret_rotated_at = now() where api_client_id = $1",
        client_id,
        digest(&secret)
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("delete from api_token where api_client_id = $1", client_id)
        .execute(&mut *tx)
        .await?;
    let name = described.0.clone();
    audit_change(
        &mut tx,
        &author,
        AuditAction::ApiClientRotate,
        client_id,
        described,
    )
    .await?;
    tx.commit().await?;
    Ok(IssuedSecret {
        client_id: client_id.to_string(),
        name,
        secret,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_scopes_and_expiry_are_checked() {
        assert!(check_name(" CRM sync-1 ").is_ok());
        assert!(check_name("-crm").is_err());
        assert!(check_name("crm/1").is_err());
        assert!(check_name(&"a".repeat(65)).is_err());
        assert_eq!(
            check_scopes(&["dnc".into(), "dnc".into(), "reports".into()]).unwrap(),
            vec!["dnc", "reports"]
        );
        assert!(check_scopes(&[]).is_err());
        assert!(check_scopes(&["everything".into()]).is_err());
        assert_eq!(check_expiry("", "UTC").unwrap(), None);
        assert!(check_expiry("2020-01-01", "UTC").is_err());
        assert!(check_expiry("2999-02-30", "UTC").is_err());
        let end = check_expiry("2999-01-31", "Europe/London")
            .unwrap()
            .unwrap();
        assert_eq!(rfc3339(end), "2999-02-01T00:00:00Z");
    }
}
