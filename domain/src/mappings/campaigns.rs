//! Campaign → teams: POM's campaigns per active organization, with their contact lists (from the
//! catalogue), joined to the teams OCM maps to them; mapped campaigns POM no longer lists stay
//! visible. Setting a campaign's teams replaces them, audited with before and after.

use std::collections::BTreeMap;

use serde_json::json;

use crate::access::Ctx;
use crate::admin::audit_change;
use crate::error::AppError;
use crate::model::{AuditAction, CampaignMapping, TeamRef};

/// Every mapped campaign with its teams, by organization and name.
async fn mapped(pool: &sqlx::PgPool) -> Result<BTreeMap<(String, String), Vec<TeamRef>>, AppError> {
    let rows = sqlx::query!(
        "select m.organization, m.campaign_name, t.team_id, t.name
           from campaign_team m join team t using (team_id)
          order by m.organization, m.campaign_name, t.name"
    )
    .fetch_all(pool)
    .await?;
    let mut found: BTreeMap<(String, String), Vec<TeamRef>> = BTreeMap::new();
    for row in rows {
        found
            .entry((row.organization, row.campaign_name))
            .or_default()
            .push(TeamRef {
                team_id: row.team_id,
                name: row.name,
            });
    }
    Ok(found)
}

/// POM's campaigns with their teams; POM failures are named per organization, not fatal.
pub async fn with_pom(ctx: &Ctx) -> Result<(Vec<CampaignMapping>, Vec<String>), AppError> {
    let mut teams = mapped(&ctx.state.pool).await?;
    let organizations = sqlx::query_scalar!(
        "select name from organization where deactivated_at is null order by name"
    )
    .fetch_all(&ctx.state.pool)
    .await?;
    let mut campaigns = Vec::new();
    let mut problems = Vec::new();
    for organization in organizations {
        let listed = match ctx.state.pom() {
            Ok(pom) => pom.campaigns(&organization).await.map_err(AppError::from),
            Err(error) => Err(error),
        };
        match listed {
            Ok(found) => {
                for campaign in found
                    .into_iter()
                    .filter(|c| c.organization_name.as_deref() == Some(organization.as_str()))
                {
                    let key = (organization.clone(), campaign.campaign_name.clone());
                    campaigns.push(CampaignMapping {
                        organization: organization.clone(),
                        campaign: campaign.campaign_name,
                        lists: campaign.contact_lists,
                        teams: teams.remove(&key).unwrap_or_default(),
                        in_pom: true,
                    });
                }
            }
            Err(error) => problems.push(format!("{organization}: {error}")),
        }
    }
    campaigns.extend(
        teams
            .into_iter()
            .map(|((organization, campaign), teams)| CampaignMapping {
                organization,
                campaign,
                lists: Vec::new(),
                teams,
                in_pom: false,
            }),
    );
    campaigns.sort_by(|a, b| (&a.organization, &a.campaign).cmp(&(&b.organization, &b.campaign)));
    Ok((campaigns, problems))
}

/// Replaces the teams of one campaign. Every team must be active and of the campaign's
/// organization; an empty list unmaps the campaign.
pub async fn set_teams(
    ctx: &Ctx,
    organization: &str,
    campaign: &str,
    team_ids: &[i64],
) -> Result<(), AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    set_teams_in(&mut tx, ctx, organization, campaign, team_ids).await?;
    tx.commit().await?;
    Ok(())
}

/// [`set_teams`] inside the caller's transaction (imports apply many at once).
pub async fn set_teams_in(
    conn: &mut sqlx::PgConnection,
    ctx: &Ctx,
    organization: &str,
    campaign: &str,
    team_ids: &[i64],
) -> Result<(), AppError> {
    let campaign = campaign.trim();
    if campaign.is_empty() || campaign.chars().count() > 200 {
        return Err(AppError::validation(
            "campaign",
            "name the campaign (at most 200 characters)",
        ));
    }
    let names = sqlx::query!(
        r#"select t.team_id, t.name from team t join organization o using (organization_id)
            where t.team_id = any($1) and o.name = $2 and t.deactivated_at is null"#,
        team_ids,
        organization
    )
    .fetch_all(&mut *conn)
    .await?;
    if names.len()
        != team_ids
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    {
        return Err(AppError::validation(
            "team_ids",
            format!("choose active teams of {organization} only"),
        ));
    }
    let before = sqlx::query_scalar!(
        "select t.name from campaign_team m join team t using (team_id)
          where m.organization = $1 and m.campaign_name = $2 order by t.name",
        organization,
        campaign
    )
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from campaign_team where organization = $1 and campaign_name = $2",
        organization,
        campaign
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into campaign_team (organization, campaign_name, team_id, created_by)
         select $1, $2, unnest($3::bigint[]), $4",
        organization,
        campaign,
        team_ids,
        ctx.user.username
    )
    .execute(&mut *conn)
    .await?;
    let mut after: Vec<String> = names.into_iter().map(|n| n.name).collect();
    after.sort();
    audit_change(
        conn,
        ctx,
        AuditAction::MappingCampaign,
        campaign,
        organization,
        json!({ "teams": before }),
        json!({ "teams": after }),
    )
    .await?;
    Ok(())
}
