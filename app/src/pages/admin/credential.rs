//! A one-time password or set-password link, shown once right after it was made, with what to do
//! with it. OCM keeps only its hash: leaving the page loses it.

use leptos::prelude::*;

use crate::components::format::short_time;
use crate::model::Credential;

/// The credential panel.
#[component]
pub fn CredentialPanel(credential: Credential) -> impl IntoView {
    let username = credential.username.clone();
    let secret = credential.one_time_password.clone();
    let link = credential.link.clone().map(|path| {
        #[cfg(feature = "hydrate")]
        let origin = window().location().origin().unwrap_or_default();
        #[cfg(not(feature = "hydrate"))]
        let origin = String::new();
        format!("{origin}{path}")
    });
    let expires = credential.expires_at.as_deref().map(short_time);
    view! {
        <section class="card credential" role="status" aria-labelledby="credential-title" data-testid="credential">
            <h2 id="credential-title">"Shown once: hand it to " {username.clone()}</h2>
            {secret.map(|secret| view! {
                <p>"One-time password for " <strong>{username.clone()}</strong> ". They sign in with it and must choose their own password at once."</p>
                <label class="field">
                    <span>"One-time password"</span>
                    <input type="text" readonly value=secret data-testid="one-time-password" aria-describedby="credential-note"/>
                </label>
            })}
            {link.map(|link| view! {
                <p>"Set-password link for " <strong>{username.clone()}</strong> ": it works once, until " {expires.clone()} " UTC."</p>
                <label class="field">
                    <span>"Link"</span>
                    <input type="text" readonly value=link data-testid="password-link" aria-describedby="credential-note"/>
                </label>
            })}
            <p class="muted small" id="credential-note">"OCM stores only a hash: copy it now; it cannot be shown again. Send it separately from the user name (by phone, say)."</p>
        </section>
    }
}
