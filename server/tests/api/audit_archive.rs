//! Archiving the audit log: a month written to a file, checked, dropped; restored with identical
//! rows; refusals that drop nothing (a broken chain, a damaged archive); the upkeep's retention.

use std::path::{Path, PathBuf};

use domain::audit::Actor;
use domain::audit_trail::{archive, restore, upkeep, AuditMonth};
use domain::request_meta::RequestMeta;
use domain::settings::AuditSettings;
use sqlx::PgPool;

use super::audit_chain::check;

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ocm-audit-archive-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn actor() -> Actor {
    Actor::named("tester")
}

fn meta() -> RequestMeta {
    RequestMeta::background("test")
}

/// Writes `count` records dated in `month` (its partition created first), through plain inserts
/// the chain trigger links like any other.
async fn records_in(pool: &PgPool, month: AuditMonth, count: i64) {
    let created: bool = sqlx::query_scalar("select audit_ensure_month($1)")
        .bind(month.first_day())
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(created);
    sqlx::query(
        "insert into audit_event (occurred_at, username, action, outcome, target, parameters, counts)
         select ($1::date)::timestamp at time zone 'UTC' + n * interval '1 minute' + interval '0.123456 s',
                'tester', 'purge.start', 'success', 'list ' || n,
                jsonb_build_object('n', n, 'text', 'é \"quoted\" =1+1'), jsonb_build_object('rows', n)
           from generate_series(1, $2) as n",
    )
    .bind(month.first_day())
    .bind(count)
    .execute(pool)
    .await
    .unwrap();
}

