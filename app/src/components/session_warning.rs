//! The inactivity warning ("TSessionManager" in seed 001): counts down locally, re-syncs with the
//! server every few seconds (other tabs may have been active), warns before the end, offers
//! "Extend session", and sends the browser to the sign-in page when the session is over.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::layout::go_to_sign_in;
use crate::model::SessionTiming;
use crate::server_fns::session::{extend_session, session_remaining};

/// Seconds between server syncs while counting down.
const SYNC_EVERY: i64 = 15;

fn sync(remaining: RwSignal<i64>, syncing: RwSignal<bool>) {
    if syncing.get_untracked() {
        return;
    }
    syncing.set(true);
    spawn_local(async move {
        match session_remaining().await {
            // The server decides: at zero it ends the session and answers SessionExpired.
            Ok(timing) => remaining.set(timing.remaining_secs as i64),
            Err(error) if error.needs_sign_in() => go_to_sign_in(true),
            // A network blip: keep counting and try again at the next sync.
            Err(_) => {}
        }
        syncing.set(false);
    });
}

/// Renders nothing until the warning threshold, then an alert dialog with a live countdown.
#[component]
pub fn SessionWarning(timing: SessionTiming) -> impl IntoView {
    let remaining = RwSignal::new(timing.remaining_secs as i64);
    let syncing = RwSignal::new(false);
    let extending = RwSignal::new(false);
    let ticks = RwSignal::new(0_i64);
    let warning = timing.warning_secs as i64;

    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                ticks.update(|t| *t += 1);
                remaining.update(|r| *r -= 1);
                let left = remaining.get_untracked();
                // Sync often enough to notice activity elsewhere, and every second once at zero
                // until the server confirms the end.
                if ticks.get_untracked() % SYNC_EVERY == 0 || left <= 0 || left == warning {
                    sync(remaining, syncing);
                }
            },
            Duration::from_secs(1),
        )
        .ok();
        on_cleanup(move || {
            if let Some(handle) = handle {
                handle.clear();
            }
        });
    });

    let extend_button = NodeRef::<leptos::html::Button>::new();
    let visible = move || remaining.get() <= warning;
    Effect::new(move |_| {
        if visible() {
            if let Some(button) = extend_button.get() {
                let _ = button.focus();
            }
        }
    });

    let extend = move |_| {
        extending.set(true);
        spawn_local(async move {
            match extend_session().await {
                Ok(timing) => remaining.set(timing.remaining_secs as i64),
                Err(error) if error.needs_sign_in() => go_to_sign_in(true),
                Err(_) => {}
            }
            extending.set(false);
        });
    };

    view! {
        <Show when=visible>
            <div
                class="session-warning"
                role="alertdialog"
                aria-labelledby="session-warning-title"
                aria-describedby="session-warning-text"
                data-testid="session-warning"
            >
                <h2 id="session-warning-title">"Your session is about to end"</h2>
                <p id="session-warning-text">
                    "You will be signed out in "
                    <strong data-testid="session-countdown">{move || remaining.get().max(0)}</strong>
                    " seconds because of inactivity."
                </p>
                <button
                    class="primary"
                    node_ref=extend_button
                    on:click=extend
                    disabled=move || extending.get()
                >
                    "Extend session"
                </button>
            </div>
        </Show>
    }
}
