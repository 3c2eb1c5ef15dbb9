//! Sending to POM: what will happen and the button; once sent, the job's live progress and, when
//! it has finished, how many values POM accepted and refused.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::summary::count;
use crate::components::format::error_text;
use crate::components::job_progress::JobProgress;
use crate::components::pager::thousands;
use crate::error::AppError;
use crate::model::{DncMode, DncUploadView, JobView};
use crate::server_fns::dnc::dnc_confirm;

/// What sending does, in words.
fn consequence(upload: &DncUploadView) -> String {
    let valid = count(upload.valid);
    match upload.mode {
        DncMode::DncList => format!(
            "{valid} valid, unique phone numbers and e-mail addresses will be added to the DNC list “{}”.",
            upload.target
        ),
        DncMode::Uncallable => format!(
            "{valid} contacts of the list “{}” will be marked uncallable.",
            upload.target
        ),
    }
}

/// POM's answer once the job has finished.
#[component]
fn Outcome(upload_id: i64, accepted: i64, failed: i64) -> impl IntoView {
    let failures = format!("/dnc/uploads/{upload_id}/failures.csv");
    view! {
        <dl class="summary dnc-outcome" data-testid="dnc-outcome">
            <div><dt>"Accepted by POM"</dt><dd data-testid="dnc-accepted" data-count=accepted>{thousands(accepted)}</dd></div>
            <div><dt>"Refused by POM"</dt><dd data-testid="dnc-failed" data-count=failed>{thousands(failed)}</dd></div>
        </dl>
        {(failed > 0).then(|| view! {
            <p>
                <a href=failures class="button" download data-testid="dnc-failures">"Download failures"</a>
                <span class="muted small">" Each refused value with POM's reason, as CSV."</span>
            </p>
        })}
    }
}

/// The send step. `replace` shows the upload as the server answers after sending; `reload` runs
/// when the job finishes.
#[component]
pub fn SendSection(
    upload: DncUploadView,
    replace: Callback<(DncUploadView, &'static str)>,
    reload: Callback<JobView>,
) -> impl IntoView {
    let upload_id = upload.upload_id;
    if upload.state != "preflight" {
        // Counts are only complete once no more work will happen.
        let finished = upload.job.as_ref().is_none_or(|job| job.state.is_final());
        return view! {
            <section class="section" aria-labelledby="dnc-send-title" data-testid="dnc-sent">
                <h2 id="dnc-send-title" tabindex="-1">"Sent to POM"</h2>
                {upload.job.map(|initial| view! { <JobProgress initial on_final=reload/> })}
                {finished.then(|| view! { <Outcome upload_id accepted=upload.accepted failed=upload.failed/> })}
            </section>
        }
        .into_any();
    }

    let valid = upload.valid;
    // Timed DNC only makes sense for a DNC list: a contact cannot be made callable again.
    let may_expire = upload.mode == DncMode::DncList;
    let off_on = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let send = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match dnc_confirm(upload_id, off_on.get_untracked()).await {
                Ok(view) => replace.run((view, "dnc-send-title")),
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="section dnc-send" aria-labelledby="dnc-send-title">
            <h2 id="dnc-send-title" tabindex="-1">"Send to POM"</h2>
            <p class="notice info" data-testid="dnc-not-sent">"Nothing has been sent to POM yet."</p>
            <p>{consequence(&upload)}</p>
            {may_expire.then(|| view! {
                <div class="field">
                    <label for="dnc-upload-off-on">"Comes off the list on (optional)"</label>
                    <input id="dnc-upload-off-on" type="date" data-testid="dnc-upload-off-on"
                        aria-describedby="dnc-upload-off-on-help" prop:value=move || off_on.get()
                        on:input=move |ev| off_on.set(event_target_value(&ev))/>
                    <span id="dnc-upload-off-on-help" class="muted small">"Timed DNC: OCM takes these addresses off your organization's list at the start of that day. Leave empty to keep them."</span>
                </div>
            })}
            <div class="actions">
                <button type="button" class="primary" data-testid="dnc-confirm"
                    disabled=move || valid == 0 || busy.get() on:click=send>
                    {format!("Send {} to POM", count(valid))}
                </button>
                {(valid == 0).then(|| view! { <span class="muted small">"There is no valid value to send."</span> })}
            </div>
            {move || error.get().map(|problem| view! {
                <p class="notice error" role="alert" data-testid="dnc-send-error">{error_text(&problem)}</p>
            })}
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_consequence_names_the_count_and_the_target() {
        let upload = DncUploadView {
            upload_id: 1,
            created_at: "2026-11-21T10:00:00Z".into(),
            created_by: "sam".into(),
            organization: "Sales".into(),
            mode: DncMode::Uncallable,
            target: "Spring".into(),
            file_name: "ids.csv".into(),
            file_sha256: "ab".into(),
            file_bytes: 10,
            state: "preflight".into(),
            problem: None,
            format: "CSV (UTF-8, ',')".into(),
            sheets: Vec::new(),
            sheet: None,
            delimiter: Some(",".into()),
            columns: vec!["ID".into()],
            column: 0,
            rows: 1200,
            valid: 1200,
            duplicates: 0,
            empty: 0,
            invalid: Vec::new(),
            warnings: Vec::new(),
            phone_rules: String::new(),
            sample: Vec::new(),
            job: None,
            accepted: 0,
            failed: 0,
        };
        assert_eq!(
            consequence(&upload),
            "1,200 contacts of the list “Spring” will be marked uncallable."
        );
    }
}
