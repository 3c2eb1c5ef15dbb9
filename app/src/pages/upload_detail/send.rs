//! Sending a checked upload to POM: what will happen, and a confirmation dialog that says it
//! again — which data source and path the rows go to and when POM imports them — and, for a
//! `replace` data source, asks to confirm that POM empties the list first.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::format::error_text;
use crate::components::format::plural;
use crate::error::AppError;
use crate::model::UploadView;
use crate::server_fns::uploads::send_upload;

/// "1 row", "12,693 rows".
fn rows(count: u64) -> String {
    plural(i64::try_from(count).unwrap_or(i64::MAX), "row", "rows")
}

/// What sending does, in a sentence.
fn consequence(upload: &UploadView, valid: u64) -> String {
    let (verb, them) = if valid == 1 {
        ("goes", "it")
    } else {
        ("go", "them")
    };
    format!(
        "{} {verb} to the data source {} → {} on the SFTP drop; POM runs the data source {} later and imports {them} into {} ({}).",
        rows(valid),
        upload.data_source,
        upload.remote_path,
        delay_words(upload.start_delay_seconds),
        upload.list_name,
        upload.organization
    )
}

/// "5 minutes", "30 seconds", "1 hour 10 minutes".
pub(super) fn delay_words(seconds: u64) -> String {
    let unit = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (seconds / 3600, seconds % 3600 / 60, seconds % 60) {
        (0, 0, s) => unit(s, "second"),
        (0, m, 0) => unit(m, "minute"),
        (0, m, s) => format!("{} {}", unit(m, "minute"), unit(s, "second")),
        (h, 0, _) => unit(h, "hour"),
        (h, m, _) => format!("{} {}", unit(h, "hour"), unit(m, "minute")),
    }
}

/// Why the button is disabled, if it is.
fn held_back(blocking: bool, valid: u64) -> Option<&'static str> {
    if blocking {
        Some("Put right what blocks sending first.")
    } else if valid == 0 {
        Some("There is no valid row to send.")
    } else {
        None
    }
}

/// The send step of an upload in `preflight`; `dirty` while the choices changed since the last
/// check; the upload as the server answers after sending goes to `on_sent`.
#[component]
pub fn SendSection(
    upload: UploadView,
    valid: u64,
    blocking: bool,
    dirty: RwSignal<bool>,
    on_sent: Callback<UploadView>,
) -> impl IntoView {
    let upload_id = upload.upload_id;
    let replace = upload.data_source_kind == "replace";
    let text = consequence(&upload, valid);
    let dialog_text = text.clone();
    let list_name = upload.list_name.clone();
    let data_source = upload.data_source.clone();
    let dialog = NodeRef::<html::Dialog>::new();
    // Focus starts on Cancel: Enter by habit must not send.
    let cancel = NodeRef::<html::Button>::new();
    let busy = RwSignal::new(false);
    let confirmed = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    // Buttons work once the client has taken over; until then, and without JavaScript, disabled.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let reason = held_back(blocking, valid);
    let open = move |_| {
        error.set(None);
        if let Some(dialog) = dialog.get_untracked() {
            let _ = dialog.show_modal();
        }
        if let Some(button) = cancel.get_untracked() {
            let _ = button.focus();
        }
    };
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let send = move |_| {
        if busy.get_untracked() || (replace && !confirmed.get_untracked()) {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match send_upload(upload_id, confirmed.get_untracked()).await {
                Ok(view) => {
                    close();
                    on_sent.run(view);
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let replace_error = move || match error.get() {
        Some(AppError::Validation { field, message }) if field == "confirm_replace" => {
            Some(message)
        }
        _ => None,
    };
    // A replace confirmation asked for although the page showed an append source (the mapping
    // changed meanwhile) has no checkbox to sit next to: it is shown with the other errors.
    let other_error = move || match error.get() {
        Some(AppError::Validation { field, .. }) if field == "confirm_replace" && replace => None,
        Some(problem) => Some(error_text(&problem)),
        None => None,
    };
    let replace_part = replace.then(|| view! {
        <p class="notice warn" data-testid="upload-replace-note">
            {format!("{data_source} is a replace data source: POM empties {list_name} first, so every contact that is not in this file is gone.")}
        </p>
        <div class="radio">
            <input type="checkbox" id="upload-confirm-replace" required
                aria-describedby="upload-confirm-replace-error"
                prop:checked=move || confirmed.get()
                on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
            <label for="upload-confirm-replace">{format!("I understand that POM empties {list_name} before it imports this file")}</label>
        </div>
        <span id="upload-confirm-replace-error" class="field-error">{replace_error}</span>
    });
    view! {
        <section class="section dnc-send" aria-labelledby="upload-send-title">
            <h2 id="upload-send-title" tabindex="-1">"Send to POM"</h2>
            <p class="notice info" data-testid="upload-not-sent">"Nothing has been sent to POM yet."</p>
            <p>{text}</p>
            <div class="actions">
                <button type="button" class="primary" data-testid="upload-send"
                    disabled=move || reason.is_some() || dirty.get() || busy.get() || !ready.get()
                    on:click=open>
                    {format!("Send {} to POM", rows(valid))}
                </button>
                {reason.map(|r| view! { <span class="muted small">{r}</span> })}
            </div>
            <dialog node_ref=dialog class="confirm-dialog" aria-labelledby="upload-confirm-title"
                aria-describedby="upload-confirm-text" data-testid="upload-confirm-dialog">
                <h2 id="upload-confirm-title">{format!("Send {} to POM?", rows(valid))}</h2>
                <p id="upload-confirm-text">{dialog_text}</p>
                {replace_part}
                {move || other_error().map(|message| view! {
                    <p class="notice error" role="alert" data-testid="upload-send-error">{message}</p>
                })}
                <div class="actions">
                    <button type="button" data-testid="upload-confirm-send"
                        class=if replace { "danger" } else { "primary" }
                        disabled=move || busy.get() || (replace && !confirmed.get())
                        on:click=send>
                        {move || if busy.get() { "Sending…" } else { "Send to POM" }}
                    </button>
                    <button type="button" node_ref=cancel data-testid="upload-cancel-send" on:click=move |_| close()>"Cancel"</button>
                </div>
            </dialog>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{delay_words, held_back};

    #[test]
    fn the_start_delay_reads_as_words() {
        assert_eq!(delay_words(300), "5 minutes");
        assert_eq!(delay_words(1), "1 second");
        assert_eq!(delay_words(90), "1 minute 30 seconds");
        assert_eq!(delay_words(4200), "1 hour 10 minutes");
    }

    #[test]
    fn sending_waits_for_a_clean_check() {
        assert!(held_back(true, 5).is_some());
        assert!(held_back(false, 0).is_some());
        assert_eq!(held_back(false, 5), None);
    }
}
