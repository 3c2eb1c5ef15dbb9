//! The automation API's clients (`/admin/api-clients`, admins only; refusals audited): list,
//! register (the secret shown once), disable and enable, rotate the secret.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ApiClientsView, IssuedSecret, NewApiClient};

/// The signed-in admin's context, and who they are for the audit.
#[cfg(feature = "ssr")]
async fn admin(action: crate::model::AuditAction) -> Result<domain::access::Ctx, AppError> {
    crate::guard::require(action, domain::admin::ROLES).await
}

/// Every client and the organizations OCM knows.
#[server(endpoint = "admin/api-clients")]
pub async fn get_api_clients() -> Result<ApiClientsView, AppError> {
    let ctx = admin(crate::model::AuditAction::ApiClientList).await?;
    Ok(ApiClientsView {
        clients: domain::api::clients::list(&ctx.state.pool).await?,
        organizations: domain::organizations::all(&ctx.state.pool).await?,
    })
}

/// Registers a client; its secret is in the answer and never again.
#[server(endpoint = "admin/api-clients/create", input = server_fn::codec::Json)]
pub async fn create_api_client(new: NewApiClient) -> Result<IssuedSecret, AppError> {
    use domain::api::clients::{create, Author};
    let ctx = admin(crate::model::AuditAction::ApiClientAdd).await?;
    let actor = domain::audit::Actor::user(&ctx.user);
    let author = Author {
        actor: &actor,
        meta: &ctx.meta,
    };
    let zone = &ctx.state.settings.call_data.time_zone;
    create(&ctx.state.pool, author, &new, zone).await
}

/// Disables (its tokens end at once) or enables a client.
#[server(endpoint = "admin/api-clients/enabled")]
pub async fn set_api_client_enabled(client_id: String, enabled: bool) -> Result<(), AppError> {
    use crate::model::AuditAction;
    use domain::api::clients::{set_enabled, Author};
    let action = if enabled {
        AuditAction::ApiClientEnable
    } else {
        AuditAction::ApiClientDisable
    };
    let ctx = admin(action).await?;
    let actor = domain::audit::Actor::user(&ctx.user);
    let author = Author {
        actor: &actor,
        meta: &ctx.meta,
    };
    set_enabled(&ctx.state.pool, author, &client_id, enabled).await?;
    ctx.state.api.tokens.forget_id(&client_id);
    Ok(())
}

/// A new secret for the client, shown once; the old one and its tokens stop working.
#[server(endpoint = "admin/api-clients/rotate")]
pub async fn rotate_api_client(client_id: String) -> Result<IssuedSecret, AppError> {
    use domain::api::clients::{rotate, Author};
    let ctx = admin(crate::model::AuditAction::ApiClientRotate).await?;
    let actor = domain::audit::Actor::user(&ctx.user);
    let author = Author {
        actor: &actor,
        meta: &ctx.meta,
    };
    let issued = rotate(&ctx.state.pool, author, &client_id).await?;
    ctx.state.api.tokens.forget_id(&client_id);
    Ok(issued)
}
