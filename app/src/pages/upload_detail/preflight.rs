//! What the pre-flight found: rows, valid, rejected and duplicate counts, rejections by reason,
//! what blocks sending, the columns left out, the DNC check, and the reject file. While something
//! blocks sending, nothing is "to send": the rows that pass the row checks are said apart.

use leptos::prelude::*;

use crate::model::UploadPreflight;
use crate::pages::dnc_upload::count;

/// Rows that would be sent now: none while the mapping blocks sending.
pub(super) fn to_send(p: &UploadPreflight) -> u64 {
    if p.blocking.is_empty() {
        p.valid
    } else {
        0
    }
}

/// The blocking notice's last line: nothing is to send, though rows may pass the row checks.
fn passing_words(p: &UploadPreflight) -> String {
    let noun = if p.rows == 1 { "row" } else { "rows" };
    let verb = if p.valid == 1 { "passes" } else { "pass" };
    format!(
        "Nothing is to send until then: {} of {} {noun} {verb} the row checks as the file is mapped now.",
        count(p.valid),
        count(p.rows)
    )
}

/// A count with its number in `data-count` for tests and tools.
#[component]
fn Figure(
    label: &'static str,
    testid: &'static str,
    value: u64,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    view! {
        <div class=class>
            <dt>{label}</dt>
            <dd data-testid=testid data-count=value>{count(value)}</dd>
        </div>
    }
}

/// The pre-flight of upload `upload_id`; the reject file is offered while `files_available`.
#[component]
pub fn PreflightSummary(
    upload_id: i64,
    preflight: UploadPreflight,
    files_available: bool,
) -> impl IntoView {
    let p = preflight;
    let rejects = (p.rejected > 0 && files_available).then(|| {
        let href = format!("/uploads/{upload_id}/rejects.csv");
        view! {
            <p>
                <a href=href class="button" download data-testid="upload-rejects">"Download reject file"</a>
                <span class="muted small">" Every rejected row with its reason, as CSV."</span>
            </p>
        }
    });
    let blocking = (!p.blocking.is_empty()).then(|| {
        view! {
            <div class="notice error" role="alert" data-testid="upload-blocking">
                <p><strong>"Nothing can be sent until this is put right:"</strong></p>
                <ul>{p.blocking.iter().map(|b| view! { <li>{b.clone()}</li> }).collect_view()}</ul>
                <p data-testid="upload-blocked-passing">{passing_words(&p)}</p>
            </div>
        }
    });
    let unmapped = (!p.unmapped.is_empty()).then(|| {
        view! {
            <p class="notice info" data-testid="upload-unmapped">
                "Left out, not sent: "{p.unmapped.join(", ")}"."
            </p>
        }
    });
    let dnc = if p.dnc_checked {
        Some(view! {
            <p class="notice info" data-testid="upload-dnc-note">"Checked against POM's DNC lists: rows whose phone number or e-mail address is on them are rejected."</p>
        }.into_any())
    } else {
        p.dnc_note.clone().map(|note| {
            view! {
                <p class="notice warn" data-testid="upload-dnc-note">{note}</p>
            }
            .into_any()
        })
    };
    let reasons = (!p.reasons.is_empty()).then(|| view! {
        <div class="table-wrap narrow" tabindex="0" role="region" aria-label="Rejected rows by reason">
            <table class="data" data-testid="upload-reasons">
                <caption class="sr-only">"Rejected rows by reason"</caption>
                <thead><tr><th scope="col">"Rejected because"</th><th scope="col" class="num">"Rows"</th></tr></thead>
                <tbody>
                    {p.reasons.iter().map(|r| view! {
                        <tr><td>{r.reason.clone()}</td><td class="num">{count(r.count)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    });
    let flagged = (!p.flagged.is_empty()).then(|| view! {
        <div class="table-wrap narrow" tabindex="0" role="region" aria-label="Sent with a flag">
            <table class="data" data-testid="upload-flagged">
                <caption>"Sent with a flag: phone numbers possible but not valid for their country (OCM_UPLOAD_INVALID_PHONES=flag)"</caption>
                <thead><tr><th scope="col">"Flag"</th><th scope="col" class="num">"Rows"</th></tr></thead>
                <tbody>
                    {p.flagged.iter().map(|r| view! {
                        <tr><td>{r.reason.clone()}</td><td class="num">{count(r.count)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    });
    // Green "valid" only for rows that can go now; otherwise the figure says it is blocked.
    let (to_send_label, to_send_class) = if p.blocking.is_empty() {
        ("Valid, to send", "valid")
    } else {
        ("To send (blocked)", "")
    };
    view! {
        <section class="section" aria-labelledby="upload-counts-title">
            <h2 id="upload-counts-title" tabindex="-1">"Pre-flight check"</h2>
            <dl class="summary dnc-counts">
                <Figure label="Rows" testid="upload-rows" value=p.rows/>
                <Figure label=to_send_label testid="upload-valid" value=to_send(&p) class=to_send_class/>
                <Figure label="Rejected" testid="upload-rejected" value=p.rejected/>
                <Figure label="Of these, duplicates" testid="upload-duplicates" value=p.duplicates/>
            </dl>
            {blocking}
            {unmapped}
            {dnc}
            {reasons}
            {flagged}
            {rejects}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_to_send_while_the_mapping_blocks_and_the_notice_says_why() {
        let clean = UploadPreflight {
            rows: 3,
            valid: 2,
            rejected: 1,
            ..UploadPreflight::default()
        };
        assert_eq!(to_send(&clean), 2);
        let blocked = UploadPreflight {
            blocking: vec!["No column is mapped to a phone number or e-mail attribute.".into()],
            ..clean
        };
        assert_eq!(to_send(&blocked), 0);
        assert_eq!(
            passing_words(&blocked),
            "Nothing is to send until then: 2 of 3 rows pass the row checks as the file is mapped now."
        );
        let one = UploadPreflight {
            rows: 1,
            valid: 1,
            ..blocked
        };
        assert!(passing_words(&one).contains("1 of 1 row passes"));
    }
}
