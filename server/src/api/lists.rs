//! Contact lists for other systems (seed 003): the organization's POM lists with their counts.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use domain::lists;
use serde::Serialize;
use types::model::{ApiScope, ContactListRow};
use utoipa::ToSchema;

use super::campaigns::{CampaignQuery, OrganizationQuery};
use super::paging::{page, ApiQuery};
use crate::edge::api::{ApiCaller, Problem, ReadRefusals};

/// One contact list and its counts, as POM last reported them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListView {
    pub list_id: i64,
    pub name: String,
    pub organization: String,
    pub zone: Option<String>,
    pub total: i64,
    pub available: i64,
    pub excluded: i64,
    /// POM's last change of the list.
    pub last_update: Option<String>,
}

impl From<ContactListRow> for ListView {
    fn from(row: ContactListRow) -> Self {
        ListView {
            list_id: row.list_id,
            name: row.name,
            organization: row.organization,
            zone: row.zone,
            total: row.total,
            available: row.available,
            excluded: row.excluded,
            last_update: row.last_update,
        }
    }
}

/// A page of lists.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListPage {
    pub items: Vec<ListView>,
    pub next_cursor: Option<String>,
}

async fn organization_lists(
    caller: &ApiCaller,
    organization: Option<&str>,
) -> Result<(String, Vec<ContactListRow>), Problem> {
    let ctx = caller.ctx(organization).await?;
    let organization = ctx.user.organization.clone();
    let rows = lists::lists_of(&ctx.state, &organization).await?;
    Ok((organization, rows))
}

/// The paging key of a list: its id, zero-padded so that text order is number order.
fn key(id: i64) -> String {
    format!("{id:020}")
}

/// The organization's contact lists, by id.
#[utoipa::path(get, path = "/lists", tag = "lists", params(CampaignQuery),
    security(("bearer" = ["campaigns:read"])),
    responses((status = 200, body = ListPage), ReadRefusals))]
pub async fn list(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<CampaignQuery>,
) -> Result<Json<ListPage>, Problem> {
    caller
        .require(ApiScope::CampaignsRead, "GET /api/v1/lists")
        .await?;
    let (organization, mut rows) =
        organization_lists(&caller, query.organization.as_deref()).await?;
    rows.sort_by_key(|r| r.list_id);
    rows.dedup_by_key(|r| r.list_id);
    let keyed: Vec<(String, ContactListRow)> =
        rows.into_iter().map(|r| (key(r.list_id), r)).collect();
    let (keyed, next_cursor) = page(
        keyed,
        |(k, _)| k.as_str(),
        query.limit,
        query.cursor.as_deref(),
    )?;
    let rows = keyed.into_iter().map(|(_, r)| r);
    caller
        .audit_status_read("GET /api/v1/lists", &organization)
        .await?;
    Ok(Json(ListPage {
        items: rows.map(ListView::from).collect(),
        next_cursor,
    }))
}

/// One contact list by its POM id.
#[utoipa::path(get, path = "/lists/{id}", tag = "lists",
    params(("id" = i64, Path, description = "POM's contact list id"), OrganizationQuery),
    security(("bearer" = ["campaigns:read"])),
    responses((status = 200, body = ListView), ReadRefusals))]
pub async fn get(
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
) -> Result<Json<ListView>, Problem> {
    caller
        .require(ApiScope::CampaignsRead, "GET /api/v1/lists/{id}")
        .await?;
    let (organization, rows) = organization_lists(&caller, query.organization.as_deref()).await?;
    let row = rows.into_iter().find(|l| l.list_id == id).ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "list_not_found",
            format!("Contact list {id} was not found."),
        )
    })?;
    caller
        .audit_status_read("GET /api/v1/lists/{id}", &organization)
        .await?;
    Ok(Json(row.into()))
}
