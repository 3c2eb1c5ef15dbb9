//! The upload form: a plain multipart post to `/dnc/upload`, answered with the upload's pre-flight
//! page, so it works without JavaScript. Which target applies follows the chosen mode in CSS (no
//! script needed); with JavaScript, a file over the limit or a missing contact list is named
//! before the file travels.

use leptos::ev::{Event, SubmitEvent};
use leptos::html;
use leptos::prelude::*;

use crate::components::format::plural;
use crate::model::{DncMode, DncTargets};

const BYTES_PER_MB: f64 = 1024.0 * 1024.0;

/// What to say about `?error=…`: the upload route names the refused field by its code.
fn upload_error_message(error: &str, max_file_mb: u64) -> String {
    match error {
        "too_large" => format!(
            "The file is larger than the limit of {max_file_mb} MB. Split it and upload the parts one by one."
        ),
        "file" => "Choose a file to upload; the upload could not be read.".into(),
        "mode" => "Choose what the file does.".into(),
        "contact_list_id" => "Choose one of your contact lists to mark contacts uncallable in.".into(),
        "dnc_list_id" => {
            "No POM DNC list matches your organization; an admin must choose the DNC list.".into()
        }
        other => format!("The upload was refused ({other})."),
    }
}

/// The chosen file's name and size in bytes. Only the browser reads files.
#[cfg(feature = "hydrate")]
fn chosen_file(ev: &Event) -> Option<(String, f64)> {
    use wasm_bindgen::JsCast;
    let file = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))?;
    Some((file.name(), file.size()))
}

#[cfg(not(feature = "hydrate"))]
fn chosen_file(_: &Event) -> Option<(String, f64)> {
    None
}

/// The problem with a chosen file's size, if it is over `max_file_mb`.
fn size_problem(file: &Option<(String, f64)>, max_file_mb: u64) -> Option<String> {
    let (name, bytes) = file.as_ref()?;
    (*bytes > max_file_mb as f64 * BYTES_PER_MB).then(|| {
        format!(
            "{name} is {:.1} MB; the limit is {max_file_mb} MB.",
            bytes / BYTES_PER_MB
        )
    })
}

#[component]
fn ModeChoice(mode: DncMode, chosen: RwSignal<DncMode>) -> impl IntoView {
    let id = format!("dnc-mode-{}", mode.as_str());
    let label_for = id.clone();
    view! {
        <div class="radio">
            <input type="radio" id=id name="mode" value=mode.as_str() checked=mode == DncMode::default()
                on:change=move |_| chosen.set(mode)/>
            <label for=label_for>{mode.label()}</label>
        </div>
    }
}

