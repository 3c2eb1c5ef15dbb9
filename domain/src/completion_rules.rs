//! Completion-code rules (seed 001 "Wrap-up codes handling"): admins say per campaign what an
//! attempt closing with a code does to its contact (set an attribute through POM's
//! `UpdateContactAttributeValueToList`, mark the contact uncallable, add the number to the DNC
//! list). Ingestion queues one application per rule and attempt in the page's transaction
//! (`queue.rs`); the worker (`worker.rs`) carries each to POM with retries (`apply.rs`), every
//! try audited before and after. `docs/completion-rules.md`.

pub mod applications;
pub mod apply;
pub mod checks;
pub mod demo;
pub mod queue;
pub mod store;
pub mod worker;

use crate::model::Role;

/// Who defines rules.
pub const ROLES: [Role; 1] = [Role::Admin];
/// Who reads applications (the report; each their organization's, admins every one).
pub const READERS: [Role; 3] = Role::ALL;
