//! Agent → team over time: an agent belongs to one team on any day; periods of one agent never
//! overlap (checked under a lock on the agent). A period is added, or ended on a day; history
//! stays, so reports of last month still name last month's team.

use serde_json::json;
use time::Date;

use crate::access::Ctx;
use crate::admin::audit_change;
use crate::error::AppError;
use crate::model::{AgentMapping, AuditAction};

/// Every period, by agent and start.
pub async fn all(pool: &sqlx::PgPool) -> Result<Vec<AgentMapping>, AppError> {
    let rows = sqlx::query!(
        "select a.agent_team_id, a.agent_id, a.team_id, t.name as team, o.name as organization,
                a.valid_from, a.valid_to
           from agent_team a join team t using (team_id) join organization o using (organization_id)
          order by a.agent_id, a.valid_from"
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AgentMapping {
            agent_team_id: r.agent_team_id,
            agent_id: r.agent_id,
            team_id: r.team_id,
            team: r.team,
            organization: r.organization,
            valid_from: r.valid_from.to_string(),
            valid_to: r.valid_to.map(|d| d.to_string()),
        })
        .collect())
}

/// A day typed as `YYYY-MM-DD`, for `field`.
pub fn day(field: &str, text: &str) -> Result<Date, AppError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).map_err(|_| {
        AppError::validation(
            field,
            format!("“{}” is not a day; use YYYY-MM-DD", text.trim()),
        )
    })
}

/// An agent id as POM shows it: 1 to 64 visible characters.
pub fn agent_id(text: &str) -> Result<String, AppError> {
    let id = text.trim();
    if id.is_empty() || id.chars().count() > 64 || id.chars().any(|c| c.is_control()) {
        return Err(AppError::validation(
            "agent_id",
            "use the agent's POM id (1 to 64 characters)",
        ));
    }
    Ok(id.to_string())
}

/// Whether exactly this period is stored already (a re-imported export adds nothing).
pub async fn exists(
    conn: &mut sqlx::PgConnection,
    agent: &str,
    team_id: i64,
    from: Date,
    to: Option<Date>,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select exists (select 1 from agent_team where agent_id = $1 and team_id = $2
                           and valid_from = $3 and valid_to is not distinct from $4) as "found!""#,
        agent,
        team_id,
        from,
        to
    )
    .fetch_one(conn)
    .await?)
}

/// Adds a period; refused if it overlaps another period of the agent (the message names it).
pub async fn add(
    conn: &mut sqlx::PgConnection,
    ctx: &Ctx,
    agent: &str,
    team_id: i64,
    from: Date,
    to: Option<Date>,
) -> Result<(), AppError> {
    if to.is_some_and(|to| to <= from) {
        return Err(AppError::validation(
            "valid_to",
            "the end must be after the start",
        ));
    }
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtext('agent_team:' || $1))",
        agent
    )
    .execute(&mut *conn)
    .await?;
    let team = sqlx::query!(
        r#"select t.name, o.name as organization from team t join organization o using (organization_id)
            where t.team_id = $1 and t.deactivated_at is null"#,
        team_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::validation("team_id", "choose one of the active teams"))?;
    let clash = sqlx::query!(
        "select t.name, a.valid_from, a.valid_to from agent_team a join team t using (team_id)
          where a.agent_id = $1 and daterange(a.valid_from, a.valid_to) && daterange($2, $3)
          limit 1",
        agent,
        from,
        to
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(clash) = clash {
        let until = clash
            .valid_to
            .map_or("on".to_string(), |d| format!("until {d}"));
        return Err(AppError::validation(
            "valid_from",
            format!(
                "{agent} is in {} from {} {until}: end that period first",
                clash.name, clash.valid_from
            ),
        ));
    }
    sqlx::query!(
        "insert into agent_team (agent_id, team_id, valid_from, valid_to, created_by)
         values ($1, $2, $3, $4, $5)",
        agent,
        team_id,
        from,
        to,
        ctx.user.username
    )
    .execute(&mut *conn)
    .await?;
    audit_change(
        conn,
        ctx,
        AuditAction::MappingAgent,
        agent,
        &team.organization,
        json!(null),
        json!({ "team": team.name, "valid_from": from.to_string(), "valid_to": to.map(|d| d.to_string()) }),
    )
    .await?;
    Ok(())
}

/// Adds one period from the page.
pub async fn add_one(
    ctx: &Ctx,
    agent: &str,
    team_id: i64,
    from: &str,
    to: Option<&str>,
) -> Result<(), AppError> {
    let agent = agent_id(agent)?;
    let from = day("valid_from", from)?;
    let to = to
        .filter(|t| !t.trim().is_empty())
        .map(|t| day("valid_to", t))
        .transpose()?;
    let mut tx = ctx.state.pool.begin().await?;
    add(&mut tx, ctx, &agent, team_id, from, to).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends an open period on `to` (exclusive: the agent's last day in the team is the day before).
pub async fn end(ctx: &Ctx, agent_team_id: i64, to: &str) -> Result<(), AppError> {
    let to = day("valid_to", to)?;
    let mut tx = ctx.state.pool.begin().await?;
    let row = sqlx::query!(
        r#"select a.agent_id, a.valid_from, a.valid_to, t.name as team, o.name as organization
             from agent_team a join team t using (team_id) join organization o using (organization_id)
            where a.agent_team_id = $1 for update of a"#,
        agent_team_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("Agent mapping {agent_team_id}")))?;
    if to <= row.valid_from || row.valid_to.is_some_and(|end| to > end) {
        return Err(AppError::validation(
            "valid_to",
            format!(
                "end it after {} and no later than it ends already",
                row.valid_from
            ),
        ));
    }
    sqlx::query!(
        "update agent_team set valid_to = $2 where agent_team_id = $1",
        agent_team_id,
        to
    )
    .execute(&mut *tx)
    .await?;
    audit_change(
        &mut tx,
        ctx,
        AuditAction::MappingAgent,
        &row.agent_id,
        &row.organization,
        json!({ "team": row.team, "valid_to": row.valid_to.map(|d| d.to_string()) }),
        json!({ "team": row.team, "valid_to": to.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
