//! Importing a mappings CSV: every row checked against OCM's teams and organizations (and agent
//! periods against each other and the stored ones) in one transaction; any problem, or a preview,
//! rolls it all back, so a file is applied whole or not at all.

use std::collections::{BTreeMap, BTreeSet};

use super::{agents, campaigns, csv};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::MappingImport;

/// Which file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Campaigns,
    Agents,
}

async fn team_id(
    conn: &mut sqlx::PgConnection,
    name: &str,
) -> Result<Option<(i64, String)>, AppError> {
    Ok(sqlx::query!(
        r#"select t.team_id, o.name as organization from team t join organization o using (organization_id)
            where t.name = $1 and t.deactivated_at is null"#,
        name
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.team_id, r.organization)))
}

/// Checks `text` and, when `apply` and it is clean, applies it.
pub async fn import(
    ctx: &Ctx,
    kind: Kind,
    text: &str,
    apply: bool,
) -> Result<MappingImport, AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    let (rows, mut problems) = match kind {
        Kind::Campaigns => match csv::parse_campaigns(text) {
            Err(problems) => (0, problems),
            Ok(rows) => (rows.len(), import_campaigns(&mut tx, ctx, rows).await?),
        },
        Kind::Agents => match csv::parse_agents(text) {
            Err(problems) => (0, problems),
            Ok(rows) => (rows.len(), import_agents(&mut tx, ctx, rows).await?),
        },
    };
    problems.truncate(101);
    let applied = apply && problems.is_empty();
    if applied {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(MappingImport {
        rows,
        problems,
        applied,
    })
}

async fn import_campaigns(
    conn: &mut sqlx::PgConnection,
    ctx: &Ctx,
    rows: Vec<csv::CampaignRow>,
) -> Result<Vec<String>, AppError> {
    let mut problems = Vec::new();
    let mut wanted: BTreeMap<(String, String), BTreeSet<i64>> = BTreeMap::new();
    for row in rows {
        match team_id(conn, &row.team).await? {
            None => problems.push(format!(
                "row {}, column team: no active team “{}”",
                row.line, row.team
            )),
            Some((_, organization)) if organization != row.organization => problems.push(format!(
                "row {}, column team: “{}” works in {organization}, not {}",
                row.line, row.team, row.organization
            )),
            Some((id, _)) => {
                wanted
                    .entry((row.organization, row.campaign))
                    .or_default()
                    .insert(id);
            }
        }
    }
    if problems.is_empty() {
        for ((organization, campaign), teams) in wanted {
            let teams: Vec<i64> = teams.into_iter().collect();
            campaigns::set_teams_in(conn, ctx, &organization, &campaign, &teams).await?;
        }
    }
    Ok(problems)
}

async fn import_agents(
    conn: &mut sqlx::PgConnection,
    ctx: &Ctx,
    rows: Vec<csv::AgentRow>,
) -> Result<Vec<String>, AppError> {
    let mut problems = Vec::new();
    for row in rows {
        let outcome = async {
            let agent = agents::agent_id(&row.agent_id)?;
            let from = agents::day("valid_from", &row.valid_from)?;
            let to = row
                .valid_to
                .as_deref()
                .map(|t| agents::day("valid_to", t))
                .transpose()?;
            let (team, _) = team_id(conn, &row.team).await?.ok_or_else(|| {
                AppError::validation("team", format!("no active team “{}”", row.team))
            })?;
            if agents::exists(conn, &agent, team, from, to).await? {
                return Ok(());
            }
            agents::add(conn, ctx, &agent, team, from, to).await
        }
        .await;
        match outcome {
            Ok(()) => {}
            Err(AppError::Validation { field, message }) => {
                problems.push(format!("row {}, column {field}: {message}", row.line));
            }
            Err(other) => return Err(other),
        }
    }
    Ok(problems)
}

/// The mappings of `kind` as a CSV file (the file an import reads), audited.
pub async fn export(ctx: &Ctx, kind: Kind) -> Result<Vec<u8>, AppError> {
    let bytes = match kind {
        Kind::Campaigns => {
            let rows = sqlx::query!(
                "select m.organization, m.campaign_name, t.name as team
                   from campaign_team m join team t using (team_id)
                  order by 1, 2, 3"
            )
            .fetch_all(&ctx.state.pool)
            .await?;
            csv::write(
                &csv::CAMPAIGN_HEADER,
                rows.into_iter()
                    .map(|r| vec![r.organization, r.campaign_name, r.team]),
            )
        }
        Kind::Agents => {
            let rows = agents::all(&ctx.state.pool).await?;
            csv::write(
                &csv::AGENT_HEADER,
                rows.into_iter().map(|r| {
                    vec![
                        r.agent_id,
                        r.team,
                        r.valid_from,
                        r.valid_to.unwrap_or_default(),
                    ]
                }),
            )
        }
    };
    let event = crate::audit::AuditEvent::new(
        crate::model::AuditAction::MappingExport,
        crate::audit::Outcome::Success,
    )
    .with_target(match kind {
        Kind::Campaigns => "campaign-teams.csv",
        Kind::Agents => "agent-teams.csv",
    });
    crate::audit::record(
        &ctx.state.pool,
        &crate::audit::Actor::user(&ctx.user),
        &ctx.meta,
        event,
    )
    .await?;
    Ok(bytes)
}
