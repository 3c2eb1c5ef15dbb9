//! How far an administration change may reach: everything for admins, or for an API client of
//! one organization only that organization's users and teams and never an admin. Checked by the
//! use cases on the rows they have locked, so an admin moving the user or team at the same moment
//! cannot slip it out from under the check.

use crate::error::AppError;
use crate::model::Role;

/// The reach of one change.
#[derive(Debug, Clone, Copy)]
pub struct Within<'a>(Option<&'a str>);

impl<'a> Within<'a> {
    /// An admin's (or a client of every organization's) reach.
    pub const EVERYTHING: Within<'static> = Within(None);

    /// `Some(organization)`: a client limited to it; `None`: everything.
    pub fn organization(organization: Option<&'a str>) -> Self {
        Within(organization)
    }

    /// A team of `organization` may be changed, or a user moved into it.
    pub fn team(&self, organization: &str) -> Result<(), AppError> {
        match self.0 {
            Some(limit) if limit != organization => Err(AppError::NotFound("Team".into())),
            _ => Ok(()),
        }
    }

    /// A user of `organization` with `role` may be changed.
    pub fn user(&self, organization: &str, role: Role) -> Result<(), AppError> {
        match self.0 {
            Some(limit) if limit != organization => Err(AppError::NotFound("User".into())),
            Some(_) if role == Role::Admin => Err(AppError::Forbidden),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limited_reach_stops_at_its_organization_and_at_admins() {
        let sales = Within::organization(Some("Sales"));
        assert!(sales.team("Sales").is_ok());
        assert!(matches!(
            sales.team("Collections"),
            Err(AppError::NotFound(_))
        ));
        assert!(sales.user("Sales", Role::Supervisor).is_ok());
        assert!(matches!(
            sales.user("Collections", Role::Manager),
            Err(AppError::NotFound(_))
        ));
        assert!(matches!(
            sales.user("Sales", Role::Admin),
            Err(AppError::Forbidden)
        ));
        assert!(Within::EVERYTHING.user("Collections", Role::Admin).is_ok());
        assert!(Within::EVERYTHING.team("Collections").is_ok());
    }
}
