//! The floor's figures as one reader may see them: the figures of a report an admin closed to
//! the reader's role (`report_access`) are blanked, as the report itself would be refused. Which
//! reports are closed to which role is read once per working-out, so serving a reader (a page or
//! every look of a stream) needs no query.

use sqlx::PgPool;

use crate::error::AppError;
use crate::model::{FloorNow, Role};
use crate::report::access::roles;

/// The reports behind the day's figures, by access key.
pub const BEHIND_TODAY: [&str; 3] = ["call_attempts", "compliance", "sales"];

/// For supervisors and managers, the reports of [`BEHIND_TODAY`] closed to them. The three
/// reports' own default roles are every role.
pub async fn closed_by_role(pool: &PgPool) -> Result<Vec<(Role, Vec<String>)>, AppError> {
    let mut open = Vec::new();
    for key in BEHIND_TODAY {
        open.push((key, roles(pool, key, &Role::ALL).await?));
    }
    Ok([Role::Supervisor, Role::Manager]
        .into_iter()
        .map(|role| {
            let closed = open
                .iter()
                .filter(|(_, roles)| !roles.contains(&role))
                .map(|(key, _)| key.to_string())
                .collect();
            (role, closed)
        })
        .collect())
}

/// `figures` as `role` may see them.
pub fn for_reader(figures: &FloorNow, role: Role) -> FloorNow {
    let mut shown = figures.clone();
    shown.closed_by_role = Vec::new();
    if role == Role::Admin {
        return shown;
    }
    let closed = figures
        .closed_by_role
        .iter()
        .find(|(r, _)| *r == role)
        .map(|(_, keys)| keys.clone())
        .unwrap_or_else(|| BEHIND_TODAY.map(str::to_string).to_vec());
    let Some(today) = shown.today.as_mut() else {
        return shown;
    };
    for key in &closed {
        match key.as_str() {
            "call_attempts" => {
                (today.attempts, today.connects, today.live_answers) = (0, 0, 0);
                today.by_quarter.points.clear();
                today.results.points.clear();
            }
            "compliance" => today.abandon_rate = None,
            "sales" => today.sales = 0,
            _ => {}
        }
    }
    today.closed = closed;
    shown
}
