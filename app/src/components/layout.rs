//! The signed-in layout: header with user, role and organization, role-aware navigation (managers
//! get the reports they read, not the pages that act), the session warning, the emergency
//! notices, and the page outlet. Provides the `Me` resource, the banner resource and the page's
//! live job events to pages through context.

use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

use crate::components::emergency_notice::EmergencyNotice;
use crate::components::job_events::JobEvents;
use crate::components::session_warning::SessionWarning;
use crate::error::AppError;
use crate::model::{EmergencyNotices, Me, Role};
use crate::server_fns::campaigns::get_emergency_banner;
use crate::server_fns::session::get_me;

/// The `Me` resource, for pages that adapt to the role.
pub type MeResource = Resource<Result<Me, AppError>>;

/// The newest emergency stop and the emergency modes that concern the user, for the page that
/// changes them to refresh.
pub type EmergencyBannerResource = Resource<Result<EmergencyNotices, AppError>>;

/// Sends the browser to the sign-in page (client only).
pub fn go_to_sign_in(expired: bool) {
    let target = if expired {
        "/login?expired=1"
    } else {
        "/login"
    };
    let _ = window().location().set_href(target);
}

#[component]
fn Header(me: Me) -> impl IntoView {
    let user = me.user;
    let can_audit = user.role.can_read_audit();
    let can_manage_lists = user.role.can_manage_lists();
    let is_admin = user.role == Role::Admin;
    // Admins work across organizations; their team's organization would mislead.
    let scope = if is_admin {
        "All organizations".to_string()
    } else {
        user.organization.clone()
    };
    view! {
        <header class="topbar">
            // The name is hidden on narrower screens: the link keeps it for screen readers.
            <a class="brand" href="/" aria-label="OCM, Outbound Campaign Manager: dashboard">
                <span class="brand-mark" aria-hidden="true">"OCM"</span>
                <span class="brand-name">"Outbound Campaign Manager"</span>
            </a>
            <nav aria-label="Main">
                <ul>
                    <li><A href="/" exact=true>"Dashboard"</A></li>
                    <li><A href="/campaigns">"Campaigns"</A></li>
                    <li><A href="/callbacks">"Callbacks"</A></li>
                    <li><A href="/reports">"Reports"</A></li>
                    // Managers act on nothing here but read their organization's reports.
                    <Show when=move || can_manage_lists fallback=|| view! {
                        <li><A href="/purge/history">"Purge history"</A></li>
                        <li><A href="/dnc/report">"DNC report"</A></li>
                    }>
                        <li><A href="/lists">"Contact lists"</A></li>
                        // Exact, so the history below is not also marked as the current page.
                        <li><A href="/purge" exact=true>"Purge"</A></li>
                        <li><A href="/purge/history">"Purge history"</A></li>
                        // Exact, so the report below is not also marked as the current page.
                        <li><A href="/dnc" exact=true>"DNC"</A></li>
                        <li><A href="/dnc/report">"DNC report"</A></li>
                    </Show>
                    // Only admins upload; the others read their organization's upload history.
                    <Show when=move || is_admin fallback=|| view! {
                        <li><A href="/uploads/history">"Upload history"</A></li>
                    }>
                        <li><A href="/uploads">"Uploads"</A></li>
                    </Show>
                    <Show when=move || can_audit>
                        <li><A href="/audit">"Audit log"</A></li>
                    </Show>
                    <Show when=move || is_admin>
                        <li><A href="/admin/users">"Users"</A></li>
                    </Show>
                </ul>
            </nav>
            <div class="who" data-testid="who">
                <Show when=move || me.demo_mode>
                    <span class="badge demo" title="No POM is configured: demo data and demo users">"Demo"</span>
                </Show>
                <a class="who-name" href="/account/password" title="Change your password">{user.display_name.clone()}</a>
                <span class="who-meta">
                    <span data-testid="role">{user.role.label()}</span>
                    " · "
                    <span data-testid="organization">{scope}</span>
                </span>
                <form method="post" action="/auth/logout">
                    <button type="submit" class="link-button">"Sign out"</button>
                </form>
            </div>
        </header>
    }
}

/// Layout for every signed-in page.
#[component]
pub fn Layout() -> impl IntoView {
    let me: MeResource = Resource::new(|| (), |_| get_me());
    provide_context(me);
    // Read again on every page change, so users who already have OCM open learn of a stop.
    let location = leptos_router::hooks::use_location();
    let banner: EmergencyBannerResource =
        Resource::new(move || location.pathname.get(), |_| get_emergency_banner());
    provide_context(banner);
    JobEvents::provide();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Suspense fallback=|| view! { <header class="topbar"><span class="brand-mark">"OCM"</span></header> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(me) => {
                        let timing = me.session;
                        view! { <Header me/><SessionWarning timing/> }.into_any()
                    }
                    Err(error) => view! { <SignInNeeded error/> }.into_any(),
                }
            })}
        </Suspense>
        <EmergencyNotice banner/>
        <main id="main" tabindex="-1">
            <Outlet/>
        </main>
    }
}

#[component]
fn SignInNeeded(error: AppError) -> impl IntoView {
    let expired = error == AppError::SessionExpired;
    if error.needs_sign_in() {
        Effect::new(move |_| go_to_sign_in(expired));
    }
    view! {
        <header class="topbar">
            <span class="brand-mark">"OCM"</span>
            <p class="notice error" role="alert">
                {error.to_string()} " " <a href="/login">"Sign in"</a>
            </p>
        </header>
    }
}
