//! The signed-in user's own password, and setting one through a set-password link.

use leptos::prelude::*;

use crate::error::AppError;

/// Changes the caller's password (the current one is checked). Allowed while a one-time password
/// still has to be replaced: this is how it is replaced.
#[server(endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    repeat: String,
) -> Result<(), AppError> {
    use domain::auth::Activity;
    let ctx = crate::guard::signed_in(Activity::Touch).await?;
    let session = crate::guard::login_session_id().await?;
    domain::account::change_password(&ctx, session, &current_password, &new_password, &repeat).await
}

/// The user a set-password link is for (no sign-in: the link's token is the proof).
#[server(endpoint = "account/link")]
pub async fn password_link_user(token: String) -> Result<String, AppError> {
    let state = crate::guard::app_state()?;
    domain::account::link_user(&state, &token).await
}

/// Sets the password through a link; answers the user name to sign in with.
#[server(endpoint = "account/set-password")]
pub async fn set_password_with_link(
    token: String,
    new_password: String,
    repeat: String,
) -> Result<String, AppError> {
    let state = crate::guard::app_state()?;
    let meta = crate::guard::request_meta().await?;
    domain::account::set_with_link(&state, &meta, &token, &new_password, &repeat).await
}
