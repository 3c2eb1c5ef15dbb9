//! Sending: the oldest waiting item decides the target (an organization's DNC list, or one
//! contact list); up to [`BATCH`] items of any requests for the same target are claimed and sent
//! to POM in one call, each distinct value once. POM's answer is recorded on the items, their
//! registry entries and their receipts in one transaction, with one audit record for the batch.
//! A transient failure puts the items back with a growing pause; past [`ATTEMPTS`], or when POM
//! refuses, they fail with POM's reason and fault code.

use std::collections::BTreeSet;

use pom::client::PomError;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::settle::settle;
use super::{claim_seconds, ATTEMPTS, BATCH};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::dnc::{dnc_lists, timed};
use crate::error::AppError;
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// A claimed batch: items of one kind, organization and target.
struct Batch {
    kind: String,
    organization: String,
    target_id: Option<i64>,
    target_name: Option<String>,
    items: Vec<i64>,
    requests: Vec<Uuid>,
    values: Vec<String>,
    /// Entries with an expiry (entry, address): checked against POM's list before sending.
    timed: Vec<(i64, String)>,
    attempts: i32,
}

async fn claim(pool: &PgPool, claim_seconds: f64) -> Result<Option<Batch>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"with head as (
               select kind, organization, target_id from dnc_request_item
               where (state = 'pending' and not_before <= now())
                  or (state = 'sending' and claimed_until < now())
               order by dnc_request_item_id limit 1 for update skip locked),
           picked as (
               select i.dnc_request_item_id from dnc_request_item i, head h
               where ((i.state = 'pending' and i.not_before <= now())
                      or (i.state = 'sending' and i.claimed_until < now()))
                 and i.kind = h.kind and i.organization = h.organization
                 and i.target_id is not distinct from h.target_id
               order by i.dnc_request_item_id limit $1 for update of i skip locked)
           update dnc_request_item i
              set state = 'sending', claimed_until = now() + make_interval(secs => $2),
                  attempts = i.attempts + 1
           from picked p, dnc_entry e
           where i.dnc_request_item_id = p.dnc_request_item_id and e.dnc_entry_id = i.dnc_entry_id
           returning i.dnc_request_item_id, i.dnc_request_id, i.kind, i.organization, i.target_id,
                     i.target_name, i.attempts, e.address, e.dnc_entry_id,
                     e.expires_at is not null and e.expiry_state is null as "timed!""#,
        BATCH,
        claim_seconds,
    )
    .fetch_all(pool)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut batch = Batch {
        kind: first.kind.clone(),
        organization: first.organization.clone(),
        target_id: first.target_id,
        target_name: first.target_name.clone(),
        items: Vec::with_capacity(rows.len()),
        requests: Vec::new(),
        values: Vec::new(),
        timed: Vec::new(),
        attempts: 0,
    };
    let mut values = BTreeSet::new();
    let mut requests = BTreeSet::new();
    for row in rows {
        batch.items.push(row.dnc_request_item_id);
        requests.insert(row.dnc_request_id);
        if row.timed {
            batch.timed.push((row.dnc_entry_id, row.address.clone()));
        }
        values.insert(row.address);
        batch.attempts = batch.attempts.max(row.attempts);
    }
    batch.requests = requests.into_iter().collect();
    batch.values = values.into_iter().collect();
    Ok(Some(batch))
}

/// What became of a batch.
enum Answer {
    /// POM took it; these values it refused.
    Taken { refused: Vec<String> },
    /// Try again later.
    Later,
    /// Nothing was applied: why, and POM's fault code.
    Failed { reason: String, fault: Option<i32> },
}

fn answer_of(result: Result<Vec<String>, PomError>, attempts: i32) -> Answer {
    match result {
        Ok(refused) => Answer::Taken { refused },
        Err(error) if error.is_transient() && attempts < ATTEMPTS => Answer::Later,
        Err(error) => Answer::Failed {
            reason: error.user_message(),
            fault: error.fault_code(),
        },
    }
}

/// Sends the batch to POM; for addresses, first finds the organization's DNC list.
async fn send(state: &AppState, batch: &mut Batch) -> Answer {
    let pom = match state.pom() {
        Ok(pom) => pom,
        Err(error) => {
            return Answer::Failed {
                reason: error.to_string(),
                fault: None,
            }
        }
    };
    if batch.kind == "contact" {
        let list = batch.target_id.unwrap_or_default();
        return answer_of(
            pom.mark_uncallable(list, &batch.values).await.map(|r| r.0),
            batch.attempts,
        );
    }
    match dnc_lists(state, &batch.organization).await {
        Ok((_, Some(list))) => {
            batch.target_id = Some(list.id);
            batch.target_name = Some(list.name.clone());
            let timed = &batch.timed;
            if let Err(error) = timed::keep_if_listed(state, &batch.organization, timed).await {
                tracing::warn!(error = %error, "timed DNC: could not check what POM already lists");
                return Answer::Later;
            }
            answer_of(
                pom.add_dnc_addresses(list.id, &batch.values)
                    .await
                    .map(|r| r.0),
                batch.attempts,
            )
        }
        Ok((_, None)) => Answer::Failed {
            reason: format!("POM has no DNC list for {}.", batch.organization),
            fault: None,
        },
        Err(AppError::ExternalService(_)) if batch.attempts < ATTEMPTS => Answer::Later,
        Err(error) => Answer::Failed {
            reason: error.to_string(),
            fault: None,
        },
    }
}

