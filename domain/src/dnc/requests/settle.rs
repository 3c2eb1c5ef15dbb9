//! A receipt's state from its items: `accepted` while its contacts are being looked up or any
//! item is still to reach POM; then `failed` if anything failed (the items say which), else
//! `verified` once every item was read back, else `applied`. `resettle` catches up stale ones.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Brings the state of `requests` up to date with their items. The requests are locked first
/// (in one order), so two instances finishing items of the same request one after the other
/// each judge it with the other's items committed.
pub(super) async fn settle(
    connection: &mut PgConnection,
    requests: &[Uuid],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "select dnc_request_id from dnc_request where dnc_request_id = any($1)
         order by dnc_request_id for update",
        requests,
    )
    .fetch_all(&mut *connection)
    .await?;
    sqlx::query!(
        "with counted as (
             select r.dnc_request_id,
                    ((r.customer_id is not null or r.kind = 'cancel') and r.expanded_at is null)
                      or coalesce(bool_or(i.state in ('pending', 'sending')), false) as waiting,
                    r.reason is not null or coalesce(bool_or(i.state = 'failed'), false) as failed,
                    count(i.dnc_request_item_id) > 0
                      and coalesce(bool_and(i.state = 'verified'), false) as verified
             from dnc_request r left join dnc_request_item i using (dnc_request_id)
             where r.dnc_request_id = any($1)
             group by r.dnc_request_id),
         judged as (
             select dnc_request_id,
                    case when waiting then 'accepted'
                         when failed then 'failed'
                         when verified then 'verified'
                         else 'applied' end as state
             from counted)
         update dnc_request r set state = j.state, updated_at = now()
         from judged j
         where r.dnc_request_id = j.dnc_request_id and r.state <> j.state",
        requests,
    )
    .execute(connection)
    .await?;
    Ok(())
}

/// Judges again requests not yet final that nothing touched for a minute (a belt to the braces
/// above: no receipt stays behind its items).
pub(super) async fn resettle(pool: &PgPool) -> Result<(), sqlx::Error> {
    let stale = sqlx::query_scalar!(
        "select dnc_request_id from dnc_request
         where state in ('accepted', 'applied') and updated_at < now() - interval '1 minute'
         order by updated_at limit 500"
    )
    .fetch_all(pool)
    .await?;
    if stale.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    settle(&mut tx, &stale).await?;
    sqlx::query!(
        "update dnc_request set updated_at = now() where dnc_request_id = any($1)",
        &stale
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}