/// The upload panel, for the lists in `targets`; `error` as the redirect after a refusal named it.
#[component]
pub fn UploadPanel(targets: DncTargets, error: Option<String>) -> impl IntoView {
    let DncTargets {
        contact_lists,
        dnc_lists,
        dnc_list_sizes,
        default_dnc_list,
        may_choose_dnc_list,
        max_file_mb,
    } = targets;
    let mode = RwSignal::new(DncMode::default());
    let contact_list = RwSignal::new(String::new());
    let file = RwSignal::new(None::<(String, f64)>);
    let submitted = RwSignal::new(false);
    let list_ref = NodeRef::<html::Select>::new();
    let file_ref = NodeRef::<html::Input>::new();

    let file_error = Memo::new(move |_| file.with(|f| size_problem(f, max_file_mb)));
    let list_error = Memo::new(move |_| {
        (submitted.get()
            && mode.get() == DncMode::Uncallable
            && contact_list.with(String::is_empty))
        .then(|| "Choose the contact list whose contacts become uncallable.".to_string())
    });
    // A form with a known problem stays on the page, the problem named next to its field.
    let on_submit = move |ev: SubmitEvent| {
        submitted.set(true);
        if list_error.get_untracked().is_some() {
            ev.prevent_default();
            if let Some(select) = list_ref.get_untracked() {
                let _ = select.focus();
            }
        } else if file_error.get_untracked().is_some() {
            ev.prevent_default();
            if let Some(input) = file_ref.get_untracked() {
                let _ = input.focus();
            }
        }
    };

    let list_text = |id: i64, name: &str| match dnc_list_sizes.iter().find(|(l, _)| *l == id) {
        Some((_, size)) => format!("{name} ({})", plural(*size, "address", "addresses")),
        None => name.to_string(),
    };
    let own_list_name = default_dnc_list
        .and_then(|id| dnc_lists.iter().find(|(l, _)| *l == id))
        .map(|(id, name)| list_text(*id, name));
    let dnc_list_options = if may_choose_dnc_list {
        let placeholder = default_dnc_list
            .is_none()
            .then(|| view! { <option value="">"Choose a DNC list"</option> });
        let options = dnc_lists
            .into_iter()
            .map(|(id, name)| {
                let text = list_text(id, &name);
                view! { <option value=id selected=Some(id) == default_dnc_list>{text}</option> }
            })
            .collect_view();
        view! { {placeholder}{options} }.into_any()
    } else {
        let shown = own_list_name
            .clone()
            .unwrap_or_else(|| "No DNC list matches your organization".into());
        view! { <option value="">{shown}</option> }.into_any()
    };
    let no_own_list = !may_choose_dnc_list && own_list_name.is_none();
    let error = error.map(|e| upload_error_message(&e, max_file_mb));

    view! {
        <section class="panel" aria-labelledby="dnc-upload-title">
            <h2 id="dnc-upload-title">"Upload a file"</h2>
            {error.map(|message| view! { <p class="notice error" role="alert" data-testid="dnc-upload-error">{message}</p> })}
            <form class="dnc-upload" method="post" enctype="multipart/form-data" action="/dnc/upload" on:submit=on_submit>
                <fieldset class="choices">
                    <legend>"What the file does"</legend>
                    <ModeChoice mode=DncMode::DncList chosen=mode/>
                    <ModeChoice mode=DncMode::Uncallable chosen=mode/>
                </fieldset>
                <div class="field for-uncallable">
                    <label for="dnc-contact-list">"Contact list"</label>
                    <select id="dnc-contact-list" name="contact_list_id" node_ref=list_ref
                        aria-invalid=move || list_error.get().map(|_| "true") aria-describedby="dnc-contact-list-error"
                        on:change=move |ev| contact_list.set(event_target_value(&ev))>
                        <option value="">"Choose a contact list"</option>
                        {contact_lists.into_iter().map(|(id, name)| {
                            view! { <option value=id>{format!("{name} (#{id})")}</option> }
                        }).collect_view()}
                    </select>
                    <span id="dnc-contact-list-error" class="field-error">{move || list_error.get()}</span>
                    <span class="muted small">"The file holds user contact ids of this list."</span>
                </div>
                <div class="field for-dnc_list">
                    <label for="dnc-dnc-list">"DNC list"</label>
                    // Only admins choose; for everyone else the disabled select shows the list and
                    // sends nothing, so the server applies the organization's own list.
                    <select id="dnc-dnc-list" name="dnc_list_id" disabled=!may_choose_dnc_list>
                        {dnc_list_options}
                    </select>
                    {no_own_list.then(|| view! {
                        <span class="notice warn small">"Uploads to a DNC list are refused until an admin creates one named like your organization."</span>
                    })}
                    <span class="muted small">"The file holds phone numbers and e-mail addresses."</span>
                </div>
                <div class="field">
                    <label for="dnc-file">"File"</label>
                    <input id="dnc-file" name="file" type="file" required accept=".csv,.txt,.xlsx,.xls,.ods" node_ref=file_ref
                        aria-invalid=move || file_error.get().map(|_| "true")
                        aria-describedby="dnc-file-error dnc-file-note"
                        on:change=move |ev| file.set(chosen_file(&ev))/>
                    <span id="dnc-file-error" class="field-error">{move || file_error.get()}</span>
                    <span id="dnc-file-note" class="muted small">
                        {format!("At most {max_file_mb} MB. CSV or text (.csv, .txt; comma, semicolon, tab or pipe, detected), Excel (.xlsx, .xls) or OpenDocument (.ods). Text in UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252. One value per row; a header row names the column.")}
                    </span>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="dnc-upload-submit">"Upload and check"</button>
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
    fn the_size_limit_is_named_in_the_messages() {
        assert!(upload_error_message("too_large", 50).contains("50 MB"));
        assert!(upload_error_message("contact_list_id", 50).contains("contact lists"));
        assert_eq!(size_problem(&None, 50), None);
        assert_eq!(size_problem(&Some(("a.csv".into(), 1024.0)), 50), None);
        assert_eq!(
            size_problem(&Some(("a.csv".into(), 3.0 * BYTES_PER_MB)), 2).as_deref(),
            Some("a.csv is 3.0 MB; the limit is 2 MB.")
        );
    }
}
