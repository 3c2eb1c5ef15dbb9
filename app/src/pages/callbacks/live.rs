//! The callback dashboard followed live over `/callbacks/events` (browser only): the counts
//! redrawn as they change, and the table's page read again when the revision does (at most
//! every 5 s).

use leptos::prelude::*;

use crate::components::report_page::ReportRefresh;
use crate::error::AppError;
use crate::model::CallbackCounts;

/// The shortest time between two reads of the table (milliseconds).
#[cfg(feature = "hydrate")]
const TABLE_AT_MOST_EVERY_MS: f64 = 5_000.0;

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
        // The table is read again at most once per interval, however busy the floor: each
        // read is this browser's own query, unlike the counts every browser shares.
        let last_read = StoredValue::new_local(f64::MIN);
        let waiting = StoredValue::new_local(false);
        let read_now = move || {
            last_read.set_value(web_sys::js_sys::Date::now());
            refresh.0.update(|n| *n += 1);
        };
        let reload_soon = move || {
            let since = web_sys::js_sys::Date::now() - last_read.get_value();
            if since >= TABLE_AT_MOST_EVERY_MS {
                read_now();
            } else if !waiting.get_value() {
                waiting.set_value(true);
                let wait =
                    std::time::Duration::from_millis((TABLE_AT_MOST_EVERY_MS - since) as u64);
                set_timeout(
                    move || {
                        waiting.set_value(false);
                        read_now();
                    },
                    wait,
                );
            }
        };
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
                        reload_soon();
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