/// The month's records, exactly as stored.
async fn rows_of(pool: &PgPool, month: AuditMonth) -> Vec<String> {
    sqlx::query_scalar(
        "select to_jsonb(e)::text || ' ' || encode(l.hash, 'hex') from audit_event e
           join audit_link l on l.audit_event_id = e.audit_event_id and l.chain_month = $1
          where audit_month(e.occurred_at) = $1 order by l.seq",
    )
    .bind(month.first_day())
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn online(pool: &PgPool, month: AuditMonth) -> bool {
    let name = archive::partition_names(month).0;
    sqlx::query_scalar("select to_regclass($1) is not null")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn count_action(pool: &PgPool, action: &str) -> i64 {
    sqlx::query_scalar("select count(*) from audit_event where action = $1")
        .bind(action)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_month_archives_drops_and_restores_with_identical_rows(pool: PgPool) {
    let dir = scratch();
    let month = AuditMonth::now().plus(-5);
    records_in(&pool, month, 2_500).await;
    let before = rows_of(&pool, month).await;
    assert_eq!(before.len(), 2_500);

    let done = archive::archive_month(&pool, &dir, month, &actor(), &meta())
        .await
        .unwrap();
    assert_eq!(done.rows, 2_500);
    assert!(!done.already_archived);
    assert!(
        !online(&pool, month).await,
        "the month's partitions are dropped"
    );
    assert!(rows_of(&pool, month).await.is_empty());
    assert!(done.manifest.exists());
    assert!(dir.join(format!("audit-{month}.jsonl.gz")).exists());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&done.manifest).unwrap()).unwrap();
    assert_eq!(manifest["rows"], 2_500);
    assert_eq!(count_action(&pool, "audit.archive").await, 1);

    let restored = restore::restore_month(&pool, &done.manifest, &actor(), &meta())
        .await
        .unwrap();
    assert_eq!(restored.rows, 2_500);
    assert_eq!(
        rows_of(&pool, month).await,
        before,
        "identical rows and links"
    );
    assert_eq!(count_action(&pool, "audit.restore").await, 1);
    let mut conn = pool.acquire().await.unwrap();
    let report = domain::audit_trail::verify::verify(&mut conn, month, month)
        .await
        .unwrap();
    assert!(report.is_intact());
    drop(conn);
    let error = restore::restore_month(&pool, &done.manifest, &actor(), &meta())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("is online already"), "{error}");

    // Archived again: the file already holds it, so it is only dropped.
    let again = archive::archive_month(&pool, &dir, month, &actor(), &meta())
        .await
        .unwrap();
    assert!(again.already_archived);
    assert!(!online(&pool, month).await);
    assert!(
        check(&pool).await.is_intact(),
        "the records about archiving are chained too"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_broken_chain_is_not_archived_and_nothing_is_dropped(pool: PgPool) {
    let dir = scratch();
    let month = AuditMonth::now().plus(-4);
    records_in(&pool, month, 10).await;
    let mut conn = pool.acquire().await.unwrap();
    sqlx::raw_sql(
        "set session_replication_role = replica;
         update audit_event set target = 'changed' where target = 'list 7';
         set session_replication_role = origin;",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    let error = archive::archive_month(&pool, &dir, month, &actor(), &meta())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("its chain is broken"), "{error}");
    assert!(error.contains("link 7"), "{error}");
    assert!(online(&pool, month).await);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "no file written"
    );
    let error = archive::archive_month(&pool, &dir, AuditMonth::now().plus(-1), &actor(), &meta())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("too recent"), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_damaged_archive_is_refused_and_restores_nothing(pool: PgPool) {
    let dir = scratch();
    let month = AuditMonth::now().plus(-6);
    records_in(&pool, month, 50).await;
    let done = archive::archive_month(&pool, &dir, month, &actor(), &meta())
        .await
        .unwrap();
    let data = dir.join(format!("audit-{month}.jsonl.gz"));
    let mut bytes = std::fs::read(&data).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&data, bytes).unwrap();
    let error = restore::restore_month(&pool, &done.manifest, &actor(), &meta())
        .await
        .unwrap_err()
        .to_string();
    assert!(!error.is_empty());
    assert!(!online(&pool, month).await, "nothing restored: {error}");
    assert_eq!(count_action(&pool, "audit.restore").await, 0);
    let outside = Path::new(&dir).join("evil.manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&done.manifest).unwrap()).unwrap();
    manifest["file"] = "../../etc/passwd".into();
    std::fs::write(&outside, manifest.to_string()).unwrap();
    let error = restore::restore_month(&pool, &outside, &actor(), &meta())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("must be a plain file name"), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn upkeep_archives_months_past_retention_and_deletes_expired_archives(pool: PgPool) {
    let dir = scratch();
    let now = AuditMonth::now();
    records_in(&pool, now.plus(-3), 5).await;
    records_in(&pool, now.plus(-2), 5).await;
    let settings = AuditSettings {
        online_months: 3,
        archive_dir: dir.clone(),
        archive_years: 1,
    };
    let done = upkeep::run(&pool, &settings, now).await.unwrap();
    assert_eq!(done.archived, vec![now.plus(-3)]);
    assert!(online(&pool, now.plus(-2)).await);
    assert!(
        online(&pool, now.plus(3)).await,
        "partitions exist three months ahead"
    );

    // An archive from long ago: its files go, audited first.
    let old = now.plus(-40);
    for name in [
        format!("audit-{old}.jsonl.gz"),
        format!("audit-{old}.manifest.json"),
    ] {
        std::fs::write(dir.join(name), b"old").unwrap();
    }
    sqlx::query("insert into audit_archive (chain_month, file_name, row_count, file_sha256) values ($1, $2, 0, '')")
        .bind(old.first_day())
        .bind(format!("audit-{old}.jsonl.gz"))
        .execute(&pool)
        .await
        .unwrap();
    let done = upkeep::run(&pool, &settings, now).await.unwrap();
    assert_eq!(done.deleted, vec![old]);
    assert!(!dir.join(format!("audit-{old}.jsonl.gz")).exists());
    assert!(dir
        .join(format!("audit-{}.jsonl.gz", now.plus(-3)))
        .exists());
    assert_eq!(count_action(&pool, "audit.archive_delete").await, 1);
    let done = upkeep::run(&pool, &settings, now).await.unwrap();
    assert!(done.deleted.is_empty() && done.archived.is_empty());
    std::fs::remove_dir_all(dir).unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn an_archive_folder_that_cannot_be_written_drops_nothing(pool: PgPool) {
    let dir = scratch();
    let month = AuditMonth::now().plus(-7);
    records_in(&pool, month, 20).await;
    // A folder whose parent is a file: creating it fails, as a full or read-only disk would.
    std::fs::write(dir.join("not-a-folder"), b"x").unwrap();
    let blocked = dir.join("not-a-folder").join("archive");
    let error = archive::archive_month(&pool, &blocked, month, &actor(), &meta())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("not-a-folder"),
        "the message names the path: {error}"
    );
    // The data file's name taken by a folder: the write itself fails after the folder exists.
    std::fs::create_dir_all(dir.join(format!("audit-{month}.jsonl.gz.partial"))).unwrap();
    let error = archive::archive_month(&pool, &dir, month, &actor(), &meta())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains(".partial"), "{error}");
    assert!(online(&pool, month).await, "nothing dropped");
    assert_eq!(rows_of(&pool, month).await.len(), 20);
    assert_eq!(count_action(&pool, "audit.archive").await, 0);
    let archived: i64 = sqlx::query_scalar("select count(*) from audit_archive")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(archived, 0);
    std::fs::remove_dir_all(dir).unwrap();
}
