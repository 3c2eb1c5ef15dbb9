//! Reusable view pieces: the signed-in layout, the session warning, status, DNC, upload and
//! campaign job state badges, pagers, job progress with its live events, the report kit (one
//! page for every list with filters) and the shared text helpers.

pub mod campaign_state;
pub mod campaign_table;
pub mod chart;
pub mod date_filter;
pub mod dnc_state;
pub mod emergency_notice;
#[cfg(feature = "hydrate")]
pub mod event_channel;
pub mod file_text;
pub mod form_note;
pub mod format;
pub mod job_events;
pub mod job_progress;
pub mod layout;
pub mod load_error;
pub mod metrics_panel;
pub mod page_links;
pub mod pager;
/// The report kit's parts, put together by `report_page`.
pub mod report {
    pub mod fields;
    pub mod form;
    pub mod pager;
    pub mod table;
}
pub mod report_page;
pub mod session_warning;
pub mod sort_order;
pub mod source_behind;
pub mod status_badge;
pub mod upload_state;
