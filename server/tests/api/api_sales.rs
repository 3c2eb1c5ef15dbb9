//! Sales-screen records through the automation API: read by the feed's contract, refused whole
//! naming the sale, stored once, shown in the Sales report, other organizations refused.

use serde_json::{json, Value};

use super::api_v1_calls::{get, post_json, problem_code, register, token};

/// Yesterday at 10:15 UTC, and its day.
fn yesterday() -> (String, String) {
    let day = (time::OffsetDateTime::now_utc() - time::Duration::days(1)).date();
    (format!("{day}T10:15:00Z"), day.to_string())
}

fn sale(id: &str, amount: &str) -> Value {
    json!({
        "sale_id": id, "session_id": format!("s-{id}"), "job_id": 7, "campaign": "Sales_Evening",
        "list": "Sales_A", "user_contact_id": "K1", "agent_id": "agent.7", "team": "Sales Floor",
        "product": "Broadband", "category": "secured", "amount": amount, "currency": "GBP",
        "submitted_at": yesterday().0,
    })
}

#[sqlx::test]
async fn sales_are_read_by_the_feed_s_contract_and_stored_once(pool: sqlx::PgPool) {
    let app = super::helpers::spawn_app(pool).await;
    let crm = token(&app, &register(&app, "crm", "Sales", &["reports"]).await).await;
    let batch = json!({ "sales": [sale("S1", "49.99"), sale("S2", "10")] });
    let stored = post_json(&app, &crm, "/sales", None, &batch).await;
    assert_eq!(stored.status, 201, "{}", stored.body);
    assert_eq!(
        (
            stored.body["received"].as_i64(),
            stored.body["added"].as_i64()
        ),
        (Some(2), Some(2))
    );
    let again = post_json(&app, &crm, "/sales", None, &batch).await;
    assert_eq!(again.body["added"], 0, "a batch sent again adds nothing");

    // Refused whole, naming the sale.
    let bad = json!({ "sales": [sale("S3", "1.00"), sale("S4", "12.345")] });
    let refused = post_json(&app, &crm, "/sales", None, &bad).await;
    assert_eq!(
        (refused.status, refused.body["field"].as_str()),
        (400, Some("sales[1]")),
        "{}",
        refused.body
    );
    let mut theirs = sale("S5", "1.00");
    theirs["organization"] = json!("Collections");
    let refused = post_json(&app, &crm, "/sales", None, &json!({ "sales": [theirs] })).await;
    assert_eq!(
        refused.body["field"], "sales[0].organization",
        "{}",
        refused.body
    );
    let mut future = sale("S6", "1.00");
    future["submitted_at"] = json!("2099-01-01T00:00:00Z");
    let refused = post_json(&app, &crm, "/sales", None, &json!({ "sales": [future] })).await;
    assert_eq!(
        refused.body["field"], "sales[0].submitted_at",
        "{}",
        refused.body
    );
    // Another organization's client cannot shadow a stored sale.
    let other = token(
        &app,
        &register(&app, "coll", "Collections", &["reports"]).await,
    )
    .await;
    let shadow = post_json(
        &app,
        &other,
        "/sales",
        None,
        &json!({ "sales": [sale("S1", "1.00")] }),
    )
    .await;
    assert_eq!(shadow.body["field"], "sales[0].sale_id", "{}", shadow.body);
    let mut extra = sale("S7", "1.00");
    extra["colour"] = json!("red");
    let refused = post_json(&app, &crm, "/sales", None, &json!({ "sales": [extra] })).await;
    assert_eq!(refused.body["field"], "sales[0]", "{}", refused.body);
    let empty = post_json(&app, &crm, "/sales", None, &json!({ "sales": [] })).await;
    assert_eq!(
        (empty.status, problem_code(&empty)),
        (400, "invalid_parameter")
    );
    let stored: i64 = sqlx::query_scalar("select count(*) from sale")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 2, "nothing of a refused batch is stored");

    // The Sales report counts them.
    let day = yesterday().1;
    let report = get(&app, &crm, &format!("/reports/sales?from={day}&to={day}")).await;
    assert_eq!(report.status, 200, "{}", report.body);
    let line = &report.body["items"][0];
    assert_eq!(line["agent"], "agent.7", "{}", report.body);
    assert_eq!(app.audit_count("sales.input").await, 2);
}
