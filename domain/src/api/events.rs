//! Events for integrators (`docs/api.md`): campaign job states, emergency mode and DNC / record
//! cancel receipt states, written by triggers into `api_event` (migration `api_events`) and read
//! here in a gap-free order: by writing transaction, then id, only from transactions older than
//! every one still running. `hub` relays them to this instance's event streams; webhooks deliver
//! the same envelopes.

pub mod hub;

use serde_json::{json, Value};
use sqlx::PgPool;
use time::OffsetDateTime;
use types::model::event_kind_allowed;

use super::ApiPrincipal;
use crate::dates::rfc3339;

/// A place in the event order: (writing transaction, id). Written `TX-ID` as the event id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Cursor {
    pub tx: i64,
    pub id: i64,
}

impl Cursor {
    /// Reads an event id a client sends back (`Last-Event-ID`); none when it is not one.
    pub fn parse(text: &str) -> Option<Cursor> {
        let (tx, id) = text.trim().split_once('-')?;
        Some(Cursor {
            tx: tx.parse().ok().filter(|tx| *tx >= 0)?,
            id: id.parse().ok().filter(|id| *id >= 0)?,
        })
    }

    pub fn text(&self) -> String {
        format!("{}-{}", self.tx, self.id)
    }
}

/// One event.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiEvent {
    pub cursor: Cursor,
    /// None: every organization.
    pub organization: Option<String>,
    pub kind: String,
    pub data: Value,
    pub occurred_at: OffsetDateTime,
}

/// OCM's status of a campaign from its job's POM state (`docs/api.md`).
pub fn campaign_status(pom_state: Option<&str>) -> &'static str {
    match pom_state {
        Some("JOB_QUEUED") => "queued",
        Some("JOB_ACTIVE") => "running",
        Some("JOB_PAUSED") => "paused",
        Some("JOB_STOPPING") => "stopping",
        _ => "not_running",
    }
}

impl ApiEvent {
    /// What a client receives: the same JSON on the event stream and in a webhook's body.
    pub fn envelope(&self) -> Value {
        let mut data = self.data.clone();
        if self.kind == "campaign.job_state" {
            let status = campaign_status(data["pom_state"].as_str());
            data["status"] = json!(status);
        }
        json!({
            "id": self.cursor.text(),
            "type": self.kind,
            "organization": self.organization,
            "occurred_at": rfc3339(self.occurred_at),
            "data": data,
        })
    }

    /// Whether `client` may see it: its organization (or every one) and one of the kind's
    /// scopes.
    pub fn visible_to(&self, client: &ApiPrincipal) -> bool {
        let organization_ok = match (&client.organization, &self.organization) {
            (None, _) | (_, None) => true,
            (Some((_, mine)), Some(theirs)) => mine == theirs,
        };
        organization_ok && event_kind_allowed(&self.kind, &client.scopes)
    }
}

/// Events after `after`, in order, at most `limit`, from committed transactions only.
pub async fn after(pool: &PgPool, after: Cursor, limit: i64) -> Result<Vec<ApiEvent>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"select api_event_id, tx, organization, kind, data, occurred_at from api_event
           where (tx, api_event_id) > ($1, $2)
             and tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
           order by tx, api_event_id limit $3"#,
        after.tx,
        after.id,
        limit,
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| ApiEvent {
        cursor: Cursor {
            tx: r.tx,
            id: r.api_event_id,
        },
        organization: r.organization,
        kind: r.kind,
        data: r.data,
        occurred_at: r.occurred_at,
    })
    .collect())
}

/// Whether the event at `cursor` is still kept: when it is not (forgotten after the kept days,
/// or never written), events after it may be missing for whoever resumes there.
pub async fn kept(pool: &PgPool, cursor: Cursor) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from api_event where tx = $1 and api_event_id = $2) as "kept!""#,
        cursor.tx,
        cursor.id,
    )
    .fetch_one(pool)
    .await
}

/// The place from which only events still to commit, or committed since, follow: where a
/// stream without `Last-Event-ID` starts.
pub async fn now(pool: &PgPool) -> Result<Cursor, sqlx::Error> {
    let xmin = sqlx::query_scalar!(
        r#"select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as "xmin!""#
    )
    .fetch_one(pool)
    .await?;
    Ok(Cursor {
        tx: xmin - 1,
        id: i64::MAX,
    })
}

/// Deletes events older than `days` (their deliveries go with them), a thousand per short
/// transaction so that none holds later events back for long; how many.
pub async fn forget_older_than(pool: &PgPool, days: i32) -> Result<u64, sqlx::Error> {
    let mut gone = 0;
    loop {
        let deleted = sqlx::query!(
            "delete from api_event where api_event_id in (
                 select api_event_id from api_event
                 where occurred_at < now() - make_interval(days => $1) limit 1000)",
            days
        )
        .execute(pool)
        .await?
        .rows_affected();
        gone += deleted;
        if deleted < 1000 {
            return Ok(gone);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_order_by_transaction_first() {
        let a = Cursor { tx: 7, id: 90 };
        assert_eq!(Cursor::parse(&a.text()), Some(a));
        assert!(Cursor { tx: 8, id: 1 } > a);
        for bad in ["", "7", "7-", "-1-2", "a-b", "7-90-1"] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn kinds_follow_scopes() {
        use types::model::ApiScope;
        assert!(event_kind_allowed("dnc.request_state", &[ApiScope::Dnc]));
        assert!(!event_kind_allowed(
            "dnc.request_state",
            &[ApiScope::Records]
        ));
        assert!(event_kind_allowed(
            "emergency.enabled",
            &[ApiScope::CampaignsRead]
        ));
        assert!(!event_kind_allowed(
            "campaign.job_state",
            &[ApiScope::Reports]
        ));
        assert!(!event_kind_allowed("unknown", &ApiScope::ALL));
    }
}
