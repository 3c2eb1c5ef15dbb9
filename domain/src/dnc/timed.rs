//! Timed DNC: an address added with an expiry (from the API, the DNC page or an upload) is taken
//! off the organization's list when it expires, unless it was added again since without an
//! expiry (or with a later one), or was on POM's list before the timed entry was sent
//! (`keep_if_listed`: its expiry must not take off what someone listed for good). Each removal
//! is registered (source `expiry`) and audited before POM is asked, like any removal; an entry is
//! held by one instance at a time and one that could not be removed is tried again, waiting
//! longer each time, ten times at most. State lives in `dnc_entry`, so a restart loses nothing.

use serde_json::json;

use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// Entries looked at per round: few enough to be done well within the ten-minute claim even when
/// POM answers slowly.
const ROUND: i64 = 20;
/// Removals tried per entry before it stays `failed` (shown on the DNC List report).
const ATTEMPTS: i32 = 10;

struct Due {
    entry: i64,
    organization: String,
    address: String,
    /// The removal entry of an earlier attempt, sent again rather than registered twice.
    removal: Option<i64>,
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
               expiry_claimed_until = now() + interval '10 minutes',
               expiry_attempts = e.expiry_attempts + 1
           where e.dnc_entry_id in (
                   select dnc_entry_id from dnc_entry
                   where expires_at <= now() and action = 'add' and state = 'confirmed'
                     and erased_by is null and expiry_attempts < $2
                     and (expiry_state is null
                          or (expiry_state in ('removing', 'failed') and expiry_claimed_until < now()))
                   order by expires_at limit $1 for update skip locked)
           returning e.dnc_entry_id, e.organization, e.address, e.expiry_removal,
               exists(select 1 from dnc_entry o
                      where o.organization = e.organization and o.address = e.address
                        and o.action = 'add' and o.state in ('pending', 'confirmed')
                        and o.dnc_entry_id <> e.dnc_entry_id
                        and (o.expires_at is null or o.expires_at > now())
                        and o.requested_at > coalesce(
                              (select max(r.requested_at) from dnc_entry r
                               where r.organization = e.organization and r.address = e.address
                                 and r.action = 'remove' and r.state = 'confirmed'),
                              '-infinity')) as "kept!""#,
        ROUND,
        ATTEMPTS,
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| Due {
        entry: r.dnc_entry_id,
        organization: r.organization,
        address: r.address,
        removal: r.expiry_removal,
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
    let removal = match due.removal {
        Some(removal) => {
            sqlx::query!(
                "update dnc_entry set state = 'pending', outcome = null where dnc_entry_id = $1",
                removal
            )
            .execute(pool)
            .await?;
            removal
        }
        None => {
            sqlx::query_scalar!(
                "with removal as (
                     insert into dnc_entry (organization, address, action, source, list_name,
                         requested_by_name, state)
                     select organization, address, 'remove', 'expiry', list_name, 'ocm (timed DNC)',
                            'pending'
                     from dnc_entry where dnc_entry_id = $1 returning dnc_entry_id)
                 update dnc_entry set expiry_removal = (select dnc_entry_id from removal)
                 where dnc_entry_id = $1 returning expiry_removal as \"removal!\"",
                due.entry
            )
            .fetch_one(pool)
            .await?
        }
    };
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
    // A failure is tried again later, waiting longer each time, up to [`ATTEMPTS`].
    sqlx::query!(
        "update dnc_entry set expiry_state = case when $2 then 'removed' else 'failed' end,
             expiry_claimed_until = case when $2 then null
                 else now() + least(interval '1 hour', interval '5 minutes' * expiry_attempts) end
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

/// Marks timed entries whose address POM already lists on the organization's list as `kept`:
/// the entry's expiry must not take off an address that was listed without it. `entries` are
/// (entry, address); read eight at a time. An address that cannot be read is left as it is.
pub async fn keep_if_listed(
    state: &AppState,
    organization: &str,
    entries: &[(i64, String)],
) -> Result<(), sqlx::Error> {
    let Ok(pom) = state.pom() else {
        return Ok(());
    };
    let mut listed = Vec::new();
    for chunk in entries.chunks(8) {
        let reads = futures::future::join_all(
            chunk
                .iter()
                .map(|(_, address)| pom.is_dnc(address, Some(organization))),
        )
        .await;
        listed.extend(
            chunk
                .iter()
                .zip(reads)
                .filter(|(_, read)| matches!(read, Ok(true)))
                .map(|((entry, _), _)| *entry),
        );
    }
    sqlx::query!(
        "update dnc_entry set expiry_state = 'kept'
         where dnc_entry_id = any($1) and expires_at is not null",
        &listed,
    )
    .execute(&state.pool)
    .await?;
    Ok(())
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
