//! Choosing the data source of the chosen list. With JavaScript only that list's `append` data
//! sources are offered, and `replace` ones (POM empties the list first) once the user asks for
//! them; without it every data source shows, grouped by list and labelled with its type, and the
//! server checks that it belongs to the list.

use leptos::html;
use leptos::prelude::*;

use crate::model::{DataSourceRow, UploadTarget};

/// The data source's type in words.
pub fn kind_word(kind: &str) -> &str {
    match kind {
        "append" => "append",
        "replace" => "replace: empties the list first",
        other => other,
    }
}

/// "Sales_Leads_DS (append) → /ocm/Sales_Leads.csv".
fn source_label(source: &DataSourceRow) -> String {
    format!(
        "{} ({}) → {}",
        source.name,
        kind_word(&source.kind),
        source.remote_path
    )
}

/// Every data source of the lists shown, grouped by list (the page without JavaScript).
fn all_options(visible: Vec<UploadTarget>) -> AnyView {
    let groups = visible
        .into_iter()
        .filter(|t| !t.sources.is_empty())
        .map(|target| {
            let label = format!("{} ({})", target.list_name, target.organization);
            view! {
                <optgroup label=label>
                    {target.sources.into_iter().map(|s| {
                        let text = source_label(&s);
                        view! { <option value=s.name>{text}</option> }
                    }).collect_view()}
                </optgroup>
            }
        })
        .collect_view();
    view! { <option value="">"Choose a data source"</option>{groups} }.into_any()
}

/// The chosen list's offered data sources, the current one selected.
fn list_options(
    chosen: Option<UploadTarget>,
    offered: Vec<DataSourceRow>,
    source: RwSignal<String>,
) -> AnyView {
    if chosen.is_none() {
        return view! { <option value="">"Choose a contact list first"</option> }.into_any();
    }
    if offered.is_empty() {
        return view! { <option value="">"No data source to choose"</option> }.into_any();
    }
    offered
        .into_iter()
        .map(|s| {
            let text = source_label(&s);
            let name = s.name;
            let value = name.clone();
            view! { <option value=value prop:selected=move || source.with(|c| *c == name)>{text}</option> }
        })
        .collect_view()
        .into_any()
}

/// The data source field. `ready` once the browser runs the page; `problem` is shown at the
/// field; `select` lets the form move focus to it.
#[component]
pub fn SourceChoice(
    visible: Memo<Vec<UploadTarget>>,
    chosen: Memo<Option<UploadTarget>>,
    source: RwSignal<String>,
    ready: RwSignal<bool>,
    problem: Signal<Option<String>>,
    select: NodeRef<html::Select>,
) -> impl IntoView {
    let include_replace = RwSignal::new(false);
    let offered = Memo::new(move |_| {
        let replace = include_replace.get();
        chosen
            .get()
            .map(|t| {
                t.sources
                    .into_iter()
                    .filter(|s| replace || s.kind != "replace")
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    // The choice follows the list: the first offered data source, or none.
    Effect::new(move |_| {
        let offered = offered.get();
        if !ready.get() {
            return;
        }
        let current = source.get_untracked();
        if !offered.iter().any(|s| s.name == current) {
            source.set(offered.first().map(|s| s.name.clone()).unwrap_or_default());
        }
    });
    let notice = move || {
        let target = chosen.get()?;
        if target.sources.is_empty() {
            return Some(
                view! {
                    <p class="notice warn small" data-testid="upload-no-source">
                        {format!("{} has no data source yet. ", target.list_name)}
                        <a href="/uploads/sources">"Add one"</a>" to upload to it."
                    </p>
                }
                .into_any(),
            );
        }
        offered.with(Vec::is_empty).then(|| view! {
            <p class="notice warn small" data-testid="upload-only-replace">
                {format!("{} only has replace data sources. Tick “Include replace data sources” to use one.", target.list_name)}
            </p>
        }.into_any())
    };
    view! {
        <div class="field">
            <label for="upload-source">"Data source"</label>
            <select id="upload-source" name="data_source" node_ref=select
                aria-invalid=move || problem.get().map(|_| "true") aria-describedby="upload-source-error upload-source-note"
                on:change=move |ev| source.set(event_target_value(&ev))>
                {move || if ready.get() {
                    list_options(chosen.get(), offered.get(), source)
                } else {
                    all_options(visible.get())
                }}
            </select>
            <span id="upload-source-error" class="field-error">{move || problem.get()}</span>
            <span id="upload-source-note" class="muted small">"POM's file data source that imports the file into the list; OCM puts the file where it reads it."</span>
            {notice}
            <p class="notice warn small needs-js">"Data sources marked replace empty the list in POM before they import the file."</p>
        </div>
        <div class="radio js-only">
            <input type="checkbox" id="upload-include-replace" prop:checked=move || include_replace.get()
                on:change=move |ev| include_replace.set(event_target_checked(&ev))/>
            <label for="upload-include-replace">"Include replace data sources"</label>
        </div>
        <Show when=move || include_replace.get()>
            <p class="notice warn small" role="status" data-testid="upload-replace-warning">
                "A replace data source makes POM empty the whole list before it imports the file: every contact that is not in the file is gone. You confirm this once more before anything is sent."
            </p>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_type_and_the_path() {
        let source = DataSourceRow {
            data_source_id: 1,
            name: "Sales_Leads_DS".into(),
            organization: "Sales".into(),
            list_name: "Sales_Leads".into(),
            kind: "replace".into(),
            remote_path: "/ocm/Sales_Leads.csv".into(),
            delimiter: ",".into(),
            header_row: true,
            columns: Vec::new(),
            updated_by: "admin".into(),
            updated_at: "2026-11-21T10:00:00Z".into(),
        };
        assert_eq!(
            source_label(&source),
            "Sales_Leads_DS (replace: empties the list first) → /ocm/Sales_Leads.csv"
        );
    }
}
