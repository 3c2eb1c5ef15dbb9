//! One application carried to POM: claimed (a lease, so a stopped instance's work is taken up
//! again), the snapshot and an audit record written before POM is asked (for an attribute its
//! value before; for uncallable and DNC a pending registry entry), then POM's answer recorded
//! and audited. No answer, a 5xx or a contact being dialled is tried again later; a refusal is
//! final, in plain words.

mod ledger;

use pom::client::rest::ContactSearch;
use pom::client::PomError;
use sqlx::PgPool;

pub use ledger::MAX_TRIES;
use ledger::{before, finish, Ending};
use time::OffsetDateTime;

use crate::contacts::text_of;
use crate::error::AppError;
use crate::model::RuleAction;
use crate::state::AppState;

/// How long a claim lasts (longer than any POM call with its retries).
const LEASE_SECONDS: f64 = 120.0;

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
                   where state = 'pending' and next_try_at <= now()
                     and (claimed_until is null or claimed_until < now())
                   order by next_try_at limit $1 for update skip locked)
        returning a.application_id, a.completion_rule_id, a.organization, a.attempt_ended_at,
                  a.session_id, a.campaign, a.list_name, a.user_contact_id, a.completion_code,
                  a.value, a.tries, r.action, r.attribute, r.disabled_at is not null as "disabled!""#,
        limit,
        LEASE_SECONDS,
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

/// Carries one claimed application to POM and records how it ended.
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
    let entry = before(state, claimed, previous.as_deref()).await?;
    let answer = match (&claimed.action, &claimed.attribute) {
        (RuleAction::SetAttribute, Some(attribute)) => pom
            .update_contact_attribute(
                &claimed.user_contact_id,
                &claimed.list_name,
                attribute,
                claimed.value.as_deref().unwrap_or_default(),
            )
            .await
            .map(|()| {
                format!(
                    "{attribute} set to “{}”.",
                    claimed.value.as_deref().unwrap_or_default()
                )
            }),
        (RuleAction::MarkUncallable, _) => pom
            .mark_uncallable(list_id, std::slice::from_ref(&claimed.user_contact_id))
            .await
            .and_then(|rejected| match rejected.0.is_empty() {
                true => Ok("The contact was marked uncallable.".to_string()),
                false => Err(PomError::Fault {
                    operation: "markuncallable".into(),
                    code: -2,
                    message: "contact not in the list".into(),
                }),
            }),
        (RuleAction::AddDnc, _) => match entry.as_ref().and_then(|e| e.1.clone()) {
            None => Err(PomError::Fault {
                operation: "AddToDNCList".into(),
                code: -18,
                message: "no number".into(),
            }),
            Some(address) => match pom
                .add_to_dnc_list(&address, Some(&claimed.organization))
                .await
            {
                Ok(_) => Ok(format!(
                    "The number was added to {}'s DNC list.",
                    claimed.organization
                )),
                Err(error) if error.fault_code() == Some(-9) => {
                    Ok("The number was already on the DNC list.".to_string())
                }
                Err(error) => Err(error),
            },
        },
        (RuleAction::SetAttribute | RuleAction::Other(_), _) => Err(PomError::Decode {
            what: "the rule".into(),
            excerpt: "an action this version does not know".into(),
        }),
    };
    let ending = match answer {
        Ok(words) => Ending::Applied(words),
        Err(error) => pom_ending(claimed, &error),
    };
    finish(state, claimed, entry.map(|e| e.0), ending).await
}

/// POM's failure as an ending: worth another try, or final in plain words.
fn pom_ending(claimed: &Claimed, error: &PomError) -> Ending {
    let words = match error.fault_code() {
        Some(-18) => "The call data holds no number for this attempt any more.".to_string(),
        _ => error.user_message(),
    };
    let again = error.is_transient() || error.is_attempt_in_progress();
    if again && claimed.tries < MAX_TRIES {
        Ending::Retry(words)
    } else {
        Ending::Failed(words)
    }
}
