//! Contact lists: the organization's POM lists, a list's contacts, and POM's attribute catalogue.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{AttributeInfo, ContactListRow, ContactSearchQuery, ContactsPage};

/// The contact lists the user may see; `manual_only` keeps the manual-upload lists.
#[server(endpoint = "lists/list")]
pub async fn list_contact_lists(manual_only: bool) -> Result<Vec<ContactListRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::lists;
    let ctx = guard::require(AuditAction::ListsList, &lists::ROLES).await?;
    lists::visible_lists(&ctx.state, &ctx.user, manual_only).await
}

/// One page (0-based) of a list's contacts, optionally searched by an attribute.
#[server(endpoint = "lists/contacts", input = server_fn::codec::Json)]
pub async fn list_contacts(
    list_id: i64,
    page: u32,
    search: Option<ContactSearchQuery>,
) -> Result<ContactsPage, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::lists;
    let ctx = guard::require(AuditAction::ListsContacts, &lists::ROLES).await?;
    lists::contacts(&ctx.state, &ctx.user, list_id, page, search).await
}

/// POM's attribute catalogue with each attribute's kind.
#[server(endpoint = "lists/attributes")]
pub async fn list_attributes() -> Result<Vec<AttributeInfo>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::lists;
    let ctx = guard::require(AuditAction::ListsAttributes, &lists::ROLES).await?;
    lists::attributes(&ctx.state).await
}
