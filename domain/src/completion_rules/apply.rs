//! One application carried to POM: claimed (a lease, so a stopped instance's work is taken up
//! again), the snapshot and an audit record written before POM is asked (for an attribute its
//! value before; for uncallable and DNC a pending registry entry), then POM's answer recorded
//! and audited. No answer, a 5xx or a contact being dialled is tried again later; a refusal is
//! final, in plain words.

mod ledger;

use pom::client::rest::ContactSearch;
use pom::client::{PomClient, PomError};
use sqlx::PgPool;

pub use ledger::give_up_exhausted;
use ledger::{before, finish, Ending, MAX_TRIES};
use time::OffsetDateTime;

use crate::contacts::text_of;
use crate::error::AppError;
use crate::model::RuleAction;
use crate::state::AppState;

/// How long a claim lasts: one application's POM calls (three at most, each with the client's
/// timeout and retries of reads) with room to spare. The claim's `tries` fences its writes.
const LEASE_SECONDS: f64 = 300.0;

/// A claimed application with its rule.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub application_id: i64,
    pub rule_id: i64,
    pub organization: String,
    pub attempt_ended_at: OffsetDateTime,
    pub session_id: String,
    pub campaign: String,
    pub list_name: String,
    pub user_contact_id: String,
    pub completion_code: String,
    pub value: Option<String>,
    pub tries: i32,
    pub action: RuleAction,
    pub attribute: Option<String>,
    pub rule_disabled: bool,
}

/// Claims up to `limit` applications that are due.
pub async fn claim(pool: &PgPool, limit: i64) -> Result<Vec<Claimed>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"update completion_rule_application a
              set claimed_until = now() + make_interval(secs => $2), tries = a.tries + 1
             from completion_rule r
            where r.completion_rule_id = a.completion_rule_id
              and a.application_id in (
                  select application_id from completion_rule_application
                   where state = 'pending' and next_try_at <= now() and tries < $3
                     and (claimed_until is null or claimed_until < now())
                   order by next_try_at limit $1 for update skip locked)
        returning a.application_id, a.completion_rule_id, a.organization, a.attempt_ended_at,
                  a.session_id, a.campaign, a.list_name, a.user_contact_id, a.completion_code,
                  a.value, a.tries, r.action, r.attribute, r.disabled_at is not null as "disabled!""#,
        limit,
        LEASE_SECONDS,
        MAX_TRIES,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Claimed {
            application_id: r.application_id,
            rule_id: r.completion_rule_id,
            organization: r.organization,
            attempt_ended_at: r.attempt_ended_at,
            session_id: r.session_id,
            campaign: r.campaign,
            list_name: r.list_name,
            user_contact_id: r.user_contact_id,
            completion_code: r.completion_code,
            value: r.value,
            tries: r.tries,
            action: RuleAction::from(r.action),
            attribute: r.attribute,
            rule_disabled: r.disabled,
        })
        .collect())
}

/// Carries one claimed application to POM and records how it ended. An application whose claim
/// was lost (another instance took it after the lease ran out) is left to that instance.
pub async fn apply_one(state: &AppState, claimed: &Claimed) -> Result<(), AppError> {
    if claimed.rule_disabled {
        let ending = Ending::Failed("Not applied: the rule was disabled first.".into());
        return finish(state, claimed, None, ending).await;
    }
    let pom = state.pom()?;
    // POM's organization search is a "like": the list must be exactly this organization's.
    let list_id = match pom.contact_lists(&claimed.organization).await {
        Ok(lists) => lists
            .into_iter()
            .find(|l| {
                l.contact_list_name == claimed.list_name
                    && l.organization_name.as_deref() == Some(claimed.organization.as_str())
            })
            .map(|l| l.contact_list_id),
        Err(error) => return finish(state, claimed, None, pom_ending(claimed, &error)).await,
    };
    let Some(list_id) = list_id else {
        let ending = Ending::Failed(format!(
            "The list {} is no longer one of {}'s lists in POM.",
            claimed.list_name, claimed.organization
        ));
        return finish(state, claimed, None, ending).await;
    };
    let previous = match (&claimed.action, &claimed.attribute) {
        (RuleAction::SetAttribute, Some(attribute)) => {
            let search = ContactSearch {
                attribute: "userContactId".into(),
                operator: "equals".into(),
                value: claimed.user_contact_id.clone(),
            };
            match pom.contacts_page(list_id, 0, 1, Some(&search)).await {
                Ok(page) => page.contacts.first().map(|c| text_of(c, attribute)),
                Err(error) => {
                    return finish(state, claimed, None, pom_ending(claimed, &error)).await
                }
            }
        }
        _ => None,
    };
    let address = dialled(state, claimed).await?;
    if claimed.action == RuleAction::AddDnc && address.is_none() {
        let ending = Ending::Failed(NO_NUMBER.into());
        return finish(state, claimed, None, ending).await;
    }
    let Some(entry) = before(state, claimed, previous.as_deref(), address.as_deref()).await? else {
        return Ok(());
    };
    let answer = ask(pom, claimed, list_id, address.as_deref()).await;
    let ending = match answer {
        Ok(words) => Ending::Applied(words),
        Err(error) => pom_ending(claimed, &error),
    };
    finish(state, claimed, entry, ending).await
}

