//! One DNC upload: the file and where it goes, the pre-flight's counts and sample, options to read
//! the file differently (column, delimiter, sheet), the reject file, and sending the valid values
//! to POM as a job whose progress and result follow. A refused file shows why. The page reloads
//! its data when the job finishes.

mod options;
mod sample;
mod send;
mod summary;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::format::plural;
use crate::components::load_error::{path_id, LoadError};
use crate::model::{DncUploadView, JobView};
use crate::server_fns::dnc::dnc_upload;
use options::OptionsForm;
use sample::SampleTable;
use send::SendSection;
pub use summary::{count, file_size};
use summary::{Counts, Summary};

/// Moves keyboard focus to the element with `id` once the page has drawn it (browser only).
pub fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let element = document()
                .get_element_by_id(id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(element) = element {
                let _ = element.focus();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    });
}

#[component]
fn Head(title: String) -> impl IntoView {
    view! {
        <Title text=title.clone()/>
        <div class="page-head">
            <h1>{title}</h1>
            <a href="/dnc">"← DNC"</a>
        </div>
    }
}

#[component]
fn Refused(upload: DncUploadView) -> impl IntoView {
    let problem = upload
        .problem
        .unwrap_or_else(|| "The file could not be read.".into());
    view! {
        <div class="notice error dnc-refused" role="alert" data-testid="dnc-refused">
            <p><strong>{format!("{} was refused.", upload.file_name)}</strong></p>
            <p data-testid="dnc-problem">{problem}</p>
            <p>"Nothing was sent to POM. Correct the file and "<a href="/dnc">"upload it again"</a>"."</p>
        </div>
    }
}

/// A checked upload. Answers to new options and to sending replace what is shown.
#[component]
fn Checked(initial: DncUploadView, reload: Callback<JobView>) -> impl IntoView {
    let current = RwSignal::new(initial);
    let replace = Callback::new(move |(view, focus): (DncUploadView, &'static str)| {
        current.set(view);
        focus_later(focus);
    });
    move || {
        let upload = current.get();
        let open = upload.state == "preflight";
        let rejected =
            upload.invalid.iter().map(|r| r.count).sum::<u64>() + upload.duplicates + upload.empty;
        let rejects = format!("/dnc/uploads/{}/rejects.csv", upload.upload_id);
        view! {
            <Summary upload=upload.clone()/>
            <Counts upload=upload.clone()/>
            {(rejected > 0).then(|| view! {
                <p><a href=rejects class="button" download data-testid="dnc-rejects">"Download reject file"</a>
                <span class="muted small">" Every rejected row with its reason, as CSV."</span></p>
            })}
            {open.then(|| view! { <OptionsForm upload=upload.clone() replace/> })}
            <section class="section" aria-labelledby="dnc-sample-title">
                <h2 id="dnc-sample-title">{format!("Sample: the first {}", plural(upload.sample.len() as i64, "row", "rows"))}</h2>
                <SampleTable sample=upload.sample.clone()/>
            </section>
            <SendSection upload replace reload/>
        }
    }
}

/// The upload page, `/dnc/uploads/:id`.
#[component]
pub fn DncUploadPage() -> impl IntoView {
    let upload_id = path_id("a DNC upload");
    let upload = Resource::new(
        move || upload_id.get(),
        |id| async move { dnc_upload(id?).await },
    );
    // The finished job changed the counts of accepted and refused values.
    let reload = Callback::new(move |_: JobView| upload.refetch());
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match upload.await {
                    Ok(upload) if upload.state == "refused" => view! {
                        <Head title=format!("DNC upload #{} refused", upload.upload_id)/>
                        <Refused upload/>
                    }.into_any(),
                    Ok(upload) => view! {
                        <Head title=format!("DNC upload #{}", upload.upload_id)/>
                        <Checked initial=upload reload/>
                    }.into_any(),
                    Err(error) => view! {
                        <Head title="DNC upload".to_string()/>
                        <LoadError error/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
