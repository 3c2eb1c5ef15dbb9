//! The first password of a new or reset user: a one-time password (shown once, to be replaced at
//! the first sign-in) or a set-password link (only the token's SHA-256 is stored; one use, within
//! `LINK_VALID_FOR`).

use base64::Engine;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::{Credential, PasswordDelivery};
use crate::passwords;

/// How long a set-password link works.
pub const LINK_VALID_FOR: time::Duration = time::Duration::hours(24);

/// The page a set-password link opens.
pub const LINK_PATH: &str = "/account/set-password";

/// What to store for a user about to receive `delivery`: the password hash, and the credential
/// to show once (its link not yet stored: [`store_link`] does that with the user's id).
pub async fn issue(
    username: &str,
    delivery: PasswordDelivery,
) -> Result<(String, Credential, Option<String>), AppError> {
    match delivery {
        PasswordDelivery::OneTimePassword => {
            let password = passwords::one_time_password();
            let hash = passwords::hash_off_thread(password.clone()).await?;
            let credential = Credential {
                username: username.to_string(),
                one_time_password: Some(password),
                link: None,
                expires_at: None,
            };
            Ok((hash, credential, None))
        }
        PasswordDelivery::Link => {
            // Nobody knows this password: the user signs in only after choosing one by the link.
            let hash = passwords::hash_off_thread(passwords::one_time_password()).await?;
            let token = token();
            let expires = time::OffsetDateTime::now_utc() + LINK_VALID_FOR;
            let credential = Credential {
                username: username.to_string(),
                one_time_password: None,
                link: Some(format!("{LINK_PATH}?token={token}")),
                expires_at: Some(rfc3339(expires)),
            };
            Ok((hash, credential, Some(token)))
        }
    }
}

/// Ends every unused set-password link of a user (a new password, one way or another).
pub async fn expire_links(conn: &mut PgConnection, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update password_link set expires_at = least(expires_at, now())
          where app_user_id = $1 and used_at is null",
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores a link's token hash for `user_id`; earlier links of that user stop working.
pub async fn store_link(
    conn: &mut PgConnection,
    user_id: i64,
    token: &str,
) -> Result<(), sqlx::Error> {
    expire_links(&mut *conn, user_id).await?;
    sqlx::query!(
        "insert into password_link (token_sha256, app_user_id, expires_at)
         values ($1, $2, now() + make_interval(secs => $3))",
        token_hash(token),
        user_id,
        LINK_VALID_FOR.as_seconds_f64(),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// 32 random bytes, URL-safe.
fn token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a link token.
pub fn token_hash(token: &str) -> String {
    crate::audit_trail::hex(&Sha256::digest(token.as_bytes()))
}
