//! The HTML shell and the router: which page answers which path.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::layout::Layout;
use crate::pages::account::{PasswordPage, SetPasswordPage, TwoFactorPage};
use crate::pages::admin::{
    AdminApiClientsPage, AdminCallDataPage, AdminCompletionRulesPage, AdminErasurePage,
    AdminMappingsPage, AdminReportAccessPage, AdminSettingsPage, AdminTeamsPage, AdminUserPage,
    AdminUsersPage, AdminWebhooksPage,
};
use crate::pages::audit::AuditPage;
use crate::pages::callbacks::CallbacksPage;
use crate::pages::campaigns::CampaignsPage;
use crate::pages::contact::ContactPage;
use crate::pages::dashboard::DashboardPage;
use crate::pages::dnc::DncPage;
use crate::pages::dnc_report::DncReportPage;
use crate::pages::dnc_upload::DncUploadPage;
use crate::pages::export_schedules::ExportSchedulesPage;
use crate::pages::list_detail::ListDetailPage;
use crate::pages::lists::ListsPage;
use crate::pages::login::{LoginCodePage, LoginPage};
use crate::pages::not_found::NotFoundPage;
use crate::pages::purge::PurgePage;
use crate::pages::purge_history::PurgeHistoryPage;
use crate::pages::purge_run::PurgeRunPage;
use crate::pages::reports::agent_time::AgentTimePage;
use crate::pages::reports::call_attempts::CallAttemptsPage;
use crate::pages::reports::code_lists::CodeListsPage;
use crate::pages::reports::compliance::CompliancePage;
use crate::pages::reports::inbound_abandoned::InboundAbandonedPage;
use crate::pages::reports::job_summary::JobSummaryPage;
use crate::pages::reports::not_attempted::NotAttemptedPage;
use crate::pages::reports::not_listed::NotListedPage;
use crate::pages::reports::nuisance::NuisancePage;
use crate::pages::reports::recalls::RecallsPage;
use crate::pages::reports::sales::SalesPage;
use crate::pages::reports::ReportsPage;
use crate::pages::rule_applications::RuleApplicationsPage;
use crate::pages::upload_detail::UploadDetailPage;
use crate::pages::upload_history::UploadHistoryPage;
use crate::pages::upload_sources::UploadSourcesPage;
use crate::pages::uploads::UploadsPage;

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    provide_csp_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Hands the response's Content-Security-Policy nonce (made by the server's header middleware) to
/// the scripts Leptos writes, so they run under a policy without `unsafe-inline`.
#[cfg(feature = "ssr")]
fn provide_csp_nonce() {
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<domain::csp::CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// The application: sign-in outside the layout, everything else inside it. Pages render fully on
/// the server (`SsrMode::Async`) so they work before, and without, the WebAssembly client.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/ocm.css"/>
        <Title formatter=|text| format!("{text} · OCM")/>
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/account/set-password") view=SetPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/login/code") view=LoginCodePage ssr=SsrMode::Async/>
                <ParentRoute path=path!("") view=Layout ssr=SsrMode::Async>
                    <Route path=path!("") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("audit") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("account/password") view=PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("account/two-factor") view=TwoFactorPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/users") view=AdminUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/users/:id") view=AdminUserPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/teams") view=AdminTeamsPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/settings") view=AdminSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/call-data") view=AdminCallDataPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/api-clients") view=AdminApiClientsPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/completion-rules") view=AdminCompletionRulesPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/webhooks") view=AdminWebhooksPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/mappings") view=AdminMappingsPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/report-access") view=AdminReportAccessPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/erasure") view=AdminErasurePage ssr=SsrMode::Async/>
                    <Route path=path!("campaigns") view=CampaignsPage ssr=SsrMode::Async/>
                    <Route path=path!("callbacks") view=CallbacksPage ssr=SsrMode::Async/>
                    <Route path=path!("lists") view=ListsPage ssr=SsrMode::Async/>
                    <Route path=path!("lists/:id") view=ListDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("lists/:id/contacts/:contact") view=ContactPage ssr=SsrMode::Async/>
                    <Route path=path!("completion-rules/applications") view=RuleApplicationsPage ssr=SsrMode::Async/>
                    <Route path=path!("purge") view=PurgePage ssr=SsrMode::Async/>
                    <Route path=path!("purge/history") view=PurgeHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("purge/runs/:id") view=PurgeRunPage ssr=SsrMode::Async/>
                    <Route path=path!("dnc") view=DncPage ssr=SsrMode::Async/>
                    <Route path=path!("dnc/uploads/:id") view=DncUploadPage ssr=SsrMode::Async/>
                    <Route path=path!("dnc/report") view=DncReportPage ssr=SsrMode::Async/>
                    <Route path=path!("reports") view=ReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("reports/schedules") view=ExportSchedulesPage ssr=SsrMode::Async/>
                    <Route path=path!("reports/call-attempts") view=CallAttemptsPage ssr=SsrMode::Async/>
                    <Route path=path!("reports/nuisance") view=NuisancePage ssr=SsrMode::Async/>
                    <Route path=path!("reports/agent-time") view=AgentTimePage ssr=SsrMode::Async/>
                    <Route path=path!("reports/job-summary") view=JobSummaryPage ssr=SsrMode::Async/>
                    <Route path=path!("reports/sales") view=SalesPage ssr=SsrMode::Async/>
                    <Route path=path!("reports/codes") view=CodeListsPage ssr=SsrMode::Async/>
                    <Route path=path!("reports/recalls") view=RecallsPage ssr=SsrMode::Async/>
                    <Route path=path!("reports/inbound-abandoned") view=InboundAbandonedPage ssr=SsrMode::Async/>
                    <Route path=path!("reports/not-attempted") view=NotAttemptedPage ssr=SsrMode::Async/>
                    <Route path=path!("reports/not-in-listing") view=NotListedPage ssr=SsrMode::Async/>
                    <Route path=path!("reports/compliance") view=CompliancePage ssr=SsrMode::Async/>
                    <Route path=path!("uploads") view=UploadsPage ssr=SsrMode::Async/>
                    // The named pages before the numbered one, so they are never read as an id.
                    <Route path=path!("uploads/history") view=UploadHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("uploads/sources") view=UploadSourcesPage ssr=SsrMode::Async/>
                    <Route path=path!("uploads/:id") view=UploadDetailPage ssr=SsrMode::Async/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
