//! The dry run: checks the request, reads every contact list of the organization in POM for the
//! person's contacts, looks in OCM's own tables, and stores what it found as a plan (`erasure`
//! in state `planned`, its contacts in `erasure_contact`) that the confirmation refers to.

use std::collections::HashSet;

use futures::TryStreamExt;
use serde_json::{json, Map, Value};

use super::identifiers::{self, IdentifierKind, Person};
use super::ocm_stores::{self, ContactRefs};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::contacts::{columns_of, text_of};
use crate::error::AppError;
use crate::model::{AuditAction, ErasureListHits, ErasurePlan, ErasureRequest, ErasureStoreCount};
use crate::purge::scan;
use pom::client::rest::user_contact_id;
use types::words::plural;

/// Contacts shown per list in the dry run.
const SAMPLE: usize = 5;
/// The most contacts one erasure deletes: a person has a few; more means a shared number or a
/// too-wide identifier, and holding them all would let POM's data size what OCM keeps in memory.
pub const MAX_CONTACTS: usize = 1_000;

/// `2 phone numbers, 1 e-mail address`.
pub fn describe_counts(counts: &[(IdentifierKind, usize)]) -> String {
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| plural(*n as i64, kind.label(), kind.plural()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the certificate and the page call each OCM store.
pub fn store_label(store: &str) -> &'static str {
    match store {
        "purge_snapshots" => "Contacts in purge snapshots",
        "purge_filters" => "Purge filters naming them",
        "upload_files" => "Contact uploads whose files held them",
        "dnc_files" => "DNC uploads whose files held them",
        "dnc_registry" => "DNC registry entries",
        "purge_plans" => "Purge dry runs naming them",
        "call_attempts" => "Call attempts dialling them (call data)",
        "call_callbacks" => "Callbacks for them (call data)",
        "call_inbound" => "Inbound calls from them (call data)",
        "call_skips" => "Contacts passed over by a job (call data)",
        "call_aside" => "Call-data records kept aside (unknown kinds, contract breaches)",
        "not_listed" => "Rows in the Account Not in Listing report",
        _ => "Other",
    }
}

/// The counts per store as the page shows them.
pub fn store_counts(counts: &std::collections::BTreeMap<String, i64>) -> Vec<ErasureStoreCount> {
    counts
        .iter()
        .map(|(store, count)| ErasureStoreCount {
            store: store.clone(),
            label: store_label(store).to_string(),
            count: *count,
        })
        .collect()
}

/// The checked request: a known organization, a reference, the person.
pub async fn check(ctx: &Ctx, request: &ErasureRequest) -> Result<Person, AppError> {
    let known = sqlx::query_scalar!(
        "select count(*) from organization where name = $1",
        request.organization
    )
    .fetch_one(&ctx.state.pool)
    .await?
    .unwrap_or(0);
    if known == 0 {
        return Err(AppError::validation(
            "organization",
            "Choose an organization.",
        ));
    }
    let reference = request.reference.trim();
    if reference.is_empty()
        || reference.chars().count() > 100
        || reference.chars().any(char::is_control)
    {
        return Err(AppError::validation(
            "reference",
            "Give the request's reference (a ticket number, 1 to 100 characters), not the \
             person's name.",
        ));
    }
    let person = identifiers::read(
        &request.phones,
        &request.emails,
        &request.customer_ids,
        &ctx.state.settings.phone,
    )
    .map_err(|p| AppError::validation(p.field, p.message))?;
    // The reference goes into the audit log, which keeps it for years: never the person's data.
    let (digits, texts) = person.fragments();
    let reference_digits: String = reference.chars().filter(char::is_ascii_digit).collect();
    let lowered = reference.to_lowercase();
    if reference.contains('@')
        || digits.iter().any(|d| reference_digits.contains(d.as_str()))
        || texts.iter().any(|t| lowered.contains(t.as_str()))
    {
        return Err(AppError::validation(
            "reference",
            "The reference must not hold the person's number, address or id: use the request's              ticket number.",
        ));
    }
    Ok(person)
}

/// The person's contacts in every list of the organization: (list, contacts found).
async fn search_pom(
    ctx: &Ctx,
    organization: &str,
    person: &Person,
) -> Result<(i64, Vec<(i64, String, Vec<Map<String, Value>>)>), AppError> {
    let client = ctx.state.pom()?;
    let rules = &ctx.state.settings.phone;
    let page_size = ctx.state.settings.purge.read_page_size;
    let lists: Vec<_> = client
        .contact_lists(organization)
        .await?
        .into_iter()
        // POM's organization search is a "like": keep exact matches only.
        // A list POM names no organization for is nobody's to erase from (the lists page hides
        // it too).
        .filter(|l| l.organization_name.as_deref() == Some(organization))
        .collect();
    let mut hits = Vec::new();
    let mut matched = 0;
    for list in &lists {
        let mut found = Vec::new();
        let mut seen = HashSet::new();
        let mut pages = std::pin::pin!(scan::pages(client, list.contact_list_id, page_size).await?);
        while let Some(page) = pages.try_next().await? {
            for contact in page.contacts {
                let Some(id) = user_contact_id(&contact) else {
                    continue;
                };
                if seen.insert(id) && person.matches_contact(&contact, rules) {
                    matched += 1;
                    if matched > MAX_CONTACTS {
                        return Err(AppError::validation(
                            "person",
                            format!(
                                "More than {MAX_CONTACTS} contacts hold these identifiers: that \
                                 is not one person (a shared number?). Give narrower identifiers."
                            ),
                        ));
                    }
                    found.push(contact);
                }
            }
        }
        if !found.is_empty() {
            hits.push((list.contact_list_id, list.contact_list_name.clone(), found));
        }
    }
    Ok((lists.len() as i64, hits))
}

/// The ids to look for in OCM's tables: the customer ids given, and the contacts found (list,
/// id).
pub fn refs_of(person: &Person, contacts: impl Iterator<Item = (i64, String)>) -> ContactRefs {
    let customer_ids = person
        .identifiers
        .iter()
        .filter(|i| i.kind == IdentifierKind::CustomerId)
        .map(|i| i.canonical.clone())
        .collect();
    let (list_ids, contact_ids) = contacts.unzip();
    ContactRefs {
        customer_ids,
        list_ids,
        contact_ids,
    }
}

/// Refuses while an upload holding the person is on its way to POM.
pub fn refuse_in_flight(in_flight: &[String]) -> Result<(), AppError> {
    if in_flight.is_empty() {
        return Ok(());
    }
    Err(AppError::validation(
        "person",
        format!(
            "{} hold this person and are being sent to POM: erase once they have finished, or \
             they would bring the person back.",
            in_flight.join(", ")
        ),
    ))
}

/// Looks for the person everywhere and stores the plan.
pub async fn dry_run(ctx: &Ctx, request: &ErasureRequest) -> Result<ErasurePlan, AppError> {
    let person = check(ctx, request).await?;
    let organization = request.organization.as_str();
    let (lists_searched, hits) = search_pom(ctx, organization, &person).await?;
    let refs = refs_of(
        &person,
        hits.iter().flat_map(|(list_id, _, found)| {
            found
                .iter()
                .filter_map(user_contact_id)
                .map(move |id| (*list_id, id))
        }),
    );
    let pool = &ctx.state.pool;
    let found = ocm_stores::find(
        pool,
        organization,
        &person,
        &refs,
        &ctx.state.settings.phone,
    )
    .await?;
    refuse_in_flight(&found.in_flight)?;
    let counts = person.counts();
    let count_json: Map<String, Value> = counts
        .iter()
        .map(|(kind, n)| (kind.as_str().to_string(), json!(n)))
        .collect();
    let contacts_found: i64 = hits.iter().map(|(_, _, f)| f.len() as i64).sum();
    let stores = found.counts();
    let mut tx = pool.begin().await?;
    let erasure_id = sqlx::query_scalar!(
        "insert into erasure (organization, reference, identifiers, identifier_counts, state,
             ocm_found, created_by, created_by_name)
         values ($1, $2, $3, $4, 'planned', $5, $6, $7) returning erasure_id",
        organization,
        request.reference.trim(),
        serde_json::to_value(&person).map_err(|e| crate::error::internal(&e))?,
        Value::Object(count_json.clone()),
        json!(stores),
        ctx.user.user_id,
        ctx.user.username,
    )
    .fetch_one(&mut *tx)
    .await?;
    for (list_id, list_name, contacts) in &hits {
        let contact_ids: Vec<String> = contacts.iter().filter_map(user_contact_id).collect();
        sqlx::query!(
            "insert into erasure_contact (erasure_id, list_id, list_name, user_contact_id)
             select $1, $2, $3, unnest($4::text[])",
            erasure_id,
            list_id,
            list_name,
            &contact_ids,
        )
        .execute(&mut *tx)
        .await?;
    }
    let event = AuditEvent::new(AuditAction::ErasureDryRun, Outcome::Success)
        .with_organization(organization)
        .with_target(format!("erasure #{erasure_id}"))
        .with_parameters(
            json!({ "reference": request.reference.trim(), "identifiers": count_json }),
        )
        .with_counts(json!({ "contacts": contacts_found, "lists": hits.len(), "ocm": stores }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(ErasurePlan {
        erasure_id,
        organization: organization.to_string(),
        reference: request.reference.trim().to_string(),
        identifiers: describe_counts(&counts),
        contacts_found,
        lists_searched,
        lists: hits
            .into_iter()
            .map(|(list_id, list_name, found)| {
                let columns = columns_of(found.iter());
                ErasureListHits {
                    list_id,
                    list_name,
                    found: found.len() as i64,
                    sample: found
                        .iter()
                        .take(SAMPLE)
                        .map(|c| columns.iter().map(|col| text_of(c, col)).collect())
                        .collect(),
                    columns,
                }
            })
            .collect(),
        stores: store_counts(&stores),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_counts_read_as_words() {
        let counts = [
            (IdentifierKind::Phone, 2),
            (IdentifierKind::Email, 1),
            (IdentifierKind::CustomerId, 0),
        ];
        assert_eq!(
            describe_counts(&counts),
            "2 phone numbers, 1 e-mail address"
        );
        assert_eq!(
            describe_counts(&[(IdentifierKind::Email, 3)]),
            "3 e-mail addresses"
        );
    }
}
