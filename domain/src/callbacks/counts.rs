//! The callback dashboard's head: how many callbacks stand in each section, of each type and in
//! each state, as of one instant, with how fresh the call data behind them is (and, when it is
//! behind, since when: `freshness`) and a revision that changes whenever any counted callback
//! does.

use sha2::{Digest, Sha256};
use sqlx::{PgPool, QueryBuilder, Row};
use time::OffsetDateTime;

use super::{push_standing, Standing};
use crate::access::Ctx;
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::freshness;
use crate::model::{
    AuditAction, CallbackCounts, CallbackSection, CallbackState, CallbackType, Role,
};
use crate::reports::organization;
use crate::state::AppState;

/// Adds `n` to `value`'s count in `counts` (first seen: appended).
fn add<T: PartialEq>(counts: &mut Vec<(T, i64)>, value: T, n: i64) {
    match counts.iter_mut().find(|(v, _)| *v == value) {
        Some((_, count)) => *count += n,
        None => counts.push((value, n)),
    }
}

/// The counts for the organization the caller reads, now.
pub async fn counts(ctx: &Ctx, requested: Option<&str>) -> Result<CallbackCounts, AppError> {
    ctx.require(AuditAction::CallbacksRead, &Role::ALL).await?;
    let standing = Standing {
        organization: organization(ctx, requested)?,
        zone: ctx.state.settings.call_data.time_zone.clone(),
        now: OffsetDateTime::now_utc(),
    };
    counts_now(&ctx.state, &standing).await
}

/// [`counts_at`] with the call data named when it is behind: the counts and the rows are then
/// as of its newest record (or last read), not current.
pub async fn counts_now(state: &AppState, standing: &Standing) -> Result<CallbackCounts, AppError> {
    let mut counts = counts_at(&state.pool, standing).await?;
    let feed_configured = state.settings.call_data.feed_url.is_some();
    let organization = standing.organization.as_deref();
    let facts =
        freshness::call_data_facts(&state.pool, organization, feed_configured, standing.now)
            .await?;
    counts.stale = freshness::call_data_behind(&facts, standing.now, &standing.zone);
    Ok(counts)
}

/// The counts as `standing` has them: sections of open callbacks (ended ones apart), types and
/// states of open callbacks and of those ended today.
pub async fn counts_at(pool: &PgPool, standing: &Standing) -> Result<CallbackCounts, sqlx::Error> {
    let mut sql = QueryBuilder::new(
        "select s.section, s.callback_type, s.state, count(*) as n, \
                md5(string_agg(concat_ws('/', s.callback_id, s.state_at, s.due_at, s.agent, \
                                         s.handed_over, s.phone, s.notes), ',' \
                               order by s.callback_id)) as digest from (",
    );
    push_standing(standing, &mut sql);
    sql.push(") s group by 1, 2, 3 order by 1, 2, 3");
    let rows = sql.build().persistent(false).fetch_all(pool).await?;
    let mut counts = CallbackCounts {
        sections: CallbackSection::all().into_iter().map(|s| (s, 0)).collect(),
        read_at: rfc3339(standing.now),
        time_zone: standing.zone.clone(),
        ..CallbackCounts::default()
    };
    let mut revision = Sha256::new();
    for row in rows {
        let n: i64 = row.try_get("n")?;
        for part in ["section", "callback_type", "state", "digest"] {
            revision.update(row.try_get::<String, _>(part)?.as_bytes());
            revision.update(b"\n");
        }
        add(
            &mut counts.sections,
            CallbackSection::from(row.try_get::<String, _>("section")?),
            n,
        );
        add(
            &mut counts.types,
            CallbackType::from(row.try_get::<String, _>("callback_type")?),
            n,
        );
        add(
            &mut counts.states,
            CallbackState::from(row.try_get::<String, _>("state")?),
            n,
        );
    }
    counts.revision = format!("{:x}", revision.finalize());
    counts.newest_record_at =
        sqlx::query_scalar!("select max(newest_record_at) from call_data_source")
            .fetch_one(pool)
            .await?
            .map(rfc3339);
    Ok(counts)
}
