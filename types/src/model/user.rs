//! Roles, the signed-in user and session timing.

use serde::{Deserialize, Serialize};

/// Shortest password OCM accepts (the pages say it; the server enforces it).
pub const MIN_PASSWORD_LEN: usize = 12;

/// What a user may do. Admins see every organization; the others only their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Supervisor,
    Manager,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 3] = [Role::Admin, Role::Supervisor, Role::Manager];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Manager => "manager",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Supervisor => "Supervisor",
            Role::Manager => "Telesales manager",
        }
    }

    /// Parses the stored name.
    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }

    /// Who may read the audit log: admins (everything) and supervisors (their organization).
    pub fn can_read_audit(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }

    /// Who may see contact lists, purge and restore: admins and supervisors.
    pub fn can_manage_lists(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }
}

/// The signed-in user as the server knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: String,
    pub organization_id: i64,
    pub organization: String,
    /// Signed in with a one-time password: must choose a password before anything else.
    #[serde(default)]
    pub must_change_password: bool,
    /// Their role must sign in with a second factor and they have not set one up yet.
    #[serde(default)]
    pub must_enrol_two_factor: bool,
    /// Set when the caller is an automation API client acting with this role (its name): such a
    /// caller is no stored user, so `user_id` is 0 and [`CurrentUser::stored_id`] is none.
    #[serde(default)]
    pub api_client: Option<String>,
}

impl CurrentUser {
    /// The user's row id, for the `created_by`/`requested_by` columns; none for an API client
    /// (its name goes in the `…_name` column beside it).
    pub fn stored_id(&self) -> Option<i64> {
        self.api_client.is_none().then_some(self.user_id)
    }

    /// Whether this user may see data of the named organization.
    pub fn may_see_organization(&self, organization: &str) -> bool {
        self.role == Role::Admin || self.organization == organization
    }
}

/// Inactivity timing the browser needs to warn before the session ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTiming {
    pub idle_timeout_secs: u64,
    pub warning_secs: u64,
    pub remaining_secs: u64,
}

/// What the page shell needs: who is signed in and how the session is timed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user: CurrentUser,
    pub session: SessionTiming,
    pub demo_mode: bool,
}

/// What a person sees when sign-in is blocked for `minutes`.
pub fn throttled_message(minutes: u64) -> String {
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!(
        "Too many failed sign-in attempts. Sign-in is blocked for this account and address for \
         {minutes} {unit}. Wait, then try again, or ask an admin to check the account."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_admin_sees_other_organizations() {
        let mut user = CurrentUser {
            user_id: 1,
            username: "sam".into(),
            display_name: "Sam".into(),
            role: Role::Supervisor,
            team: "Sales team".into(),
            organization_id: 1,
            organization: "Sales".into(),
            must_change_password: false,
            must_enrol_two_factor: false,
            api_client: None,
        };
        assert!(user.may_see_organization("Sales"));
        assert!(!user.may_see_organization("Collections"));
        user.role = Role::Admin;
        assert!(user.may_see_organization("Collections"));
    }
}
