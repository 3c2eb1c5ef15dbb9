//! Right to erasure: the person as the admin names them (`identifiers`), the dry run over the
//! organization's POM lists and OCM's tables (`plan`, `ocm_stores`, `files`), its confirmation
//! (`start`), the durable job that deletes and erases (`job`), the suppression tombstones that
//! keep the person out of later uploads and DNC imports (`tombstone`), the certificate
//! (`certificate`) and the list of erasures (`history`). Admins only.

pub mod call_data;
pub mod certificate;
pub mod dnc_requests;
pub mod files;
pub mod finish;
pub mod history;
pub mod identifiers;
pub mod job;
pub mod not_listed;
pub mod ocm_stores;
pub mod plan;
pub mod rule_applications;
pub mod start;
pub mod stored_files;
pub mod tombstone;

use crate::model::Role;

/// Who may erase: admins.
pub const ROLES: &[Role] = &[Role::Admin];
