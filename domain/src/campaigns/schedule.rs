//! One-off scheduled starts (`ScheduleCampaign`): the wall time and zone the user chose are sent
//! to POM as `yyyy/MM/dd HH:mm:ss`; OCM keeps each accepted schedule to list it. POM offers no
//! way to cancel one, so the list says so instead of offering a button.

use serde_json::json;
use time::{OffsetDateTime, PrimitiveDateTime};

use super::actions::campaign_in;
use super::organization_for;
use super::record::{begin, finish, Answer, Pending};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::dates::{instant_in_zone, pom_wall_time, rfc3339};
use crate::error::AppError;
use crate::model::{AuditAction, ScheduleOptions, ScheduledStart};

/// The zones offered and the configured default (first).
pub fn schedule_options(ctx: &Ctx) -> ScheduleOptions {
    let default_zone = ctx.state.settings.campaigns.time_zone.clone();
    let mut zones: Vec<String> = pom::zones::names().map(str::to_string).collect();
    if !zones.contains(&default_zone) {
        zones.insert(0, default_zone.clone());
    }
    ScheduleOptions {
        zones,
        default_zone,
    }
}

/// Reads `yyyy-MM-ddTHH:mm[:ss]` (a date-time input) into POM's format and the instant it means
/// in `zone` (daylight saving included). Pure, for tests.
pub fn parse_start(start: &str, zone: &str) -> Result<(String, OffsetDateTime), AppError> {
    let unknown_zone = || {
        AppError::validation(
            "time_zone",
            format!("“{zone}” is not a time zone OCM knows."),
        )
    };
    if zone.trim().is_empty() || pom_wall_time(zone, OffsetDateTime::now_utc()).is_none() {
        return Err(unknown_zone());
    }
    let start = start.trim();
    let with_seconds = if start.len() == 16 {
        format!("{start}:00")
    } else {
        start.to_string()
    };
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let local = PrimitiveDateTime::parse(&with_seconds, &format).map_err(|_| {
        AppError::validation(
            "start",
            format!("“{start}” is not a date and time; use YYYY-MM-DD HH:MM."),
        )
    })?;
    let pom_format =
        time::macros::format_description!("[year]/[month]/[day] [hour]:[minute]:[second]");
    let text = local
        .format(&pom_format)
        .map_err(|e| crate::error::internal(&e))?;
    let utc = instant_in_zone(zone, local).ok_or_else(|| {
        AppError::validation(
            "start",
            format!("{text} does not exist in {zone} (a daylight-saving gap)."),
        )
    })?;
    Ok((text, utc))
}

