//! What was uploaded and where it goes (file, hash, list, data source and its path, who and
//! when), and the upload's files while they are kept.

use leptos::prelude::*;

use crate::components::format::short_time;
use crate::model::UploadView;
use crate::pages::dnc_upload::file_size;
use crate::pages::uploads::kind_word;

/// The file and its destination.
#[component]
pub fn Facts(upload: UploadView) -> impl IntoView {
    let short_hash: String = upload.file_sha256.chars().take(12).collect();
    let list_href = format!("/lists/{}", upload.list_id);
    let format = upload.preflight.as_ref().map(|p| p.format.clone());
    view! {
        <dl class="summary wide" data-testid="upload-facts">
            <div class="span"><dt>"File"</dt><dd data-testid="upload-file-name">{upload.file_name}</dd></div>
            <div>
                <dt>"SHA-256"</dt>
                <dd><code title=upload.file_sha256.clone() data-testid="upload-sha256">{short_hash}"…"</code></dd>
            </div>
            <div><dt>"Size"</dt><dd>{file_size(upload.file_bytes)}</dd></div>
            {format.map(|format| view! { <div><dt>"Format"</dt><dd data-testid="upload-format">{format}</dd></div> })}
            <div>
                <dt>"Contact list"</dt>
                <dd><a href=list_href data-testid="upload-list" data-list-id=upload.list_id>{upload.list_name}</a></dd>
            </div>
            <div><dt>"Organization"</dt><dd>{upload.organization}</dd></div>
            <div>
                <dt>"Data source"</dt>
                <dd data-testid="upload-data-source" data-kind=upload.data_source_kind.clone()>
                    {upload.data_source}" "<span class="muted small">{format!("({})", kind_word(&upload.data_source_kind))}</span>
                </dd>
            </div>
            <div class="span"><dt>"Remote path"</dt><dd><code data-testid="upload-remote-path">{upload.remote_path}</code></dd></div>
            <div><dt>"Uploaded by"</dt><dd>{upload.created_by}</dd></div>
            <div><dt>"Uploaded (UTC)"</dt><dd>{short_time(&upload.created_at)}</dd></div>
        </dl>
    }
}

/// One download link, named for the file it gives.
fn link(href: String, testid: &'static str, text: String, note: &'static str) -> impl IntoView {
    view! {
        <li>
            <a href=href download data-testid=testid>{text}</a>
            <span class="muted small">{note}</span>
        </li>
    }
}

/// The upload's files while they are kept (each is made at a different step), with the date they
/// are erased; once erased, that they were.
#[component]
pub fn Downloads(current: RwSignal<UploadView>) -> impl IntoView {
    let files = Memo::new(move |_| {
        current.with(|u| {
            let rejected = u
                .rows_rejected
                .or(u.preflight.as_ref().map(|p| p.rejected as i64));
            (
                u.upload_id,
                u.file_name.clone(),
                u.state.as_str().to_string(),
                u.files_available,
                u.files_expire_at.clone(),
                rejected.unwrap_or(0),
                u.missing_count.unwrap_or(0),
            )
        })
    });
    move || {
        let (id, name, state, available, expires, rejected, missing) = files.get();
        if state == "refused" {
            return ().into_any();
        }
        if !available {
            return view! {
                <section class="section" aria-labelledby="upload-files-title">
                    <h2 id="upload-files-title">"Files"</h2>
                    <p class="muted" data-testid="upload-files-erased">
                        {format!("The files of this upload were erased after {} UTC, as the retention period requires.", short_time(&expires))}
                    </p>
                </section>
            }
            .into_any();
        }
        let sent = state != "preflight";
        view! {
            <section class="section" aria-labelledby="upload-files-title">
                <h2 id="upload-files-title">"Files"</h2>
                <ul class="downloads" data-testid="upload-downloads">
                    {link(format!("/uploads/{id}/original"), "upload-download-original", format!("Original file ({name})"), " As uploaded.")}
                    {sent.then(|| link(format!("/uploads/{id}/converted.csv"), "upload-download-converted", "Converted file".into(), " The rows put on the SFTP drop for POM, as CSV made safe for a spreadsheet (POM got the raw values)."))}
                    {(rejected > 0).then(|| link(format!("/uploads/{id}/rejects.csv"), "upload-download-rejects", "Reject file".into(), " Every rejected row with its reason."))}
                    {(missing > 0).then(|| link(format!("/uploads/{id}/missing.csv"), "upload-download-missing", "Not in the list".into(), " Rows sent but not in the list after the import."))}
                </ul>
                <p class="muted small" data-testid="upload-files-expiry">
                    {format!("The files are kept until {} UTC, then erased.", short_time(&expires))}
                </p>
            </section>
        }
        .into_any()
    }
}
