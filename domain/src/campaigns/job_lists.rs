//! Adding a contact list to a campaign's running job (POM `AddContactListToJob`; MaxContact's list
//! "activation", seed 003): the list must be one of the organization's; a `pending` action row
//! is written before POM is asked, then POM's answer, audited, as for every campaign action.

use super::actions::conclude;
use super::campaign_in;
use super::organization_for;
use super::record::{begin, Answer, Pending};
use crate::access::Ctx;
use crate::error::AppError;
use crate::lists;
use crate::model::{ActionOutcome, AuditAction};

/// How POM fetches the list's contacts against the job's other lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListPriority {
    Low,
    #[default]
    Medium,
    High,
}

impl ListPriority {
    pub fn as_pom(self) -> &'static str {
        match self {
            ListPriority::Low => "LOW",
            ListPriority::Medium => "MEDIUM",
            ListPriority::High => "HIGH",
        }
    }
}

/// Adds `list` to `campaign`'s running job.
pub async fn add_list(
    ctx: &Ctx,
    organization: &str,
    campaign: &str,
    list: &str,
    (priority, apply_filter): (ListPriority, bool),
) -> Result<ActionOutcome, AppError> {
    let organization = organization_for(&ctx.user, organization)?;
    campaign_in(ctx, &organization, campaign).await?;
    let what = format!("adding a list to {campaign}");
    super::emergency::mode::refuse_starts(ctx, &organization, &what).await?;
    // OCM's POM account sees every organization: the list's owner is checked here.
    let known = lists::lists_of(&ctx.state, &organization).await?;
    if !known.iter().any(|l| l.name == list) {
        return Err(AppError::NotFound(format!("Contact list {list}")));
    }
    let pending = Pending {
        organization: &organization,
        campaign,
        job_id: None,
        action: "add_list",
        state_before: None,
        emergency_stop_id: None,
    };
    let action_id = begin(&ctx.state.pool, ctx, pending).await?;
    let pom = ctx.state.pom()?;
    let answer = match pom
        .add_contact_list_to_job(campaign, list, priority.as_pom(), apply_filter)
        .await
    {
        Ok(()) => Answer::ok(
            format!("{list} was added to the running job of {campaign}."),
            "Result=0".into(),
        ),
        Err(error) => Answer::from_error(&error),
    };
    let outcome = conclude(
        ctx,
        action_id,
        &organization,
        campaign,
        AuditAction::CampaignAddList,
        None,
        answer,
    )
    .await;
    if outcome.is_ok() {
        // The catalogue names each campaign's lists: read it again, then the board.
        ctx.state.campaigns.catalogue(&organization, true).await?;
        ctx.state.campaigns.nudge();
    }
    outcome
}
