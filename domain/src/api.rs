//! The automation API's domain (`docs/api.md`): registered clients and their secrets
//! (`clients.rs`), bearer tokens (`tokens.rs`), the caller a token stands for and the use-case
//! context it acts with (`principal.rs`), idempotency keys (`idempotency.rs`), what an instance
//! keeps in memory (`runtime.rs`: checked tokens, read records written in batches, the event hub),
//! the hourly sweep of what expired (`sweep.rs`), and events for integrators (`events.rs`, as a
//! stream and as signed webhooks: `webhooks.rs`). The HTTP edge is `server::edge::api`.

pub mod clients;
pub mod events;
pub mod idempotency;
pub mod principal;
pub mod read_audit;
pub mod runtime;
mod secrets;
pub mod sweep;
pub mod tokens;
pub mod webhooks;

pub use principal::ApiPrincipal;
