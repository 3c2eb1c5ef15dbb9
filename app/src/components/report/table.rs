//! The report kit's table: headings and cells from the row's `ReportRow::columns()`, the columns a
//! page shows picked by key, cells a page renders richer (badges, links, `<code>`) by key, and the
//! row attributes end-to-end tests find rows by.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use types::report::{CellKind, Column, ColumnSort, ReportRow};

/// How one page shows its rows. Plain functions, so the description is a `const` of the page.
pub struct TableSpec<R: 'static> {
    /// Test id stem: `audit` → `audit-table`, `audit-empty`.
    pub testid: &'static str,
    /// The table's name for screen readers (its caption, and its scrolling region's label).
    pub label: &'static str,
    /// The table's class (`data`, or `data dense` for wide tables).
    pub class: &'static str,
    /// Said when no row matches.
    pub empty: &'static str,
    /// The column keys shown, in order (a subset of `R::columns()`).
    pub columns: &'static [&'static str],
    /// Cell classes by key (`num` right-aligns counts, `nowrap` keeps times on one line).
    pub classes: &'static [(&'static str, &'static str)],
    /// A column's cell rendered richer than its text; `None` shows the column's text.
    pub cell: fn(&'static str, &R) -> Option<AnyView>,
    /// Attributes of a row's `<tr>` (`data-testid`, ids).
    pub row: fn(&R) -> Vec<AnyAttribute>,
}

impl<R> Clone for TableSpec<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for TableSpec<R> {}

impl<R: ReportRow> TableSpec<R> {
    fn shown(&self) -> Vec<&'static Column<R>> {
        self.columns
            .iter()
            .filter_map(|key| R::columns().iter().find(|c| c.key == *key))
            .collect()
    }

    /// The column's class, or no `class` attribute at all.
    fn class_attribute(&self, key: &str) -> AnyAttribute {
        let class = self
            .classes
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, c)| *c);
        custom_attribute("class", class).into_any_attr()
    }
}

/// How the headings of sortable columns link: the page, its query without order or position,
/// and the column it is sorted by now (largest first or not).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sorting {
    pub path: &'static str,
    pub query: String,
    pub current: Option<(String, bool)>,
}

impl Sorting {
    /// The heading's link and its `aria-sort`: a column sorted now turns round; another sorts
    /// largest (or newest) first when it holds numbers or times, A to Z otherwise; the key's
    /// time, newest first by default, turns to oldest first.
    fn link<R: ReportRow>(&self, column: &Column<R>) -> (String, Option<&'static str>) {
        let now = self
            .current
            .as_ref()
            .filter(|(key, _)| key == column.key)
            .map(|(_, descending)| *descending);
        let descending = match (now, column.sorting()) {
            (Some(descending), _) => !descending,
            (None, ColumnSort::Key) => false,
            (None, _) => matches!(column.kind, CellKind::Number | CellKind::DateTime),
        };
        let sign = if descending { "-" } else { "" };
        let joiner = if self.query.is_empty() { "" } else { "&" };
        let href = format!(
            "{}?{}{joiner}order={sign}{}",
            self.path, self.query, column.key
        );
        let aria = now.map(|d| if d { "descending" } else { "ascending" });
        (href, aria)
    }
}

/// No attributes on rows.
pub fn no_row_attributes<R>(_: &R) -> Vec<AnyAttribute> {
    Vec::new()
}

