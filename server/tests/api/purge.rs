//! Purge and restore against the real POM simulator: exact dry runs, confirmation, the durable
//! job (in-progress retries, POM failures, a killed worker), restore, and organization isolation.

use serde_json::json;
use sqlx::PgPool;

use super::pom_sim::{contacts, spawn_with_pom, PomSim};
use super::purge_calls::{app_call, call_json, dry_run, purge, request, wait_for};

fn expiring_before(n: usize, limit: &str) -> Vec<String> {
    contacts(n)
        .into_iter()
        .filter(|c| c["EXPIRY_DATE"].as_str().is_some_and(|d| d < limit))
        .map(|c| c["userContactId"].as_str().unwrap().to_string())
        .collect()
}

#[sqlx::test]
async fn a_date_purge_deletes_exactly_the_dry_run_set_and_restore_makes_the_list_whole(
    pool: PgPool,
) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Test", "Sales", &contacts(300)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let request = request(list, "EXPIRY_DATE", "before", &["2026-04-01"]);
    let expected = expiring_before(300, "2026-04-01");
    let plan = dry_run(&app, &client, &request).await;
    assert_eq!(plan["matched"], expected.len());
    assert_eq!(plan["list_total"], 300);
    assert_eq!(
        plan["unreadable_dates"], 30,
        "contacts without an expiry date are kept and counted"
    );
    let before_s01 = plan["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["campaign_id"] == "S01")
        .unwrap();
    assert_eq!(before_s01["before"], 150);

    let (status, _) = call_json(
        &app,
        &client,
        "purge/start",
        json!({
            "request": request, "typed_count": "1", "fingerprint": plan["fingerprint"],
        }),
    )
    .await;
    assert_eq!(status, 400, "a wrong typed count is refused");
    assert_eq!(
        sim.contact_ids(list).await.len(),
        300,
        "nothing deleted without the right count"
    );

    let (run_id, job_id) = purge(&app, &client, &request).await;
    let (state, done, failed, _, _) = wait_for(&pool, job_id, &["completed"]).await;
    assert_eq!(
        (state.as_str(), done, failed),
        ("completed", expected.len() as i64, 0)
    );
    let left = sim.contact_ids(list).await;
    assert_eq!(left.len(), 300 - expected.len());
    assert!(expected.iter().all(|id| !left.contains(id)));
    let snapshot: i64 = sqlx::query_scalar("select count(*) from purge_contact where purge_run_id = $1 and attributes->>'firstName' like 'First%'")
        .bind(run_id).fetch_one(&pool).await.unwrap();
    assert_eq!(
        snapshot,
        expected.len() as i64,
        "every deleted contact is in the snapshot, whole"
    );
    assert_eq!(app.audit_count("purge.start").await, 1);
    assert_eq!(app.audit_count("purge.completed").await, 1);
    let (_, detail) = call_json(
        &app,
        &client,
        "purge/history",
        json!({ "request": { "filters": { "list_id": list } } }),
    )
    .await;
    assert_eq!(detail["rows"][0]["deleted"], expected.len());
    assert_eq!(detail["rows"][0]["after"], 300 - expected.len());

    let (status, restore_job) = call_json(
        &app,
        &client,
        "purge/restore",
        json!({ "purge_run_id": run_id, "user_contact_ids": [], "typed_count": expected.len().to_string() }),
    )
    .await;
    assert_eq!(status, 200, "{restore_job}");
    let (state, restored, failed, skipped, _) =
        wait_for(&pool, restore_job.as_i64().unwrap(), &["completed"]).await;
    assert_eq!(
        (state.as_str(), restored, failed, skipped),
        ("completed", expected.len() as i64, 0, 0)
    );
    assert_eq!(
        sim.contact_ids(list).await.len(),
        300,
        "the list is whole again"
    );
    assert_eq!(app.audit_count("purge.restore.completed").await, 1);
}

#[sqlx::test]
async fn not_equal_on_the_direct_attribute_deletes_everything_except_the_given_ids(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Direct", "Sales", &contacts(20)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let request = request(list, "userContactId", "not_equals", &["C0001", "C0002"]);
    let plan = dry_run(&app, &client, &request).await;
    assert_eq!(plan["matched"], 18);
    assert_eq!(plan["direct"], true);
    assert!(
        plan["explanation"].as_str().unwrap().contains("EXCEPT"),
        "{}",
        plan["explanation"]
    );
    let (_, job_id) = purge(&app, &client, &request).await;
    wait_for(&pool, job_id, &["completed"]).await;
    let mut left = sim.contact_ids(list).await;
    left.sort();
    assert_eq!(left, ["C0001", "C0002"]);
    let mode: String = sqlx::query_scalar("select mode from purge_run")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(mode, "direct");
}