/// Asks POM to start the campaign once at `start` in `zone`.
pub async fn schedule(
    ctx: &Ctx,
    organization: &str,
    campaign: &str,
    start: &str,
    zone: &str,
) -> Result<ScheduledStart, AppError> {
    let organization = organization_for(&ctx.user, organization)?;
    let (start_local, starts_at) = parse_start(start, zone)?;
    let what = format!("scheduling {campaign}");
    super::emergency::mode::refuse_starts(ctx, &organization, &what).await?;
    if starts_at < OffsetDateTime::now_utc() - time::Duration::minutes(1) {
        return Err(AppError::validation(
            "start",
            format!(
                "{} in {zone} has already passed.",
                start_local.replace('/', "-")
            ),
        ));
    }
    campaign_in(ctx, &organization, campaign).await?;
    let client = ctx.state.pom()?;
    let pending = Pending {
        organization: &organization,
        campaign,
        job_id: None,
        action: "schedule",
        state_before: None,
        emergency_stop_id: None,
    };
    let pool = &ctx.state.pool;
    let action_id = begin(pool, ctx, pending).await?;
    let result = client.schedule_campaign(campaign, &start_local, zone).await;
    let answer = match &result {
        Ok(code) => Answer::ok(
            // POM's `yyyy/MM/dd` is its format, not the user's: dates read `yyyy-MM-dd` everywhere.
            format!(
                "{campaign} will start at {} ({zone}).",
                start_local.replace('/', "-")
            ),
            format!("Result={code}"),
        ),
        Err(error) => Answer::from_error(error),
    };
    finish(pool, action_id, None, &answer).await?;
    let event = AuditEvent::new(
        AuditAction::CampaignSchedule,
        if result.is_ok() {
            Outcome::Success
        } else {
            Outcome::Failure
        },
    )
    .with_organization(organization.as_str())
    .with_target(campaign)
    .with_parameters(json!({
        "start": start_local, "time_zone": zone, "outcome": answer.outcome,
        "message": answer.message, "pom_answer": answer.pom_answer,
    }));
    audit::record(pool, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    // Every open board hears of the new action.
    ctx.state.campaigns.nudge();
    let code = result.map_err(|_| AppError::ExternalService(answer.message.clone()))?;
    let row = sqlx::query!(
        r#"
        insert into campaign_schedule
            (organization, campaign, start_local, time_zone, starts_at, pom_result,
             requested_by, requested_by_name)
        values ($1, $2, $3, $4, $5, $6, $7, $8)
        returning campaign_schedule_id, requested_at
        "#,
        organization,
        campaign,
        start_local,
        zone,
        starts_at,
        code,
        ctx.user.stored_id(),
        ctx.user.username,
    )
    .fetch_one(pool)
    .await?;
    Ok(ScheduledStart {
        schedule_id: row.campaign_schedule_id,
        campaign: campaign.to_string(),
        start_local,
        time_zone: zone.to_string(),
        starts_at: rfc3339(starts_at),
        due: starts_at <= OffsetDateTime::now_utc(),
        job_id: None,
        requested_by: ctx.user.username.clone(),
        requested_at: rfc3339(row.requested_at),
    })
}

/// The organization's scheduled starts: upcoming first (soonest first), then the last week's.
pub async fn scheduled(ctx: &Ctx, organization: &str) -> Result<Vec<ScheduledStart>, AppError> {
    let organization = organization_for(&ctx.user, organization)?;
    let rows = sqlx::query!(
        r#"
        select campaign_schedule_id, campaign, start_local, time_zone, starts_at, job_id,
               requested_by_name, requested_at, starts_at <= now() as "due!"
        from campaign_schedule
        where organization = $1 and starts_at > now() - interval '7 days'
        order by starts_at <= now(), case when starts_at > now() then starts_at end,
                 starts_at desc
        limit 200
        "#,
        organization,
    )
    .fetch_all(&ctx.state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ScheduledStart {
            schedule_id: r.campaign_schedule_id,
            campaign: r.campaign,
            start_local: r.start_local,
            time_zone: r.time_zone,
            starts_at: rfc3339(r.starts_at),
            due: r.due,
            job_id: r.job_id,
            requested_by: r.requested_by_name,
            requested_at: rfc3339(r.requested_at),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_time_input_becomes_pom_format_and_an_instant() {
        let (text, utc) = parse_start("2026-12-01T09:30", "Asia/Kolkata").unwrap();
        assert_eq!(text, "2026/12/01 09:30:00");
        assert_eq!(rfc3339(utc), "2026-12-01T04:00:00Z");
        let (text, _) = parse_start("2026-12-01T09:30:15", "UTC").unwrap();
        assert_eq!(text, "2026/12/01 09:30:15");
    }

    #[test]
    fn bad_times_and_zones_name_their_field() {
        let zone = parse_start("2026-12-01T09:30", "Mars/Olympus").unwrap_err();
        assert!(matches!(zone, AppError::Validation { ref field, .. } if field == "time_zone"));
        let start = parse_start("2026-02-30T09:30", "UTC").unwrap_err();
        assert!(matches!(start, AppError::Validation { ref field, .. } if field == "start"));
        let start = parse_start("tomorrow", "UTC").unwrap_err();
        assert!(matches!(start, AppError::Validation { ref field, .. } if field == "start"));
    }
}
