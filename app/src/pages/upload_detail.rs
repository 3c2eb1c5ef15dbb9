//! One contact upload, `/uploads/:id`: the file and where it goes; while unsent its column
//! mapping and choices, the pre-flight's counts, problems and sample, the reject file and sending
//! to POM behind a confirmation; once sent, POM's import followed live (the job's progress over
//! `/events`, the wait for POM's start counted down, the upload itself read again every two
//! seconds until it is final) with the mapping it was sent with; a refused file says why; and the
//! upload's files while they are kept.

mod facts;
mod follow;
mod mapping;
mod mapping_table;
mod preflight;
mod reading;
mod sample;
mod send;
mod sent_mapping;
mod start_wait;

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use crate::components::format::plural;
use crate::components::load_error::{path_id, LoadError};
use crate::components::upload_state::is_following;
use crate::error::AppError;
use crate::model::{JobView, UploadView};
use crate::pages::dnc_upload::focus_later;
use crate::server_fns::uploads::{get_upload, upload_attributes};
use facts::{Downloads, Facts};
use follow::FollowPanel;
use mapping::MappingForm;
use preflight::{to_send, PreflightSummary};
use sample::SampleTable;
use send::SendSection;
use sent_mapping::SentMapping;

/// How often a followed upload is read again.
const FOLLOW_EVERY: Duration = Duration::from_secs(2);

#[component]
fn Head(title: String) -> impl IntoView {
    view! {
        <Title text=title.clone()/>
        <div class="page-head">
            <h1>{title}</h1>
            <a href="/uploads">"← Uploads"</a>
            <a href="/uploads/history">"Upload history"</a>
        </div>
    }
}

#[component]
fn Refused(upload: UploadView) -> impl IntoView {
    let problem = upload
        .problem
        .unwrap_or_else(|| "The file could not be read.".into());
    view! {
        <div class="notice error dnc-refused" role="alert" data-testid="upload-refused">
            <p><strong>{format!("{} was refused.", upload.file_name)}</strong></p>
            <p data-testid="upload-problem">{problem}</p>
            <p>"Nothing was sent to POM. Correct the file and "<a href="/uploads">"upload it again"</a>"."</p>
        </div>
    }
}

/// An unsent upload: mapping, pre-flight, sample and sending. Shown again after every check.
fn unsent(
    upload: UploadView,
    attributes: Result<Vec<String>, AppError>,
    replace: Callback<(UploadView, &'static str)>,
) -> AnyView {
    let Some(preflight) = upload.preflight.clone() else {
        return view! { <p class="notice error" role="alert">"This upload has no pre-flight to show."</p> }
            .into_any();
    };
    let dirty = RwSignal::new(false);
    let on_checked =
        Callback::new(move |view: UploadView| replace.run((view, "upload-counts-title")));
    let on_sent = Callback::new(move |view: UploadView| replace.run((view, "upload-follow-title")));
    // The same figure the pre-flight shows: nothing is to send while the mapping blocks.
    let valid = to_send(&preflight);
    let blocking = !preflight.blocking.is_empty();
    view! {
        <p class="notice info needs-js">"Changing the mapping and sending to POM need JavaScript."</p>
        <MappingForm upload=upload.clone() preflight=preflight.clone() attributes dirty on_checked/>
        <PreflightSummary upload_id=upload.upload_id preflight=preflight.clone() files_available=upload.files_available/>
        <section class="section" aria-labelledby="upload-sample-title">
            <h2 id="upload-sample-title">{format!("Sample: the first {} as they will be sent", plural(preflight.sample.len() as i64, "row", "rows"))}</h2>
            <SampleTable columns=preflight.output_columns sample=preflight.sample/>
        </section>
        <SendSection upload valid blocking dirty on_sent/>
    }
    .into_any()
}

/// A stored upload, kept current: replaced by the server's answers to checking and sending, and
/// read again while POM's import is followed.
#[component]
fn Loaded(initial: UploadView, attributes: Result<Vec<String>, AppError>) -> impl IntoView {
    let upload_id = initial.upload_id;
    let facts = initial.clone();
    let current = RwSignal::new(initial);
    let attributes = StoredValue::new(attributes);
    let state = Memo::new(move |_| current.with(|u| u.state.as_str().to_string()));
    let sent = Memo::new(move |_| state.with(|s| s != "preflight" && s != "refused"));
    let following = Memo::new(move |_| state.with(|s| is_following(s)));
    let reading = RwSignal::new(false);
    let refresh = move || {
        if reading.get_untracked() {
            return;
        }
        reading.set(true);
        spawn_local(async move {
            // The page may have gone while the answer travelled.
            if let Ok(fresh) = get_upload(upload_id).await {
                if current.try_with_untracked(|u| *u != fresh) == Some(true) {
                    current.try_set(fresh);
                }
            }
            reading.try_set(false);
        });
    };
    // POM's state and counters are not job events: read the upload while it is followed.
    Effect::new(move |_| {
        if !following.get() {
            return;
        }
        let handle = set_interval_with_handle(refresh, FOLLOW_EVERY).ok();
        on_cleanup(move || {
            if let Some(handle) = handle {
                handle.clear();
            }
        });
    });
    let on_final = Callback::new(move |_: JobView| refresh());
    let replace = Callback::new(move |(view, focus): (UploadView, &'static str)| {
        current.set(view);
        focus_later(focus);
    });
    let sent_preflight = Memo::new(move |_| {
        current.with(|u| {
            sent.get()
                .then(|| u.preflight.clone())
                .flatten()
                .map(|p| (u.upload_id, p, u.files_available, u.choices.clone()))
        })
    });
    view! {
        <Facts upload=facts/>
        {move || (state.get() == "refused").then(|| view! { <Refused upload=current.get_untracked()/> })}
        {move || (state.get() == "preflight").then(|| {
            unsent(current.get(), attributes.get_value(), replace)
        })}
        {move || sent.get().then(|| view! { <FollowPanel current on_final/> })}
        {move || sent_preflight.get().map(|(upload_id, preflight, files_available, choices)| view! {
            <SentMapping preflight=preflight.clone() choices/>
            <PreflightSummary upload_id preflight files_available/>
        })}
        <Downloads current/>
    }
}

/// The upload page, `/uploads/:id`.
#[component]
pub fn UploadDetailPage() -> impl IntoView {
    let upload_id = path_id("an upload");
    let upload = Resource::new(
        move || upload_id.get(),
        |id| async move { get_upload(id?).await },
    );
    let attributes = Resource::new(|| (), |_| upload_attributes());
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match upload.await {
                    Ok(upload) => {
                        let attributes = attributes.await;
                        let title = format!("Upload #{}", upload.upload_id);
                        view! {
                            <Head title/>
                            <Loaded initial=upload attributes/>
                        }.into_any()
                    }
                    Err(error) => view! {
                        <Head title="Upload".to_string()/>
                        <LoadError error/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
