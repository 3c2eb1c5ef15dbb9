//! Starting a signed-in session once every factor checked out: a new session id (against
//! fixation), this browser's previous session replaced, the `login_session` row and the
//! `login.success` record written in one transaction.

use serde_json::json;
use tower_sessions::Session;
use uuid::Uuid;

use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{AuditAction, CurrentUser};
use crate::request_meta::RequestMeta;
use crate::session_end::{session_error, SESSION_KEY};
use crate::state::AppState;

/// Signs `user` in on this browser; `second_factor` names how the second factor was given.
pub async fn start(
    state: &AppState,
    session: &Session,
    meta: &RequestMeta,
    user: &CurrentUser,
    second_factor: Option<&str>,
) -> Result<(), AppError> {
    let previous = session
        .get::<Uuid>(SESSION_KEY)
        .await
        .map_err(session_error)?;
    // A new session id at sign-in defeats session fixation.
    session.cycle_id().await.map_err(session_error)?;
    let login_session_id = Uuid::new_v4();
    let mut tx = state.pool.begin().await?;
    if let Some(previous) = previous {
        sqlx::query!(
            "update login_session set ended_at = now(), end_reason = 'replaced' where login_session_id = $1 and ended_at is null",
            previous
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        r#"
        insert into login_session (login_session_id, app_user_id, client_addr, user_agent)
        values ($1, $2, $3, $4)
        "#,
        login_session_id,
        user.user_id,
        meta.client_addr,
        meta.user_agent,
    )
    .execute(&mut *tx)
    .await?;
    let mut event = AuditEvent::new(AuditAction::LoginSuccess, Outcome::Success);
    if let Some(how) = second_factor {
        event = event.with_parameters(json!({ "second_factor": how }));
    }
    audit::record(&mut *tx, &Actor::user(user), meta, event).await?;
    tx.commit().await?;
    session
        .insert(SESSION_KEY, login_session_id)
        .await
        .map_err(session_error)?;
    Ok(())
}
