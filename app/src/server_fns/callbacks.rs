//! The callback dashboard: a page of callbacks (report kit), the counts per section, type and
//! state, and a callback scheduled through POM. Managers read; supervisors and admins schedule.
//! (Functions returning a model type are named `get_*`: Leptos names each function's argument
//! struct after the function, which must not collide with the type.)

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    CallbackCounts, CallbackFilters, CallbackRow, CallbackScheduleForm, ScheduledCallback,
};
use types::report::{Page, ReportRequest};

/// A page of callbacks, due first.
#[server(endpoint = "callbacks/board", input = server_fn::codec::Json)]
pub async fn callback_board(
    request: ReportRequest<CallbackFilters>,
) -> Result<Page<CallbackRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::callbacks::board::CallbackBoard;
    use domain::report::{page, Report};
    let ctx = guard::require(AuditAction::CallbacksRead, CallbackBoard::ROLES).await?;
    page::<CallbackBoard>(&ctx, &request).await
}

/// How many callbacks stand in each section, of each type and in each state, now.
#[server(endpoint = "callbacks/counts")]
pub async fn get_callback_counts(organization: Option<String>) -> Result<CallbackCounts, AppError> {
    use crate::guard;
    use crate::model::{AuditAction, Role};
    let ctx = guard::require(AuditAction::CallbacksRead, &Role::ALL).await?;
    domain::callbacks::counts::counts(&ctx, organization.as_deref()).await
}

/// Schedules a callback for a contact through POM's `ScheduleCallBack`.
#[server(endpoint = "callbacks/schedule", input = server_fn::codec::Json)]
pub async fn schedule_callback(form: CallbackScheduleForm) -> Result<ScheduledCallback, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::callbacks::schedule;
    let ctx = guard::require(AuditAction::CallbackSchedule, &schedule::ROLES).await?;
    schedule::schedule(&ctx, &form).await
}
