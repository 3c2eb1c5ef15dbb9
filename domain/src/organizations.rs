//! The organizations OCM knows (`organization`) and which of them a user sees.

use sqlx::PgPool;

use crate::error::AppError;
use crate::model::{CurrentUser, Role};

/// The organizations whose lists and campaigns `user` sees (admins: every one OCM knows).
pub async fn for_user(pool: &PgPool, user: &CurrentUser) -> Result<Vec<String>, AppError> {
    if user.role != Role::Admin {
        return Ok(vec![user.organization.clone()]);
    }
    all(pool).await
}

/// Every organization OCM knows.
pub async fn all(pool: &PgPool) -> Result<Vec<String>, AppError> {
    Ok(
        sqlx::query_scalar!("select name from organization order by name")
            .fetch_all(pool)
            .await?,
    )
}
