//! Reading back what POM applied: an address with `IsDNC` on the organization's list, a contact
//! by searching its list (uncallable, or no longer there). A read that fails leaves the item
//! `applied` and it is read again later (ten times at most); a read that contradicts POM's answer
//! fails the item.

use futures::future::join_all;
use pom::client::rest::ContactSearch;
use pom::client::{PomClient, PomError};
use serde_json::Value;
use uuid::Uuid;

use super::settle::settle;
use crate::state::AppState;

/// Items read back in one round, and how many reads run at once: eight rounds of eight reads
/// fit the claim even when POM answers slowly.
const ROUND: i64 = 64;
const PARALLEL: usize = 8;
/// How long a round's items are held (POM's timeout is 15 s per read).
const READ_CLAIM_SECONDS: f64 = 300.0;
/// Reads that found POM unreadable before an item stays `applied` for good.
const READS: i32 = 10;

struct Applied {
    item: i64,
    request: Uuid,
    kind: String,
    organization: String,
    list: Option<i64>,
    value: String,
}

/// What the read said: verified, contradicted (why), or unknown (read again later).
enum Read {
    Verified,
    Contradicted(String),
    Unknown,
}

async fn read(pom: &PomClient, item: &Applied) -> Read {
    let answer: Result<Read, PomError> = if item.kind == "contact" {
        let search = ContactSearch {
            attribute: "userContactId".into(),
            operator: "equals".into(),
            value: item.value.clone(),
        };
        pom.contacts_page(item.list.unwrap_or_default(), 0, 1, Some(&search))
            .await
            .map(|page| {
                let callable = page
                    .contacts
                    .first()
                    .and_then(|c| c.get("callable"))
                    .and_then(Value::as_bool);
                match callable {
                    Some(true) => {
                        Read::Contradicted("POM still lists the contact as callable".into())
                    }
                    _ => Read::Verified,
                }
            })
    } else {
        pom.is_dnc(&item.value, Some(&item.organization))
            .await
            .map(|listed| match listed {
                true => Read::Verified,
                false => Read::Contradicted(
                    "POM accepted the address but IsDNC does not find it on the list".into(),
                ),
            })
    };
    answer.unwrap_or(Read::Unknown)
}

/// Reads back one round of applied items; false when none was waiting.
pub(super) async fn verify_round(state: &AppState) -> Result<bool, sqlx::Error> {
    let Ok(pom) = state.pom() else {
        return Ok(false);
    };
    let items: Vec<Applied> = sqlx::query!(
        "update dnc_request_item i set claimed_until = now() + make_interval(secs => $2)
         from dnc_entry e
         where i.dnc_request_item_id in (
                   select dnc_request_item_id from dnc_request_item
                   where state = 'applied' and (claimed_until is null or claimed_until < now())
                   order by dnc_request_item_id limit $1 for update skip locked)
           and e.dnc_entry_id = i.dnc_entry_id
         returning i.dnc_request_item_id, i.dnc_request_id, i.kind, i.organization, i.target_id,
                   e.address",
        ROUND,
        READ_CLAIM_SECONDS,
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| Applied {
        item: r.dnc_request_item_id,
        request: r.dnc_request_id,
        kind: r.kind,
        organization: r.organization,
        list: r.target_id,
        value: r.address,
    })
    .collect();
    if items.is_empty() {
        return Ok(false);
    }
    let mut reads: Vec<(i64, Uuid, Read)> = Vec::with_capacity(items.len());
    for chunk in items.chunks(PARALLEL) {
        let answers = join_all(chunk.iter().map(|item| read(pom, item))).await;
        reads.extend(
            chunk
                .iter()
                .zip(answers)
                .map(|(i, a)| (i.item, i.request, a)),
        );
    }
    let (mut verified, mut contradicted, mut reasons, mut unknown) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (item, _, outcome) in &reads {
        match outcome {
            Read::Verified => verified.push(*item),
            Read::Contradicted(reason) => {
                contradicted.push(*item);
                reasons.push(reason.clone());
            }
            Read::Unknown => unknown.push(*item),
        }
    }
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "update dnc_request_item set state = 'verified', verified_at = now(), claimed_until = null
         where dnc_request_item_id = any($1) and state = 'applied'",
        &verified,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update dnc_request_item i set state = 'failed', reason = r.reason, claimed_until = null
         from unnest($1::bigint[], $2::text[]) as r(id, reason)
         where i.dnc_request_item_id = r.id and i.state = 'applied'",
        &contradicted,
        &reasons,
    )
    .execute(&mut *tx)
    .await?;
    // Unreadable now: read again later, waiting longer each time; past READS it stays applied
    // (POM confirmed it) with the reason, and is not read again.
    sqlx::query!(
        "update dnc_request_item set reads = reads + 1,
             claimed_until = case when reads + 1 >= $2 then 'infinity'
                 else now() + make_interval(secs => 30 * (reads + 1)) end,
             reason = case when reads + 1 >= $2 then 'POM confirmed it but could not be read back'
                 else reason end
         where dnc_request_item_id = any($1)",
        &unknown,
        READS,
    )
    .execute(&mut *tx)
    .await?;
    let requests: Vec<Uuid> = reads.iter().map(|(_, request, _)| *request).collect();
    settle(&mut tx, &requests).await?;
    tx.commit().await?;
    Ok(true)
}
