//! Filter pieces every report needs the same way: which organization the caller may read, and
//! "contains" text filters whose wildcards are the user's own characters. Dates are
//! [`crate::dates::DateRange`].

use sqlx::{Postgres, QueryBuilder};

use crate::error::AppError;
use crate::model::{CurrentUser, Role};

/// The organization a report reads for the caller: admins the one they ask for, or all (`None`);
/// everyone else their own. Asking for another organization is `Forbidden`; a report that shows
/// nothing instead turns that error into an empty result.
pub fn organization(
    user: &CurrentUser,
    requested: Option<&str>,
) -> Result<Option<String>, AppError> {
    match requested {
        _ if user.role == Role::Admin => Ok(requested.map(str::to_string)),
        Some(asked) if asked != user.organization => Err(AppError::Forbidden),
        _ => Ok(Some(user.organization.clone())),
    }
}

/// `text` for `ilike '%' || $1 || '%'`: `\`, `%` and `_` matched as themselves.
pub fn like_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Pushes ` and column ilike '%text%'` (any case, the text taken literally) when `text` is set.
pub fn push_contains(
    sql: &mut QueryBuilder<'static, Postgres>,
    column: &str,
    text: &Option<String>,
) {
    if let Some(text) = text {
        sql.push(format_args!(" and {column} ilike '%' || "))
            .push_bind(like_escaped(text))
            .push(" || '%'");
    }
}

/// A signed-in user of organization "Sales" with `role`, for the reports' scope tests.
#[cfg(test)]
pub(crate) fn test_user(role: Role) -> CurrentUser {
    CurrentUser {
        user_id: 1,
        username: "sam".into(),
        display_name: "Sam".into(),
        role,
        team: String::new(),
        organization_id: 1,
        organization: "Sales".into(),
        must_change_password: false,
        must_enrol_two_factor: false,
        api_client: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use test_user as user;

    #[test]
    fn admins_read_any_or_all_and_others_their_own() {
        let admin = user(Role::Admin);
        assert_eq!(organization(&admin, None), Ok(None));
        assert_eq!(organization(&admin, Some("Debt")), Ok(Some("Debt".into())));
        for role in [Role::Supervisor, Role::Manager] {
            let own = user(role);
            assert_eq!(organization(&own, None), Ok(Some("Sales".into())));
            assert_eq!(organization(&own, Some("Sales")), Ok(Some("Sales".into())));
            assert_eq!(organization(&own, Some("Debt")), Err(AppError::Forbidden));
        }
    }

    #[test]
    fn wildcards_in_the_text_match_themselves() {
        assert_eq!(like_escaped("50%_off\\x"), "50\\%\\_off\\\\x");
        assert_eq!(like_escaped("Sales"), "Sales");
    }
}
