//! The 404 page (and status).

use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for unknown paths, with a 404 status on the server.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found"/>
        <main class="login-page">
            <div class="login-card">
                <h1>"Page not found"</h1>
                <p>"There is nothing at this address."</p>
                <a href="/">"Go to the dashboard"</a>
            </div>
        </main>
    }
}
