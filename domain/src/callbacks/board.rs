//! The callback dashboard's table as a report of the kit: every open callback of the
//! organization (and, asked for, those that ended today) in due-time order, with its section as
//! of the moment the page is read; filters on section, type, owner, campaign, state and contact.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use time::OffsetDateTime;

use super::{push_standing, Standing};
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{
    AuditAction, CallbackFilters, CallbackRow, CallbackSection, CallbackState, CallbackType, Role,
};
use crate::report::{push_contains, Key, Report};
use crate::reports::{known_campaign, local_time, organization};

/// The longest text filter (names and ids are shorter).
const MAX_FILTER: usize = 200;

/// The checked filters.
pub struct Scoped {
    standing: Standing,
    section: Option<String>,
    /// A state of an ended callback was asked for: without a section, those ended today.
    ended_state: bool,
    callback_type: Option<String>,
    owner: Option<String>,
    campaign: Option<String>,
    state: Option<String>,
    contact: Option<String>,
}

/// The callback dashboard's table.
pub struct CallbackBoard;

/// A stored-text filter's value (`known`: one of its values), or the field named.
fn checked(field: &str, value: Option<(&str, bool)>) -> Result<Option<String>, AppError> {
    match value {
        None => Ok(None),
        Some((text, true)) => Ok(Some(text.to_string())),
        Some((text, false)) => Err(AppError::validation(
            field,
            format!("“{text}” is not one of this filter's values."),
        )),
    }
}

impl Report for CallbackBoard {
    type Filters = CallbackFilters;
    type Scoped = Scoped;
    type Row = CallbackRow;
    type Line = CallbackRow;

    const ROLES: &'static [Role] = &Role::ALL;
    const READ_ACTION: AuditAction = AuditAction::CallbacksRead;
    const EXPORT_ACTION: AuditAction = AuditAction::CallbacksExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "callbacks";
    const SHEET: &'static str = "Callbacks";
    const XLSX_NUMBERS: bool = false;
    const KEY: Key = Key {
        at: Some("due_at"),
        id: "row_id",
    };

    async fn scope(ctx: &Ctx, q: &CallbackFilters) -> Result<Scoped, AppError> {
        for (field, value) in [
            ("owner", &q.owner),
            ("campaign", &q.campaign),
            ("contact", &q.contact),
        ] {
            if value
                .as_ref()
                .is_some_and(|v| v.chars().any(char::is_control))
            {
                return Err(AppError::validation(field, "No control characters."));
            }
            if value
                .as_ref()
                .is_some_and(|v| v.chars().count() > MAX_FILTER)
            {
                return Err(AppError::validation(
                    field,
                    format!("At most {MAX_FILTER} characters."),
                ));
            }
        }
        let organization = organization(ctx, q.organization.as_deref())?;
        known_campaign(
            &ctx.state.pool,
            organization.as_deref(),
            q.campaign.as_deref(),
        )
        .await?;
        let section = q
            .section
            .as_ref()
            .map(|s| (s.as_str(), !matches!(s, CallbackSection::Other(_))));
        let callback_type = q
            .callback_type
            .as_ref()
            .map(|t| (t.as_str(), !matches!(t, CallbackType::Other(_))));
        let state = q
            .state
            .as_ref()
            .map(|s| (s.as_str(), !matches!(s, CallbackState::Other(_))));
        Ok(Scoped {
            standing: Standing {
                organization,
                zone: ctx.state.settings.call_data.time_zone.clone(),
                now: OffsetDateTime::now_utc(),
            },
            section: checked("section", section)?,
            ended_state: q.state.as_ref().is_some_and(CallbackState::is_ended),
            callback_type: checked("callback_type", callback_type)?,
            owner: q.owner.clone(),
            campaign: q.campaign.clone(),
            state: checked("state", state)?,
            contact: q.contact.clone(),
        })
    }

    fn select(f: &Scoped, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(format_args!(
            "select s.*, {due} as due_local, {expires} as expires_local, {since} as since_local, \
                    to_char(s.due_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') as due_utc, \
                    floor(extract(epoch from s.due_at - s.now) / 60)::bigint as due_in \
               from (",
            due = local_time("s.due_at"),
            expires = local_time("s.expires_at"),
            since = local_time("s.state_at"),
        ));
        push_standing(&f.standing, sql);
        sql.push(") s where ");
        match &f.section {
            Some(section) => sql.push("s.section = ").push_bind(section.clone()),
            None if f.ended_state => sql.push("s.section = 'ended'"),
            None => sql.push("s.section <> 'ended'"),
        };
        for (column, value) in [
            ("s.callback_type", &f.callback_type),
            ("s.owner", &f.owner),
            ("s.campaign", &f.campaign),
            ("s.state", &f.state),
        ] {
            if let Some(value) = value {
                sql.push(format_args!(" and {column} = "))
                    .push_bind(value.clone());
            }
        }
        if f.contact.is_some() {
            // Either the contact id or the phone holds the text.
            sql.push(" and (false");
            for column in ["s.user_contact_id", "s.phone"] {
                sql.push(" or (true");
                push_contains(sql, column, &f.contact);
                sql.push(")");
            }
            sql.push(")");
        }
    }

    fn decode(r: &PgRow) -> Result<CallbackRow, sqlx::Error> {
        let section: CallbackSection = r.try_get::<String, _>("section")?.into();
        let open = section != CallbackSection::Ended;
        Ok(CallbackRow {
            row_id: r.try_get("row_id")?,
            callback_id: r.try_get("callback_id")?,
            section,
            callback_type: r.try_get::<String, _>("callback_type")?.into(),
            on_call: r.try_get("on_call")?,
            owner: r.try_get("owner")?,
            campaign: r.try_get("campaign")?,
            job_id: r.try_get("job_id")?,
            list: r.try_get("list_name")?,
            contact_id: r.try_get("user_contact_id")?,
            phone: r.try_get("phone")?,
            notes: r.try_get("notes")?,
            due_at: r.try_get("due_local")?,
            due_at_utc: r.try_get("due_utc")?,
            expires_at: r.try_get("expires_local")?,
            state: r.try_get::<String, _>("state")?.into(),
            state_at: r.try_get("since_local")?,
            agent: r.try_get("agent")?,
            fulfilled_by: r.try_get("fulfilled_by")?,
            handed_over: r.try_get("handed_over")?,
            due_in_minutes: if open { r.try_get("due_in")? } else { None },
        })
    }

    fn lines(row: CallbackRow) -> Vec<CallbackRow> {
        vec![row]
    }

    fn descending(_: &Scoped) -> bool {
        false
    }
}
