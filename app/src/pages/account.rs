//! The user's own password: `/account/password` (signed in: required after a one-time password)
//! and `/account/set-password?token=…` (a set-password link, no sign-in).

mod password;
mod set_password;

pub use password::PasswordPage;
pub use set_password::SetPasswordPage;

use crate::model::MIN_PASSWORD_LEN;

/// What the password fields say about the rules, under the new password.
pub fn rules_text() -> String {
    format!(
        "At least {MIN_PASSWORD_LEN} characters. Passwords from breach lists, and ones built from your \
         own name, are refused; a few unrelated words make a good one."
    )
}
