//! Finding a request's customer in the contact lists: every list of the organization
//! (`all_chain`) or the campaign's lists (`record_only`), searched by `userContactId` with POM's
//! own search. Each list that holds the customer gets a registry entry (mark uncallable, pending)
//! and an item for the sender. A request is taken by one instance at a time (a lease), and
//! written once (checked under its row lock).

use pom::client::rest::ContactSearch;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use super::settle::settle;
use crate::error::AppError;
use crate::lists;
use crate::state::AppState;

/// Lists searched for one customer: (id, name).
async fn lists_to_search(
    state: &AppState,
    organization: &str,
    scope: &str,
    campaign: Option<&str>,
) -> Result<Vec<(i64, String)>, AppError> {
    let all = lists::lists_of(state, organization).await?;
    let wanted = match (scope, campaign) {
        ("record_only", Some(campaign)) => {
            let catalogue = state.campaigns.catalogue(organization, true).await?;
            let Some(info) = catalogue.into_iter().find(|c| c.campaign_name == campaign) else {
                return Err(AppError::NotFound(format!("Campaign {campaign}")));
            };
            Some(info.contact_lists)
        }
        _ => None,
    };
    Ok(all
        .into_iter()
        .filter(|l| wanted.as_ref().is_none_or(|names| names.contains(&l.name)))
        .map(|l| (l.list_id, l.name))
        .collect())
}

/// The lists among `lists` that hold `customer_id`.
async fn holding(
    state: &AppState,
    lists: Vec<(i64, String)>,
    customer_id: &str,
) -> Result<Vec<(i64, String)>, AppError> {
    let pom = state.pom()?;
    let search = ContactSearch {
        attribute: "userContactId".into(),
        operator: "equals".into(),
        value: customer_id.to_string(),
    };
    let mut found = Vec::new();
    for (id, name) in lists {
        let page = pom.contacts_page(id, 0, 1, Some(&search)).await?;
        if !page.contacts.is_empty() {
            found.push((id, name));
        }
    }
    Ok(found)
}

async fn add_items(
    tx: &mut Transaction<'_, Postgres>,
    request_id: Uuid,
    (organization, customer_id, requester): (&str, &str, &str),
    lists: &[(i64, String)],
) -> Result<(), sqlx::Error> {
    let (ids, names): (Vec<i64>, Vec<String>) = lists.iter().cloned().unzip();
    sqlx::query!(
        "with target as (select * from unnest($5::bigint[], $6::text[]) as t(id, name)),
              entry as (
                 insert into dnc_entry (organization, address, action, source, list_name,
                     requested_by_name, state)
                 select $1, $2, 'mark_uncallable', 'api', name, $3, 'pending' from target
                 returning dnc_entry_id, list_name)
         insert into dnc_request_item (dnc_request_id, kind, organization, target_id, target_name,
             dnc_entry_id, state)
         select $4, 'contact', $1, t.id, t.name, e.dnc_entry_id, 'pending'
         from entry e join target t on t.name = e.list_name",
        organization,
        customer_id,
        requester,
        request_id,
        &ids,
        &names,
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
    customer_id: String,
    age_seconds: f64,
}

/// How long a look-up is held before another instance may take it (POM's reads take seconds).
const LEASE: &str = "5 minutes";

async fn claim(state: &AppState) -> Result<Option<Claimed>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"update dnc_request set not_before = now() + $1::text::interval
           where dnc_request_id = (
               select dnc_request_id from dnc_request
               where customer_id is not null and expanded_at is null and not_before <= now()
               order by created_at limit 1 for update skip locked)
           returning dnc_request_id, organization, client_name, scope, campaign,
                     customer_id as "customer_id!",
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
        age_seconds: r.age_seconds,
    }))
}

/// Looks up the oldest request whose customer is still to be found; false when there is none.
/// The claim is committed before POM is read, so no lock is held across POM's answers.
pub(super) async fn expand_one(state: &AppState) -> Result<bool, AppError> {
    let Some(request) = claim(state).await? else {
        return Ok(false);
    };
    let organization = request.organization.as_str();
    let campaign = request.campaign.as_deref();
    let found = match lists_to_search(state, organization, &request.scope, campaign).await {
        Ok(lists) => holding(state, lists, &request.customer_id).await,
        Err(error) => Err(error),
    };
    let reason = match &found {
        Ok(lists) if lists.is_empty() => Some(format!(
            "No contact has customer id {} in {}.",
            request.customer_id,
            match campaign {
                Some(campaign) if request.scope == "record_only" => format!("{campaign}'s lists"),
                _ => format!("{organization}'s contact lists"),
            }
        )),
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
        Err(error) => Some(format!("The customer could not be looked up: {error}")),
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
    if let Ok(lists) = &found {
        let requester = format!("api:{}", request.client_name);
        let who = (
            organization,
            request.customer_id.as_str(),
            requester.as_str(),
        );
        add_items(&mut tx, request.id, who, lists).await?;
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
