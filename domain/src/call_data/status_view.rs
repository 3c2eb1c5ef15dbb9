//! The admins' call-data page (`/admin/call-data`): the feed's ingestion (cursor, lag, counts),
//! today's records per kind in the report time zone, the problems with the input, and agents and
//! campaigns of today's call data that no mapping covers (shown, not dropped).

use sqlx::PgPool;

use crate::error::AppError;
use crate::model::{CallDataKindCount, CallDataProblem, CallDataSource, CallDataStatus};
use crate::settings::CallDataSettings;

fn text(t: Option<time::OffsetDateTime>) -> Option<String> {
    t.and_then(|t| {
        t.format(&time::format_description::well_known::Rfc3339)
            .ok()
    })
}

/// The page's figures.
pub async fn status_view(
    pool: &PgPool,
    settings: &CallDataSettings,
) -> Result<CallDataStatus, AppError> {
    let tz = settings.time_zone.as_str();
    let source = sqlx::query!(
        r#"select cursor_position, feed_version, records, unknown_records, unknown_fields,
                  last_run_at, last_success_at, newest_record_at,
                  extract(epoch from now() - newest_record_at)::bigint as lag
             from call_data_source where name = 'feed'"#
    )
    .fetch_optional(pool)
    .await?
    .map(|r| CallDataSource {
        cursor: r.cursor_position,
        feed_version: r.feed_version,
        records: r.records,
        unknown_records: r.unknown_records,
        unknown_fields: r.unknown_fields,
        last_run_at: text(r.last_run_at),
        last_success_at: text(r.last_success_at),
        newest_record_at: text(r.newest_record_at),
        lag_seconds: r.lag,
    });
    let today = sqlx::query!(
        r#"with since as (select (date_trunc('day', now() at time zone $1) at time zone $1) as t)
           select kind as "kind!", today as "today!" from (
             select 'attempt' as kind, count(*) as today from call_attempt, since where occurred_at >= since.t
             union all select 'agent_interval', count(*) from agent_interval, since where occurred_at >= since.t
             union all select 'agent_session', count(*) from agent_session, since where occurred_at >= since.t
             union all select 'agent_state', count(*) from agent_state, since where occurred_at >= since.t
             union all select 'callback', count(*) from callback, since where occurred_at >= since.t
             union all select 'callback_event', count(*) from callback_event, since where occurred_at >= since.t
             union all select 'inbound', count(*) from inbound_call, since where occurred_at >= since.t
             union all select 'job_event', count(*) from job_event, since where occurred_at >= since.t
             union all select 'contact_skip', count(*) from contact_skip, since where occurred_at >= since.t
             union all select 'sale', count(*) from sale, since where occurred_at >= since.t) counts"#,
        tz
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| CallDataKindCount {
        kind: r.kind,
        today: r.today,
    })
    .collect();
    let problems = sqlx::query!(
        "select reason, detail, occurrences, first_seen, last_seen from call_data_problem
          order by last_seen desc, reason limit 50"
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| CallDataProblem {
        reason: r.reason,
        detail: r.detail,
        occurrences: r.occurrences,
        first_seen: text(Some(r.first_seen)).unwrap_or_default(),
        last_seen: text(Some(r.last_seen)).unwrap_or_default(),
    })
    .collect();
    let unmapped_agents = sqlx::query_scalar!(
        r#"with day as (select (now() at time zone $1)::date as d)
           select distinct i.agent_id as "agent!" from agent_interval i, day
            where i.occurred_at >= now() - interval '1 day'
              and not exists (select 1 from agent_team m where m.agent_id = i.agent_id
                                 and m.valid_from <= day.d and (m.valid_to is null or m.valid_to > day.d))
            order by 1 limit 200"#,
        tz
    )
    .fetch_all(pool)
    .await?;
    let unmapped_campaigns = sqlx::query_scalar!(
        r#"select distinct a.organization || ' / ' || a.campaign as "campaign!" from call_attempt a
            where a.occurred_at >= now() - interval '1 day'
              and not exists (select 1 from campaign_team m where m.organization = a.organization
                                 and m.campaign_name = a.campaign)
            order by 1 limit 200"#
    )
    .fetch_all(pool)
    .await?;
    Ok(CallDataStatus {
        feed: settings.feed_url.as_deref().map(hide_credentials),
        time_zone: settings.time_zone.clone(),
        source,
        today,
        problems,
        unmapped_agents,
        unmapped_campaigns,
    })
}

/// The feed's address without user name and password.
fn hide_credentials(url: &str) -> String {
    match url.split_once("://").and_then(|(scheme, rest)| {
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = authority.rsplit_once('@')?.1;
        Some(format!("{scheme}://{host}/{path}"))
    }) {
        Some(hidden) => hidden,
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn credentials_are_left_out_of_the_address() {
        let hide = super::hide_credentials;
        assert_eq!(
            hide("https://u:p@feed.example/a?b=1"),
            "https://feed.example/a?b=1"
        );
        assert_eq!(
            hide("http://127.0.0.1:7080/__sim/feed"),
            "http://127.0.0.1:7080/__sim/feed"
        );
    }
}
