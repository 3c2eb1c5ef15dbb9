//! DNC registry against the real POM simulator: single-address check / add / remove with POM's
//! rules, dialer kill-list ingestion from the simulator's feed, and organization isolation of
//! uploads, downloads and the report.

use serde_json::{json, Value};
use sqlx::PgPool;

use super::call_data::ingest;
use super::dnc::{report, upload, upload_id};
use super::pom_sim::{spawn_with_pom, PomSim};
use super::purge_calls::wait_for;

#[sqlx::test]
async fn single_addresses_are_checked_added_and_removed_with_pom_s_rules(pool: PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Common", None);
    let sales = sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let call = |endpoint: &'static str| {
        let (app, client) = (&app, &client);
        async move {
            let response = app
                .call(client, endpoint, &[("address", "+44 7700 900123")])
                .await;
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (_, checked) = call("dnc/check").await;
    assert_eq!(
        (
            checked["common"].as_bool(),
            checked["organization"].as_bool()
        ),
        (Some(false), Some(false))
    );
    let (status, added) = call("dnc/add").await;
    assert_eq!(
        (status, added["done"].as_bool()),
        (200, Some(true)),
        "{added}"
    );
    assert_eq!(sim.dnc_addresses(sales), ["+447700900123"]);
    let (_, twice) = call("dnc/add").await;
    assert_eq!(twice["done"], false);
    assert!(
        twice["message"].as_str().unwrap().contains("already"),
        "{twice}"
    );
    let (_, checked) = call("dnc/check").await;
    assert_eq!(checked["organization"], true);
    let (_, removed) = call("dnc/remove").await;
    assert_eq!(removed["done"], true);
    assert!(sim.dnc_addresses(sales).is_empty());
    // Timed: added until a day, which the registry keeps.
    let off_on = (time::OffsetDateTime::now_utc() + time::Duration::days(3))
        .date()
        .to_string();
    let timed: Value = app
        .call(
            &client,
            "dnc/add",
            &[("address", "+44 7700 900123"), ("off_on", off_on.as_str())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        timed["message"]
            .as_str()
            .unwrap()
            .contains("takes it off again"),
        "{timed}"
    );
    let past: Value = app
        .call(
            &client,
            "dnc/add",
            &[("address", "+44 7700 900124"), ("off_on", "2020-01-01")],
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(past.to_string().contains("must be in the future"), "{past}");
    let (_, removed) = call("dnc/remove").await;
    assert_eq!(removed["done"], true);
    let status = app
        .call(&client, "dnc/check", &[("address", "call me")])
        .await
        .status();
    assert_eq!(status, 400, "not an address");
    let report = report(
        &app,
        &client,
        json!({ "request": { "filters": { "source": "single" } } }),
    )
    .await;
    assert_eq!(
        report["total"], 5,
        "two adds (one refused), a remove, a timed add and a remove are registered"
    );
}

#[sqlx::test]
async fn dialer_kill_list_entries_are_registered_once(pool: PgPool) {
    let sim = PomSim::start().await;
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    sim.sim.with_world(|w, _| {
        w.feed.records.push(pom_sim::feed::FeedRecord::DialerKill(
            pom_sim::feed::DialerKill {
                session_id: "S-1".into(),
                organization: "Sales".into(),
                dnc_list: "Sales".into(),
                address: "+447700900555".into(),
                job_id: 7,
                campaign: "Spring".into(),
                user_contact_id: "C9".into(),
                added_at: "2026-11-21T10:00:00Z".into(),
            },
        ));
    });
    let feed = format!("{}/__sim/feed", sim.origin);
    let first = ingest(&app, &feed).await.added;
    let second = ingest(&app, &feed).await.added;
    assert_eq!((first, second), (1, 0));
    let client = app.signed_in("sup.a").await;
    let report = report(
        &app,
        &client,
        json!({ "request": { "filters": { "source": "dialer_kill" } } }),
    )
    .await;
    assert_eq!(report["total"], 1);
    assert_eq!(report["rows"][0]["source"], "dialer_kill");
    assert_eq!(report["rows"][0]["address"], "+447700900555");

    // A person erased on request: the dialer's record is registered without the address.
    let erasure: i64 = sqlx::query_scalar(
        "insert into erasure (organization, reference, identifier_counts, state, created_by_name)
         values ('Sales', 'DSR-9', '{}', 'completed', 'admin') returning erasure_id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let digest = app.state.settings.erasure_key.digest(
        domain::erasure::identifiers::IdentifierKind::Phone,
        "+447700900666",
    );
    sqlx::query("insert into erasure_tombstone (organization, digest, kind, erasure_id) values ('Sales', $1, 'phone', $2)")
        .bind(&digest[..])
        .bind(erasure)
        .execute(&pool)
        .await
        .unwrap();
    sim.sim.with_world(|w, _| {
        w.feed.records.push(pom_sim::feed::FeedRecord::DialerKill(
            pom_sim::feed::DialerKill {
                session_id: "S-2".into(),
                organization: "Sales".into(),
                dnc_list: "Sales".into(),
                address: "07700 900666".into(),
                job_id: 7,
                campaign: "Spring".into(),
                user_contact_id: "C10".into(),
                added_at: "2026-11-21T11:00:00Z".into(),
            },
        ));
    });
    let third = ingest(&app, &feed).await.added;
    assert_eq!(third, 1);
    let (address, external_ref, erased_by): (String, String, Option<i64>) = sqlx::query_as(
        "select address, external_ref, erased_by from dnc_entry where external_ref like 'S-2:%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((address.as_str(), erased_by), ("(erased)", Some(erasure)));
    assert!(!external_ref.contains("900666"), "{external_ref}");
}

#[sqlx::test]
async fn another_organization_s_uploads_and_registry_are_out_of_reach(pool: PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Sales", Some("Sales"));
    sim.add_dnc_list("Collections", Some("Collections"));
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let sales = app.signed_in("sup.a").await;
    let location = upload(
        &app,
        &sales,
        "s.csv",
        b"+447700900001\n+447700900002\n".to_vec(),
        &[("mode", "dnc_list".into())],
    )
    .await;
    let id = upload_id(&location).to_string();
    let collections = app.signed_in("sup.b").await;
    for endpoint in ["dnc/upload", "dnc/confirm"] {
        assert_eq!(
            app.call(&collections, endpoint, &[("upload_id", &id)])
                .await
                .status(),
            404,
            "{endpoint}"
        );
    }
    for file in ["rejects.csv", "failures.csv"] {
        let status = collections
            .get(app.url(&format!("/dnc/uploads/{id}/{file}")))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 404, "{file}");
    }
    let sent: Value = app
        .call(&sales, "dnc/confirm", &[("upload_id", &id)])
        .await
        .json()
        .await
        .unwrap();
    wait_for(
        &pool,
        sent["job"]["job_id"].as_i64().unwrap(),
        &["completed"],
    )
    .await;
    assert_eq!(
        report(&app, &sales, json!({ "request": {} })).await["total"],
        2
    );
    assert_eq!(
        report(&app, &collections, json!({ "request": {} })).await["total"],
        0
    );
    let csv = collections
        .get(app.url("/dnc/report/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!csv.contains("+447700900001"), "{csv}");
    let own = sales
        .get(app.url("/dnc/report/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        own.contains(",\"+447700900001\","),
        "phone numbers are exported as they are: {own}"
    );
    let manager = app.signed_in("mgr.a").await;
    assert_eq!(
        app.call(&manager, "dnc/upload", &[("upload_id", &id)])
            .await
            .status(),
        403
    );
}
