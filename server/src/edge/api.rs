//! The automation API's edge (`/api/v1`, `docs/api.md`): the bearer caller and its rate limit
//! (`bearer.rs`), errors as problem+json (`problem.rs`), JSON bodies that name the field at fault
//! (`body.rs`) and `Idempotency-Key` (`once.rs`). Handlers are in `crate::api`.

pub mod bearer;
pub mod body;
pub mod once;
pub mod problem;

pub use bearer::{ApiCaller, ApiLimits, ApiState};
pub use body::ApiJson;
pub use once::once;
pub use problem::{Problem, ProblemDoc};
