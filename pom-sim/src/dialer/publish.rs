//! Records reach the feed when their time comes, in (time, sequence) order; a kill-list entry
//! reaches the organization's DNC list at that moment.

use super::super::feed::FeedRecord;
use super::super::world::{DncRec, World};
use super::Pending;

impl World {
    /// The organization's DNC list, created (named as the organization) when it has none.
    pub(super) fn organization_dnc_list(&mut self, organization: &str) -> &mut DncRec {
        let found = self
            .dnc_lists
            .values()
            .find(|d| d.organization.as_deref() == Some(organization))
            .map(|d| d.id);
        let id = found.unwrap_or_else(|| {
            let id = self.new_id();
            self.dnc_lists.insert(
                id,
                DncRec {
                    id,
                    name: organization.to_string(),
                    organization: Some(organization.to_string()),
                    addresses: Default::default(),
                    last_updated_ms: 0,
                },
            );
            id
        });
        self.dnc_lists.get_mut(&id).expect("found or just created")
    }

    /// Moves records whose time has come to the feed, in (time, sequence) order; kill-list
    /// entries reach the organization's DNC list at that moment.
    pub(super) fn publish(&mut self, now_ms: i64) {
        let (mut due, waiting): (Vec<Pending>, Vec<Pending>) =
            std::mem::take(&mut self.dialer.pending)
                .into_iter()
                .partition(|p| p.at_ms <= now_ms);
        self.dialer.pending = waiting;
        due.sort_by_key(|p| (p.at_ms, p.seq));
        for pending in due {
            if let FeedRecord::DialerKill(kill) = &pending.record {
                let list = self.organization_dnc_list(&kill.organization);
                list.addresses.insert(kill.address.clone());
                list.last_updated_ms = pending.at_ms;
            }
            self.feed.records.push(pending.record);
        }
    }
}
