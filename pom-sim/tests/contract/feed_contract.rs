//! The feed against its written contract (`docs/call-data-feed.md`): every kind in the page is
//! in the feed with exactly the fields its table names, in JSON lines and in the CSV export,
//! and every response carries the contract's version.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::helpers::Harness;

/// Kind → fields, read from the tables of `docs/call-data-feed.md`.
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/call-data-feed.md");
    let page = std::fs::read_to_string(path).expect("docs/call-data-feed.md");
    let mut kinds: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = None;
    for line in page.lines() {
        if let Some(heading) = line.strip_prefix("### `") {
            current = heading.strip_suffix('`').map(str::to_string);
            continue;
        }
        let (Some(kind), Some(row)) = (&current, line.strip_prefix("| `")) else {
            continue;
        };
        let field = row.split('`').next().unwrap_or_default();
        kinds
            .entry(kind.clone())
            .or_default()
            .insert(field.to_string());
    }
    kinds
}

/// Checks the records of a run against the page: the same kinds, and each record of a kind
/// with exactly its documented fields.
pub fn check_records(records: &[Value]) {
    let documented = documented();
    let names: BTreeSet<&str> = documented.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        pom_sim::feed::KINDS.into_iter().collect(),
        "the page documents every kind the simulator knows"
    );
    let mut seen = BTreeSet::new();
    for record in records {
        let kind = record["kind"].as_str().unwrap();
        seen.insert(kind);
        let fields: BTreeSet<String> = record
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "kind" && *k != "cursor")
            .cloned()
            .collect();
        assert_eq!(&fields, &documented[kind], "fields of {kind}");
    }
    assert_eq!(seen, names, "every kind appears in the run");
}

/// The CSV export of every kind: `cursor`, then the documented fields in alphabetical order.
pub async fn check_exports(h: &Harness) {
    for (kind, fields) in documented() {
        let response = h
            .http()
            .get(format!("{}/__sim/export/{kind}.csv?limit=5", h.origin))
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-feed-version"], "3");
        let csv = response.text().await.unwrap();
        let header = csv.lines().next().unwrap_or_default();
        let expected: Vec<&str> = std::iter::once("cursor")
            .chain(fields.iter().map(String::as_str))
            .collect();
        assert_eq!(header, expected.join(","), "{kind}.csv header");
    }
}
