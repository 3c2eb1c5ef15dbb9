//! The campaigns page's live board: one `EventSource` on `/campaigns/events?organization=…`,
//! opened in the browser for the organization shown, writing every `board` event into a signal
//! (and every `read` event's time of the last POM read into it); and what screen readers hear when
//! a job changes state.

use leptos::prelude::*;

use crate::model::{job_state_label, CampaignBoard};

/// Each campaign's current job state, to compare one board with the next.
pub fn job_states(board: &CampaignBoard) -> Vec<(String, Option<String>)> {
    board
        .campaigns
        .iter()
        .map(|c| (c.name.clone(), c.job.as_ref().map(|j| j.state.clone())))
        .collect()
}

/// "Sales_Predictive: Active." for every campaign whose job state changed; empty if none did.
pub fn state_changes(
    before: &[(String, Option<String>)],
    after: &[(String, Option<String>)],
) -> String {
    after
        .iter()
        .filter(|entry| !before.contains(entry))
        .filter_map(|(name, state)| {
            let state = state.as_deref()?;
            Some(format!("{name}: {}.", job_state_label(state)))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The newest board the event channel delivered, and whether the channel is connected.
#[derive(Clone, Copy)]
pub struct LiveBoard {
    board: RwSignal<Option<CampaignBoard>>,
    connected: RwSignal<bool>,
    #[cfg(feature = "hydrate")]
    channel: StoredValue<Option<(String, channel::Channel)>, LocalStorage>,
}

impl LiveBoard {
    /// Creates the page's live board; the channel closes when the page goes.
    pub fn new() -> LiveBoard {
        let live = LiveBoard {
            board: RwSignal::new(None),
            connected: RwSignal::new(false),
            #[cfg(feature = "hydrate")]
            channel: StoredValue::new_local(None),
        };
        on_cleanup(move || live.close());
        live
    }

    /// The newest board heard of for `organization` (tracked).
    pub fn latest(self, organization: &str) -> Option<CampaignBoard> {
        self.board.with(|board| {
            board
                .as_ref()
                .filter(|board| board.organization == organization)
                .cloned()
        })
    }

    /// Whether updates are arriving (tracked).
    pub fn connected(self) -> bool {
        self.connected.get()
    }

    /// Follows `organization`'s board, closing a channel opened for another one. Call from an
    /// effect: browser only.
    pub fn follow(self, organization: &str) {
        #[cfg(feature = "hydrate")]
        {
            let same = self.channel.with_value(|open| {
                open.as_ref()
                    .is_some_and(|(followed, _)| followed == organization)
            });
            if !same {
                self.close();
                let opened = channel::open(organization, self.board, self.connected);
                self.channel
                    .set_value(opened.map(|channel| (organization.to_string(), channel)));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = organization;
    }

    fn close(self) {
        #[cfg(feature = "hydrate")]
        if let Some(Some((_, channel))) = self.channel.try_update_value(Option::take) {
            channel.close();
            self.connected.set(false);
        }
    }
}

#[cfg(feature = "hydrate")]
mod channel {
    use leptos::prelude::*;

    pub use crate::components::event_channel::Channel;
    use crate::model::{percent_encode, CampaignBoard};

    /// The data of a `read` event.
    #[derive(serde::Deserialize)]
    struct ReadAt {
        read_at: String,
    }

    /// Connects to the organization's board events; `None` when the browser refuses (the board
    /// then stays as loaded, and Refresh reads it again).
    pub fn open(
        organization: &str,
        board: RwSignal<Option<CampaignBoard>>,
        connected: RwSignal<bool>,
    ) -> Option<Channel> {
        let url = format!(
            "/campaigns/events?organization={}",
            percent_encode(organization)
        );
        Channel::open(&url, connected)?
            .on("board", move |next: CampaignBoard| board.set(Some(next)))?
            // Between changes the server only says when it last read POM.
            .on("read", move |ReadAt { read_at }| {
                board.update(|board| {
                    if let Some(board) = board {
                        board.read_at = Some(read_at);
                    }
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::state_changes;

    #[test]
    fn only_changed_states_are_announced() {
        let entry = |name: &str, state: Option<&str>| (name.to_string(), state.map(String::from));
        let before = [entry("A", None), entry("B", Some("JOB_ACTIVE"))];
        let after = [
            entry("A", Some("JOB_QUEUED")),
            entry("B", Some("JOB_ACTIVE")),
        ];
        assert_eq!(state_changes(&before, &after), "A: Queued.");
        assert_eq!(state_changes(&after, &after), "");
    }
}
