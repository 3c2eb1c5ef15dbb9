//! Completion-code rules' work under the conditions the happy path skips: a worker whose lease
//! ran out writes nothing once another took its application over; an application no try could
//! finish fails for good, audited; failed ones are tried again on an admin's word; a rule enabled
//! again ignores calls from while it was off; an erased person's applications lose their id and
//! value, and the queue leaves their later calls alone.

use std::sync::{Arc, Mutex};

use sqlx::PgPool;
use time::OffsetDateTime;

use super::call_data::ingest;
use super::call_data_input::serve;
use super::campaign_calls::campaigns_setup;
use super::completion_rules::{add_rule, applications, attempt, attempt_at, rule, work};
use super::pom_sim::{contacts, spawn_web_only, PomSim};
use domain::completion_rules::apply::{apply_one, claim};

#[sqlx::test]
async fn leases_fence_writes_nothing_waits_forever_and_erasure_reaches_applications(pool: PgPool) {
    let sim = PomSim::start().await;
    campaigns_setup(&sim).await;
    sim.add_list("Sales_Rules", "Sales", &contacts(4)).await;
    let app = spawn_web_only(pool.clone(), &sim, &[]).await;
    let admin = app.signed_in("admin").await;
    let form = rule("NSP", "set_attribute", "NEXT_ACTION", "fixed", "legal");
    assert_eq!(add_rule(&app, &admin, form).await.0, 200);
    let lines = Arc::new(Mutex::new(vec![
        (1, attempt(1, "C0001", "NSP")),
        (2, attempt(2, "C0002", "NSP")),
        (3, attempt(3, "C0003", "NSP")),
    ]));
    let feed = serve(lines.clone(), Arc::new(Mutex::new(None))).await;
    ingest(&app, &feed).await;

    // A claim taken over after its lease ran out: the first worker writes nothing.
    let first = claim(&pool, 1).await.unwrap().remove(0);
    sqlx::query(
        "update completion_rule_application set claimed_until = now() - interval '1 second'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let second = claim(&pool, 1).await.unwrap().remove(0);
    assert_eq!(
        (first.application_id, first.tries, second.tries),
        (second.application_id, 1, 2)
    );
    apply_one(&app.state, &first).await.unwrap();
    assert_eq!(
        app.audit_count("completion_rule.apply.requested").await,
        0,
        "fenced out"
    );
    apply_one(&app.state, &second).await.unwrap();
    assert_eq!(app.audit_count("completion_rule.apply").await, 1);

    // An application every try of which stopped short fails for good once its claim runs out.
    sqlx::query(
        "update completion_rule_application set tries = 6, claimed_until = now() - interval '1 second'
          where state = 'pending' and user_contact_id = 'C0002'",
    )
    .execute(&pool)
    .await
    .unwrap();
    work(&app).await;
    let now = applications(&pool).await;
    let c2 = now.iter().find(|a| a.0 == "C0002").unwrap();
    assert_eq!(c2.2, "failed");
    assert!(
        c2.4.as_deref()
            .unwrap()
            .contains("could not finish it in 6 tries"),
        "{c2:?}"
    );
    assert!(
        now.iter().all(|a| a.0 == "C0002" || a.2 == "applied"),
        "{now:?}"
    );

    // Failed ones are tried again at an admin's word.
    let rule_id: i64 = sqlx::query_scalar("select completion_rule_id from completion_rule")
        .fetch_one(&pool)
        .await
        .unwrap();
    let id = rule_id.to_string();
    let answer = app
        .call(&admin, "completion-rules/retry", &[("rule_id", &id)])
        .await;
    assert_eq!(answer.status(), 200);
    work(&app).await;
    assert!(applications(&pool).await.iter().all(|a| a.2 == "applied"));
    assert_eq!(app.audit_count("completion_rule.retry").await, 1);
    let sup = app.signed_in("sup.a").await;
    assert_eq!(
        app.call(&sup, "completion-rules/retry", &[("rule_id", &id)])
            .await
            .status(),
        403
    );

    // Off, then on again: a call that ended while it was off is not acted on when it arrives.
    let off = [("rule_id", id.as_str()), ("enabled", "false")];
    assert_eq!(
        app.call(&admin, "completion-rules/enabled", &off)
            .await
            .status(),
        200
    );
    let while_off = OffsetDateTime::now_utc();
    let on = [("rule_id", id.as_str()), ("enabled", "true")];
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert_eq!(
        app.call(&admin, "completion-rules/enabled", &on)
            .await
            .status(),
        200
    );
    lines
        .lock()
        .unwrap()
        .push((4, attempt_at(4, "C0004", "NSP", while_off)));
    lines
        .lock()
        .unwrap()
        .push((5, attempt(5, "erased:9", "NSP")));
    ingest(&app, &feed).await;
    assert_eq!(
        applications(&pool).await.len(),
        3,
        "neither the call from while it was off nor an erased person's"
    );

    // Erasure: found by the customer id, the id and the value before gone, the row kept.
    let (found, entries) =
        domain::erasure::rule_applications::find(&pool, "Sales", &["C0001".into()], &[])
            .await
            .unwrap();
    assert_eq!((found.len(), entries.len()), (1, 0));
    let mut tx = pool.begin().await.unwrap();
    domain::erasure::rule_applications::erase(&mut tx, &found)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (contact, previous): (String, Option<String>) = sqlx::query_as(
        "select user_contact_id, previous_value from completion_rule_application where application_id = $1",
    )
    .bind(found[0])
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((contact, previous), (format!("erased:{}", found[0]), None));
    assert_eq!(applications(&pool).await.len(), 3);
}
