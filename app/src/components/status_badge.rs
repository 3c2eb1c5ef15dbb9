//! A coloured dot and word for a dependency's state (the word carries the meaning, not the colour).

use leptos::prelude::*;

use crate::model::ComponentState;

/// Badge for one dependency state.
#[component]
pub fn StatusBadge(state: ComponentState) -> impl IntoView {
    let (class, label) = match state {
        ComponentState::Up => ("status up", "Up"),
        ComponentState::Down => ("status down", "Down"),
        ComponentState::NotConfigured => ("status off", "Not configured"),
    };
    view! {
        <span class=class>
            <span class="dot" aria-hidden="true"></span>
            {label}
        </span>
    }
}
