//! The mapping table of an unsent upload: one row per file column with the POM attribute it goes
//! to (or left out), and "auto" while the attribute is the one OCM chose from the header.

use leptos::prelude::*;

/// The column's name in the table; an unnamed column by its position.
pub(super) fn column_name(index: usize, header: &str) -> String {
    if header.trim().is_empty() {
        format!("Column {}", index + 1)
    } else {
        header.to_string()
    }
}

/// The attribute select of column `index`; `chosen` holds the attribute ("" leaves it out).
fn attribute_select(
    index: usize,
    attributes: &[String],
    chosen: RwSignal<String>,
    dirty: RwSignal<bool>,
) -> impl IntoView {
    let current = chosen.get_untracked();
    let mut names = attributes.to_vec();
    if !current.is_empty() && !names.contains(&current) {
        names.insert(0, current.clone());
    }
    let options = names
        .into_iter()
        .map(|name| {
            let selected = name == current;
            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    view! {
        <select id=format!("map-{index}") aria-labelledby=format!("map-header-{index}")
            on:change=move |ev| { chosen.set(event_target_value(&ev)); dirty.set(true); }>
            <option value="" selected=current.is_empty()>"— leave out —"</option>
            {options}
        </select>
    }
}

/// The table of `columns` (header, chosen attribute, chosen by OCM); a change sets `dirty`.
#[component]
pub fn MappingTable(
    columns: Vec<(String, RwSignal<String>, bool)>,
    attributes: Vec<String>,
    dirty: RwSignal<bool>,
) -> impl IntoView {
    let rows = columns
        .into_iter()
        .enumerate()
        .map(|(index, (header, chosen, automatic))| {
            let original = chosen.get_untracked();
            let auto = move || (automatic && chosen.with(|c| *c == original)).then(|| view! {
                <span class="badge auto" title="Chosen by OCM from the column's name" data-testid="upload-map-auto">"auto"</span>
            });
            view! {
                <tr data-testid="upload-map-row" data-header=header.clone()>
                    <td class="num">{index + 1}</td>
                    <th scope="row" id=format!("map-header-{index}")>{column_name(index, &header)}</th>
                    <td>{attribute_select(index, &attributes, chosen, dirty)}</td>
                    <td>{auto}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap narrow" tabindex="0" role="region" aria-label="Column mapping">
            <table class="data mapping" data-testid="upload-mapping">
                <caption class="sr-only">"Which POM attribute each column of the file goes to"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="num">"#"</th>
                        <th scope="col">"Column in the file"</th>
                        <th scope="col">"POM attribute"</th>
                        <th scope="col"><span class="sr-only">"Chosen by"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::column_name;

    #[test]
    fn unnamed_columns_go_by_position() {
        assert_eq!(column_name(0, "Mobile"), "Mobile");
        assert_eq!(column_name(2, " "), "Column 3");
    }
}
