//! Looking a request's contacts up in the contact lists (`records`): a DNC request's customer,
//! a record cancel's phone. Each contact found gets a registry entry (mark uncallable, pending)
//! and an item for the sender. A request is taken by one instance at a time (a lease), and
//! written once (checked under its row lock).

use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use super::records::{contacts_to_cancel, customer_records, lists_to_search, Found, Wanted};
use super::settle::settle;
use crate::error::AppError;
use crate::state::AppState;

/// Registers each contact (mark uncallable, pending, from `source`) with an item for the sender.
async fn add_items(
    tx: &mut Transaction<'_, Postgres>,
    request_id: Uuid,
    (organization, requester, source): (&str, &str, &str),
    contacts: &[Found],
) -> Result<(), sqlx::Error> {
    let ids: Vec<i64> = contacts.iter().map(|c| c.list_id).collect();
    let names: Vec<String> = contacts.iter().map(|c| c.list_name.clone()).collect();
    let customers: Vec<String> = contacts.iter().map(|c| c.user_contact_id.clone()).collect();
    let dialling: Vec<Option<bool>> = contacts.iter().map(|c| c.in_progress).collect();
    sqlx::query!(
        "with target as (
             select * from unnest($5::bigint[], $6::text[], $7::text[], $8::bool[])
                 as t(id, name, contact, dialling)),
              entry as (
                 insert into dnc_entry (organization, address, action, source, list_name,
                     requested_by_name, state)
                 select $1, contact, 'mark_uncallable', $3, name, $2, 'pending' from target
                 returning dnc_entry_id, list_name, address)
         insert into dnc_request_item (dnc_request_id, kind, organization, target_id, target_name,
             dnc_entry_id, state, in_progress)
         select $4, 'contact', $1, t.id, t.name, e.dnc_entry_id, 'pending', t.dialling
         from entry e join target t on t.name = e.list_name and t.contact = e.address",
        organization,
        requester,
        source,
        request_id,
        &ids,
        &names,
        &customers,
        &dialling as &[Option<bool>],
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A request whose customer is to be looked up, held for [`LEASE`] by this instance.
struct Claimed {
    id: Uuid,
    organization: String,
    client_name: String,
    scope: String,
    campaign: Option<String>,
    customer_id: Option<String>,
    /// A record cancel's phone; none for a DNC request.
    cancel_phone: Option<String>,
    age_seconds: f64,
}

/// How long a look-up is held before another instance may take it (POM's reads take seconds).
const LEASE: &str = "5 minutes";

async fn claim(state: &AppState) -> Result<Option<Claimed>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"update dnc_request set not_before = now() + $1::text::interval
           where dnc_request_id = (
               select dnc_request_id from dnc_request
               where (customer_id is not null or kind = 'cancel') and expanded_at is null
                 and not_before <= now()
               order by created_at limit 1 for update skip locked)
           returning dnc_request_id, organization, client_name, scope, campaign, customer_id,
                     case when kind = 'cancel' then phone end as cancel_phone,
                     extract(epoch from now() - created_at)::float8 as "age_seconds!""#,
        LEASE,
    )
    .fetch_optional(&state.pool)
    .await?
    .map(|r| Claimed {
        id: r.dnc_request_id,
        organization: r.organization,
        client_name: r.client_name,
        scope: r.scope,
        campaign: r.campaign,
        customer_id: r.customer_id,
        cancel_phone: r.cancel_phone,
        age_seconds: r.age_seconds,
    }))
}

/// The contacts a claimed request reaches.
async fn look_up(state: &AppState, request: &Claimed) -> Result<Vec<Found>, AppError> {
    let organization = request.organization.as_str();
    let campaign = request.campaign.as_deref();
    match &request.cancel_phone {
        Some(phone) => {
            let lists = lists_to_search(state, organization, campaign).await?;
            let wanted = Wanted {
                phone,
                customer_id: request.customer_id.as_deref(),
                all_chain: request.scope == "all_chain",
            };
            contacts_to_cancel(state, &lists, &wanted).await
        }
        None => {
            let campaign = campaign.filter(|_| request.scope == "record_only");
            let lists = lists_to_search(state, organization, campaign).await?;
            let customer = request.customer_id.as_deref().unwrap_or_default();
            customer_records(state, &lists, customer).await
        }
    }
}

/// Why a request reached no contact.
fn nobody_found(request: &Claimed) -> String {
    let within = match &request.campaign {
        Some(campaign) if request.cancel_phone.is_some() || request.scope == "record_only" => {
            format!("{campaign}'s lists")
        }
        _ => format!("{}'s contact lists", request.organization),
    };
    match (&request.cancel_phone, &request.customer_id) {
        (Some(phone), Some(customer)) => {
            format!("No contact of customer {customer} has phone {phone} in {within}.")
        }
        (Some(phone), None) => format!("No contact has phone {phone} in {within}."),
        (None, customer) => format!(
            "No contact has customer id {} in {within}.",
            customer.as_deref().unwrap_or_default()
        ),
    }
}

/// Looks up the oldest request whose customer is still to be found; false when there is none.
/// The claim is committed before POM is read, so no lock is held across POM's answers.
pub(super) async fn expand_one(state: &AppState) -> Result<bool, AppError> {
    let Some(request) = claim(state).await? else {
        return Ok(false);
    };
    let found = look_up(state, &request).await;
    let reason = match &found {
        Ok(contacts) if contacts.is_empty() => Some(nobody_found(&request)),
        Ok(_) => None,
        // POM unreachable or failing: look again, waiting longer as the request ages, for an hour.
        Err(AppError::ExternalService(_)) if request.age_seconds < 3600.0 => {
            let wait = (request.age_seconds / 10.0).clamp(10.0, 300.0);
            sqlx::query!(
                "update dnc_request set not_before = now() + make_interval(secs => $2)
                 where dnc_request_id = $1",
                request.id,
                wait,
            )
            .execute(&state.pool)
            .await?;
            return Ok(true);
        }
        Err(AppError::Validation { message, .. }) => Some(message.clone()),
        Err(error) => Some(format!("The contacts could not be looked up: {error}")),
    };
    let mut tx = state.pool.begin().await?;
    // Another instance may have done it after this one's lease ran out: then nothing more to do.
    let still_open = sqlx::query_scalar!(
        "select dnc_request_id from dnc_request where dnc_request_id = $1 and expanded_at is null
         for update",
        request.id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if still_open.is_none() {
        return Ok(true);
    }
    if let Ok(contacts) = &found {
        let requester = format!("api:{}", request.client_name);
        let source = match request.cancel_phone {
            Some(_) => "record_cancel",
            None => "api",
        };
        let who = (request.organization.as_str(), requester.as_str(), source);
        add_items(&mut tx, request.id, who, contacts).await?;
    }
    sqlx::query!(
        "update dnc_request set expanded_at = now(), reason = coalesce($2, reason)
         where dnc_request_id = $1",
        request.id,
        reason,
    )
    .execute(&mut *tx)
    .await?;
    settle(&mut tx, &[request.id]).await?;
    tx.commit().await?;
    Ok(true)
}
