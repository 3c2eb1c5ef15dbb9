//! Ingestion's part: each attempt of a page that closed with a rule's code is queued once per
//! rule, in the page's transaction, so an attempt is neither missed nor acted on twice however
//! often its page is read. A rule applies to attempts that ended after it was saved (or last
//! enabled); an erased person's attempts are left alone.

use sqlx::PgConnection;
use time::OffsetDateTime;

use super::checks::{value_for, RuleValue};
use crate::call_data::records::Attempt;
use crate::erasure::ocm_stores::ERASED;

/// An enabled rule as ingestion matches it.
struct Enabled {
    rule_id: i64,
    organization: String,
    campaign: String,
    completion_code: String,
    value: Option<RuleValue>,
    enabled_at: OffsetDateTime,
}

/// Queues the applications `attempts` call for; returns how many were new.
pub async fn queue(
    tx: &mut PgConnection,
    tz: &str,
    attempts: &[(i64, &Attempt)],
) -> Result<u64, sqlx::Error> {
    if attempts.is_empty() {
        return Ok(0);
    }
    // A handful of rows read by a partial index: cheaper than carrying every attempt to SQL.
    let rules: Vec<Enabled> = sqlx::query!(
        "select completion_rule_id, organization, campaign, completion_code, fixed_value,
                days_after, enabled_at
           from completion_rule where disabled_at is null"
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| Enabled {
        rule_id: r.completion_rule_id,
        organization: r.organization,
        campaign: r.campaign,
        completion_code: r.completion_code,
        value: match (r.fixed_value, r.days_after) {
            (Some(text), _) => Some(RuleValue::Fixed(text)),
            (None, Some(days)) => Some(RuleValue::DaysAfter(days)),
            (None, None) => None,
        },
        enabled_at: r.enabled_at,
    })
    .collect();
    if rules.is_empty() {
        return Ok(0);
    }
    let mut queued = Queued::default();
    // An erased person's attempts arrive with their id replaced (`call_data/suppress.rs`).
    let erased = |id: &str| id.starts_with("erased:") || id == ERASED;
    for (_, attempt) in attempts.iter().filter(|(_, a)| !erased(&a.user_contact_id)) {
        for rule in rules.iter().filter(|r| {
            r.organization == attempt.organization
                && r.campaign == attempt.campaign
                && r.completion_code == attempt.completion_code
                && attempt.end_at >= r.enabled_at
        }) {
            queued.push(rule, attempt, tz);
        }
    }
    if queued.rules.is_empty() {
        return Ok(0);
    }
    Ok(sqlx::query!(
        "insert into completion_rule_application
             (completion_rule_id, organization, attempt_ended_at, session_id, campaign, list_name,
              user_contact_id, completion_code, value)
         select * from unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[],
                              $6::text[], $7::text[], $8::text[], $9::text[])
         on conflict do nothing",
        &queued.rules,
        &queued.organizations,
        &queued.ended,
        &queued.sessions,
        &queued.campaigns,
        &queued.lists,
        &queued.contacts,
        &queued.codes,
        &queued.values as &[Option<String>],
    )
    .execute(&mut *tx)
    .await?
    .rows_affected())
}

/// The applications to insert, column by column.
#[derive(Default)]
struct Queued {
    rules: Vec<i64>,
    organizations: Vec<String>,
    ended: Vec<OffsetDateTime>,
    sessions: Vec<String>,
    campaigns: Vec<String>,
    lists: Vec<String>,
    contacts: Vec<String>,
    codes: Vec<String>,
    values: Vec<Option<String>>,
}

impl Queued {
    fn push(&mut self, rule: &Enabled, attempt: &Attempt, tz: &str) {
        self.rules.push(rule.rule_id);
        self.organizations.push(attempt.organization.clone());
        self.ended.push(attempt.end_at);
        self.sessions.push(attempt.session_id.clone());
        self.campaigns.push(attempt.campaign.clone());
        self.lists.push(attempt.list.clone());
        self.contacts.push(attempt.user_contact_id.clone());
        self.codes.push(attempt.completion_code.clone());
        self.values.push(
            rule.value
                .as_ref()
                .map(|value| value_for(value, attempt.end_at, tz)),
        );
    }
}
