//! The automation API's edge (`/api/v1`, `docs/api.md`): the bearer caller and the rate limits
//! (`bearer.rs`), errors as problem+json (`problem.rs`) and as the document lists them
//! (`documented.rs`), `Idempotency-Key` (`once.rs`), and the
//! outermost layer that makes every error a problem and audits refused calls (`outcome.rs`).
//! Handlers are in `crate::api`.

pub mod bearer;
pub mod documented;
pub mod once;
pub mod outcome;
pub mod problem;

pub use bearer::{ApiCaller, ApiLimits, ApiState};
pub use documented::{ActionRefusals, ReadRefusals};
pub use once::{once, once_redacted};
pub use problem::{Problem, ProblemDoc};
