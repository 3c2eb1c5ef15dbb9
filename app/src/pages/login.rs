//! Sign-in page. A plain form post to `/auth/login`, so it works with or without JavaScript; the
//! server redirects back here with a reason code when sign-in fails.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::model::throttled_message;

/// Turns the reason code in the URL into the message shown above the form.
pub fn notice_for(
    error: Option<&str>,
    minutes: Option<&str>,
    expired: bool,
    signed_out: bool,
) -> Option<(&'static str, String)> {
    match error {
        Some("invalid") => Some(("error", "Wrong user name or password.".into())),
        Some("missing") => Some(("error", "Enter your user name and password.".into())),
        Some("code_retries") => Some((
            "error",
            "Too many wrong codes. Sign in with your password again.".into(),
        )),
        Some("code_expired") => Some((
            "error",
            "The sign-in waited too long for its code. Sign in again.".into(),
        )),
        Some("throttled") => {
            let minutes = minutes.and_then(|m| m.parse().ok()).unwrap_or(5);
            Some(("error", throttled_message(minutes)))
        }
        Some(_) => Some((
            "error",
            "Sign-in is unavailable right now. Try again in a moment.".into(),
        )),
        None if expired => Some((
            "info",
            "Your session ended because of inactivity. Sign in again to continue.".into(),
        )),
        None if signed_out => Some(("info", "You are signed out.".into())),
        None => None,
    }
}

/// The second step for users with two-factor sign-in: the code from their app, or a recovery
/// code. A plain form post to `/auth/code`.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let query = use_query_map();
    let wrong = move || query.with(|q| q.get_str("error") == Some("invalid"));
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    view! {
        <Title text="Sign-in code"/>
        <main class="login-page">
            <form class="login-card" method="post" action="/auth/code" aria-labelledby="code-title">
                <p class="brand-mark large" aria-hidden="true">"OCM"</p>
                <h1 id="code-title">"Sign-in code"</h1>
                <Show when=wrong>
                    <p class="notice error" role="alert" data-testid="login-notice">"That code does not match. Type the current one from your app, or a recovery code."</p>
                </Show>
                <p class="muted">"Type the 6-digit code your authenticator app shows for OCM, or one of your recovery codes, within 5 minutes."</p>
                <label for="code">"Code"</label>
                <input id="code" name="code" type="text" inputmode="text" autocomplete="one-time-code"
                    autocapitalize="none" spellcheck="false" maxlength="32" required autofocus/>
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="primary">"Continue"</button>
                <p class="small"><a href="/login">"Start again"</a></p>
            </form>
        </main>
    }
}

/// The sign-in form.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            notice_for(
                q.get_str("error"),
                q.get_str("minutes"),
                q.get_str("expired").is_some(),
                q.get_str("signed_out").is_some(),
            )
        })
    };
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    view! {
        <Title text="Sign in"/>
        <main class="login-page">
            <form class="login-card" method="post" action="/auth/login" aria-labelledby="login-title">
                <p class="brand-mark large" aria-hidden="true">"OCM"</p>
                <h1 id="login-title">"Outbound Campaign Manager"</h1>
                {move || notice().map(|(kind, text)| {
                    let role = if kind == "error" { "alert" } else { "status" };
                    view! { <p class=format!("notice {kind}") role=role data-testid="login-notice">{text}</p> }
                })}
                <label for="username">"User name"</label>
                <input id="username" name="username" type="text" autocomplete="username"
                    autocapitalize="none" spellcheck="false" required autofocus/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="primary">"Sign in"</button>
            </form>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::notice_for;

    #[test]
    fn reason_codes_become_plain_messages() {
        assert_eq!(
            notice_for(Some("invalid"), None, false, false).unwrap().1,
            "Wrong user name or password."
        );
        let throttled = notice_for(Some("throttled"), Some("5"), false, false)
            .unwrap()
            .1;
        assert!(throttled.contains("5 minutes"), "{throttled}");
        assert_eq!(notice_for(None, None, true, false).unwrap().0, "info");
        assert!(notice_for(None, None, false, false).is_none());
    }
}
