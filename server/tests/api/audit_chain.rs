//! The audit log's hash chain: intact as written, and each kind of tampering (an edited, a
//! deleted, a swapped, a re-ordered and an unchained record, made with a superuser connection
//! that switches the append-only triggers off) named at its first broken link.

use domain::audit::{self, Actor, AuditEvent, Outcome};
use domain::audit_trail::verify::{self, ChainBreak, ChainReport};
use domain::audit_trail::AuditMonth;
use domain::request_meta::RequestMeta;
use sqlx::PgPool;
use types::model::AuditAction;

/// Writes `count` records through OCM's own audit helper, one transaction each, and returns their ids.
pub async fn write_records(pool: &PgPool, count: usize) -> Vec<i64> {
    for n in 0..count {
        let event = AuditEvent::new(AuditAction::AuditList, Outcome::Success)
            .with_target(format!("record {n}"))
            .with_parameters(serde_json::json!({ "n": n, "note": "ünïcode ✓" }));
        audit::record(
            pool,
            &Actor::named("tester"),
            &RequestMeta::background("test"),
            event,
        )
        .await
        .unwrap();
    }
    sqlx::query_scalar("select audit_event_id from audit_event order by audit_event_id")
        .fetch_all(pool)
        .await
        .unwrap()
}

pub async fn check(pool: &PgPool) -> ChainReport {
    let mut conn = pool.acquire().await.unwrap();
    let month = AuditMonth::now();
    verify::verify(&mut conn, month.plus(-1), month)
        .await
        .unwrap()
}

/// Runs `sql` as a superuser with every trigger switched off (what someone editing the database
/// behind OCM's back would do).
async fn tamper(pool: &PgPool, sql: &str) {
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query("set session_replication_role = replica")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::raw_sql(sql).execute(&mut *conn).await.unwrap();
    sqlx::query("set session_replication_role = origin")
        .execute(&mut *conn)
        .await
        .unwrap();
}

fn this_month() -> AuditMonth {
    AuditMonth::now()
}

#[sqlx::test(migrations = "../migrations")]
async fn records_are_chained_in_order_and_verify_intact(pool: PgPool) {
    let ids = write_records(&pool, 5).await;
    let report = check(&pool).await;
    assert!(report.is_intact(), "{:?}", report.breaks);
    assert_eq!(report.months.len(), 1);
    assert_eq!(report.months[0].links, 5);
    let head = report.months[0].head.clone().unwrap();
    assert_eq!(head.len(), 64);
    let linked: Vec<i64> = sqlx::query_scalar("select audit_event_id from audit_link order by seq")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(linked, ids, "links follow the order records were committed");
    // The genesis the database uses is the one archives document.
    let genesis: Vec<u8> = sqlx::query_scalar("select audit_chain_genesis($1)")
        .bind(this_month().first_day())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        domain::audit_trail::hex(&genesis),
        domain::audit_trail::file::genesis(this_month())
    );
    // OCM's own role still cannot change or delete a record or a link.
    assert!(sqlx::query("update audit_link set seq = seq + 100")
        .execute(&pool)
        .await
        .is_err());
    assert!(sqlx::query("delete from audit_link")
        .execute(&pool)
        .await
        .is_err());
    assert!(sqlx::query("truncate audit_event_default")
        .execute(&pool)
        .await
        .is_err());
}

