//! Live job progress for the whole page: one `EventSource` on `/events`, opened in the browser the
//! first time a page shows an unfinished job, feeding the newest `JobView` of each job into context.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::model::JobView;

/// The newest job views the page has heard of, and how often the event channel (re)connected.
#[derive(Clone, Copy)]
pub struct JobEvents {
    jobs: RwSignal<HashMap<i64, JobView>>,
    /// Bumped on every (re)connection: updates sent while disconnected are lost, so watchers
    /// re-read their job then.
    connections: RwSignal<u32>,
    #[cfg(feature = "hydrate")]
    channel: StoredValue<Option<channel::Channel>, LocalStorage>,
}

impl JobEvents {
    /// Creates the context for the signed-in layout; closes the channel when the layout goes.
    pub fn provide() {
        let events = JobEvents {
            jobs: RwSignal::new(HashMap::new()),
            connections: RwSignal::new(0),
            #[cfg(feature = "hydrate")]
            channel: StoredValue::new_local(None),
        };
        provide_context(events);
        on_cleanup(move || events.close());
    }

    /// The page's job events (the layout provides them).
    pub fn get() -> JobEvents {
        expect_context::<JobEvents>()
    }

    /// The latest view of `job_id` seen by this page, if any.
    pub fn latest(self, job_id: i64) -> Option<JobView> {
        self.jobs.with(|jobs| jobs.get(&job_id).cloned())
    }

    /// How many times the channel has connected (tracked).
    pub fn connections(self) -> u32 {
        self.connections.get()
    }

    /// Keeps a job view read some other way (a server function answer).
    pub fn record(self, job: JobView) {
        self.jobs.update(|jobs| {
            jobs.insert(job.job_id, job);
        });
    }

    /// Opens the channel unless it is open already. Call from an effect: browser only.
    pub fn watch(self) {
        #[cfg(feature = "hydrate")]
        if self.channel.with_value(Option::is_none) {
            let opened = channel::open(self.jobs, self.connections);
            self.channel.set_value(opened);
        }
    }

    fn close(self) {
        #[cfg(feature = "hydrate")]
        if let Some(Some(channel)) = self.channel.try_update_value(Option::take) {
            channel.close();
        }
    }
}

#[cfg(feature = "hydrate")]
mod channel {
    use std::collections::HashMap;

    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{Event, EventSource, MessageEvent};

    use crate::model::JobView;

    /// The open `EventSource` and the listeners it calls (dropping them would detach them).
    pub struct Channel {
        source: EventSource,
        _on_job: Closure<dyn FnMut(MessageEvent)>,
        _on_open: Closure<dyn FnMut(Event)>,
    }

    impl Channel {
        pub fn close(self) {
            self.source.close();
        }
    }

    /// Connects to `/events`; `None` when the browser refuses (progress then stays as loaded).
    pub fn open(
        jobs: RwSignal<HashMap<i64, JobView>>,
        connections: RwSignal<u32>,
    ) -> Option<Channel> {
        let source = EventSource::new("/events").ok()?;
        let on_job = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let job = event
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<JobView>(&text).ok());
            if let Some(job) = job {
                jobs.update(|jobs| {
                    jobs.insert(job.job_id, job);
                });
            }
        });
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            connections.update(|n| *n += 1);
        });
        source
            .add_event_listener_with_callback("job", on_job.as_ref().unchecked_ref())
            .ok()?;
        source
            .add_event_listener_with_callback("open", on_open.as_ref().unchecked_ref())
            .ok()?;
        Some(Channel {
            source,
            _on_job: on_job,
            _on_open: on_open,
        })
    }
}
