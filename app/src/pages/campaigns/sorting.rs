//! The board's rows as the table shows them (words, ages, the actions on offer), their order, and
//! the URL that reproduces a view (`/campaigns?org=…&sort=…`).

use crate::components::campaign_state::{age_at, epoch_seconds};
use crate::components::format::short_time;
use crate::model::{percent_encode, CampaignBoard, JobAction};

/// A sortable column of the campaigns table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Kind,
    Finite,
    Job,
    State,
    Since,
    Started,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Name,
        Column::Kind,
        Column::Finite,
        Column::Job,
        Column::State,
        Column::Since,
        Column::Started,
    ];

    /// The name in the URL (`?sort=-since`).
    pub fn key(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Kind => "type",
            Column::Finite => "finite",
            Column::Job => "job",
            Column::State => "state",
            Column::Since => "since",
            Column::Started => "started",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Name => "Campaign",
            Column::Kind => "Type",
            Column::Finite => "Finite",
            Column::Job => "Job",
            Column::State => "State",
            Column::Since => "Since",
            Column::Started => "Started by",
        }
    }
}

/// The table's order (the shared sort order over this table's columns).
pub type Sort = crate::components::sort_order::Sort<Column>;

impl crate::components::sort_order::SortColumn for Column {
    const ALL: &'static [Column] = &Column::ALL;
    const DEFAULT: Column = Column::Name;

    fn key(self) -> &'static str {
        Column::key(self)
    }
}

/// One campaign as the table shows it. Everything the row displays is in here, so a row whose
/// view is unchanged keeps its place (and the keyboard focus) when a new board arrives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowView {
    pub name: String,
    pub kind: String,
    pub finite: String,
    pub lists: String,
    pub job_id: Option<i64>,
    /// POM's state name, empty without a job.
    pub state: String,
    pub since: String,
    /// The absolute time behind `since`, for its tooltip.
    pub since_at: String,
    since_seconds: Option<i64>,
    pub started_by: Option<String>,
    pub started_at: String,
    pub can_start: bool,
    pub actions: Vec<JobAction>,
}

