//! Administration in the browser: the user list (a report), the forms that create and change
//! users, teams and organizations, and the credentials shown once.

use serde::{Deserialize, Serialize};

use super::Role;
use crate::report::{empty_as_none, Column, ReportRow, UrlQuery};

/// Filters of the user list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UserFilters {
    /// User or display name contains.
    #[serde(deserialize_with = "empty_as_none")]
    pub name: Option<String>,
    /// `admin`, `supervisor` or `manager`.
    #[serde(deserialize_with = "empty_as_none")]
    pub role: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub team: Option<String>,
    #[serde(deserialize_with = "empty_as_none")]
    pub organization: Option<String>,
    /// `yes` (active) or `no` (disabled).
    #[serde(deserialize_with = "empty_as_none")]
    pub active: Option<String>,
    /// Last signed in on or after this day (`YYYY-MM-DD`); `never` for users who never did.
    #[serde(deserialize_with = "empty_as_none")]
    pub signed_in: Option<String>,
}

impl UrlQuery for UserFilters {}

/// One user in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: String,
    pub organization: String,
    pub active: bool,
    /// Signs in with a one-time password or a link and must choose a password first.
    pub must_change_password: bool,
    pub last_sign_in: Option<String>,
    pub open_sessions: i64,
    pub created_at: String,
}

impl ReportRow for UserRow {
    fn columns() -> &'static [Column<Self>] {
        const {
            &[
                Column::new("username", "User name", |r| r.username.clone()),
                Column::new("display_name", "Name", |r| r.display_name.clone()),
                Column::<Self>::new("role", "Role", |r| r.role.as_str().to_string())
                    .for_people_as(|r| r.role.label().to_string()),
                Column::new("team", "Team", |r| r.team.clone()),
                Column::new("organization", "Organization", |r| r.organization.clone()),
                Column::<Self>::new("active", "Active", |r| r.active.to_string())
                    .for_people_as(|r| if r.active { "Active" } else { "Disabled" }.into()),
                Column::new("last_sign_in", "Last sign-in (UTC)", |r| {
                    r.last_sign_in.clone().unwrap_or_default()
                }),
                Column::new("open_sessions", "Open sessions", |r| {
                    r.open_sessions.to_string()
                }),
                Column::new("created_at", "Created (UTC)", |r| r.created_at.clone()),
            ]
        }
    }
}

/// How a new or reset user gets their first password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordDelivery {
    /// A generated password, shown once to the admin, to be changed at the first sign-in.
    #[default]
    OneTimePassword,
    /// A link the user opens (within a day, once) to choose their password.
    Link,
}

/// The create-user form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUserForm {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: i64,
    pub delivery: PasswordDelivery,
}

/// The edit-user form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEdit {
    pub user_id: i64,
    pub display_name: String,
    pub role: Role,
    pub team_id: i64,
}

/// A change of some of a user's fields (the API's `PATCH`); those left `None` keep the value the
/// change finds under its lock, so a field nobody asked to change is never written back stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPatch {
    pub user_id: i64,
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub team_id: Option<i64>,
}

impl From<&UserEdit> for UserPatch {
    fn from(edit: &UserEdit) -> Self {
        UserPatch {
            user_id: edit.user_id,
            display_name: Some(edit.display_name.clone()),
            role: Some(edit.role),
            team_id: Some(edit.team_id),
        }
    }
}

/// A password or link shown once, right after it was made; never stored in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub username: String,
    pub one_time_password: Option<String>,
    /// The path of the set-password link (`/account/set-password?token=…`).
    pub link: Option<String>,
    pub expires_at: Option<String>,
}

/// A user with what the admin page shows beside the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub user: UserRow,
    pub team_id: i64,
    pub is_demo: bool,
    pub password_changed_at: Option<String>,
    /// Signs in with a code from an authenticator app.
    pub two_factor: bool,
}

/// A team in the teams list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRow {
    pub team_id: i64,
    pub name: String,
    pub organization_id: i64,
    pub organization: String,
    pub users: i64,
    pub active: bool,
}

/// An organization in the organizations list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationRow {
    pub organization_id: i64,
    pub name: String,
    pub teams: i64,
    pub users: i64,
    pub active: bool,
}

/// Teams and organizations, for the admin pages and the user forms' choices.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Directory {
    pub organizations: Vec<OrganizationRow>,
    pub teams: Vec<TeamRow>,
}

/// What moving a team to another organization changes, shown before it is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMove {
    pub team: String,
    pub from: String,
    pub to: String,
    /// Users who will see the other organization's lists, campaigns and reports from then on.
    pub users: Vec<String>,
    /// Their open sessions, ended by the move so nobody keeps the old organization's view.
    pub open_sessions: i64,
}

/// The caller's two-factor sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TwoFactorStatus {
    pub enabled: bool,
    /// Their role must use it (they cannot turn it off).
    pub required: bool,
    pub recovery_codes_left: i64,
}

/// What an authenticator app needs to enrol: the secret typed or scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorSetup {
    /// Base32, as apps accept it typed.
    pub secret: String,
    pub uri: String,
    /// The QR code of `uri`, an SVG image drawn on the server.
    pub qr_svg: String,
}

/// Who must sign in with a second factor.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SignInPolicy {
    pub two_factor_roles: Vec<Role>,
}

/// A team named in a mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRef {
    pub team_id: i64,
    pub name: String,
}

/// A POM campaign, its contact lists, its organization and the teams that work it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignMapping {
    pub organization: String,
    pub campaign: String,
    pub lists: Vec<String>,
    pub teams: Vec<TeamRef>,
    /// False: mapped in OCM, but POM no longer lists the campaign.
    pub in_pom: bool,
}

/// An agent's team over a period (`valid_to` exclusive; none: still).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentMapping {
    pub agent_team_id: i64,
    pub agent_id: String,
    pub team_id: i64,
    pub team: String,
    pub organization: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    pub valid_to: Option<String>,
}

/// The mappings screen.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Mappings {
    pub campaigns: Vec<CampaignMapping>,
    pub agents: Vec<AgentMapping>,
    /// POM could not be read for these organizations (the message says why).
    pub pom_problems: Vec<String>,
}

/// What a mappings CSV import found (and, once applied, did).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MappingImport {
    pub rows: usize,
    /// `row N, column C: problem` for every refused row; nothing is applied while any exists.
    pub problems: Vec<String>,
    pub applied: bool,
}

/// Who reads one report besides admins (the report access page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportAccessRow {
    /// The report's key (`call_attempts`).
    pub report: String,
    pub name: String,
    pub supervisor: bool,
    pub manager: bool,
    /// Who last chose, and when (RFC 3339); none while the report keeps its default.
    pub changed_by: Option<String>,
    pub changed_at: Option<String>,
}
