//! The wait before POM imports a sent upload: when POM runs the data source, a live countdown to
//! it, and why there is a wait at all (POM's data source reads its file once, at the time it is
//! scheduled for; OCM schedules it `OCM_UPLOAD_START_DELAY_SECONDS` after the file is in place).

use std::time::Duration;

use leptos::prelude::*;

use super::send::delay_words;
use crate::components::format::{pom_wall_time, short_time};
use crate::model::UploadView;

/// "4 min 05 s", "59 s", "1 h 02 min 03 s": short enough to change every second without jumping.
pub fn countdown_words(seconds: i64) -> String {
    let seconds = seconds.max(0);
    match (seconds / 3600, seconds % 3600 / 60, seconds % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s:02} s"),
        (h, m, s) => format!("{h} h {m:02} min {s:02} s"),
    }
}

/// "2026-12-05 10:05:00 UTC (2026-12-05 11:05:00 Europe/Berlin)": the instant, and the wall time
/// POM was given (written as OCM writes dates).
fn start_words(upload: &UploadView) -> Option<String> {
    let at = upload.scheduled_at.as_deref().map(short_time);
    let wall = upload
        .scheduled_for
        .as_ref()
        .map(|wall| match &upload.time_zone {
            Some(zone) => format!("{} {zone}", pom_wall_time(wall)),
            None => pom_wall_time(wall),
        });
    match (at, wall) {
        (Some(at), Some(wall)) => Some(format!("{at} UTC ({wall})")),
        (Some(at), None) => Some(format!("{at} UTC")),
        (None, wall) => wall,
    }
}

/// Why OCM waits, naming the setting.
fn why_words(delay_seconds: u64) -> String {
    format!(
        "Why the wait: POM's data source reads its file once, at the time it is scheduled for. \
         OCM schedules it {} after the file is on the drop (setting \
         OCM_UPLOAD_START_DELAY_SECONDS), so the file is complete before POM reads it.",
        delay_words(delay_seconds)
    )
}

/// Sent, and POM has not started importing yet.
fn is_waiting(state: &str) -> bool {
    matches!(state, "queued" | "uploaded" | "scheduled")
}

/// What the page knows of the wait: the state, the start in words, the seconds left when read,
/// and the configured delay.
type Wait = (String, Option<String>, Option<i64>, u64);

/// Shown while the upload waits for POM to start its import (`queued`, `uploaded`, `scheduled`).
#[component]
pub fn StartWait(current: RwSignal<UploadView>) -> impl IntoView {
    let wait: Memo<Wait> = Memo::new(move |_| {
        current.with(|u| {
            (
                u.state.as_str().to_string(),
                start_words(u),
                u.starts_in_seconds,
                u.start_delay_seconds,
            )
        })
    });
    // Seconds since the server last said how long is left; a fresh reading starts again at 0.
    let elapsed = RwSignal::new(0_i64);
    Effect::new(move |_| {
        // Read, not only tracked: a memo is computed (and so changes) only when read.
        wait.with(|_| ());
        elapsed.set(0);
    });
    let waiting = Memo::new(move |_| wait.with(|w| is_waiting(&w.0)));
    Effect::new(move |_| {
        if !waiting.get() {
            return;
        }
        let handle =
            set_interval_with_handle(move || elapsed.update(|e| *e += 1), Duration::from_secs(1))
                .ok();
        on_cleanup(move || {
            if let Some(handle) = handle {
                handle.clear();
            }
        });
    });
    move || {
        let (state, start, starts_in, delay) = wait.get();
        if !is_waiting(&state) {
            return ().into_any();
        }
        let when = match (start, starts_in) {
            (Some(start), Some(starts_in)) => {
                let left = move || starts_in - elapsed.get();
                view! {
                    <p data-testid="upload-start">
                        "POM runs the data source at "<strong data-testid="upload-start-at">{start}</strong>
                        {move || if left() > 0 {
                            view! {
                                ", in "
                                <strong class="countdown" data-testid="upload-start-countdown" data-seconds=left()>
                                    {countdown_words(left())}
                                </strong>"."
                            }.into_any()
                        } else {
                            view! {
                                <span data-testid="upload-start-countdown" data-seconds="0">
                                    ": now. Waiting for POM to start the import."
                                </span>
                            }.into_any()
                        }}
                    </p>
                }
                .into_any()
            }
            _ => view! {
                <p data-testid="upload-start">
                    {format!("The file goes on the SFTP drop first; then OCM asks POM to run the data source once, {} later.", delay_words(delay))}
                </p>
            }
            .into_any(),
        };
        view! {
            <div class="notice info start-wait" data-testid="upload-start-wait">
                {when}
                <p class="muted small" data-testid="upload-start-why">{why_words(delay)}</p>
            </div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_countdown_reads_short_and_never_below_zero() {
        assert_eq!(countdown_words(272), "4 min 32 s");
        assert_eq!(countdown_words(65), "1 min 05 s");
        assert_eq!(countdown_words(9), "9 s");
        assert_eq!(countdown_words(3723), "1 h 02 min 03 s");
        assert_eq!(countdown_words(-4), "0 s");
    }

    #[test]
    fn the_wait_is_explained_with_its_setting() {
        let why = why_words(300);
        assert!(why.contains("5 minutes"), "{why}");
        assert!(why.contains("OCM_UPLOAD_START_DELAY_SECONDS"), "{why}");
    }
}
