//! Seed 001's "Campaign – Organization – Team – Contact list" mapping (admins): which teams work a
//! POM campaign (`campaigns`: shown with the campaign's lists from POM, unmapped ones flagged) and
//! which team a POM agent belongs to over time (`agents`); both exported and imported as CSV
//! (`csv`, pure; `import` applies a file whole or not at all), every change audited with what was
//! before.

pub mod agents;
pub mod campaigns;
pub mod csv;
pub mod demo;
pub mod import;

use crate::access::Ctx;
use crate::error::AppError;
use crate::model::Mappings;

/// The whole screen: POM's campaigns with their teams, and the agents' teams.
pub async fn overview(ctx: &Ctx) -> Result<Mappings, AppError> {
    let (campaigns, pom_problems) = campaigns::with_pom(ctx).await?;
    Ok(Mappings {
        campaigns,
        agents: agents::all(&ctx.state.pool).await?,
        pom_problems,
    })
}