#[sqlx::test]
async fn bad_filters_are_refused_with_the_field_and_nothing_is_planned(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Bad", "Sales", &contacts(10)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    for (request, needle) in [
        (
            request(list, "EXPIRY_DATE", "before", &["2026-02-30"]),
            "“2026-02-30” is not a date",
        ),
        (request(list, "NO_SUCH", "equals", &["x"]), "NO_SUCH"),
        (request(list, "CAMP_ID", "equals", &[]), "Give a value"),
        (
            request(list, "CAMP_ID", "after", &["2026-01-01"]),
            "only works on date attributes",
        ),
        (request(9_999, "CAMP_ID", "equals", &["S01"]), "9999"),
    ] {
        let (status, body) = call_json(
            &app,
            &client,
            "purge/dry_run",
            json!({ "request": request }),
        )
        .await;
        assert!(status == 400 || status == 404, "{status} {body}");
        assert!(body.to_string().contains(needle), "{needle}: {body}");
    }
    sim.faults(json!([{ "endpoint": "contacts.list", "error_rate": 1.0 }]))
        .await;
    let (status, body) = call_json(
        &app,
        &client,
        "purge/dry_run",
        json!({ "request": request(list, "CAMP_ID", "equals", &["S01"]) }),
    )
    .await;
    assert_eq!(status, 502, "POM failing is named as such: {body}");
    assert!(body.to_string().contains("POM"), "{body}");
    let plans: i64 = sqlx::query_scalar("select count(*) from purge_plan")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(plans, 0);
}

#[sqlx::test]
async fn contacts_being_dialled_are_retried_then_failed_with_pom_s_message(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Busy", "Sales", &contacts(10)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    sim.in_progress(list, "C0003", 1.0).await;
    sim.in_progress(list, "C0005", 3_600.0).await;
    let (run_id, job_id) =
        purge(&app, &client, &request(list, "CAMP_ID", "equals", &["S01"])).await;
    let (state, done, failed, _, _) = wait_for(&pool, job_id, &["completed"]).await;
    assert_eq!((state.as_str(), done, failed), ("completed", 4, 1));
    let rows: Vec<(String, String, i32, Option<String>)> = sqlx::query_as(
        "select user_contact_id, state, tries, error from purge_contact where purge_run_id = $1 and user_contact_id in ('C0003', 'C0005') order by 1",
    )
    .bind(run_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rows[0].1, "deleted");
    assert!(rows[0].2 > 1, "C0003 was retried: {rows:?}");
    assert_eq!(
        (rows[1].1.as_str(), rows[1].2),
        ("failed", 5),
        "seed 001: at most five tries in all"
    );
    assert!(
        rows[1].3.as_deref().unwrap().contains("after 5 tries"),
        "{rows:?}"
    );
    assert_eq!(
        sim.contact_ids(list).await,
        ["C0002", "C0004", "C0005", "C0006", "C0008", "C0010"]
    );
}

#[sqlx::test]
async fn a_list_that_changed_since_the_dry_run_is_shown_again_instead_of_purged(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Moving", "Sales", &contacts(10)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let request = request(list, "CAMP_ID", "equals", &["S01"]);
    let plan = dry_run(&app, &client, &request).await;
    sim.add_list_contacts(
        list,
        &[json!({ "userContactId": "NEW1", "CAMP_ID": "S01" })],
    )
    .await;
    let (status, answer) = call_json(&app, &client, "purge/start", json!({
        "request": request, "typed_count": plan["matched"].to_string(), "fingerprint": plan["fingerprint"],
    }))
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["Changed"]["added"], 1);
    assert_eq!(answer["Changed"]["removed"], 0);
    assert_eq!(answer["Changed"]["dry_run"]["matched"], 6);
    assert_eq!(sim.contact_ids(list).await.len(), 11, "nothing deleted");
    let jobs: i64 = sqlx::query_scalar("select count(*) from job")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(jobs, 0, "no job and no snapshot were kept");
}

#[sqlx::test]
async fn pom_failing_pauses_the_job_with_the_reason_and_resume_finishes_it(pool: PgPool) {
    let sim = PomSim::start().await;
    let list = sim.add_list("Sales_Down", "Sales", &contacts(60)).await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let request = request(list, "CAMP_ID", "equals", &["S02"]);
    let plan = dry_run(&app, &client, &request).await;
    sim.faults(json!([{ "endpoint": "contacts.delete", "error_rate": 1.0 }]))
        .await;
    let (status, started) = call_json(
        &app,
        &client,
        "purge/start",
        json!({
            "request": request, "typed_count": "30", "fingerprint": plan["fingerprint"],
        }),
    )
    .await;
    assert_eq!(status, 200, "{started}");
    let job_id = started["Started"]["job_id"].as_i64().unwrap();
    let (state, done, failed, _, message) = wait_for(&pool, job_id, &["paused"]).await;
    assert_eq!((state.as_str(), done, failed), ("paused", 0, 0));
    assert!(
        message.unwrap().contains("POM failed"),
        "the reason is given"
    );
    sim.faults(json!([])).await;
    let (status, _) = app_call(&app, &client, "jobs/resume", job_id).await;
    assert_eq!(status, 200);
    let (state, done, _, _, _) = wait_for(&pool, job_id, &["completed"]).await;
    assert_eq!((state.as_str(), done), ("completed", 30));
    assert_eq!(sim.contact_ids(list).await.len(), 30);
    assert_eq!(app.audit_count("job.resume").await, 1);
}
