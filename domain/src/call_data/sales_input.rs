//! Sales-screen records from other systems (issue 20's `POST /api/v1/sales`; seed 001's sales
//! report input): each record is read by the feed's own contract for kind `sale` (required
//! fields, times, an amount with at most two decimals), the batch is refused whole, naming the
//! record and the reason, when any record breaks it, and otherwise stored with the sales
//! summaries in one transaction with its audit record. A sale already stored (same id and time)
//! is not added twice, so a batch sent again adds nothing.

use serde_json::{json, Value};

use super::parse::{read_value, Item, Record};
use super::records::Sale;
use super::store;
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::AuditAction;

/// Records in one batch at most.
pub const MAX_SALES: usize = 5_000;

/// What a batch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedSales {
    pub received: usize,
    /// New sales (the rest were stored before).
    pub added: i64,
}

/// Refuses a sale from the future (a few minutes' clock difference allowed) or older than call
/// data is kept: stored, it would sit in no month's partition.
fn in_time(ctx: &Ctx, field: &str, sale: Sale) -> Result<Sale, AppError> {
    let now = time::OffsetDateTime::now_utc();
    let months = i64::from(ctx.state.settings.call_data.retention_months);
    let oldest = now - time::Duration::days(31 * months);
    if sale.submitted_at > now + time::Duration::minutes(5) || sale.submitted_at < oldest {
        return Err(AppError::validation(
            format!("{field}.submitted_at"),
            format!("between {months} months ago and now"),
        ));
    }
    Ok(sale)
}

/// Reads one record as the feed would, for the caller's organization; `field` names it.
fn read(ctx: &Ctx, field: &str, mut value: Value) -> Result<Sale, AppError> {
    let Some(object) = value.as_object_mut() else {
        return Err(AppError::validation(field, "a sale is a JSON object"));
    };
    let organization = &ctx.user.organization;
    match object.get("organization").and_then(Value::as_str) {
        Some(given) if given != organization => {
            return Err(AppError::validation(
                format!("{field}.organization"),
                format!("this client's sales are {organization}'s"),
            ))
        }
        _ => {}
    }
    for reserved in ["kind", "cursor"] {
        if object.contains_key(reserved) {
            return Err(AppError::validation(
                format!("{field}.{reserved}"),
                "not a field of a sale",
            ));
        }
    }
    object.insert("organization".into(), json!(organization));
    object.insert("kind".into(), json!("sale"));
    // Not from the feed: no place in it.
    object.insert("cursor".into(), json!(0));
    match read_value(value) {
        Ok(Item::Known { unknown_fields, .. }) if unknown_fields > 0 => Err(AppError::validation(
            field,
            format!("{unknown_fields} field(s) a sale does not have (see the feed's contract)"),
        )),
        Ok(Item::Known { record, .. }) => match *record {
            Record::Sale(sale) => in_time(ctx, field, sale),
            _ => Err(AppError::validation(field, "not a sale")),
        },
        Ok(Item::Aside { problem, .. }) => Err(AppError::validation(
            field,
            problem.unwrap_or_else(|| "not a sale".into()),
        )),
        Err(problem) => Err(AppError::validation(field, problem.detail)),
    }
}

/// Refuses a sale stored before for another organization (the same id and time): one
/// organization's client must not shadow another's sales.
async fn refuse_others(ctx: &Ctx, sales: &[Sale]) -> Result<(), AppError> {
    let ids: Vec<String> = sales.iter().map(|s| s.sale_id.clone()).collect();
    let times: Vec<time::OffsetDateTime> = sales.iter().map(|s| s.submitted_at).collect();
    let clash = sqlx::query_scalar!(
        r#"select t.n as "n!" from unnest($1::text[], $2::timestamptz[]) with ordinality as t(id, at, n)
           join sale s on s.occurred_at = t.at and s.sale_id = t.id
           where s.organization <> $3 order by t.n limit 1"#,
        &ids,
        &times,
        ctx.user.organization,
    )
    .fetch_optional(&ctx.state.pool)
    .await?;
    match clash {
        Some(n) => Err(AppError::validation(
            format!("sales[{}].sale_id", n - 1),
            "this sale id and time belong to another organization's sale",
        )),
        None => Ok(()),
    }
}

/// Adds a batch of sales for the context's organization.
pub async fn add(ctx: &Ctx, records: Vec<Value>) -> Result<AddedSales, AppError> {
    if records.is_empty() || records.len() > MAX_SALES {
        return Err(AppError::validation(
            "sales",
            format!("1 to {MAX_SALES} sales per batch"),
        ));
    }
    let received = records.len();
    let sales = records
        .into_iter()
        .enumerate()
        .map(|(i, value)| read(ctx, &format!("sales[{i}]"), value))
        .collect::<Result<Vec<Sale>, AppError>>()?;
    let rows: Vec<(i64, &Sale)> = sales.iter().map(|s| (0, s)).collect();
    refuse_others(ctx, &sales).await?;
    let zone = &ctx.state.settings.call_data.time_zone;
    let mut tx = ctx.state.pool.begin().await?;
    let added = store::sales(&mut tx, zone, &rows).await?;
    let event = AuditEvent::new(AuditAction::SalesInput, Outcome::Success)
        .with_organization(ctx.user.organization.clone())
        .with_target("sales")
        .with_counts(json!({ "received": received, "added": added }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(AddedSales { received, added })
}
