//! Reads a whole contact list from POM page by page (a few pages in flight, memory bounded by a
//! page) and folds it into what a purge needs: the matching contacts, counts per campaign id
//! (`CAMP_ID`), a sample, and contacts whose date could not be read.

use std::collections::{BTreeMap, HashSet};

use futures::{stream, StreamExt, TryStreamExt};
use pom::client::rest::{user_contact_id, ContactPage};
use pom::client::{PomClient, PomError};
use serde_json::{Map, Value};

use super::filter::{Filter, ValueHits, Verdict};
use crate::contacts::text_of;

/// Pages read at once.
const PAGES_IN_FLIGHT: usize = 4;
/// Rows shown in the dry run.
pub const SAMPLE_SIZE: usize = 20;
/// The attribute seed 001 counts contacts by.
pub const CAMPAIGN_ATTRIBUTE: &str = "CAMP_ID";
/// The campaign id shown for contacts without one.
pub const NO_CAMPAIGN: &str = "(none)";

/// What reading a list found.
#[derive(Debug, Default)]
pub struct Scan {
    pub list_total: i64,
    pub matched: HashSet<String>,
    pub before: BTreeMap<String, i64>,
    pub matched_by_campaign: BTreeMap<String, i64>,
    pub sample: Vec<Map<String, Value>>,
    pub unreadable_dates: i64,
    /// Which "is one of" values some contact had.
    pub value_hits: ValueHits,
}

impl Scan {
    /// Folds one page in; returns the page's matching contacts (id, all attributes). A contact
    /// seen on an earlier page (the list moved under the paging) is not counted twice.
    pub fn absorb(
        &mut self,
        contacts: Vec<Map<String, Value>>,
        filter: &Filter,
        seen: &mut HashSet<String>,
    ) -> Vec<(String, Map<String, Value>)> {
        let mut matching = Vec::new();
        for contact in contacts {
            let Some(id) = user_contact_id(&contact) else {
                continue;
            };
            if !seen.insert(id.clone()) {
                continue;
            }
            self.list_total += 1;
            let campaign = campaign_of(&contact);
            *self.before.entry(campaign.clone()).or_default() += 1;
            match filter.verdict(&contact) {
                Verdict::Keep => {}
                Verdict::UnreadableDate => self.unreadable_dates += 1,
                Verdict::Match => {
                    self.value_hits.note(filter, &contact);
                    *self.matched_by_campaign.entry(campaign).or_default() += 1;
                    if self.sample.len() < SAMPLE_SIZE {
                        self.sample.push(contact.clone());
                    }
                    self.matched.insert(id.clone());
                    matching.push((id, contact));
                }
            }
        }
        matching
    }
}

/// A contact's campaign id, or [`NO_CAMPAIGN`].
pub fn campaign_of(contact: &Map<String, Value>) -> String {
    let campaign = text_of(contact, CAMPAIGN_ATTRIBUTE);
    if campaign.trim().is_empty() {
        NO_CAMPAIGN.to_string()
    } else {
        campaign.trim().to_string()
    }
}

/// Every page of a list, in order: the first, then the rest a few at a time.
pub async fn pages(
    client: &PomClient,
    list_id: i64,
    page_size: u32,
) -> Result<impl futures::Stream<Item = Result<ContactPage, PomError>> + '_, PomError> {
    let first = client.contacts_page(list_id, 0, page_size, None).await?;
    let total_pages = first.total_pages;
    let rest = stream::iter(1..total_pages.max(1))
        .map(move |page| client.contacts_page(list_id, page, page_size, None))
        .buffered(PAGES_IN_FLIGHT);
    Ok(stream::once(async { Ok(first) }).chain(rest).into_stream())
}

/// Counts per campaign id of a whole list (after a purge).
pub async fn campaign_counts(
    client: &PomClient,
    list_id: i64,
    page_size: u32,
) -> Result<(i64, BTreeMap<String, i64>), PomError> {
    let mut counts = BTreeMap::new();
    let mut seen = HashSet::new();
    let mut pages = std::pin::pin!(pages(client, list_id, page_size).await?);
    while let Some(page) = pages.try_next().await? {
        for contact in page.contacts {
            if user_contact_id(&contact).is_some_and(|id| seen.insert(id)) {
                *counts.entry(campaign_of(&contact)).or_default() += 1;
            }
        }
    }
    Ok((seen.len() as i64, counts))
}
