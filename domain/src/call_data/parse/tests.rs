//! Page reading against hand-written lines: known kinds, unknown kinds and fields, records that
//! break the contract, lines that are not JSON, and a transfer cut off mid-line.

use super::*;
use crate::call_data::records::VERSION;

fn sale(cursor: i64, amount: &str) -> String {
    serde_json::json!({
        "cursor": cursor, "kind": "sale", "sale_id": format!("S{cursor}"), "session_id": "1-1",
        "organization": "Sales", "job_id": 1, "campaign": "C", "list": "L",
        "user_contact_id": "U", "agent_id": "A", "team": "T", "product": "P",
        "category": "secured", "amount": amount, "currency": "GBP",
        "submitted_at": "2026-12-05T10:00:00Z"
    })
    .to_string()
}

#[test]
fn known_records_are_read_and_unknown_fields_counted() {
    let mut extra: Value = serde_json::from_str(&sale(2, "12.5")).unwrap();
    extra["loyalty_tier"] = "gold".into();
    let body = format!("{}\n{extra}\n", sale(1, "3.20"));
    let page = parse_page(&body, true, VERSION);
    assert!(page.problems.is_empty(), "{:?}", page.problems);
    assert_eq!(page.last_cursor, Some(2));
    let unknown: Vec<usize> = page
        .items
        .iter()
        .map(|i| match i {
            Item::Known { unknown_fields, .. } => *unknown_fields,
            Item::Aside { .. } => 99,
        })
        .collect();
    assert_eq!(unknown, [0, 1]);
}

#[test]
fn unknown_kinds_and_broken_records_are_kept_aside_and_the_rest_read() {
    let body = [
        r#"{"cursor": 1, "kind": "queue_snapshot", "depth": 4}"#.to_string(),
        sale(2, "ten pounds"),
        r#"{"cursor": 3, "kind": "attempt", "session_id": "x"}"#.to_string(),
        "not json at all".to_string(),
        r#"{"kind": "sale"}"#.to_string(),
        sale(6, "1"),
    ]
    .join("\n");
    let page = parse_page(&body, true, VERSION);
    let kinds: Vec<(i64, &str, bool)> = page
        .items
        .iter()
        .map(|i| match i {
            Item::Known { cursor, .. } => (*cursor, "known", false),
            Item::Aside {
                cursor,
                kind,
                problem,
                ..
            } => (*cursor, kind.as_str(), problem.is_some()),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (1, "queue_snapshot", false),
            (2, "sale", true),
            (3, "attempt", true),
            (6, "known", false)
        ]
    );
    let reasons: Vec<&str> = page.problems.iter().map(|p| p.reason).collect();
    assert_eq!(
        reasons,
        [
            "record_breaks_contract",
            "record_breaks_contract",
            "unreadable_line",
            "line_without_cursor"
        ]
    );
    assert!(page.problems[0].detail.contains("ten pounds"));
    assert_eq!(page.last_cursor, Some(6));
}

#[test]
fn a_line_cut_off_by_the_transfer_is_left_for_the_next_read() {
    let whole = sale(1, "1.00");
    let cut = &sale(2, "2.00")[..40];
    let page = parse_page(&format!("{whole}\n{cut}"), false, VERSION);
    assert!(page.cut_off);
    assert_eq!(page.last_cursor, Some(1));
    assert!(page.problems.is_empty());
    let page = parse_page(&format!("{whole}\n{}", sale(2, "2.00")), true, VERSION);
    assert_eq!(
        page.last_cursor,
        Some(2),
        "a complete transfer's last line counts"
    );
}

#[test]
fn overlong_lines_are_refused_before_they_are_parsed() {
    let long = format!(
        r#"{{"cursor": 1, "kind": "x", "pad": "{}"}}"#,
        "a".repeat(MAX_LINE_BYTES)
    );
    let page = parse_page(&long, true, VERSION);
    assert_eq!(page.problems[0].reason, "record_too_long");
    assert!(page.items.is_empty());
}

#[test]
fn amounts_are_read_in_hundredths() {
    use super::super::store::minor_units;
    assert_eq!(minor_units("12.5"), Some(1250));
    assert_eq!(minor_units("0.07"), Some(7));
    assert_eq!(minor_units("3"), Some(300));
    for bad in ["", "1.234", "-1", "1e3", "12,50", ".5", "1.x"] {
        assert_eq!(minor_units(bad), None, "{bad}");
    }
}

#[test]
fn a_line_and_its_value_read_the_same() {
    let mut line: Value = serde_json::from_str(&sale(7, "9.99")).unwrap();
    line["loyalty_tier"] = "gold".into();
    line["offer"] = serde_json::json!({"code": "X", "nested": true});
    let from_line = parse_page(&format!("{line}\n"), true, VERSION);
    let from_value = read_value(line).unwrap();
    assert_eq!(
        format!("{:?}", from_line.items),
        format!("{:?}", [from_value])
    );
    assert!(matches!(
        from_line.items[0],
        Item::Known {
            unknown_fields: 2,
            ..
        }
    ));
}

fn callback(cursor: i64, session_id: Option<&str>) -> String {
    serde_json::json!({
        "cursor": cursor, "kind": "callback", "callback_id": format!("WS-{cursor}"),
        "session_id": session_id, "organization": "Sales", "job_id": 1, "campaign": "C",
        "list": "L", "user_contact_id": "U", "address": "07700900123",
        "callback_type": "standard", "agent_id": null, "created_at": "2026-12-05T10:00:00Z",
        "due_at": "2026-12-05T12:00:00Z", "expires_at": "2026-12-05T14:00:00Z",
        "time_zone": "Europe/London", "notes": ""
    })
    .to_string()
}

#[test]
fn a_callback_without_a_session_is_kept_aside_before_version_3() {
    let body = format!("{}\n{}\n", callback(1, None), callback(2, Some("1-1")));
    let version_2 = parse_page(&body, true, 2);
    assert!(
        matches!(&version_2.items[0], Item::Aside { problem: Some(p), value, .. }
        if p.contains("session_id") && value["callback_id"] == "WS-1")
    );
    assert!(matches!(&version_2.items[1], Item::Known { .. }));
    assert_eq!(version_2.problems.len(), 1, "{:?}", version_2.problems);
    assert_eq!(version_2.problems[0].reason, "record_breaks_contract");
    let version_3 = parse_page(&body, true, 3);
    assert!(version_3
        .items
        .iter()
        .all(|i| matches!(i, Item::Known { .. })));
    assert!(version_3.problems.is_empty());
}
