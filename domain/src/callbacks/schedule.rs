//! A callback scheduled from OCM through POM's `ScheduleCallBack` (seed 004 L2866): checked
//! field by field, audited as requested before POM is asked and with POM's answer after, POM's
//! refusals in plain words. POM gives it to the campaign's first running job; the call-data feed
//! then brings it to the dashboard like any other callback.

use pom::client::{CallbackSchedule, PomError};
use serde_json::json;
use time::OffsetDateTime;

use super::form::check;
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::campaigns::{campaign_in, organization_for, Answer};
use crate::dates::rfc3339;
use crate::dnc;
use crate::error::AppError;
use crate::model::{AuditAction, CallbackScheduleForm, Role, ScheduledCallback};

/// Who may schedule callbacks (managers read the dashboard only).
pub const ROLES: [Role; 2] = [Role::Admin, Role::Supervisor];

/// Callback faults in this operation's words (the general texts speak of DNC lists and jobs).
fn plain(fault: Option<i32>) -> Option<&'static str> {
    Some(match fault? {
        -2 => "The contact was not found in that list.",
        -19 => "POM has no valid number for this callback: give a phone number, or check the contact's.",
        -28 => "That contact list is not one of this organization's.",
        -39 => "POM could not schedule the callback: the campaign needs a running job, the list must be one of its lists and the times must be in the future.",
        _ => return None,
    })
}

/// Schedules the callback through POM for the caller's organization.
pub async fn schedule(
    ctx: &Ctx,
    form: &CallbackScheduleForm,
) -> Result<ScheduledCallback, AppError> {
    ctx.require(AuditAction::CallbackSchedule, &ROLES).await?;
    let asked = form
        .organization
        .clone()
        .unwrap_or_else(|| ctx.user.organization.clone());
    let organization = organization_for(&ctx.user, &asked)?;
    let checked = check(form, &ctx.state.settings.phone, OffsetDateTime::now_utc())?;
    let (campaign, list, contact) = (
        form.campaign.trim(),
        form.list.trim(),
        form.contact_id.trim(),
    );
    campaign_in(ctx, &organization, campaign).await?;
    // A callback makes POM dial: refused while emergency mode is on, as starts are.
    let what = format!("scheduling a callback in {campaign}");
    crate::campaigns::emergency::mode::refuse_starts(ctx, &organization, &what).await?;
    // OCM's POM account sees every organization: the list's owner is checked here.
    let known = crate::lists::lists_of(&ctx.state, &organization).await?;
    if !known.iter().any(|l| l.name == list) {
        return Err(AppError::NotFound(format!("Contact list {list}")));
    }
    // A number given instead of the contact's is not dialled when it is on a DNC list.
    if let Some(address) = &checked.address {
        let listed = dnc::single::check_for(ctx, address, &organization).await?;
        if listed.common || listed.organization {
            return Err(AppError::validation(
                "address",
                "This number is on a do-not-call list; it cannot be called back.",
            ));
        }
    }
    let zone = form.time_zone.trim();
    let parameters = json!({
        "list": list, "contact_id": contact, "due": checked.due.0, "expires": checked.expires.0,
        "time_zone": zone, "phone_attribute": form.phone_attribute, "address_given": checked.address.is_some(),
    });
    let actor = Actor::user(&ctx.user);
    let requested = AuditEvent::new(AuditAction::CallbackScheduleRequested, Outcome::Success)
        .with_organization(organization.as_str())
        .with_target(campaign)
        .with_parameters(parameters.clone());
    audit::record(&ctx.state.pool, &actor, &ctx.meta, requested).await?;
    let request = CallbackSchedule {
        campaign,
        list,
        user_contact_id: contact,
        start: &checked.due.0,
        end: &checked.expires.0,
        time_zone: Some(zone),
        phone_attribute: form.phone_attribute.as_deref().filter(|a| !a.is_empty()),
        address: checked.address.as_deref(),
        notes: form.notes.trim(),
    };
    let result = ctx.state.pom()?.schedule_callback(&request).await;
    let local = |text: &str| text.replace('/', "-");
    let mut answer = match &result {
        Ok(()) => Answer::ok(
            format!(
                "POM will offer the callback from {} to {} ({zone}).",
                local(&checked.due.0),
                local(&checked.expires.0)
            ),
            "Result=0".into(),
        ),
        Err(error) => Answer::from_error(error),
    };
    if let Some(words) = plain(answer.fault) {
        answer.message = match &result {
            // POM's own reason says which of the checks failed.
            Err(PomError::Fault {
                code: -39, message, ..
            }) => format!("{words} POM said: “{message}”"),
            _ => words.to_string(),
        };
    }
    if matches!(result, Err(PomError::Timeout(_) | PomError::Transport(_))) {
        answer.message = format!(
            "POM did not answer, so the callback may or may not have been scheduled: look for it \
             on the dashboard once the call data has arrived before asking again. ({})",
            types::error::MAY_HAVE_ACTED.trim_end_matches('.')
        );
    }
    let outcome = if result.is_ok() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let mut parameters = parameters;
    parameters["outcome"] = answer.outcome.into();
    // POM's -19 text carries the number: the audit keeps the code and OCM's words only.
    let (message, pom_answer) = match answer.fault {
        Some(-19) => (
            answer.message.clone(),
            "ScheduleCallBack refused (code -19)".to_string(),
        ),
        _ => (answer.message.clone(), answer.pom_answer.clone()),
    };
    parameters["message"] = message.into();
    parameters["pom_answer"] = pom_answer.into();
    let event = AuditEvent::new(AuditAction::CallbackSchedule, outcome)
        .with_organization(organization.as_str())
        .with_target(campaign)
        .with_parameters(parameters);
    audit::record(&ctx.state.pool, &actor, &ctx.meta, event).await?;
    match answer.outcome {
        "ok" => Ok(ScheduledCallback {
            campaign: campaign.to_string(),
            list: list.to_string(),
            contact_id: contact.to_string(),
            due_local: local(&checked.due.0),
            expires_local: local(&checked.expires.0),
            time_zone: zone.to_string(),
            due_at: rfc3339(checked.due.1),
            expires_at: rfc3339(checked.expires.1),
            message: answer.message,
        }),
        "refused" => Err(AppError::PomRefused {
            message: answer.message,
            fault: answer.fault,
        }),
        _ => Err(AppError::ExternalService(answer.message)),
    }
}
