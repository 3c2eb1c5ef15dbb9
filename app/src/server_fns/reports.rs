//! The call-data reports: a page of each with its totals, chart and report time zone, and the
//! compliance view's periods and histogram.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    AbandonFilters, AgentTimeFilters, AgentTimeRow, CallAttemptFilters, CallAttemptRow,
    CodeListFilters, CodeListRow, ComplianceDayRow, ComplianceOverview, JobSummaryFilters,
    JobSummaryRow, NuisanceDayRow, RecallFilters, RecallRow, SalesFilters, SalesRow,
};
use crate::model::{InboundAbandonRow, InboundFilters, NotAttemptedFilters, NotAttemptedRow};
use crate::model::{NotListedFilters, NotListedRow};
use types::report::{ReportAnswer, ReportRequest};

/// A page of the Call Attempt report, newest first.
#[server(endpoint = "reports/call-attempts", input = server_fn::codec::Json)]
pub async fn call_attempts(
    request: ReportRequest<CallAttemptFilters>,
) -> Result<ReportAnswer<CallAttemptRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{answer, Report};
    use domain::reports::call_attempts::CallAttempts;
    let ctx = guard::require(AuditAction::CallAttemptReport, CallAttempts::ROLES).await?;
    answer::<CallAttempts>(&ctx, &request).await
}

/// A page of the Outbound Nuisance report, newest day first.
#[server(endpoint = "reports/nuisance", input = server_fn::codec::Json)]
pub async fn nuisance(
    request: ReportRequest<AbandonFilters>,
) -> Result<ReportAnswer<NuisanceDayRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{answer, Report};
    use domain::reports::nuisance::Nuisance;
    let ctx = guard::require(AuditAction::NuisanceReport, Nuisance::ROLES).await?;
    answer::<Nuisance>(&ctx, &request).await
}

/// A page of the compliance view's day table, newest day first.
#[server(endpoint = "reports/compliance", input = server_fn::codec::Json)]
pub async fn compliance(
    request: ReportRequest<AbandonFilters>,
) -> Result<ReportAnswer<ComplianceDayRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{answer, Report};
    use domain::reports::compliance::Compliance;
    let ctx = guard::require(AuditAction::ComplianceReport, Compliance::ROLES).await?;
    answer::<Compliance>(&ctx, &request).await
}

/// The compliance view's US periods, rolling 24 hours and connect-delay histogram.
#[server(endpoint = "reports/compliance-figures", input = server_fn::codec::Json)]
pub async fn compliance_figures(filters: AbandonFilters) -> Result<ComplianceOverview, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::Report;
    use domain::reports::compliance::Compliance;
    use domain::reports::compliance_overview::overview;
    let ctx = guard::require(AuditAction::ComplianceReport, Compliance::ROLES).await?;
    overview(&ctx, &filters).await
}

/// A page of the agent time summary, by team.
#[server(endpoint = "reports/agent-time", input = server_fn::codec::Json)]
pub async fn agent_time(
    request: ReportRequest<AgentTimeFilters>,
) -> Result<ReportAnswer<AgentTimeRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{answer, Report};
    use domain::reports::agent_time::AgentTime;
    let ctx = guard::require(AuditAction::AgentTimeReport, AgentTime::ROLES).await?;
    answer::<AgentTime>(&ctx, &request).await
}

/// A page of the job summary, newest job first.
#[server(endpoint = "reports/job-summary", input = server_fn::codec::Json)]
pub async fn job_summary(
    request: ReportRequest<JobSummaryFilters>,
) -> Result<ReportAnswer<JobSummaryRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{answer, Report};
    use domain::reports::job_summary::JobSummary;
    let ctx = guard::require(AuditAction::JobSummaryReport, JobSummary::ROLES).await?;
    answer::<JobSummary>(&ctx, &request).await
}

/// A page of the Secured/Unsecured Performance report, newest day first.
#[server(endpoint = "reports/sales", input = server_fn::codec::Json)]
pub async fn sales(
    request: ReportRequest<SalesFilters>,
) -> Result<ReportAnswer<SalesRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{answer, Report};
    use domain::reports::sales::Sales;
    let ctx = guard::require(AuditAction::SalesReport, Sales::ROLES).await?;
    answer::<Sales>(&ctx, &request).await
}

/// A page of the NSP List or NTC report, newest first.
#[server(endpoint = "reports/codes", input = server_fn::codec::Json)]
pub async fn code_lists(
    request: ReportRequest<CodeListFilters>,
) -> Result<ReportAnswer<CodeListRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{answer, Report};
    use domain::reports::code_lists::CodeLists;
    let ctx = guard::require(AuditAction::CodeListReport, CodeLists::ROLES).await?;
    answer::<CodeLists>(&ctx, &request).await
}

/// A page of the Agent Owned Recalls report, newest first.
#[server(endpoint = "reports/recalls", input = server_fn::codec::Json)]
pub async fn recalls(
    request: ReportRequest<RecallFilters>,
) -> Result<ReportAnswer<RecallRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{answer, Report};
    use domain::reports::recalls::Recalls;
    let ctx = guard::require(AuditAction::RecallReport, Recalls::ROLES).await?;
    answer::<Recalls>(&ctx, &request).await
}

/// A page of the Inbound Abandoned report, newest first.
#[server(endpoint = "reports/inbound-abandoned", input = server_fn::codec::Json)]
pub async fn inbound_abandoned(
    request: ReportRequest<InboundFilters>,
) -> Result<ReportAnswer<InboundAbandonRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{answer, Report};
    use domain::reports::inbound_abandoned::InboundAbandoned;
    let ctx = guard::require(AuditAction::InboundAbandonReport, InboundAbandoned::ROLES).await?;
    answer::<InboundAbandoned>(&ctx, &request).await
}

/// A page of the List Accounts Not Attempted report, newest first.
#[server(endpoint = "reports/not-attempted", input = server_fn::codec::Json)]
pub async fn not_attempted(
    request: ReportRequest<NotAttemptedFilters>,
) -> Result<ReportAnswer<NotAttemptedRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{answer, Report};
    use domain::reports::not_attempted::NotAttempted;
    let ctx = guard::require(AuditAction::NotAttemptedReport, NotAttempted::ROLES).await?;
    answer::<NotAttempted>(&ctx, &request).await
}

/// A page of the Account Not in Listing report, newest first.
#[server(endpoint = "reports/not-in-listing", input = server_fn::codec::Json)]
pub async fn not_listed(
    request: ReportRequest<NotListedFilters>,
) -> Result<ReportAnswer<NotListedRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{answer, Report};
    use domain::reports::not_listed::NotListed;
    let ctx = guard::require(AuditAction::NotListedReport, NotListed::ROLES).await?;
    answer::<NotListed>(&ctx, &request).await
}
