//! The user list as a report: filters by name, role, team, organization, active and last sign-in;
//! admins only.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use time::OffsetDateTime;

use crate::access::Ctx;
use crate::dates::{rfc3339, DateRange};
use crate::error::AppError;
use crate::model::{AuditAction, Role, UserFilters, UserRow};
use crate::report::{self, Key, Report};

/// Checked filters.
pub struct UserScope {
    name: Option<String>,
    role: Option<&'static str>,
    team: Option<String>,
    organization: Option<String>,
    active: Option<bool>,
    /// `Some(None)`: never signed in; `Some(Some(range))`: signed in from that day on.
    signed_in: Option<Option<DateRange>>,
}

/// The user list report.
pub struct UserList;

impl Report for UserList {
    type Filters = UserFilters;
    type Scoped = UserScope;
    type Row = UserRow;
    type Line = UserRow;

    const ROLES: &'static [Role] = super::ROLES;
    const EXPORT_ACTION: AuditAction = AuditAction::UserListExport;
    const PAGE_SIZE: u32 = 50;
    const FILE_STEM: &'static str = "users";
    const SHEET: &'static str = "Users";
    const KEY: Key = Key {
        at: None,
        id: "app_user_id",
    };

    async fn scope(_ctx: &Ctx, q: &UserFilters) -> Result<UserScope, AppError> {
        let role = match q.role.as_deref() {
            None => None,
            Some(text) => Some(
                Role::parse(text)
                    .ok_or_else(|| AppError::validation("role", "choose one of the roles listed"))?
                    .as_str(),
            ),
        };
        let active = match q.active.as_deref() {
            None => None,
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(_) => return Err(AppError::validation("active", "choose active or disabled")),
        };
        let signed_in = match q.signed_in.as_deref() {
            None => None,
            Some("never") => Some(None),
            Some(day) => Some(Some(DateRange::parse(Some(day), None).map_err(|_| {
                AppError::validation("signed_in", "use YYYY-MM-DD or never")
            })?)),
        };
        Ok(UserScope {
            name: q.name.clone(),
            role,
            team: q.team.clone(),
            organization: q.organization.clone(),
            active,
            signed_in,
        })
    }

    fn select(f: &UserScope, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(
            "select * from (select u.app_user_id, u.username, u.display_name, u.role, \
             t.name as team, o.name as organization, u.disabled_at is null as active, \
             u.must_change_password, u.created_at, \
             (select max(s.started_at) from login_session s where s.app_user_id = u.app_user_id) \
             as last_sign_in, \
             (select count(*) from login_session s where s.app_user_id = u.app_user_id \
              and s.ended_at is null) as open_sessions \
             from app_user u join team t using (team_id) join organization o using (organization_id)) \
             users where true",
        );
        report::push_contains(sql, "(username || ' ' || display_name)", &f.name);
        if let Some(role) = f.role {
            sql.push(" and role = ").push_bind(role);
        }
        if let Some(team) = &f.team {
            sql.push(" and team = ").push_bind(team.clone());
        }
        if let Some(organization) = &f.organization {
            sql.push(" and organization = ")
                .push_bind(organization.clone());
        }
        if let Some(active) = f.active {
            sql.push(" and active = ").push_bind(active);
        }
        match &f.signed_in {
            None => {}
            Some(None) => {
                sql.push(" and last_sign_in is null");
            }
            Some(Some(range)) => range.push("last_sign_in", sql),
        }
    }

    fn decode(r: &PgRow) -> Result<UserRow, sqlx::Error> {
        let last: Option<OffsetDateTime> = r.try_get("last_sign_in")?;
        Ok(UserRow {
            user_id: r.try_get("app_user_id")?,
            username: r.try_get("username")?,
            display_name: r.try_get("display_name")?,
            role: Role::parse(&r.try_get::<String, _>("role")?).unwrap_or(Role::Manager),
            team: r.try_get("team")?,
            organization: r.try_get("organization")?,
            active: r.try_get("active")?,
            must_change_password: r.try_get("must_change_password")?,
            last_sign_in: last.map(rfc3339),
            open_sessions: r.try_get("open_sessions")?,
            created_at: rfc3339(r.try_get("created_at")?),
        })
    }

    fn lines(row: UserRow) -> Vec<UserRow> {
        vec![row]
    }

    fn descending(_: &UserScope) -> bool {
        false
    }
}
