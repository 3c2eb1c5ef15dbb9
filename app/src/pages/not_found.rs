//! The 404 page (and status).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::load_error::set_status;

/// Shown for unknown paths, with a 404 status on the server.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
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
