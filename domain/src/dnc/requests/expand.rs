//! Finding a request's customer in the contact lists: every list of the organization
//! (`all_chain`) or the campaign's lists (`record_only`), searched by `userContactId` with POM's
//! own search. Each list that holds the customer gets a registry entry (mark uncallable, pending)
//! and an item for the sender. A request is taken by one instance at a time (row lock).

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

/// Looks up the oldest request whose customer is still to be found; false when there is none.
pub(super) async fn expand_one(state: &AppState) -> Result<bool, AppError> {
    let mut tx = state.pool.begin().await?;
    let Some(request) = sqlx::query!(
        r#"select dnc_request_id, organization, client_name, scope, campaign,
                  customer_id as "customer_id!", created_at > now() - interval '1 hour' as "recent!"
           from dnc_request
           where customer_id is not null and expanded_at is null and not_before <= now()
           order by created_at limit 1 for update skip locked"#
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    let organization = request.organization.as_str();
    let found = match lists_to_search(
        state,
        organization,
        &request.scope,
        request.campaign.as_deref(),
    )
    .await
    {
        Ok(lists) => holding(state, lists, &request.customer_id).await,
        Err(error) => Err(error),
    };
    let reason = match found {
        Ok(lists) if lists.is_empty() => Some(format!(
            "No contact has customer id {} in {}.",
            request.customer_id,
            match request.campaign.as_deref() {
                Some(campaign) if request.scope == "record_only" => format!("{campaign}'s lists"),
                _ => format!("{organization}'s contact lists"),
            }
        )),
        Ok(lists) => {
            let requester = format!("api:{}", request.client_name);
            let who = (
                organization,
                request.customer_id.as_str(),
                requester.as_str(),
            );
            add_items(&mut tx, request.dnc_request_id, who, &lists).await?;
            None
        }
        // POM unreachable or failing: look again shortly, for up to an hour.
        Err(AppError::ExternalService(_)) if request.recent => {
            sqlx::query!(
                "update dnc_request set not_before = now() + interval '10 seconds'
                 where dnc_request_id = $1",
                request.dnc_request_id
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(true);
        }
        Err(error) => Some(format!("The customer could not be looked up: {error}")),
    };
    sqlx::query!(
        "update dnc_request set expanded_at = now(), reason = coalesce($2, reason)
         where dnc_request_id = $1",
        request.dnc_request_id,
        reason,
    )
    .execute(&mut *tx)
    .await?;
    settle(&mut tx, &[request.dnc_request_id]).await?;
    tx.commit().await?;
    Ok(true)
}
