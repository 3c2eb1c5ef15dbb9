//! `AuditAction`: every action OCM writes to the audit log, and every guarded operation an
//! `access.denied` record names as its target. Stored as text (`audit_event.action`), spelled as
//! below; the log is read back as text, so old spellings stay readable.

/// Declares the actions: `Variant = "stored spelling"`.
macro_rules! audit_actions {
    ($($(#[$meta:meta])* $variant:ident = $text:literal,)+) => {
        /// What an audit record says was done (or, for `access.denied`, what was refused).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum AuditAction {
            $($(#[$meta])* #[serde(rename = $text)] $variant,)+
        }

        impl AuditAction {
            /// Every action, for the round-trip test.
            #[cfg(test)]
            const ALL: &'static [AuditAction] = &[$(AuditAction::$variant),+];

            /// The stored spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $text,)+
                }
            }
        }
    };
}

audit_actions! {
    // Sign-in and sessions.
    LoginSuccess = "login.success",
    LoginFailed = "login.failed",
    LoginThrottled = "login.throttled",
    Logout = "logout",
    SessionExpired = "session.expired",
    SessionRevoked = "session.revoked",
    /// A refusal by role or organization; the target names the guarded operation.
    AccessDenied = "access.denied",
    // Administration (the command line and `/admin`); changes carry `before` and `after`.
    TeamAdd = "team.add",
    UserAdd = "user.add",
    /// Reading the admin pages (named by refusals only).
    AdminRead = "admin.read",
    UserListExport = "user.list.export",
    UserUpdate = "user.update",
    UserDisable = "user.disable",
    UserEnable = "user.enable",
    UserPasswordReset = "user.password_reset",
    /// An admin ended a user's sessions.
    UserSignOut = "user.sign_out",
    TeamRename = "team.rename",
    TeamMove = "team.move",
    TeamDeactivate = "team.deactivate",
    TeamActivate = "team.activate",
    OrganizationAdd = "organization.add",
    /// A campaign's teams set (the mappings screen or an import).
    MappingCampaign = "mapping.campaign",
    /// An agent's team period added or ended.
    MappingAgent = "mapping.agent",
    MappingExport = "mapping.export",
    OrganizationDeactivate = "organization.deactivate",
    OrganizationActivate = "organization.activate",
    /// A user chose a new password (after a one-time password, or of their own accord).
    AccountPasswordChange = "account.password_change",
    /// A user set their password through a set-password link.
    AccountPasswordLink = "account.password_link",
    AccountTwoFactorEnable = "account.two_factor_enable",
    AccountTwoFactorDisable = "account.two_factor_disable",
    AccountRecoveryCodes = "account.recovery_codes",
    /// An admin cleared a user's second factor (a lost phone).
    UserTwoFactorReset = "user.two_factor_reset",
    // The automation API (`docs/api.md`): clients registered, disabled, rotated; tokens issued
    // or refused; every call a client makes is audited under its own action with the client as
    // the actor.
    ApiClientAdd = "api_client.add",
    ApiClientDisable = "api_client.disable",
    ApiClientEnable = "api_client.enable",
    ApiClientRotate = "api_client.rotate",
    ApiClientList = "api_client.list",
    // Webhooks of API clients: registered, disabled or enabled, secret rotated, removed, tested,
    // listed.
    WebhookAdd = "webhook.add",
    WebhookDisable = "webhook.disable",
    WebhookEnable = "webhook.enable",
    WebhookRotate = "webhook.rotate",
    WebhookRemove = "webhook.remove",
    WebhookTest = "webhook.test",
    WebhookList = "webhook.list",
    ApiToken = "api.token",
    /// A bearer call refused by scope (the target names the route).
    ApiScopeDenied = "api.scope_denied",
    /// A read through the API (campaigns, lists); the target names the route.
    ApiRead = "api.read",
    /// A repeated call answered from its `Idempotency-Key` without acting again.
    ApiReplay = "api.replay",
    /// A call of an authenticated client refused or failed (the status and problem code in the
    /// parameters); rate-limit refusals at most once a minute per client.
    ApiRefused = "api.refused",
    /// Which roles must sign in with a second factor.
    SignInPolicyChange = "settings.sign_in_policy",
    /// The password was right; the second factor was asked for.
    LoginSecondFactor = "login.second_factor",
    // Right to erasure: records carry counts and the reference, never the person's data.
    /// A dry run: the person looked for in POM's lists and OCM's tables.
    ErasureDryRun = "erasure.dry_run",
    ErasureStart = "erasure.start",
    ErasureCompleted = "erasure.completed",
    ErasureCancelled = "erasure.cancelled",
    ErasureCertificate = "erasure.certificate",
    ErasureList = "erasure.list",
    // The audit log.
    AuditList = "audit.list",
    AuditExport = "audit.export",
    /// `ocm audit verify`: the chain checked, intact (success) or broken (failure).
    AuditVerify = "audit.verify",
    /// A month written to an archive file, verified, and its partitions dropped.
    AuditArchive = "audit.archive",
    /// An archived month loaded back for an investigation.
    AuditRestore = "audit.restore",
    /// An archive file deleted when its retention ended.
    AuditArchiveDelete = "audit.archive_delete",
    // Jobs.
    JobsGet = "jobs.get",
    JobsCancel = "jobs.cancel",
    JobsResume = "jobs.resume",
    JobCancel = "job.cancel",
    JobResume = "job.resume",
    // Contact lists.
    ListsList = "lists.list",
    ListsContacts = "lists.contacts",
    ListsAttributes = "lists.attributes",
    // Purge and restore.
    PurgeDryRun = "purge.dry_run",
    PurgeStart = "purge.start",
    PurgeCompleted = "purge.completed",
    PurgeCancelled = "purge.cancelled",
    PurgeHistory = "purge.history",
    PurgeRun = "purge.run",
    PurgeSnapshot = "purge.snapshot",
    PurgeExport = "purge.export",
    PurgeRestore = "purge.restore",
    PurgeRestoreStart = "purge.restore.start",
    PurgeRestoreCompleted = "purge.restore.completed",
    PurgeRetry = "purge.retry",
    PurgeRetryStart = "purge.retry.start",
    PurgeRetryCompleted = "purge.retry.completed",
    PurgeSnapshotExpired = "purge.snapshot_expired",
    PurgeSnapshotJobsCancelled = "purge.snapshot_jobs_cancelled",
    // DNC.
    DncTargets = "dnc.targets",
    DncUploads = "dnc.uploads",
    DncUpload = "dnc.upload",
    DncUploadExpired = "dnc.upload.expired",
    DncPreflight = "dnc.preflight",
    DncConfirm = "dnc.confirm",
    DncSend = "dnc.send",
    DncSendPaused = "dnc.send.paused",
    DncSendFailed = "dnc.send.failed",
    DncSendCancelled = "dnc.send.cancelled",
    DncSendCompleted = "dnc.send.completed",
    DncDownload = "dnc.download",
    DncCheck = "dnc.check",
    DncAdd = "dnc.add",
    DncRemove = "dnc.remove",
    // DNC through the API: a receipt given, a batch of receipts' items sent to POM.
    DncRequest = "dnc.request",
    // A record cancel through the API (seed 002 `CM_ReqCancelRecord`): a receipt given.
    RecordCancelRequest = "records.cancel",
    // Sales-screen records from another system.
    SalesInput = "sales.input",
    DncRequestBatch = "dnc.request.batch",
    // A timed DNC entry taken off POM's list when it expired (or kept: added again since).
    DncExpired = "dnc.expired",
    DncReport = "dnc.report",
    DncReportExport = "dnc.report.export",
    // Call-data reports: reading a page, exporting it.
    ReportAccessRead = "report_access.read",
    ReportAccessChange = "report_access.change",
    CallAttemptReport = "report.call_attempt",
    CallAttemptExport = "report.call_attempt.export",
    NuisanceReport = "report.nuisance",
    NuisanceExport = "report.nuisance.export",
    ComplianceReport = "report.compliance",
    ComplianceExport = "report.compliance.export",
    AgentTimeReport = "report.agent_time",
    AgentTimeExport = "report.agent_time.export",
    JobSummaryReport = "report.job_summary",
    JobSummaryExport = "report.job_summary.export",
    SalesReport = "report.sales",
    SalesExport = "report.sales.export",
    CodeListReport = "report.code_list",
    CodeListExport = "report.code_list.export",
    RecallReport = "report.recalls",
    RecallExport = "report.recalls.export",
    // Scheduled exports: the page, a schedule created or changed (paused, resumed, deleted; with
    // `before` and `after`), a run asked for by a person, how a run ended, a file downloaded or
    // erased after the retention.
    ExportSchedulesRead = "export_schedules.read",
    ExportScheduleCreate = "export_schedule.create",
    ExportScheduleChange = "export_schedule.change",
    ExportRunRequested = "export_run.requested",
    ExportRunEnd = "export_run.end",
    ExportDelivered = "export_delivery.delivered",
    ExportDeliveryFailed = "export_delivery.failed",
    ExportFileDownload = "export_file.download",
    ExportFileErased = "export_file.erased",
    // The callback dashboard: a page read, an export, a callback scheduled through POM.
    CallbacksRead = "callbacks.read",
    CallbacksExport = "callbacks.export",
    CallbackSchedule = "callback.schedule",
    CallbackScheduleRequested = "callback.schedule.requested",
    // Completion-code rules: admins' changes, each application (asked, then POM's answer), reads.
    CompletionRuleAdd = "completion_rule.add",
    CompletionRuleDisable = "completion_rule.disable",
    CompletionRuleEnable = "completion_rule.enable",
    CompletionRuleRetry = "completion_rule.retry",
    CompletionRuleList = "completion_rule.list",
    CompletionRuleApplyRequested = "completion_rule.apply.requested",
    CompletionRuleApply = "completion_rule.apply",
    CompletionRuleApplications = "completion_rule.applications",
    CompletionRuleApplicationsExport = "completion_rule.applications.export",
    InboundAbandonReport = "report.inbound_abandoned",
    InboundAbandonExport = "report.inbound_abandoned.export",
    NotAttemptedReport = "report.not_attempted",
    NotAttemptedExport = "report.not_attempted.export",
    NotListedReport = "report.not_listed",
    NotListedExport = "report.not_listed.export",
    /// Rows an external pre-processing step reported for the Account Not in Listing report.
    NotListedAdded = "report.not_listed.added",
    // Campaigns.
    CampaignsBoard = "campaigns.board",
    CampaignsEvents = "campaigns.events",
    CampaignsOverview = "campaigns.overview",
    CampaignsFloor = "campaigns.floor",
    CampaignsActions = "campaigns.actions",
    CampaignsStart = "campaigns.start",
    CampaignsJobAction = "campaigns.job_action",
    CampaignsSchedule = "campaigns.schedule",
    CampaignsScheduleOptions = "campaigns.schedule_options",
    CampaignsScheduled = "campaigns.scheduled",
    CampaignsEmergencyStop = "campaigns.emergency_stop",
    CampaignStart = "campaign.start",
    CampaignStartRequested = "campaign.start.requested",
    CampaignPause = "campaign.pause",
    CampaignPauseRequested = "campaign.pause.requested",
    CampaignResume = "campaign.resume",
    CampaignResumeRequested = "campaign.resume.requested",
    CampaignStop = "campaign.stop",
    CampaignStopRequested = "campaign.stop.requested",
    CampaignSchedule = "campaign.schedule",
    CampaignScheduleRequested = "campaign.schedule.requested",
    CampaignEmergencyStop = "campaign.emergency_stop",
    CampaignEmergencyStopRequested = "campaign.emergency_stop.requested",
    // Emergency mode: on, lifted, and a job POM started on its own stopped while it was on.
    CampaignAddList = "campaign.add_list",
    CampaignAddListRequested = "campaign.add_list.requested",
    CampaignEmergencyModeOn = "campaign.emergency_mode.on",
    CampaignEmergencyModeOff = "campaign.emergency_mode.off",
    CampaignEmergencyModeEnforced = "campaign.emergency_mode.enforced",
    CampaignEmergencyModeRead = "campaign.emergency_mode.read",
    // Contact uploads.
    UploadsTargets = "uploads.targets",
    UploadsAttributes = "uploads.attributes",
    UploadsReceive = "uploads.receive",
    UploadsGet = "uploads.get",
    UploadsCheck = "uploads.check",
    UploadsSend = "uploads.send",
    UploadsHistory = "uploads.history",
    UploadsDownload = "uploads.download",
    UploadsSources = "uploads.sources",
    UploadsSourcesSave = "uploads.sources.save",
    UploadsSourcesDelete = "uploads.sources.delete",
    UploadReceived = "upload.received",
    UploadSend = "upload.send",
    UploadTransferred = "upload.transferred",
    UploadTransferFailed = "upload.transfer_failed",
    UploadScheduled = "upload.scheduled",
    UploadImportError = "upload.import_error",
    UploadCompleted = "upload.completed",
    UploadFailed = "upload.failed",
    UploadCancelled = "upload.cancelled",
    UploadTakenBack = "upload.taken_back",
    UploadDownload = "upload.download",
    UploadHistoryExport = "upload.history.export",
    UploadFilesErased = "upload.files_erased",
    UploadSourceSaved = "upload.source.saved",
    UploadSourceDeleted = "upload.source.deleted",
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::AuditAction;

    #[test]
    fn every_action_round_trips_through_its_stored_spelling() {
        let mut spellings = HashSet::new();
        for action in AuditAction::ALL {
            let json = serde_json::to_string(action).unwrap();
            assert_eq!(json, format!("\"{}\"", action.as_str()));
            assert_eq!(serde_json::from_str::<AuditAction>(&json).unwrap(), *action);
            assert!(spellings.insert(action.as_str()), "{action:?} twice");
        }
    }
}
