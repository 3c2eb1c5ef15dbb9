//! System status for the dashboard.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SystemStatus;

/// Database and POM health with the running version. Any signed-in role.
#[server(endpoint = "status/system")]
pub async fn get_system_status() -> Result<SystemStatus, AppError> {
    use crate::guard;
    use domain::{auth::Activity, status};
    let ctx = guard::signed_in(Activity::Touch).await?;
    Ok(status::system(&ctx.state).await)
}
