//! The emergency notices on every signed-in page: the latest emergency stop that concerns the
//! user (for a day), and each emergency mode in force (until an admin lifts it, on the campaigns
//! page).

use leptos::prelude::*;

use crate::components::format::short_time;
use crate::components::layout::EmergencyBannerResource;
use crate::model::{EmergencyBanner, EmergencyMode};

/// "Emergency stop by admin at 2026-11-20 22:46:47 UTC: 3 of 4 jobs stopped (Sales)."
fn banner_text(banner: &EmergencyBanner) -> String {
    format!(
        "Emergency stop by {} at {} UTC: {} of {} jobs stopped ({}).",
        banner.by,
        short_time(&banner.at),
        banner.jobs_stopped,
        banner.jobs_found,
        banner
            .organization
            .as_deref()
            .unwrap_or("all organizations")
    )
}

/// "Emergency mode for Sales since 2026-11-20 22:46:47 UTC by admin (fire drill): starting,
/// resuming and scheduling campaigns is refused until an admin lifts it."
pub fn mode_text(mode: &EmergencyMode) -> String {
    let reason = match mode.reason.trim() {
        "" => String::new(),
        reason => format!(" ({reason})"),
    };
    format!(
        "Emergency mode for {} since {} UTC by {}{reason}: starting, resuming and scheduling \
         campaigns is refused until an admin lifts it.",
        mode.organization.as_deref().unwrap_or("every organization"),
        short_time(&mode.at),
        mode.by,
    )
}

/// The notices, read again on every page change.
#[component]
pub fn EmergencyNotice(banner: EmergencyBannerResource) -> impl IntoView {
    view! {
        <Transition>
            {move || Suspend::new(async move {
                banner.await.ok().map(|notices| view! {
                    {notices.modes.iter().map(|mode| view! {
                        <div class="emergency-banner mode" role="alert" data-testid="emergency-mode-banner">
                            {mode_text(mode)}
                        </div>
                    }).collect_view()}
                    {notices.stop.map(|banner| view! {
                        <div class="emergency-banner" role="alert" data-testid="emergency-banner">
                            {banner_text(&banner)}
                        </div>
                    })}
                })
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_names_who_when_and_how_many() {
        let mut banner = EmergencyBanner {
            emergency_stop_id: 1,
            by: "admin".into(),
            at: "2026-11-20T22:46:47.5Z".into(),
            organization: None,
            jobs_stopped: 3,
            jobs_found: 4,
        };
        assert_eq!(
            banner_text(&banner),
            "Emergency stop by admin at 2026-11-20 22:46:47 UTC: 3 of 4 jobs stopped (all organizations)."
        );
        banner.organization = Some("Sales".into());
        assert!(banner_text(&banner).ends_with("(Sales)."));
    }

    #[test]
    fn the_mode_says_what_is_refused_and_why() {
        let mode = EmergencyMode {
            emergency_mode_id: 1,
            organization: Some("Sales".into()),
            reason: "fire drill".into(),
            by: "admin".into(),
            at: "2026-11-20T22:46:47Z".into(),
        };
        assert_eq!(
            mode_text(&mode),
            "Emergency mode for Sales since 2026-11-20 22:46:47 UTC by admin (fire drill): \
             starting, resuming and scheduling campaigns is refused until an admin lifts it."
        );
    }
}
