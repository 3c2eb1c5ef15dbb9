//! Reusable view pieces: the signed-in layout, the session warning, status, DNC, upload and
//! campaign job state badges, pagers, and job progress with its live events.

pub mod campaign_state;
pub mod campaign_table;
pub mod date_filter;
pub mod dnc_state;
pub mod job_events;
pub mod job_progress;
pub mod layout;
pub mod page_links;
pub mod pager;
pub mod session_warning;
pub mod sort_order;
pub mod status_badge;
pub mod upload_state;
