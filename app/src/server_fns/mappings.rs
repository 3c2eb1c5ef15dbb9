//! The campaign/agent → team mappings (admins only).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{MappingImport, Mappings};

#[cfg(feature = "ssr")]
async fn admin(action: crate::model::AuditAction) -> Result<domain::access::Ctx, AppError> {
    crate::guard::require(action, domain::admin::ROLES).await
}

/// POM's campaigns with their teams, and the agents' teams.
#[server(endpoint = "admin/mappings")]
pub async fn get_mappings() -> Result<Mappings, AppError> {
    let ctx = admin(crate::model::AuditAction::AdminRead).await?;
    domain::mappings::overview(&ctx).await
}

/// Sets the teams that work a campaign (none: unmapped).
#[server(endpoint = "admin/mappings/campaign", input = server_fn::codec::Json)]
pub async fn set_campaign_teams(
    organization: String,
    campaign: String,
    team_ids: Vec<i64>,
) -> Result<(), AppError> {
    let ctx = admin(crate::model::AuditAction::MappingCampaign).await?;
    domain::mappings::campaigns::set_teams(&ctx, &organization, &campaign, &team_ids).await
}

/// Puts an agent in a team from a day (until a day, or on).
#[server(endpoint = "admin/mappings/agent")]
pub async fn add_agent_team(
    agent_id: String,
    team_id: i64,
    valid_from: String,
    valid_to: Option<String>,
) -> Result<(), AppError> {
    let ctx = admin(crate::model::AuditAction::MappingAgent).await?;
    domain::mappings::agents::add_one(&ctx, &agent_id, team_id, &valid_from, valid_to.as_deref())
        .await
}

/// Ends an agent's period on a day.
#[server(endpoint = "admin/mappings/agent-end")]
pub async fn end_agent_team(agent_team_id: i64, valid_to: String) -> Result<(), AppError> {
    let ctx = admin(crate::model::AuditAction::MappingAgent).await?;
    domain::mappings::agents::end(&ctx, agent_team_id, &valid_to).await
}

/// Checks (and with `apply`, applies whole) a mappings CSV: `kind` is `campaigns` or `agents`.
#[server(endpoint = "admin/mappings/import", input = server_fn::codec::Json)]
pub async fn import_mappings(
    kind: String,
    text: String,
    apply: bool,
) -> Result<MappingImport, AppError> {
    use domain::mappings::import::{self, Kind};
    let ctx = admin(crate::model::AuditAction::MappingCampaign).await?;
    let kind = match kind.as_str() {
        "campaigns" => Kind::Campaigns,
        "agents" => Kind::Agents,
        _ => return Err(AppError::validation("kind", "choose campaigns or agents")),
    };
    import::import(&ctx, kind, &text, apply).await
}
