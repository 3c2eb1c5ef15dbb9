//! One address at a time: `IsDNC` on the common and the organization's list, and add / remove on
//! the organization's list (POM's SOAP AgentAPI). A phone number is read by the phone rules and
//! sent in POM's form (`OCM_POM_PHONE_FORMAT`); a check looks up every form POM may hold it in,
//! so an entry made in another form is found. Every add or remove is registered (proof of
//! suppression) and audited, whatever POM answered; POM's rules come back as plain words.

use serde_json::json;

use super::parse::{normalise_address, Checked};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::erasure::tombstone::{self, erased_reason};
use crate::error::AppError;
use crate::model::{AuditAction, DncAction, DncActionResult, DncCheck, DncEntryState, DncSource};
use pom::client::PomError;
use time::OffsetDateTime;

/// Add or remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Add,
    Remove,
}

fn normalised(ctx: &Ctx, address: &str) -> Result<Checked, AppError> {
    normalise_address(address.trim(), &ctx.state.settings.phone)
        .map_err(|reason| AppError::validation("address", reason))
}

/// Whether the address, in any form POM may hold it, is on the common list and on the
/// organization's.
pub async fn check(ctx: &Ctx, address: &str) -> Result<DncCheck, AppError> {
    check_for(ctx, address, &ctx.user.organization).await
}

/// [`check`] against `organization`'s list (an admin acting for another organization).
pub async fn check_for(ctx: &Ctx, address: &str, organization: &str) -> Result<DncCheck, AppError> {
    let checked = normalised(ctx, address)?;
    let rules = &ctx.state.settings.phone;
    let forms = match &checked.phone {
        Some(phone) => phone.forms(rules.format, rules.region),
        None => vec![checked.value.clone()],
    };
    let client = ctx.state.pom()?;
    let (mut common, mut on_own, mut listed_as) = (false, false, Vec::new());
    for form in &forms {
        for (list, label) in [
            (None, "common list"),
            (Some(organization), "organization's list"),
        ] {
            // A list POM does not have (-40: no common list at this site) holds nothing.
            let listed = match client.is_dnc(form, list).await {
                Err(PomError::Fault { code: -40, .. }) => false,
                other => other?,
            };
            if listed {
                if list.is_some() {
                    on_own = true;
                } else {
                    common = true;
                }
                listed_as.push(format!("{form} ({label})"));
            }
        }
    }
    Ok(DncCheck {
        address: checked.value,
        shown: checked.phone.map(|p| p.shown()),
        warning: checked
            .phone
            .and_then(|p| p.warning())
            .map(|w| w.to_string()),
        common,
        organization: on_own,
        forms,
        listed_as,
    })
}

/// POM refusals that are answers (already listed, not listed, not allowed, not an address),
/// not failures of the system.
fn is_rule(error: &PomError) -> bool {
    matches!(error.fault_code(), Some(-9 | -17 | -18 | -19 | -21 | -40))
}

