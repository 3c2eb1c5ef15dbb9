//! Data shared by the browser and the server: users and roles, system status, audit rows, jobs,
//! contact lists, purges, DNC, campaigns and contact uploads.

#[macro_use]
mod stored_text;

mod abandon_reports;
mod admin;
mod agent_time;
mod api;
mod audit;
mod audit_action;
mod call_attempts;
mod call_data;
mod callbacks;
mod campaigns;
mod code_lists;
mod completion_rules;
mod dnc;
mod dnc_report;
mod erasure;
mod export_runs;
mod export_schedules;
mod floor;
mod freshness;
mod inbound_abandoned;
mod job_summary;
mod jobs;
mod lists;
mod not_attempted;
mod not_listed;
mod purge;
mod purge_history;
mod purge_rules;
mod recalls;
mod sales_report;
mod status;
mod upload_history;
mod uploads;
mod user;
mod webhooks;

pub use abandon_reports::{
    percent_text, AbandonFilters, AbandonPeriod, ComplianceDayRow, ComplianceOverview,
    NuisanceDayRow,
};
pub use admin::{
    AgentMapping, CampaignMapping, Credential, Directory, MappingImport, Mappings, NewUserForm,
    OrganizationRow, PasswordDelivery, ReportAccessRow, SignInPolicy, TeamMove, TeamRef, TeamRow,
    TwoFactorSetup, TwoFactorStatus, UserDetail, UserEdit, UserFilters, UserPatch, UserRow,
};
pub use agent_time::{AgentTimeFilters, AgentTimeRow, CampaignType};
pub use api::{ApiClientRow, ApiClientsView, ApiScope, IssuedSecret, NewApiClient};
pub use audit::{
    ArchivedMonth, AuditEventRow, AuditFilters, AuditReportPage, AuditRetention, SortOrder,
};
pub use audit_action::AuditAction;
pub use call_attempts::{CallAttemptFilters, CallAttemptRow, CallResult};
pub use call_data::{CallDataKindCount, CallDataProblem, CallDataSource, CallDataStatus};
pub use callbacks::{
    CallbackCounts, CallbackFilters, CallbackRow, CallbackScheduleForm, CallbackSection,
    CallbackType, ScheduledCallback, OPEN_STATES,
};
pub use campaigns::{
    job_is_open, job_state_label, ActionOutcome, ActionStamp, CampaignActionLine, CampaignBoard,
    CampaignJob, CampaignOverview, CampaignRow, EmergencyBanner, EmergencyMode, EmergencyNotices,
    EmergencyStopReport, JobAction, OpenJobLine, ScheduleOptions, ScheduledStart, StopOutcome,
    EMERGENCY_PHRASE,
};
pub use code_lists::{CodeList, CodeListFilters, CodeListRow};
pub use completion_rules::{
    ApplicationState, CompletionRuleRow, CompletionRulesView, NewCompletionRule, RuleAction,
    RuleApplicationFilters, RuleApplicationRow, RuleCampaign,
};
pub use dnc::{
    DncActionResult, DncCheck, DncMode, DncTargets, DncUploadRow, DncUploadView, PreflightOptions,
    ReasonCount, SampleRow,
};
pub use dnc_report::{
    DncAction, DncEntryRow, DncEntryState, DncReportFilters, DncSource, DncSourceFilter,
};
pub use erasure::{
    ErasureFilters, ErasureListHits, ErasurePlan, ErasureRequest, ErasureRow, ErasureStoreCount,
};
pub use export_runs::{
    filter_value, schedulable, schedule_link, DeliveryKind, DeliveryState, DeliveryView,
    ExportFormat, ExportProblems, ExportRunView, ExportScheduleView, ExportSchedulesPage,
    NewExportSchedule, RunState, RunTrigger, Schedulable, SCHEDULABLE,
};
pub use export_schedules::{schedule_in_words, MonthDay, Period, PeriodDays, Recurrence, Repeat};
pub use floor::{
    AgentsInState, FloorDay, FloorNow, IdleCampaign, IdleCause, IdleReason, JobNow, FEW_ATTEMPTS,
};
pub use freshness::{FigureSource, SourceBehind};
pub use inbound_abandoned::{InboundAbandonRow, InboundFilters};
pub use job_summary::{JobSummaryFilters, JobSummaryRow};
pub use jobs::{JobKind, JobState, JobView};
pub use lists::{ContactListRow, ContactSearchQuery, ContactsPage};
pub use not_attempted::{NotAttemptedFilters, NotAttemptedRow, SkipReason};
pub use not_listed::{NotListedFilters, NotListedRow, NotListedStage};
pub use purge::{
    AttributeInfo, AttributeKind, CampaignCount, DryRun, FieldProblem, Operator, PurgeFailure,
    PurgeRequest, PurgeRunDetail, PurgeRunRow, PurgeStart, SnapshotContact, SnapshotPage,
};
pub use purge_history::{PurgeHistoryFilters, PurgeHistoryLine};
pub use purge_rules::{parse_date, parse_number, validate as validate_purge};
pub use recalls::{CallbackState, RecallFilters, RecallRow, ON_TIME_GRACE_SECONDS};
pub use sales_report::{money, SalesFilters, SalesRow};
pub use status::{ComponentState, ComponentStatus, ConfigLine, SettingsView, SystemStatus};
pub use upload_history::{UploadHistoryFilters, UploadHistoryRow, UploadState};
pub use uploads::UploadPart;
pub use uploads::{
    date_format_options, ColumnMapping, ContactSampleRow, DataSourceInput, DataSourceRow,
    DateFormatOption, ImportCounters, UploadChoices, UploadPreflight, UploadTarget, UploadView,
};
pub use user::{throttled_message, CurrentUser, Me, Role, SessionTiming, MIN_PASSWORD_LEN};
pub use webhooks::{
    event_kind_allowed, IssuedWebhookSecret, NewWebhook, WebhookDeliveryRow, WebhookRow,
    WebhooksView, EVENT_KINDS,
};

/// Percent-encodes a query-string value (everything but RFC 3986 unreserved characters).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
