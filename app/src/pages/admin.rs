//! Administration pages (admins only): users (`/admin/users`, `/admin/users/:id`) and teams and
//! organizations (`/admin/teams`). Forms send through server functions and show the server's
//! message next to the field it names.

mod create_user;
mod credential;
mod organizations;
mod teams;
mod user;
mod user_actions;
mod users;

pub use teams::AdminTeamsPage;
pub use user::AdminUserPage;
pub use users::AdminUsersPage;
