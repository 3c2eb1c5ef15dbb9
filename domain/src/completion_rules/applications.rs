//! The applications report: each rule applied (or waiting, or failed) to an attempt's contact,
//! newest first, by campaign, rule, state, list and contact (a contact's page reads it with its
//! list and id). Admins read every organization; supervisors and managers their own.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use time::OffsetDateTime;

use super::checks::effect;
use crate::access::Ctx;
use crate::dates::{rfc3339, DateRange};
use crate::error::AppError;
use crate::model::{AuditAction, Role, RuleAction, RuleApplicationFilters, RuleApplicationRow};
use crate::report::{Key, Report};

/// The longest text a filter takes (names and ids are far shorter).
const MAX_FILTER: usize = 200;

/// The filters checked and pinned to the caller.
pub struct Scoped {
    organization: Option<String>,
    dates: DateRange,
    campaign: Option<String>,
    rule: Option<i64>,
    state: Option<String>,
    list: Option<String>,
    contact: Option<String>,
}

/// The report.
pub struct Applications;

impl Report for Applications {
    type Filters = RuleApplicationFilters;
    type Scoped = Scoped;
    type Row = RuleApplicationRow;
    type Line = RuleApplicationRow;

    const ROLES: &'static [Role] = &super::READERS;
    const READ_ACTION: AuditAction = AuditAction::CompletionRuleApplications;
    const EXPORT_ACTION: AuditAction = AuditAction::CompletionRuleApplicationsExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "completion-rule-applications";
    const SHEET: &'static str = "Applications";
    const XLSX_NUMBERS: bool = false;
    const KEY: Key = Key {
        at: None,
        id: "application_id",
    };

    async fn scope(ctx: &Ctx, q: &RuleApplicationFilters) -> Result<Scoped, AppError> {
        let filters = [
            ("campaign", &q.campaign),
            ("list", &q.list),
            ("contact", &q.contact),
        ];
        for (field, value) in filters {
            if value
                .as_deref()
                .is_some_and(|v| v.chars().count() > MAX_FILTER)
            {
                return Err(AppError::validation(
                    field,
                    format!("At most {MAX_FILTER} characters."),
                ));
            }
        }
        let text = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        Ok(Scoped {
            organization: crate::reports::organization(ctx, q.organization.as_deref())?,
            dates: DateRange::parse(q.from.as_deref(), q.to.as_deref())?,
            campaign: text(&q.campaign),
            rule: q.rule,
            state: q.state.as_ref().map(|s| s.as_str().to_string()),
            list: text(&q.list),
            contact: text(&q.contact),
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(
            "select a.application_id, a.attempt_ended_at, a.organization, a.campaign, \
             a.completion_code, a.completion_rule_id, r.action, r.attribute, a.value, \
             a.list_name, a.user_contact_id, a.state, a.tries, \
             a.previous_value, a.outcome, a.finished_at \
             from completion_rule_application a \
             join completion_rule r using (completion_rule_id) where true",
        );
        if let Some(organization) = &f.organization {
            sql.push(" and a.organization = ")
                .push_bind(organization.clone());
        }
        f.dates.push("a.attempt_ended_at", sql);
        let exact = [
            ("a.campaign", &f.campaign),
            ("a.state", &f.state),
            ("a.list_name", &f.list),
            ("a.user_contact_id", &f.contact),
        ];
        for (column, value) in exact {
            if let Some(value) = value {
                sql.push(format!(" and {column} = "))
                    .push_bind(value.clone());
            }
        }
        if let Some(rule) = f.rule {
            sql.push(" and a.completion_rule_id = ").push_bind(rule);
        }
    }

    fn decode(r: &PgRow) -> Result<RuleApplicationRow, sqlx::Error> {
        let action = RuleAction::from(r.try_get::<String, _>("action")?);
        let attribute: Option<String> = r.try_get("attribute")?;
        let value: Option<String> = r.try_get("value")?;
        Ok(RuleApplicationRow {
            application_id: r.try_get("application_id")?,
            attempt_ended_at: rfc3339(r.try_get("attempt_ended_at")?),
            organization: r.try_get("organization")?,
            campaign: r.try_get("campaign")?,
            completion_code: r.try_get("completion_code")?,
            rule_id: r.try_get("completion_rule_id")?,
            // The value this application writes, not the rule's recipe for it.
            effect: effect(&action, attribute.as_deref(), value.as_deref(), None),
            list: r.try_get("list_name")?,
            contact: r.try_get("user_contact_id")?,
            state: r.try_get::<String, _>("state")?.into(),
            tries: r.try_get("tries")?,
            previous_value: r.try_get("previous_value")?,
            outcome: r.try_get("outcome")?,
            finished_at: r
                .try_get::<Option<OffsetDateTime>, _>("finished_at")?
                .map(rfc3339),
        })
    }

    fn lines(row: RuleApplicationRow) -> Vec<RuleApplicationRow> {
        vec![row]
    }
}
