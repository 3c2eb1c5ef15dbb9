//! Timed DNC: an address added with an expiry (from the API, the DNC page or an upload) is taken
//! off the organization's list when it expires, unless it was added again since without an
//! expiry (or with a later one). Each removal is registered (source `expiry`) and audited before
//! POM is asked, like any removal; an entry is held by one instance at a time and one that could
//! not be removed is tried again five minutes later. State lives in `dnc_entry`, so a restart
//! loses nothing.

use serde_json::json;

use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// Entries looked at per round.
const ROUND: i64 = 100;

struct Due {
    entry: i64,
    organization: String,
    address: String,
    kept: bool,
}

fn actor(organization: &str) -> Actor {
    Actor {
        username: Some("ocm (timed DNC)".into()),
        organization: Some(organization.to_string()),
        ..Actor::default()
    }
}

async fn audit(
    state: &AppState,
    due: &Due,
    outcome: Outcome,
    parameters: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let event = AuditEvent::new(AuditAction::DncExpired, outcome)
        .with_organization(due.organization.clone())
        .with_target(format!("DNC registry entry #{}", due.entry))
        .with_parameters(parameters);
    audit::record(
        &state.pool,
        &actor(&due.organization),
        &RequestMeta::background("timed-dnc"),
        event,
    )
    .await
}

async fn claim(state: &AppState) -> Result<Vec<Due>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"update dnc_entry e set expiry_state = 'removing',
               expiry_claimed_until = now() + interval '5 minutes'
           where e.dnc_entry_id in (
                   select dnc_entry_id from dnc_entry
                   where expires_at <= now() and action = 'add' and state = 'confirmed'
                     and (expiry_state is null
                          or (expiry_state in ('removing', 'failed') and expiry_claimed_until < now()))
                   order by expires_at limit $1 for update skip locked)
           returning e.dnc_entry_id, e.organization, e.address,
               exists(select 1 from dnc_entry o
                      where o.organization = e.organization and o.address = e.address
                        and o.action = 'add' and o.state = 'confirmed'
                        and o.dnc_entry_id <> e.dnc_entry_id
                        and (o.expires_at is null or o.expires_at > now())
                        and o.requested_at > coalesce(
                              (select max(r.requested_at) from dnc_entry r
                               where r.organization = e.organization and r.address = e.address
                                 and r.action = 'remove' and r.state = 'confirmed'),
                              '-infinity')) as "kept!""#,
        ROUND,
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| Due {
        entry: r.dnc_entry_id,
        organization: r.organization,
        address: r.address,
        kept: r.kept,
    })
    .collect())
}

async fn remove(state: &AppState, due: &Due) -> Result<(), sqlx::Error> {
    let pool = &state.pool;
    if due.kept {
        sqlx::query!(
            "update dnc_entry set expiry_state = 'kept' where dnc_entry_id = $1",
            due.entry
        )
        .execute(pool)
        .await?;
        let why = "added again since without an expiry, or with a later one";
        return audit(state, due, Outcome::Success, json!({ "kept": why })).await;
    }
    let removal = sqlx::query_scalar!(
        "insert into dnc_entry (organization, address, action, source, list_name,
             requested_by_name, state)
         select organization, address, 'remove', 'expiry', list_name, 'ocm (timed DNC)', 'pending'
         from dnc_entry where dnc_entry_id = $1 returning dnc_entry_id",
        due.entry
    )
    .fetch_one(pool)
    .await?;
    audit(
        state,
        due,
        Outcome::Success,
        json!({ "step": "requested", "removal_entry": removal }),
    )
    .await?;
    let answer = match state.pom() {
        Ok(pom) => pom
            .remove_from_dnc_list(&due.address, Some(&due.organization))
            .await
            .map_err(|e| (e.fault_code(), e.user_message())),
        Err(error) => Err((None, error.to_string())),
    };
    // -17: not on the list any more, which is what was wanted.
    let (removed, outcome) = match answer {
        Ok(true) | Err((Some(-17), _)) => (
            true,
            "removed from POM's list: the entry expired".to_string(),
        ),
        Ok(false) => (false, "POM did not confirm the removal".to_string()),
        Err((_, message)) => (false, message.replace(&due.address, "the address")),
    };
    sqlx::query!(
        "update dnc_entry set state = case when $2 then 'confirmed' else 'failed' end,
             confirmed_at = case when $2 then now() end, outcome = $3
         where dnc_entry_id = $1",
        removal,
        removed,
        outcome,
    )
    .execute(pool)
    .await?;
    sqlx::query!(
        "update dnc_entry set expiry_state = case when $2 then 'removed' else 'failed' end
         where dnc_entry_id = $1",
        due.entry,
        removed,
    )
    .execute(pool)
    .await?;
    let result = if removed {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    audit(
        state,
        due,
        result,
        json!({ "step": "answered", "removal_entry": removal, "outcome": outcome }),
    )
    .await
}

/// Takes the entries that expired off their lists; returns how many were handled.
pub async fn expire_due(state: &AppState) -> Result<usize, sqlx::Error> {
    let due = claim(state).await?;
    for entry in &due {
        remove(state, entry).await?;
    }
    Ok(due.len())
}

/// The longest a timed entry may last; longer is simply permanent.
pub const LONGEST_DAYS: i64 = 3660;

/// The expiry of an entry that comes off the list "on" `day` (`YYYY-MM-DD`, empty: never): the
/// start of that day in the reports' time zone, which must be in the future.
pub fn expiry_on(
    day: &str,
    zone: &str,
    field: &str,
) -> Result<Option<time::OffsetDateTime>, crate::error::AppError> {
    use crate::error::AppError;
    let day = day.trim();
    if day.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(day, &format)
        .map_err(|_| AppError::validation(field, "a day as YYYY-MM-DD"))?;
    let at = crate::dates::instant_in_zone(zone, date.midnight())
        .ok_or_else(|| AppError::validation(field, format!("no such day in {zone}")))?;
    check_expiry(at, field)?;
    Ok(Some(at))
}

/// Refuses an expiry in the past or more than ten years ahead.
pub fn check_expiry(at: time::OffsetDateTime, field: &str) -> Result<(), crate::error::AppError> {
    use crate::error::AppError;
    let now = time::OffsetDateTime::now_utc();
    if at <= now {
        return Err(AppError::validation(field, "must be in the future"));
    }
    if at > now + time::Duration::days(LONGEST_DAYS) {
        return Err(AppError::validation(
            field,
            "at most ten years ahead (leave it out for a permanent entry)",
        ));
    }
    Ok(())
}
