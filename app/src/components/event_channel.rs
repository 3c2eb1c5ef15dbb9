//! One server-sent-events connection in the browser: an `EventSource` whose named events carry
//! JSON, each handed to its handler once read, and a signal that says whether it is connected
//! (the browser reconnects by itself). Closed when dropped from its owner with `close`.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventSource, MessageEvent};

/// The open `EventSource` and the listeners it calls (dropping them would detach them).
pub struct Channel {
    source: EventSource,
    on_message: Vec<Closure<dyn FnMut(MessageEvent)>>,
    _on_state: [Closure<dyn FnMut(Event)>; 2],
}

impl Channel {
    /// Connects to `url`; `None` when the browser refuses (the page then stays as loaded).
    pub fn open(url: &str, connected: RwSignal<bool>) -> Option<Channel> {
        let source = EventSource::new(url).ok()?;
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| connected.set(true));
        // Until the browser has reconnected, what the page shows may be behind.
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| connected.set(false));
        for (name, listener) in [("open", &on_open), ("error", &on_error)] {
            let added =
                source.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
            if added.is_err() {
                source.close();
                return None;
            }
        }
        Some(Channel {
            source,
            on_message: Vec::new(),
            _on_state: [on_open, on_error],
        })
    }

    /// Hands every `event` whose data reads as a `T` to `handle` (others are ignored).
    pub fn on<T: serde::de::DeserializeOwned + 'static>(
        mut self,
        event: &str,
        mut handle: impl FnMut(T) + 'static,
    ) -> Option<Channel> {
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            let data = message
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<T>(&text).ok());
            if let Some(data) = data {
                handle(data);
            }
        });
        let added = self
            .source
            .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        if added.is_err() {
            self.close();
            return None;
        }
        self.on_message.push(listener);
        Some(self)
    }

    pub fn close(self) {
        self.source.close();
    }
}
