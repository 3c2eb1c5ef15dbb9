//! Sources behind on the live dashboards (the floor, the callbacks): a notice per source saying
//! which is behind and since when, and the mark each part leaning on one carries, so its figures
//! never read as current.

use leptos::prelude::*;

use crate::model::{FigureSource, SourceBehind};

/// One notice per source behind, in the words the server gave (time and zone included).
pub fn source_notices(stale: &[SourceBehind]) -> impl IntoView {
    stale
        .iter()
        .map(|source| {
            let (words, name) = (source.words.clone(), source.source.as_str());
            view! { <p class="notice warn" role="status" data-testid="source-behind" data-source=name>{words}</p> }
        })
        .collect_view()
}

/// The mark of a part whose figures lean on `sources`, when one of them is behind ("Not current:
/// the call data as of 2026-12-07 14:03:10 (Europe/London)."); none while they are fresh.
pub fn stale_mark(
    stale: &[SourceBehind],
    sources: &[FigureSource],
    part: &'static str,
) -> Option<AnyView> {
    let behind: Vec<&SourceBehind> = stale
        .iter()
        .filter(|s| sources.contains(&s.source))
        .collect();
    if behind.is_empty() {
        return None;
    }
    let words = behind
        .iter()
        .map(|s| match s.since_local {
            Some(_) => format!("{} {}", s.source.label(), s.as_of()),
            None => s.as_of(),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let names = behind
        .iter()
        .map(|s| s.source.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Some(
        view! {
            <p class="stale-mark small" data-testid="stale-mark" data-part=part data-sources=names>
                <strong>"Not current: "</strong>{format!("{words}.")}
            </p>
        }
        .into_any(),
    )
}
