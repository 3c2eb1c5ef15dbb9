//! The callback dashboard followed live over `/callbacks/events` (browser only): the counts
//! redrawn as they change, and the table's page read again when the revision does.

use leptos::prelude::*;

use crate::components::report_page::ReportRefresh;
use crate::error::AppError;
use crate::model::CallbackCounts;

/// Follows the counts over `/callbacks/events` while the page is open (browser only): every
/// change lands in `live`, and a new revision reads the table's page again.
pub(super) fn follow(
    organization: Memo<Option<String>>,
    live: RwSignal<Option<CallbackCounts>>,
    connected: RwSignal<bool>,
    refresh: ReportRefresh,
    loaded: Resource<Result<CallbackCounts, AppError>>,
) {
    #[cfg(feature = "hydrate")]
    {
        use crate::components::event_channel::Channel;
        use crate::model::percent_encode;
        let channel = StoredValue::new_local(None::<Channel>);
        let close = move || {
            if let Some(Some(open)) = channel.try_update_value(Option::take) {
                open.close();
            }
        };
        Effect::new(move |_| {
            let url = match organization.get() {
                Some(org) => format!("/callbacks/events?organization={}", percent_encode(&org)),
                None => "/callbacks/events".to_string(),
            };
            close();
            live.set(None);
            let opened = Channel::open(&url, connected).and_then(|c| {
                c.on("callbacks", move |counts: CallbackCounts| {
                    let shown = live.with_untracked(|l| l.as_ref().map(|c| c.revision.clone()));
                    let shown = shown.or_else(|| {
                        loaded.with_untracked(|l| {
                            l.as_ref()
                                .and_then(|r| r.as_ref().ok())
                                .map(|c| c.revision.clone())
                        })
                    });
                    if shown.as_deref() != Some(counts.revision.as_str()) {
                        refresh.0.update(|n| *n += 1);
                    }
                    live.set(Some(counts));
                })
            });
            channel.set_value(opened);
        });
        on_cleanup(close);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (organization, live, connected, refresh, loaded);
}
