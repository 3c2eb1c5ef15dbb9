//! Administration pages (admins only): users (`/admin/users`, `/admin/users/:id`), teams and
//! organizations (`/admin/teams`), campaign and agent mappings (`/admin/mappings`), the right to
//! erasure (`/admin/erasure`), call-data ingestion (`/admin/call-data`), who reads which report
//! (`/admin/report-access`), the automation API's clients (`/admin/api-clients`) and their
//! webhooks (`/admin/webhooks`), completion-code rules (`/admin/completion-rules`), and the
//! settings (`/admin/settings`). Forms send through server
//! functions and show the server's message next to the field it names.

mod api_client_form;
mod api_clients;
mod call_data;
mod completion_rule_form;
mod completion_rules;
mod create_user;
mod credential;
mod erasure;
mod erasure_form;
mod mapping_import;
mod mappings;
mod organizations;
mod report_access;
mod settings;
mod sign_in_policy;
mod teams;
mod user;
mod user_actions;
mod users;
mod webhook_form;
mod webhooks;

pub use api_clients::AdminApiClientsPage;
pub use call_data::AdminCallDataPage;
pub use completion_rules::AdminCompletionRulesPage;
pub use erasure::AdminErasurePage;
pub use mappings::AdminMappingsPage;
pub use report_access::AdminReportAccessPage;
pub use settings::AdminSettingsPage;
pub use teams::AdminTeamsPage;
pub use user::AdminUserPage;
pub use users::AdminUsersPage;
pub use webhooks::AdminWebhooksPage;
