//! Device cookies: after a successful sign-in the browser gets a random token (cookie
//! `ocm_device`, only its hash is stored) tied to the user name. While someone guesses that user's
//! password from elsewhere, a browser that has signed in before skips the slow-down and has its
//! own lane for the password check.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// The cookie's name.
pub const DEVICE_COOKIE: &str = "ocm_device";
/// How long a device is remembered after its last sign-in.
pub const DEVICE_LIFETIME: Duration = Duration::from_secs(90 * 86_400);
/// Longest token worth hashing; anything longer is not one of ours.
const MAX_TOKEN: usize = 64;

fn digest(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// The `ocm_device` value of a `Cookie` header, if any.
pub fn from_cookie_header(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == DEVICE_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty() && value.len() <= MAX_TOKEN)
}

/// The `Set-Cookie` value for a new token: only sent to the sign-in form, never readable by
/// scripts, never sent cross-site.
pub fn set_cookie(token: &str, secure: bool) -> String {
    format!(
        "{DEVICE_COOKIE}={token}; Path=/auth; Max-Age={}; HttpOnly; SameSite=Strict{}",
        DEVICE_LIFETIME.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// True when `token` was issued to this user name's successful sign-in within the lifetime.
pub async fn recognised(
    pool: &PgPool,
    username: &str,
    token: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let Some(token) = token else {
        return Ok(false);
    };
    let found = sqlx::query_scalar!(
        r#"select count(*) as "found!" from login_device
           where token_sha256 = $1 and username = $2
             and last_used_at > now() - make_interval(secs => $3)"#,
        digest(token),
        username,
        DEVICE_LIFETIME.as_secs_f64(),
    )
    .fetch_one(pool)
    .await?;
    Ok(found > 0)
}

/// After a successful sign-in: renews the device's token, or issues a new one; returns it.
pub async fn issue(
    pool: &PgPool,
    username: &str,
    previous: Option<&str>,
) -> Result<String, sqlx::Error> {
    if let Some(previous) = previous {
        sqlx::query!(
            "delete from login_device where token_sha256 = $1",
            digest(previous)
        )
        .execute(pool)
        .await?;
    }
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    sqlx::query!(
        "insert into login_device (token_sha256, username) values ($1, $2)",
        digest(&token),
        username
    )
    .execute(pool)
    .await?;
    Ok(token)
}

/// Forgets devices unused for longer than the lifetime.
pub async fn prune(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from login_device where last_used_at < now() - make_interval(secs => $1)",
        DEVICE_LIFETIME.as_secs_f64()
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_found_among_others_and_bounded() {
        assert_eq!(
            from_cookie_header("ocm_session=abc; ocm_device=tok-1_x; other=2"),
            Some("tok-1_x")
        );
        assert_eq!(from_cookie_header("ocm_session=abc"), None);
        assert_eq!(
            from_cookie_header(&format!("ocm_device={}", "x".repeat(65))),
            None
        );
        let cookie = set_cookie("t", true);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        assert!(cookie.ends_with("; Secure") && cookie.contains("Path=/auth"));
    }
}
