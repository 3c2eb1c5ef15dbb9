//! The automation API's edge (`/api/v1`, `docs/api.md`): the bearer caller and the rate limits
//! (`bearer.rs`), errors as problem+json (`problem.rs`) and as the document lists them
//! (`documented.rs`), JSON bodies (`body.rs`), `Idempotency-Key` (`once.rs`), the shape of
//! every state-changing call (`post.rs`), and the
//! outermost layer that makes every error a problem and audits refused calls (`outcome.rs`).
//! Handlers are in `crate::api`.

pub mod bearer;
pub mod body;
pub mod documented;
pub mod once;
pub mod outcome;
pub mod post;
pub mod problem;

pub use bearer::{ApiCaller, ApiLimits, ApiState};
pub use documented::{ActionRefusals, ReadRefusals};
pub use once::once;
pub use post::{answer, ApiPost};
pub use problem::{Problem, ProblemDoc};
