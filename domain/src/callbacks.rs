//! Callbacks as the supervisor's dashboard and the API see them (seed 001 "POM Callback
//! Dashboard"): each callback from the call-data store with where it stands now — overdue, due in
//! the next hour, later today (report time zone), later, or ended today — read as a report of the
//! kit (`board.rs`) with its counts (`counts.rs`); and a callback scheduled through POM's
//! `ScheduleCallBack` (`form.rs` checks the form, `schedule.rs` asks POM); the counts followed
//! live, once per organization per second (`live.rs`).

pub mod board;
pub mod counts;
pub mod form;
pub mod live;
pub mod schedule;

use sqlx::{Postgres, QueryBuilder};
use time::OffsetDateTime;
use types::model::OPEN_STATES;

/// Where callbacks are read from, as of one instant.
#[derive(Debug, Clone)]
pub struct Standing {
    /// The organization (none: an admin reading every one).
    pub organization: Option<String>,
    /// The report time zone ("later today" ends at its midnight).
    pub zone: String,
    /// The instant sections are worked out for.
    pub now: OffsetDateTime,
}

/// The open states as an SQL list.
fn open_states() -> String {
    OPEN_STATES
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Pushes a subquery of every open callback and every one that ended today, each with its
/// current due time (`due_at`: the last one POM gave, created or rescheduled) and `section`, and
/// the columns `tz` and `now` in scope. Reads `report_callback` (one row per callback, by
/// organization and state) and each callback's creation by its id.
pub fn push_standing(standing: &Standing, sql: &mut QueryBuilder<'static, Postgres>) {
    let open = open_states();
    sql.push(
        "select c.row_id, c.callback_id, c.callback_type, c.session_id is not null as on_call, \
                coalesce(c.agent_id, '') as owner, c.campaign, c.job_id, c.list_name, \
                c.user_contact_id, coalesce(c.address, '') as phone, \
                coalesce(c.notes, '') as notes, d.due as due_at, c.expires_at, \
                r.state, r.state_at, coalesce(r.agent_id, '') as agent, \
                case when r.state = 'completed' then coalesce(r.agent_id, '') else '' end \
                     as fulfilled_by, r.handed_over, z.tz, z.now, ",
    );
    sql.push(format_args!(
        "case when r.state not in ({open}) then 'ended' \
              when d.due <= z.now then 'overdue' \
              when d.due <= z.now + interval '1 hour' then 'next_hour' \
              when d.due < ((z.now at time zone z.tz)::date + 1)::timestamp at time zone z.tz \
                   then 'later_today' \
              else 'later' end as section \
         from (select "
    ));
    sql.push_bind(standing.zone.clone())
        .push("::text as tz, ")
        .push_bind(standing.now)
        .push("::timestamptz as now) z join report_callback r on ");
    sql.push(format_args!(
        "(r.state in ({open}) \
          or r.state_at >= ((z.now at time zone z.tz)::date)::timestamp at time zone z.tz)"
    ));
    if let Some(organization) = &standing.organization {
        sql.push(" and r.organization = ")
            .push_bind(organization.clone());
    }
    sql.push(
        " join callback c on c.callback_id = r.callback_id and c.organization = r.organization \
          cross join lateral (select coalesce( \
              (select e.due_at from callback_event e \
                where e.callback_id = r.callback_id and e.organization = r.organization \
                  and e.event in ('created', 'rescheduled') \
                  and e.due_at is not null \
                order by e.occurred_at desc, e.due_at desc limit 1), c.due_at) as due) d",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standing_reads_one_organization_as_of_the_instant_given() {
        let standing = Standing {
            organization: Some("Sales".into()),
            zone: "Europe/London".into(),
            now: OffsetDateTime::UNIX_EPOCH,
        };
        let mut sql = QueryBuilder::new("");
        push_standing(&standing, &mut sql);
        let text = sql.sql();
        assert!(text.contains("r.organization = $3"), "{text}");
        assert!(text.contains("'created', 'pending', 'dialled', 'rescheduled'"));
        assert!(text.contains("then 'overdue'") && text.contains("then 'later_today'"));
    }
}