/// Records the answer on the items, their entries and receipts, and audits the batch.
async fn record(state: &AppState, batch: &Batch, answer: Answer) -> Result<(), sqlx::Error> {
    let mut tx = state.pool.begin().await?;
    let (refused, reason, fault) = match &answer {
        Answer::Later => {
            sqlx::query!(
                "update dnc_request_item set state = 'pending', claimed_until = null,
                     not_before = now() + make_interval(secs => least(300, 2 ^ attempts))
                 where dnc_request_item_id = any($1) and state = 'sending'",
                &batch.items,
            )
            .execute(&mut *tx)
            .await?;
            return tx.commit().await;
        }
        Answer::Taken { refused } => (
            refused.iter().map(|r| r.trim().to_lowercase()).collect(),
            None,
            None,
        ),
        Answer::Failed { reason, fault } => (Vec::new(), Some(reason.clone()), *fault),
    };
    let refusal = match batch.kind.as_str() {
        "contact" => "POM refused: the contact is no longer in the list",
        _ => "POM refused this address",
    };
    let changed = sqlx::query!(
        r#"with changed as (
               update dnc_request_item i set
                   state = case when $2::text is not null or lower(e.address) = any($3)
                                then 'failed' else 'applied' end,
                   reason = case when $2::text is not null then $2
                                 when lower(e.address) = any($3) then $4 end,
                   pom_fault = $5, claimed_until = null,
                   applied_at = case when $2::text is null and not lower(e.address) = any($3)
                                     then now() end,
                   target_id = $6, target_name = $7
               from dnc_entry e
               where i.dnc_request_item_id = any($1) and i.state = 'sending'
                 and e.dnc_entry_id = i.dnc_entry_id
               returning i.dnc_entry_id, i.state, i.reason)
           update dnc_entry e set state = case c.state when 'applied' then 'confirmed' else 'failed' end,
                  confirmed_at = case c.state when 'applied' then now() end,
                  outcome = coalesce(c.reason, 'accepted by POM'),
                  list_name = coalesce($7, e.list_name)
           from changed c where e.dnc_entry_id = c.dnc_entry_id
           returning e.state"#,
        &batch.items,
        reason,
        &refused,
        refusal,
        fault,
        batch.target_id,
        batch.target_name,
    )
    .fetch_all(&mut *tx)
    .await?;
    settle(&mut tx, &batch.requests).await?;
    let accepted = changed.iter().filter(|c| c.state == "confirmed").count();
    let event = AuditEvent::new(
        AuditAction::DncRequestBatch,
        if reason.is_some() {
            Outcome::Failure
        } else {
            Outcome::Success
        },
    )
    .with_organization(batch.organization.clone())
    .with_target(batch.target_name.clone().unwrap_or_default())
    .with_parameters(json!({ "kind": batch.kind, "requests": batch.requests.len(),
                              "distinct_values": batch.values.len(), "reason": reason, "pom_fault": fault }))
    .with_counts(json!({ "accepted": accepted, "refused": changed.len() - accepted }));
    let actor = Actor {
        username: Some("ocm (DNC requests)".into()),
        organization: Some(batch.organization.clone()),
        ..Actor::default()
    };
    audit::record(
        &mut *tx,
        &actor,
        &RequestMeta::background("dnc-requests"),
        event,
    )
    .await?;
    tx.commit().await
}

/// Sends one batch; false when nothing is waiting.
pub(super) async fn send_one_batch(state: &AppState) -> Result<bool, sqlx::Error> {
    let claim_seconds = claim_seconds(state);
    let Some(mut batch) = claim(&state.pool, claim_seconds).await? else {
        return Ok(false);
    };
    let items = batch.items.clone();
    let answer = {
        let sending = send(state, &mut batch);
        tokio::pin!(sending);
        let mut renewal =
            tokio::time::interval(std::time::Duration::from_secs_f64(claim_seconds / 3.0));
        renewal.tick().await;
        loop {
            tokio::select! {
                answer = &mut sending => break answer,
                _ = renewal.tick() => renew(&state.pool, &items, claim_seconds).await,
            }
        }
    };
    record(state, &batch, answer).await?;
    Ok(true)
}

/// Holds the batch's items for another claim period while their send is under way.
async fn renew(pool: &PgPool, items: &[i64], claim_seconds: f64) {
    let renewed = sqlx::query!(
        "update dnc_request_item set claimed_until = now() + make_interval(secs => $2)
          where dnc_request_item_id = any($1) and state = 'sending'",
        items,
        claim_seconds,
    )
    .execute(pool)
    .await;
    if let Err(error) = renewed {
        tracing::warn!(error = %error, "DNC request batch: the claim could not be renewed");
    }
}
