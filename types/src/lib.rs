//! The types OCM's browser and server code share: wire data (`model`) and the one error
//! (`AppError`). Nothing here reads a database or renders a page.

pub mod error;
pub mod metrics;
pub mod model;
pub mod report;
pub mod words;

pub use error::AppError;
