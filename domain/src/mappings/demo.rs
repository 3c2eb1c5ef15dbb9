//! Demo mode's mappings: the simulator's campaigns and agents put in the demo teams once, on the
//! first start, so the mappings screen (and the reports that group by team) show something real.

use sqlx::PgPool;

/// Maps `campaigns` (organization, name) and `agents` (id, organization) to the team of their
/// organization in `teams` (organization, team name), from the first day of this month, when
/// nothing is mapped yet.
pub async fn seed_demo(
    pool: &PgPool,
    campaigns: &[(String, String)],
    agents: &[(String, String)],
    teams: &[(&str, &str)],
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mapped = sqlx::query_scalar!(
        r#"select (select count(*) from campaign_team) + (select count(*) from agent_team) as "count!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    if mapped > 0 {
        return Ok(());
    }
    let team_of = |organization: &str| {
        teams
            .iter()
            .find(|(org, _)| *org == organization)
            .map(|(_, team)| *team)
    };
    for (organization, campaign) in campaigns {
        let Some(team) = team_of(organization) else {
            continue;
        };
        sqlx::query!(
            "insert into campaign_team (organization, campaign_name, team_id, created_by)
             select $1, $2, team_id, 'demo' from team where name = $3",
            organization,
            campaign,
            team
        )
        .execute(&mut *tx)
        .await?;
    }
    for (agent, organization) in agents {
        let Some(team) = team_of(organization) else {
            continue;
        };
        sqlx::query!(
            "insert into agent_team (agent_id, team_id, valid_from, created_by)
             select $1, team_id, date_trunc('month', now())::date, 'demo' from team where name = $2",
            agent,
            team
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
