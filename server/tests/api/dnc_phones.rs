//! Phone numbers as POM dials them (issue 14): with `OCM_PHONE_REGION=US` an American national
//! number reaches the pre-flight, the registry and the simulator's DNC list with `+1`, not as
//! the Brazilian `+55…` the hand-written rules made of it; `OCM_POM_PHONE_FORMAT` decides the form
//! sent; a single check finds an entry in any form POM may hold; `ocm dnc audit-formats` lists
//! registry entries no contact's number is written like.

use serde_json::{json, Value};
use sqlx::PgPool;

use super::dnc::{upload, upload_id, view};
use super::pom_sim::{spawn_with_pom, PomSim};
use super::purge_calls::wait_for;
use domain::dnc::format_audit;
use domain::phone::{PhoneRules, Region};

async fn registry(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar::<_, String>("select address from dnc_entry order by address")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn american_national_numbers_are_sent_and_registered_with_plus_one(pool: PgPool) {
    let sim = PomSim::start().await;
    let sales = sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool.clone(), &sim, &[("OCM_PHONE_REGION", "US")]).await;
    let client = app.signed_in("sup.a").await;
    let file = "phone\n(212) 555-0147\n(555) 123-4567\n+44 20 7946 0959\n020 7946 0959\n";
    let location = upload(
        &app,
        &client,
        "us.csv",
        file.as_bytes().to_vec(),
        &[("mode", "dnc_list".into())],
    )
    .await;
    let id = upload_id(&location);
    let checked = view(&app, &client, id).await;
    assert_eq!(
        (checked["rows"].as_u64(), checked["valid"].as_u64()),
        (Some(4), Some(3)),
        "{checked}"
    );
    let sample = &checked["sample"];
    assert_eq!(sample[0]["value"], "+12125550147");
    assert_eq!(sample[0]["shown"], "+1 212-555-0147");
    assert_eq!(sample[1]["value"], "+15551234567");
    assert_eq!(sample[1]["shown"], "+1 555-123-4567");
    assert_eq!(sample[1]["warning"], "not a valid US number");
    assert_eq!(sample[3]["problem"], "not a phone number: too long");
    assert_eq!(
        checked["warnings"],
        json!([{ "reason": "not a valid US number", "count": 1 }])
    );
    assert!(
        checked["phone_rules"]
            .as_str()
            .unwrap()
            .contains("US numbers"),
        "{checked}"
    );

    let response = app
        .call(&client, "dnc/confirm", &[("upload_id", &id.to_string())])
        .await;
    assert_eq!(response.status(), 200);
    let sent: Value = response.json().await.unwrap();
    let job_id = sent["job"]["job_id"].as_i64().unwrap();
    let (state, done, failed, _, _) = wait_for(&pool, job_id, &["completed"]).await;
    assert_eq!((state.as_str(), done, failed), ("completed", 3, 0));
    let expected = ["+12125550147", "+15551234567", "+442079460959"];
    let mut listed = sim.dnc_addresses(sales);
    listed.sort();
    assert_eq!(listed, expected);
    assert_eq!(registry(&pool).await, expected);
}

#[sqlx::test]
async fn pom_s_form_is_sent_and_a_check_finds_every_form(pool: PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Common", None);
    let sales = sim.add_dnc_list("Sales", Some("Sales"));
    // An entry made in the national form before the organization's form was known.
    sim.sim.with_world(|w, _| {
        let list = w.dnc_lists.get_mut(&sales).unwrap();
        list.addresses.insert("2125550149".into());
    });
    let settings = [
        ("OCM_PHONE_REGION", "US"),
        ("OCM_POM_PHONE_FORMAT", "digits"),
    ];
    let app = spawn_with_pom(pool.clone(), &sim, &settings).await;
    let client = app.signed_in("sup.a").await;
    let call = |endpoint: &'static str, address: &'static str| {
        let (app, client) = (&app, &client);
        async move {
            let response = app.call(client, endpoint, &[("address", address)]).await;
            assert_eq!(response.status(), 200, "{endpoint} {address}");
            response.json::<Value>().await.unwrap()
        }
    };
    let checked = call("dnc/check", "(212) 555-0149").await;
    assert_eq!(checked["address"], "12125550149", "{checked}");
    assert_eq!(checked["organization"], true, "{checked}");
    assert_eq!(
        checked["forms"],
        json!(["12125550149", "+12125550149", "2125550149"])
    );
    assert_eq!(
        checked["listed_as"],
        json!(["2125550149 (organization's list)"])
    );

    let added = call("dnc/add", "(555) 123-4567").await;
    assert_eq!(added["done"], true, "{added}");
    assert_eq!(added["address"], "15551234567");
    assert!(
        added["message"]
            .as_str()
            .unwrap()
            .contains("not a valid US number"),
        "{added}"
    );
    let mut listed = sim.dnc_addresses(sales);
    listed.sort();
    assert_eq!(listed, ["15551234567", "2125550149"]);
    assert_eq!(registry(&pool).await, ["15551234567"]);
}

#[sqlx::test]
async fn the_format_audit_lists_entries_no_contact_s_number_matches(pool: PgPool) {
    let sim = PomSim::start().await;
    let contacts: Vec<Value> = (1..=3)
        .map(|i| json!({ "userContactId": format!("C{i}"), "phoneNumber1": format!("+1212555010{i}") }))
        .collect();
    sim.add_list("Sales_Manual_Upload", "Sales", &contacts)
        .await;
    let app = spawn_with_pom(pool.clone(), &sim, &[("OCM_PHONE_REGION", "US")]).await;
    for (address, state) in [
        ("+5551234567", "confirmed"),
        ("+12125550147", "confirmed"),
        ("+442079460959", "confirmed"),
        ("12125550148", "pending"),
        ("jo@example.com", "confirmed"),
        ("+5551234568", "failed"),
    ] {
        sqlx::query(
            "insert into dnc_entry (organization, address, action, source, list_name,
                 requested_by_name, state)
             values ('Sales', $1, 'add', 'upload', 'Sales', 'test', $2)",
        )
        .bind(address)
        .bind(state)
        .execute(&pool)
        .await
        .unwrap();
    }
    let rules = PhoneRules::new(Region::parse("US").unwrap());
    let client = app.state.pom.as_ref().unwrap();
    let audits = format_audit::audit(&pool, Some(client), &rules)
        .await
        .unwrap();
    assert_eq!(audits.len(), 1);
    let sales = &audits[0];
    assert_eq!(sales.organization, "Sales");
    assert_eq!(sales.expected, "E.164 +1…");
    assert_eq!(sales.basis, "3 contacts' numbers read from POM");
    assert_eq!(sales.entries, 4, "phone numbers added, not failed");
    let found: Vec<(&str, Option<&str>)> = sales
        .findings
        .iter()
        .map(|f| (f.address.as_str(), f.suggested.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            ("+5551234567", Some("+15551234567")),
            ("12125550148", Some("+12125550148"))
        ]
    );
    // Without POM the configured form is the measure.
    let audits = format_audit::audit(&pool, None, &rules).await.unwrap();
    assert_eq!(audits[0].basis, "no POM: OCM_POM_PHONE_FORMAT");
    assert_eq!(audits[0].findings.len(), 2);
}
