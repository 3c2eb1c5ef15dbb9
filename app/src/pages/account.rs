//! The user's own sign-in: `/account/password` (signed in; required after a one-time password),
//! `/account/set-password?token=…` (a set-password link, no sign-in) and `/account/two-factor`
//! (the second factor; required first when the role demands it).

mod password;
mod set_password;
mod two_factor;

pub use password::PasswordPage;
pub use set_password::SetPasswordPage;
pub use two_factor::TwoFactorPage;

use crate::model::MIN_PASSWORD_LEN;

/// What the password fields say about the rules, under the new password.
pub fn rules_text() -> String {
    format!(
        "At least {MIN_PASSWORD_LEN} characters. Passwords from breach lists, and ones built from your \
         own name, are refused; a few unrelated words make a good one."
    )
}