#[sqlx::test(migrations = "../migrations")]
async fn an_edited_record_is_named_by_its_link(pool: PgPool) {
    let ids = write_records(&pool, 5).await;
    tamper(
        &pool,
        &format!(
            "update audit_event set target = 'nothing to see' where audit_event_id = {}",
            ids[2]
        ),
    )
    .await;
    let report = check(&pool).await;
    assert_eq!(
        report.breaks,
        vec![ChainBreak::HashMismatch {
            month: this_month(),
            seq: 3,
            audit_event_id: ids[2]
        }],
        "only the edited record's own link breaks"
    );
    assert!(
        report.breaks[0].to_string().contains("link 3: record #"),
        "{}",
        report.breaks[0]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_deleted_record_and_a_deleted_link_are_detected(pool: PgPool) {
    let ids = write_records(&pool, 6).await;
    tamper(
        &pool,
        &format!("delete from audit_event where audit_event_id = {}", ids[1]),
    )
    .await;
    let report = check(&pool).await;
    assert_eq!(
        report.breaks,
        vec![ChainBreak::RecordMissing {
            month: this_month(),
            seq: 2,
            audit_event_id: ids[1]
        }]
    );
    // Deleting the next record together with its link leaves a gap in the links.
    tamper(
        &pool,
        &format!(
            "delete from audit_event where audit_event_id = {id};
             delete from audit_link where audit_event_id = {id};",
            id = ids[3]
        ),
    )
    .await;
    let report = check(&pool).await;
    assert_eq!(
        report.breaks[1],
        ChainBreak::Sequence {
            month: this_month(),
            seq: 5,
            expected: 4
        }
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn swapped_records_and_reordered_links_are_detected(pool: PgPool) {
    let ids = write_records(&pool, 5).await;
    // Two records exchange their contents (each keeps its id).
    tamper(
        &pool,
        &format!(
            "update audit_event set target = case audit_event_id when {a} then 'record 3' else 'record 1' end
              where audit_event_id in ({a}, {b})",
            a = ids[1],
            b = ids[3]
        ),
    )
    .await;
    let report = check(&pool).await;
    let month = this_month();
    assert_eq!(
        report.breaks,
        vec![
            ChainBreak::HashMismatch {
                month,
                seq: 2,
                audit_event_id: ids[1]
            },
            ChainBreak::HashMismatch {
                month,
                seq: 4,
                audit_event_id: ids[3]
            },
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn reordered_links_are_detected(pool: PgPool) {
    let ids = write_records(&pool, 4).await;
    tamper(
        &pool,
        "update audit_link set seq = 1000 where seq = 2;
         update audit_link set seq = 2 where seq = 3;
         update audit_link set seq = 3 where seq = 1000;",
    )
    .await;
    let report = check(&pool).await;
    let month = this_month();
    assert_eq!(
        report.breaks.first(),
        Some(&ChainBreak::HashMismatch {
            month,
            seq: 2,
            audit_event_id: ids[2]
        }),
        "{:?}",
        report.breaks
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_record_inserted_with_the_chain_switched_off_is_unchained(pool: PgPool) {
    write_records(&pool, 2).await;
    tamper(&pool, "insert into audit_event (action, outcome, target) values ('audit.list', 'success', 'slipped in')").await;
    let report = check(&pool).await;
    assert_eq!(
        report.breaks,
        vec![ChainBreak::Unchained {
            month: this_month(),
            records: 1
        }]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_month_dropped_between_two_online_months_is_reported(pool: PgPool) {
    write_records(&pool, 2).await;
    let now = this_month();
    for back in [1, 2] {
        let month = now.plus(-back);
        sqlx::query_scalar::<_, bool>("select audit_ensure_month($1)")
            .bind(month.first_day())
            .fetch_one(&pool)
            .await
            .unwrap();
        sqlx::query("insert into audit_event (occurred_at, action, outcome) values (($1::date)::timestamp at time zone 'UTC' + interval '1 day', 'audit.list', 'success')")
            .bind(month.first_day())
            .execute(&pool)
            .await
            .unwrap();
    }
    let suffix = now.plus(-1).to_string().replace('-', "_");
    tamper(
        &pool,
        &format!("drop table audit_event_{suffix}; drop table audit_link_{suffix};"),
    )
    .await;
    let mut conn = pool.acquire().await.unwrap();
    let report = verify::verify(&mut conn, now.plus(-2), now).await.unwrap();
    assert_eq!(
        report.breaks,
        vec![ChainBreak::MonthMissing {
            month: now.plus(-1)
        }]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_record_that_does_not_match_the_link_stored_for_it_is_refused(pool: PgPool) {
    let ids = write_records(&pool, 2).await;
    // A second record under an id that already has a link (as a forged restore would insert).
    let inserted = sqlx::query(
        "insert into audit_event (audit_event_id, occurred_at, action, outcome, target)
         overriding system value
         select audit_event_id, occurred_at + interval '1 microsecond', action, outcome, 'forged'
           from audit_event where audit_event_id = $1",
    )
    .bind(ids[1])
    .execute(&pool)
    .await;
    let error = inserted.unwrap_err().to_string();
    assert!(
        error.contains("does not match its stored link 2"),
        "{error}"
    );
    assert!(check(&pool).await.is_intact());
}