/// `message` with the address replaced by words.
fn without_address(message: &str, address: &str) -> String {
    let replaced = message.replace(address, "the address");
    let mut chars = replaced.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Refuses the address of a person erased on request: OCM does not send it anywhere.
pub(super) async fn refuse_erased(
    ctx: &Ctx,
    organization: &str,
    checked: &Checked,
) -> Result<(), AppError> {
    let erased = tombstone::load(
        &ctx.state.pool,
        &ctx.state.settings.erasure_key,
        organization,
    )
    .await?;
    let erasure = match &checked.phone {
        Some(phone) => erased.phone(phone),
        None => erased.email(&checked.value),
    };
    match erasure {
        Some(erasure_id) => Err(AppError::validation(
            "address",
            format!(
                "This address belongs to a person {}.",
                erased_reason(erasure_id)
            ),
        )),
        None => Ok(()),
    }
}

/// Adds the address to, or removes it from, the organization's DNC list; an addition may expire
/// (`timed`). The request is registered (pending) and audited before POM is called, then the
/// registry gets POM's answer.
pub async fn change(
    ctx: &Ctx,
    address: &str,
    change: Change,
    expires_at: Option<OffsetDateTime>,
) -> Result<DncActionResult, AppError> {
    let checked = normalised(ctx, address)?;
    let expires_at = match change {
        Change::Add => expires_at,
        Change::Remove => None,
    };
    let organization = ctx.user.organization.clone();
    refuse_erased(ctx, &organization, &checked).await?;
    let address = checked.value;
    let warning = checked.phone.and_then(|p| p.warning());
    let client = ctx.state.pom()?;
    let (action, verb, audit_action) = match change {
        Change::Add => (DncAction::Add, "added to", AuditAction::DncAdd),
        Change::Remove => (DncAction::Remove, "removed from", AuditAction::DncRemove),
    };
    // Through the API the registry says so (source `api`).
    let source = match ctx.user.api_client {
        Some(_) => DncSource::Api,
        None => DncSource::Single,
    };
    let mut tx = ctx.state.pool.begin().await?;
    let entry_id = sqlx::query_scalar!(
        r#"insert into dnc_entry (organization, address, action, source, list_name, requested_by,
               requested_by_name, state, expires_at)
           values ($1, $2, $3, $6, $1, $4, $5, 'pending', $7) returning dnc_entry_id"#,
        organization,
        address,
        action.as_str(),
        ctx.user.stored_id(),
        ctx.user.username,
        source.as_str(),
        expires_at,
    )
    .fetch_one(&mut *tx)
    .await?;
    let event = AuditEvent::new(audit_action, Outcome::Success)
        .with_organization(organization.clone())
        .with_target(format!("DNC registry entry #{entry_id}"))
        .with_parameters(json!({ "registry_entry": entry_id, "step": "requested" }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    let result = match change {
        Change::Add => client.add_to_dnc_list(&address, Some(&organization)).await,
        Change::Remove => {
            client
                .remove_from_dnc_list(&address, Some(&organization))
                .await
        }
    };
    let (done, message, failure) = match &result {
        Ok(true) => (
            true,
            match warning {
                Some(warning) => format!(
                    "{address} was {verb} {organization}'s DNC list ({warning}: check the number)."
                ),
                None => format!("{address} was {verb} {organization}'s DNC list."),
            } + &expires_at.map_or(String::new(), |at| {
                format!(" OCM takes it off again on {}.", crate::dates::rfc3339(at))
            }),
            None,
        ),
        Ok(false) => (
            false,
            format!("POM did not confirm that {address} was {verb} the list."),
            None,
        ),
        Err(error) if is_rule(error) => (false, error.user_message(), None),
        // No answer: POM may or may not have made the change.
        Err(error @ (PomError::Timeout(_) | PomError::Transport(_))) => (
            false,
            format!(
                "{} The change may or may not have been made; check the address.",
                error.user_message()
            ),
            Some(error.clone()),
        ),
        Err(error) => (false, error.user_message(), Some(error.clone())),
    };
    let state = if done {
        DncEntryState::Confirmed
    } else {
        DncEntryState::Failed
    };
    // The registry's outcome and the audit record say what happened without the address: the
    // registry row holds it once (erasable), the append-only audit log never.
    let recorded = without_address(&message, &address);
    let mut tx = ctx.state.pool.begin().await?;
    sqlx::query!(
        "update dnc_entry set state = $2, confirmed_at = case when $3 then now() end, outcome = $4
         where dnc_entry_id = $1",
        entry_id,
        state.as_str(),
        done,
        recorded,
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new(
        audit_action,
        if done {
            Outcome::Success
        } else {
            Outcome::Failure
        },
    )
    .with_organization(organization)
    .with_target(format!("DNC registry entry #{entry_id}"))
    .with_parameters(
        json!({ "registry_entry": entry_id, "step": "answered", "outcome": recorded }),
    );
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    if let Some(error) = failure {
        return Err(error.into());
    }
    Ok(DncActionResult {
        address,
        shown: checked.phone.map(|p| p.shown()),
        done,
        message,
    })
}