/// Said when the call data no longer holds the number (retention, erasure).
const NO_NUMBER: &str = "The call data holds no number for this call any more.";

/// The number the attempt dialled, while the call data holds it.
async fn dialled(state: &AppState, claimed: &Claimed) -> Result<Option<String>, AppError> {
    if claimed.action == RuleAction::SetAttribute {
        return Ok(None);
    }
    Ok(sqlx::query_scalar!(
        "select address from call_attempt where occurred_at = $1 and session_id = $2",
        claimed.attempt_ended_at,
        claimed.session_id,
    )
    .fetch_optional(&state.pool)
    .await?
    .flatten()
    .filter(|a| !a.is_empty() && a != crate::erasure::ocm_stores::ERASED))
}

/// Asks POM to do what the rule says; POM's answer in words, or its failure.
async fn ask(
    pom: &PomClient,
    claimed: &Claimed,
    list_id: i64,
    address: Option<&str>,
) -> Result<String, PomError> {
    let value = claimed.value.as_deref().unwrap_or_default();
    match (&claimed.action, &claimed.attribute, address) {
        (RuleAction::SetAttribute, Some(attribute), _) => pom
            .update_contact_attribute(
                &claimed.user_contact_id,
                &claimed.list_name,
                attribute,
                value,
            )
            .await
            .map(|()| format!("{attribute} set to “{value}”.")),
        (RuleAction::MarkUncallable, ..) => {
            let rejected = pom
                .mark_uncallable(list_id, std::slice::from_ref(&claimed.user_contact_id))
                .await?;
            match rejected.0.is_empty() {
                true => Ok("The contact was marked uncallable.".to_string()),
                false => Err(PomError::Fault {
                    operation: "markuncallable".into(),
                    code: -2,
                    message: "contact not in the list".into(),
                }),
            }
        }
        (RuleAction::AddDnc, _, Some(address)) => {
            match pom
                .add_to_dnc_list(address, Some(&claimed.organization))
                .await
            {
                Ok(_) => Ok(format!(
                    "The number was added to {}'s DNC list.",
                    claimed.organization
                )),
                // The wanted state holds.
                Err(error) if error.fault_code() == Some(-9) => {
                    Ok("The number was already on the DNC list.".to_string())
                }
                Err(error) => Err(error),
            }
        }
        // The table's checks keep these out; said rather than assumed.
        _ => Err(PomError::Fault {
            operation: "rule".into(),
            code: 0,
            message: "This rule is incomplete or unknown to this version of OCM.".into(),
        }),
    }
}

/// POM's failure as an ending: worth another try, or final in plain words.
fn pom_ending(claimed: &Claimed, error: &PomError) -> Ending {
    let words = match error {
        PomError::Fault {
            code: 0, message, ..
        } => message.clone(),
        _ => error.user_message(),
    };
    let again = error.is_transient() || error.is_attempt_in_progress();
    if again && claimed.tries < MAX_TRIES {
        Ending::Retry(words)
    } else {
        Ending::Failed(words)
    }
}
