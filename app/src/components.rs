//! Reusable view pieces: the signed-in layout, the session warning, status badges and the pager.

pub mod layout;
pub mod pager;
pub mod session_warning;
pub mod status_badge;
