//! Who is signed in, and the inactivity countdown (`remaining` looks, `extend` counts as activity).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Me, SessionTiming};

/// The signed-in user and session timing, for the page shell. Counts as activity.
#[server(endpoint = "session/me")]
pub async fn get_me() -> Result<Me, AppError> {
    use crate::guard;
    use domain::auth::Activity;
    let ctx = guard::signed_in(Activity::Touch).await?;
    Ok(Me {
        user: ctx.user,
        session: ctx.timing,
        demo_mode: ctx.state.settings.demo_mode,
    })
}

/// Seconds left before the session ends, without extending it.
#[server(endpoint = "session/remaining")]
pub async fn session_remaining() -> Result<SessionTiming, AppError> {
    use crate::guard;
    use domain::auth::Activity;
    Ok(guard::signed_in(Activity::Peek).await?.timing)
}

/// Extends the session (the "Extend session" button).
#[server(endpoint = "session/extend")]
pub async fn extend_session() -> Result<SessionTiming, AppError> {
    use crate::guard;
    use domain::auth::Activity;
    Ok(guard::signed_in(Activity::Touch).await?.timing)
}