/// The rows as a table, or the spec's empty sentence.
#[component]
pub fn ReportTable<R>(
    spec: TableSpec<R>,
    rows: Vec<R>,
    /// One row adding up every filtered row, shown at the foot.
    #[prop(default = None)]
    totals: Option<R>,
    /// Links on the headings of sortable columns; `None`: plain headings.
    #[prop(default = None)]
    sorting: Option<Sorting>,
) -> impl IntoView
where
    R: ReportRow + Send + Sync + 'static,
{
    if rows.is_empty() {
        let testid = format!("{}-empty", spec.testid);
        return view! { <p class="muted" data-testid=testid>{spec.empty}</p> }.into_any();
    }
    let columns = spec.shown();
    let headings = columns
        .iter()
        .map(|column| {
            let class = spec.class_attribute(column.key);
            match sorting
                .as_ref()
                .filter(|_| column.sorting() != ColumnSort::Never)
            {
                Some(sorting) => {
                    let (href, sorted) = sorting.link(column);
                    let mark = sorted.map(|a| if a == "descending" { "▼" } else { "▲" });
                    let hint = format!("Sort by {}", column.heading);
                    view! {
                        <th scope="col" {..class} aria-sort=sorted>
                            <a href=href class="sort" title=hint>
                                {column.heading}
                                <span class="sort-mark" aria-hidden="true">{mark}</span>
                            </a>
                        </th>
                    }
                    .into_any()
                }
                None => view! { <th scope="col" {..class}>{column.heading}</th> }.into_any(),
            }
        })
        .collect_view();
    let body = rows
        .iter()
        .map(|row| {
            let cells = columns
                .iter()
                .map(|column| {
                    // An empty cell renders nothing: an empty text node does not survive the
                    // HTML, and hydration would stumble on its absence.
                    let content = (spec.cell)(column.key, row).unwrap_or_else(|| {
                        let text = column.for_people(row);
                        if text.is_empty() {
                            ().into_any()
                        } else {
                            text.into_any()
                        }
                    });
                    view! { <td {..spec.class_attribute(column.key)}>{content}</td> }
                })
                .collect_view();
            view! { <tr {..(spec.row)(row)}>{cells}</tr> }
        })
        .collect_view();
    let foot = totals.map(|row| {
        let cells = columns
            .iter()
            .map(|column| {
                let content = (spec.cell)(column.key, &row)
                    .unwrap_or_else(|| column.for_people(&row).into_any());
                view! { <td {..spec.class_attribute(column.key)}>{content}</td> }
            })
            .collect_view();
        let testid = format!("{}-totals", spec.testid);
        view! { <tfoot><tr class="totals" data-testid=testid>{cells}</tr></tfoot> }
    });
    let testid = format!("{}-table", spec.testid);
    // The wrapper scrolls sideways on narrow screens; focusable, so keyboards can scroll it too.
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=spec.label>
            <table class=spec.class data-testid=testid>
                <caption class="sr-only">{spec.label}</caption>
                <thead><tr>{headings}</tr></thead>
                <tbody>{body}</tbody>
                {foot}
            </table>
        </div>
    }
    .into_any()
}

// Views render to HTML only with the server's renderer.
#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use types::report::Column;

    struct Line {
        id: i64,
        name: &'static str,
    }

    impl ReportRow for Line {
        fn columns() -> &'static [Column<Self>] {
            const {
                &[
                    Column::<Self>::new("id", "Id", |l| l.id.to_string()),
                    Column::<Self>::new("name", "Name", |l| l.name.to_string()),
                ]
            }
        }
    }

    const SPEC: TableSpec<Line> = TableSpec {
        testid: "lines",
        label: "Lines",
        class: "data",
        empty: "No lines.",
        columns: &["name", "id"],
        classes: &[("id", "num")],
        cell: |key, line| (key == "name").then(|| view! { <code>{line.name}</code> }.into_any()),
        row: |line| vec![custom_attribute("data-line-id", line.id.to_string()).into_any_attr()],
    };

    #[test]
    fn columns_follow_the_spec_with_rich_cells_and_row_attributes() {
        let html =
            view! { <ReportTable spec=SPEC rows=vec![Line { id: 7, name: "a" }]/> }.to_html();
        assert!(html.contains(r#"data-testid="lines-table""#), "{html}");
        assert!(
            html.contains(r#"role="region" aria-label="Lines""#),
            "{html}"
        );
        assert!(html.contains(r#"<tr data-line-id="7">"#), "{html}");
        let name = html.find("<td><code>a").expect(&html);
        let id = html.find(r#"<td class="num">7"#).expect(&html);
        assert!(name < id, "{html}");
        let empty = view! { <ReportTable spec=SPEC rows=Vec::new()/> }.to_html();
        assert!(empty.contains(r#"data-testid="lines-empty""#), "{empty}");
    }
}
