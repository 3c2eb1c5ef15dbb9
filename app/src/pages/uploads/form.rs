//! The upload form: a plain multipart post to `/uploads/file`, answered with the upload's page,
//! so it works without JavaScript. With JavaScript a missing list or data source is named before
//! the file travels; a refusal the server redirects back with (`?error=<field>`) is named at its
//! field.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use super::sources::SourceChoice;
use crate::components::format::plural;
use crate::model::UploadTarget;

/// Which field a refusal named, and what to say there.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refusal {
    List(&'static str),
    Source(&'static str),
    File(&'static str),
    Other(String),
}

fn refusal(code: &str) -> Refusal {
    match code {
        "file" => Refusal::File("Choose a file to upload; the upload could not be read."),
        "too_large" => Refusal::File(
            "The file is larger than the upload limit. Split it and upload the parts one by one.",
        ),
        "list_id" => Refusal::List("Choose one of the contact lists shown."),
        "data_source" => Refusal::Source("Choose one of the data sources of the chosen list."),
        other => Refusal::Other(format!("The upload was refused ({other}).")),
    }
}

/// "Sales_Spring_Promo · Sales · 1,204 contacts".
fn list_label(target: &UploadTarget) -> String {
    let mut label = format!(
        "{} · {} · {}",
        target.list_name,
        target.organization,
        plural(target.total_contacts, "contact", "contacts")
    );
    if target.sources.is_empty() {
        label.push_str(" · no data source");
    }
    label
}

/// The upload panel for `targets` (every list the admin may upload to), narrowed to
/// `organization`; `error` as the redirect after a refusal named it.
#[component]
pub fn UploadPanel(
    targets: Vec<UploadTarget>,
    organization: Memo<Option<String>>,
    error: Option<String>,
) -> impl IntoView {
    let targets = StoredValue::new(targets);
    let list = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    // Script runs: the data source choice follows the list (effects run only in the browser).
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let refused = RwSignal::new(error.as_deref().map(refusal));
    let list_ref = NodeRef::<html::Select>::new();
    let source_ref = NodeRef::<html::Select>::new();

    let visible = Memo::new(move |_| {
        let organization = organization.get();
        targets.with_value(|all| {
            all.iter()
                .filter(|t| organization.as_deref().is_none_or(|o| o == t.organization))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let chosen = Memo::new(move |_| {
        list.with(|id| visible.with(|v| v.iter().find(|t| t.list_id.to_string() == *id).cloned()))
    });
    // A list of another organization is no longer offered.
    Effect::new(move |_| {
        if chosen.with(Option::is_none) && !list.with_untracked(String::is_empty) {
            list.set(String::new());
        }
    });

    let list_error = Signal::derive(move || {
        if submitted.get() && list.with(String::is_empty) {
            return Some("Choose the contact list the contacts go to.".to_string());
        }
        match refused.get() {
            Some(Refusal::List(message)) => Some(message.to_string()),
            _ => None,
        }
    });
    let source_error = Signal::derive(move || {
        if submitted.get() && ready.get() && source.with(String::is_empty) {
            return Some("Choose the data source that imports the file.".to_string());
        }
        match refused.get() {
            Some(Refusal::Source(message)) => Some(message.to_string()),
            _ => None,
        }
    });
    let file_error = move || match refused.get() {
        Some(Refusal::File(message)) => Some(message),
        _ => None,
    };
    let other_error = move || match refused.get() {
        Some(Refusal::Other(message)) => Some(message),
        _ => None,
    };

    // A form with a known problem stays on the page, the problem named next to its field.
    let on_submit = move |ev: SubmitEvent| {
        submitted.set(true);
        refused.set(None);
        if list_error.get_untracked().is_some() {
            ev.prevent_default();
            if let Some(select) = list_ref.get_untracked() {
                let _ = select.focus();
            }
        } else if source_error.get_untracked().is_some() {
            ev.prevent_default();
            if let Some(select) = source_ref.get_untracked() {
                let _ = select.focus();
            }
        }
    };

    view! {
        <section class="panel" aria-labelledby="upload-form-title">
            <h2 id="upload-form-title">"Upload a file"</h2>
            {move || other_error().map(|message| view! { <p class="notice error" role="alert" data-testid="upload-error">{message}</p> })}
            <form class="upload-form" method="post" enctype="multipart/form-data" action="/uploads/file" on:submit=on_submit>
                <div class="field">
                    <label for="upload-list">"Contact list"</label>
                    <select id="upload-list" name="list_id" node_ref=list_ref
                        aria-invalid=move || list_error.get().map(|_| "true") aria-describedby="upload-list-error"
                        on:change=move |ev| {
                            list.set(event_target_value(&ev));
                            refused.set(None);
                        }>
                        <option value="">"Choose a contact list"</option>
                        {move || visible.get().into_iter().map(|target| {
                            let text = list_label(&target);
                            let id = target.list_id.to_string();
                            let value = id.clone();
                            view! { <option value=value prop:selected=move || list.with(|l| *l == id)>{text}</option> }
                        }).collect_view()}
                    </select>
                    <span id="upload-list-error" class="field-error" data-testid="upload-list-error">{move || list_error.get()}</span>
                </div>
                <SourceChoice visible chosen source ready problem=source_error select=source_ref/>
                <div class="field">
                    <label for="upload-file">"File"</label>
                    <input id="upload-file" name="file" type="file" required accept=".csv,.txt,.xlsx,.xls,.ods"
                        aria-invalid=move || file_error().map(|_| "true")
                        aria-describedby="upload-file-error upload-file-note"
                        on:change=move |_| refused.set(None)/>
                    <span id="upload-file-error" class="field-error" data-testid="upload-file-error">{file_error}</span>
                    <span id="upload-file-note" class="muted small">
                        "CSV or text (.csv, .txt; comma, semicolon, tab or pipe, detected), Excel (.xlsx, .xls) or OpenDocument (.ods). A header row names the columns; you map them to POM's attributes on the next page."
                    </span>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="upload-submit">"Upload and check"</button>
                    <span class="muted small">"Nothing is sent to POM before you confirm the check."</span>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_named_at_their_field() {
        assert!(matches!(refusal("too_large"), Refusal::File(m) if m.contains("larger")));
        assert!(matches!(refusal("list_id"), Refusal::List(_)));
        assert!(matches!(refusal("data_source"), Refusal::Source(_)));
        assert_eq!(
            refusal("mystery"),
            Refusal::Other("The upload was refused (mystery).".into())
        );
        let target = UploadTarget {
            list_id: 4,
            list_name: "Sales_Spring_Promo".into(),
            organization: "Sales".into(),
            total_contacts: 1204,
            sources: Vec::new(),
        };
        assert_eq!(
            list_label(&target),
            "Sales_Spring_Promo · Sales · 1,204 contacts · no data source"
        );
    }
}
