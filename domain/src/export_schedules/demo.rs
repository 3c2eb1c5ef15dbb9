//! The demo's scheduled exports, so the schedules page means something minutes after `make run`:
//! the demo manager's weekly Call Attempt report of human answers as Excel, and the demo
//! supervisor's hourly CSV of today's attempts whose first run comes two minutes after start
//! (the demo has been dialling by then). Made once: a database with any schedule keeps its own.

use jiff::Timestamp;
use serde_json::json;
use sqlx::PgPool;

use super::{recurrence, to_offset};
use crate::error::AppError;
use crate::model::{MonthDay, Recurrence, Repeat};

/// Creates the demo schedules unless any schedule exists.
pub async fn seed(pool: &PgPool, time_zone: &str) -> Result<(), AppError> {
    let any = sqlx::query_scalar!("select exists (select 1 from export_schedule) as \"any!\"")
        .fetch_one(pool)
        .await?;
    if any {
        return Ok(());
    }
    let hours: Vec<String> = (0..24).map(|h| format!("{h:02}:00")).collect();
    let weekly = Recurrence {
        repeat: Repeat::Weekly { weekdays: vec![1] },
        times: vec!["07:00".into()],
        time_zone: time_zone.into(),
    };
    let hourly = Recurrence {
        repeat: Repeat::Daily,
        times: hours,
        time_zone: time_zone.into(),
    };
    let monthly = Recurrence {
        repeat: Repeat::Monthly {
            day: MonthDay::Day(1),
        },
        times: vec!["06:00".into()],
        time_zone: time_zone.into(),
    };
    let soon = to_offset(Timestamp::now() + jiff::SignedDuration::from_secs(120))?;
    let schedules = [
        (
            "manager",
            "Weekly human answers",
            "call-attempts",
            "result=answer_human",
            "xlsx",
            &weekly,
            json!({ "period": "previous_week" }),
            None,
        ),
        (
            "supervisor",
            "Hourly attempts so far",
            "call-attempts",
            "",
            "csv",
            &hourly,
            json!({ "period": "today_so_far" }),
            Some(soon),
        ),
        (
            "manager",
            "Monthly compliance",
            "compliance",
            "",
            "xlsx",
            &monthly,
            json!({ "period": "previous_month" }),
            None,
        ),
    ];
    for (owner, name, report, filters, format, recurrence, period, first) in schedules {
        let next = match first {
            Some(first) => Some(first),
            None => recurrence::plan(recurrence)?
                .next_after(Timestamp::now())
                .map(to_offset)
                .transpose()?,
        };
        let recurrence =
            serde_json::to_value(recurrence).map_err(|e| crate::error::internal(&e))?;
        sqlx::query!(
            r#"insert into export_schedule
                   (organization, name, report, filters, format, recurrence, period, file_name,
                    owner_id, next_run_at)
               select o.name, $2, $3, $4, $5, $6, $7, '{report}-{from}-{to}', u.app_user_id, $8
               from app_user u join team t using (team_id) join organization o using (organization_id)
               where u.username = $1"#,
            owner,
            name,
            report,
            filters,
            format,
            recurrence,
            period,
            next,
        )
        .execute(pool)
        .await?;
    }
    Ok(())
}
