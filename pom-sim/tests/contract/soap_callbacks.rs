//! `ScheduleCallBack` with each fault the guide lists, and a scheduled callback reaching the
//! feed without a session.

use pom::client::CallbackSchedule;
use serde_json::Value;

use super::helpers::{code, start};

/// A callback for the first Winback contact (demo serial 102901), due at `start`.
fn winback<'a>(start: &'a str, end: &'a str) -> CallbackSchedule<'a> {
    CallbackSchedule {
        campaign: "Sales_Winback_Progressive",
        list: "Sales_Winback",
        user_contact_id: "0102901",
        start,
        end,
        time_zone: Some("UTC"),
        phone_attribute: None,
        address: None,
        notes: "Asked to be called after lunch",
    }
}

#[tokio::test]
async fn each_fault_then_a_callback_in_the_feed_without_a_session() {
    let h = start().await;
    let sales = h.client("sales.pom");
    let (due, end) = ("2099/01/01 12:00", "2099/01/01 14:00");
    assert_eq!(
        code(
            sales
                .schedule_callback(&winback(due, end))
                .await
                .unwrap_err()
        ),
        -39,
        "no running job"
    );
    assert!(sales
        .run_campaign("Sales_Winback_Progressive")
        .await
        .unwrap());
    h.fast_clock().await;
    let cases: [(CallbackSchedule<'_>, i32); 7] = [
        (
            CallbackSchedule {
                user_contact_id: "nobody",
                ..winback(due, end)
            },
            -2,
        ),
        (
            CallbackSchedule {
                address: Some("call me"),
                ..winback(due, end)
            },
            -19,
        ),
        (
            CallbackSchedule {
                campaign: "Nowhere",
                ..winback(due, end)
            },
            -26,
        ),
        (
            CallbackSchedule {
                list: "Coll_Promises",
                ..winback(due, end)
            },
            -28,
        ),
        (
            CallbackSchedule {
                campaign: "Coll_Promises_Preview",
                ..winback(due, end)
            },
            -30,
        ),
        (
            CallbackSchedule {
                list: "Sales_Renewals",
                user_contact_id: "0100001",
                ..winback(due, end)
            },
            -39,
        ),
        (winback(due, "2099/01/01 11:00"), -39),
    ];
    for (callback, expected) in cases {
        let refused = sales.schedule_callback(&callback).await.unwrap_err();
        assert_eq!(code(refused), expected, "{callback:?}");
    }
    let bad_time = winback("01/01/2099 12:00", end);
    assert_eq!(
        code(sales.schedule_callback(&bad_time).await.unwrap_err()),
        -39
    );

    sales.schedule_callback(&winback(due, end)).await.unwrap();
    h.fast_clock().await;
    let feed: Vec<Value> = h
        .http()
        .get(format!("{}/__sim/feed?kind=callback", h.origin))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &Value| r["callback_id"] == "WS-1")
        .collect();
    assert_eq!(feed.len(), 1, "{feed:?}");
    let callback = &feed[0];
    assert_eq!(callback["session_id"], Value::Null, "no call arranged it");
    assert_eq!(callback["callback_type"], "standard");
    assert_eq!(callback["due_at"], "2099-01-01T12:00:00Z");
    assert_eq!(callback["expires_at"], "2099-01-01T14:00:00Z");
    assert_eq!(callback["notes"], "Asked to be called after lunch");
    assert!(callback["address"].as_str().unwrap().starts_with("+44"));
}