/// The board's rows in `sort` order; ages are counted up to the board's read time.
pub fn view_rows(board: &CampaignBoard, sort: Sort) -> Vec<RowView> {
    let read_at = board.read_at.as_deref().and_then(epoch_seconds);
    let mut rows: Vec<RowView> = board
        .campaigns
        .iter()
        .map(|row| {
            let job = row.job.as_ref();
            let state_since = job.and_then(|j| j.state_since.as_deref());
            let since = match (state_since, read_at) {
                (Some(since), Some(read_at)) => age_at(since, read_at),
                (Some(since), None) => Some(short_time(since)),
                _ => None,
            };
            RowView {
                name: row.name.clone(),
                kind: row.kind.clone().unwrap_or_else(|| "—".into()),
                finite: match row.finite {
                    Some(true) => "Finite",
                    Some(false) => "Infinite",
                    None => "—",
                }
                .into(),
                lists: row.lists.join(", "),
                job_id: job.map(|j| j.job_id),
                state: job.map(|j| j.state.clone()).unwrap_or_default(),
                since: since.unwrap_or_else(|| "—".into()),
                since_at: state_since
                    .map(|s| format!("Since {} UTC", short_time(s)))
                    .unwrap_or_default(),
                since_seconds: state_since.and_then(epoch_seconds),
                started_by: job
                    .and_then(|j| j.started.as_ref())
                    .map(|s| s.username.clone()),
                started_at: job
                    .and_then(|j| j.started.as_ref())
                    .map(|s| match s.scheduled {
                        true => format!("scheduled {}", short_time(&s.at)),
                        false => short_time(&s.at),
                    })
                    .unwrap_or_default(),
                can_start: row.can_start(),
                actions: job
                    .map(|j| JobAction::valid_for(&j.state))
                    .unwrap_or_default(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let order = match sort.column {
            Column::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            Column::Kind => a.kind.cmp(&b.kind),
            Column::Finite => a.finite.cmp(&b.finite),
            Column::Job => a.job_id.cmp(&b.job_id),
            Column::State => a.state.cmp(&b.state),
            // Ascending by age: the most recent change first, campaigns without a job last.
            Column::Since => b.since_seconds.cmp(&a.since_seconds),
            Column::Started => (&a.started_by, &a.started_at).cmp(&(&b.started_by, &b.started_at)),
        };
        // Ties keep a stable, readable order.
        let order = order.then_with(|| a.name.cmp(&b.name));
        if sort.descending {
            order.reverse()
        } else {
            order
        }
    });
    rows
}

/// `/campaigns?org=…&sort=…`, leaving out defaults.
pub fn campaigns_href(organization: Option<&str>, sort: Sort) -> String {
    let mut pairs = Vec::new();
    if let Some(organization) = organization.filter(|o| !o.is_empty()) {
        pairs.push(format!("org={}", percent_encode(organization)));
    }
    if sort != Sort::parse("") {
        pairs.push(format!("sort={}", sort.key()));
    }
    if pairs.is_empty() {
        "/campaigns".into()
    } else {
        format!("/campaigns?{}", pairs.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActionStamp, CampaignJob, CampaignRow};

    fn row(name: &str, job: Option<(i64, &str, &str)>) -> CampaignRow {
        CampaignRow {
            name: name.into(),
            kind: Some("predictive".into()),
            finite: Some(true),
            lists: vec!["A".into(), "B".into()],
            job: job.map(|(job_id, state, since)| CampaignJob {
                job_id,
                state: state.into(),
                state_since: Some(since.into()),
                started: Some(ActionStamp {
                    username: "sam".into(),
                    at: "2026-11-20T09:00:00Z".into(),
                    scheduled: false,
                }),
            }),
        }
    }

    fn board() -> CampaignBoard {
        CampaignBoard {
            organization: "Sales".into(),
            campaigns: vec![
                row("Beta", Some((7, "JOB_ACTIVE", "2026-11-20T10:00:00Z"))),
                row("alpha", None),
                row("Gamma", Some((9, "JOB_PAUSED", "2026-11-20T10:10:00Z"))),
            ],
            read_at: Some("2026-11-20T10:12:30Z".into()),
            pom_problem: None,
            can_act: true,
            organizations: vec!["Sales".into()],
            actions_mark: (0, 0),
        }
    }

    #[test]
    fn rows_read_as_words_with_ages_and_actions() {
        let rows = view_rows(&board(), Sort::parse(""));
        let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["alpha", "Beta", "Gamma"]);
        let beta = &rows[1];
        assert_eq!(beta.since, "12 min");
        assert_eq!(beta.lists, "A, B");
        assert_eq!(beta.finite, "Finite");
        assert!(!beta.can_start);
        assert_eq!(beta.actions, [JobAction::Pause, JobAction::Stop]);
        assert!(rows[0].can_start);
        assert_eq!(rows[0].since, "—");
        assert!(rows[0].actions.is_empty());
    }

    #[test]
    fn sorting_by_age_puts_the_newest_change_first() {
        let names: Vec<_> = view_rows(&board(), Sort::parse("since"))
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(names, ["Gamma", "Beta", "alpha"]);
        let sort = Sort::parse("-job");
        assert_eq!(view_rows(&board(), sort)[0].name, "Gamma");
        assert_eq!(sort.toggled(Column::Job).key(), "job");
        assert_eq!(sort.aria(Column::Job), Some("descending"));
    }

    #[test]
    fn links_leave_out_defaults() {
        assert_eq!(campaigns_href(None, Sort::parse("name")), "/campaigns");
        assert_eq!(
            campaigns_href(Some("Sales & Co"), Sort::parse("-state")),
            "/campaigns?org=Sales%20%26%20Co&sort=-state"
        );
    }
}
