//! Contact lists as OCM shows them: the user's organization's POM lists (admins: every
//! organization's), a list's contacts page by page, POM's attribute catalogue, and the one place
//! that decides whether a user may touch a list.

use pom::client::rest::{ContactList, ContactSearch};

use crate::contacts::{columns_of, text_of};
use crate::error::AppError;
use crate::model::{
    AttributeInfo, AttributeKind, ContactListRow, ContactSearchQuery, ContactsPage, CurrentUser,
    Role,
};
use crate::organizations;
use crate::state::AppState;

/// Who may see lists, purge and restore.
pub const ROLES: [Role; 2] = [Role::Admin, Role::Supervisor];

/// Contacts per page on a list's page.
pub const CONTACTS_PAGE_SIZE: u32 = 50;

/// A list as shown; `None` when POM does not say whose it is (never assumed to be the caller's).
fn row(list: ContactList, filter: &str) -> Option<ContactListRow> {
    let Some(organization) = list.organization_name.clone() else {
        tracing::warn!(list = %list.contact_list_name, "POM sent a contact list without its organization; hidden");
        return None;
    };
    Some(ContactListRow {
        manual_upload: !filter.is_empty() && list.contact_list_name.contains(filter),
        list_id: list.contact_list_id,
        name: list.contact_list_name,
        organization: list
            .organization_name
            .unwrap_or_else(|| organization.to_string()),
        zone: list.zone_name,
        total: list.total_contacts,
        available: list.available_contacts,
        excluded: list.total_excluded_contacts,
        last_update: list.last_update_on,
    })
}

/// The lists `user` may see, by name; `manual_only` keeps the manual-upload lists.
pub async fn visible_lists(
    state: &AppState,
    user: &CurrentUser,
    manual_only: bool,
) -> Result<Vec<ContactListRow>, AppError> {
    let mut rows = Vec::new();
    for organization in organizations::for_user(&state.pool, user).await? {
        rows.extend(lists_of(state, &organization).await?);
    }
    rows.retain(|r| !manual_only || r.manual_upload);
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

/// One organization's lists as POM lists them (one POM call), unsorted.
pub async fn lists_of(
    state: &AppState,
    organization: &str,
) -> Result<Vec<ContactListRow>, AppError> {
    let client = state.pom()?;
    let filter = &state.settings.purge.manual_list_filter;
    let lists = client.contact_lists(organization).await?;
    // POM's organization search is a "like": keep exact matches only.
    Ok(lists
        .into_iter()
        .filter_map(|list| row(list, filter))
        .filter(|r| r.organization == organization)
        .collect())
}

/// One list `user` may touch; another organization's list is "not found", as a missing one.
pub async fn list_for(
    state: &AppState,
    user: &CurrentUser,
    list_id: i64,
) -> Result<ContactListRow, AppError> {
    visible_lists(state, user, false)
        .await?
        .into_iter()
        .find(|l| l.list_id == list_id)
        .ok_or_else(|| AppError::NotFound(format!("Contact list {list_id}")))
}

/// One page of a list's contacts, searched with POM's own search when asked.
pub async fn contacts(
    state: &AppState,
    user: &CurrentUser,
    list_id: i64,
    page: u32,
    search: Option<ContactSearchQuery>,
) -> Result<ContactsPage, AppError> {
    let list = list_for(state, user, list_id).await?;
    let search = search
        .filter(|s| !s.attribute.trim().is_empty() && !s.value.trim().is_empty())
        .map(|s| {
            let operator = match s.operator.as_str() {
                "contains" => "contains",
                "startswith" => "startswith",
                _ => "equals",
            };
            ContactSearch {
                attribute: s.attribute.trim().to_string(),
                operator: operator.into(),
                value: s.value.trim().to_string(),
            }
        });
    let pom = state.pom()?;
    let batch = pom
        .contacts_page(list_id, page, CONTACTS_PAGE_SIZE, search.as_ref())
        .await?;
    // POM says how many pages match, not how many contacts: the last page's size completes it.
    let matches = match (&search, batch.total_pages) {
        (None, _) => None,
        (Some(_), 0 | 1) => Some(batch.contacts.len() as i64),
        (Some(search), pages) => {
            let last = if page + 1 == pages {
                batch.contacts.len()
            } else {
                pom.contacts_page(list_id, pages - 1, CONTACTS_PAGE_SIZE, Some(search))
                    .await?
                    .contacts
                    .len()
            };
            Some(i64::from(pages - 1) * i64::from(CONTACTS_PAGE_SIZE) + last as i64)
        }
    };
    let columns = columns_of(batch.contacts.iter());
    let rows = batch
        .contacts
        .iter()
        .map(|c| columns.iter().map(|col| text_of(c, col)).collect())
        .collect();
    Ok(ContactsPage {
        list,
        columns,
        rows,
        page,
        total_pages: batch.total_pages,
        matches,
    })
}

/// POM's attribute catalogue.
pub async fn attributes(state: &AppState) -> Result<Vec<AttributeInfo>, AppError> {
    let mut attributes: Vec<AttributeInfo> = state
        .pom()?
        .get_attributes_list(None)
        .await?
        .into_iter()
        .filter(|a| !a.name.is_empty())
        .map(|a| AttributeInfo {
            kind: AttributeKind::from_pom(a.kind.as_deref().unwrap_or("STRING")),
            name: a.name,
        })
        .collect();
    attributes.sort_by(|a, b| a.name.cmp(&b.name));
    attributes.dedup_by(|a, b| a.name == b.name);
    Ok(attributes)
}

/// The kind of `attribute`, or `None` when POM's catalogue has no such attribute.
pub async fn attribute_kind(
    state: &AppState,
    attribute: &str,
) -> Result<Option<AttributeKind>, AppError> {
    Ok(attributes(state)
        .await?
        .into_iter()
        .find(|a| a.name == attribute)
        .map(|a| a.kind))
}
