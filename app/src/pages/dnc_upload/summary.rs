//! What was uploaded and where it goes, and what the pre-flight found: rows, valid and unique
//! values, duplicates, empty rows, invalid rows by reason, accepted numbers with a warning, and
//! how phone numbers were read.

use leptos::prelude::*;

use crate::components::format::short_time;
use crate::components::pager::thousands;
use crate::model::DncUploadView;

/// A count for display; the counts are far below where `u64` and `i64` differ.
pub fn count(value: u64) -> String {
    thousands(i64::try_from(value).unwrap_or(i64::MAX))
}

/// `812 bytes`, `14.2 KB`, `3.5 MB`.
pub fn file_size(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    let size = bytes.max(0) as f64;
    if size < KB {
        format!("{bytes} bytes")
    } else if size < KB * KB {
        format!("{:.1} KB", size / KB)
    } else {
        format!("{:.1} MB", size / (KB * KB))
    }
}

/// The file and its destination.
#[component]
pub fn Summary(upload: DncUploadView) -> impl IntoView {
    let short_hash: String = upload.file_sha256.chars().take(12).collect();
    view! {
        <dl class="summary wide" data-testid="dnc-upload-summary">
            <div class="span"><dt>"File"</dt><dd data-testid="dnc-file-name">{upload.file_name}</dd></div>
            <div>
                <dt>"SHA-256"</dt>
                <dd><code title=upload.file_sha256.clone() data-testid="dnc-sha256">{short_hash}"…"</code></dd>
            </div>
            <div><dt>"Size"</dt><dd>{file_size(upload.file_bytes)}</dd></div>
            <div><dt>"Format"</dt><dd data-testid="dnc-format">{upload.format}</dd></div>
            <div class="span"><dt>"Mode"</dt><dd>{upload.mode.label()}</dd></div>
            <div><dt>"Target"</dt><dd data-testid="dnc-target">{upload.target}</dd></div>
            <div><dt>"Organization"</dt><dd>{upload.organization}</dd></div>
            <div><dt>"Uploaded by"</dt><dd>{upload.created_by}</dd></div>
            <div><dt>"Uploaded (UTC)"</dt><dd>{short_time(&upload.created_at)}</dd></div>
        </dl>
    }
}

/// The pre-flight's counts; invalid rows by reason in a small table.
#[component]
pub fn Counts(upload: DncUploadView) -> impl IntoView {
    let invalid: u64 = upload.invalid.iter().map(|r| r.count).sum();
    let reasons = upload.invalid;
    let warnings = upload.warnings;
    let phone_rules = upload.phone_rules;
    view! {
        <section class="section" aria-labelledby="dnc-counts-title">
            <h2 id="dnc-counts-title" tabindex="-1">"Pre-flight check"</h2>
            <dl class="summary dnc-counts">
                <div><dt>"Rows"</dt><dd data-testid="dnc-rows">{count(upload.rows)}</dd></div>
                <div class="valid">
                    <dt>"Valid and unique"</dt>
                    <dd data-testid="dnc-valid" data-count=upload.valid>{count(upload.valid)}</dd>
                </div>
                <div><dt>"Duplicates"</dt><dd data-testid="dnc-duplicates">{count(upload.duplicates)}</dd></div>
                <div><dt>"Empty"</dt><dd data-testid="dnc-empty">{count(upload.empty)}</dd></div>
                <div><dt>"Invalid"</dt><dd data-testid="dnc-invalid">{count(invalid)}</dd></div>
            </dl>
            <p class="muted small" data-testid="dnc-phone-rules">{phone_rules}</p>
            {(!reasons.is_empty()).then(|| view! {
                <div class="table-wrap narrow" tabindex="0" role="region" aria-label="Invalid rows by reason">
                    <table class="data" data-testid="dnc-invalid-reasons">
                        <caption class="sr-only">"Invalid rows by reason"</caption>
                        <thead><tr><th scope="col">"Invalid because"</th><th scope="col" class="num">"Rows"</th></tr></thead>
                        <tbody>
                            {reasons.into_iter().map(|r| view! {
                                <tr><td>{r.reason}</td><td class="num">{count(r.count)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {(!warnings.is_empty()).then(|| view! {
                <div class="table-wrap narrow" tabindex="0" role="region" aria-label="Accepted with a warning">
                    <table class="data" data-testid="dnc-warnings">
                        <caption>"Accepted with a warning: possible numbers that are not valid for their country (a fictional range, or one newer than OCM's metadata). They are sent: suppressing too much is safe."</caption>
                        <thead><tr><th scope="col">"Warning"</th><th scope="col" class="num">"Numbers"</th></tr></thead>
                        <tbody>
                            {warnings.into_iter().map(|r| view! {
                                <tr><td>{r.reason}</td><td class="num">{count(r.count)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_the_nearest_unit() {
        assert_eq!(file_size(812), "812 bytes");
        assert_eq!(file_size(14_540), "14.2 KB");
        assert_eq!(file_size(3_670_016), "3.5 MB");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
