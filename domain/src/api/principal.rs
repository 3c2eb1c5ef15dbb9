//! The caller behind a bearer token, and the use-case context it acts with. A client of one
//! organization acts as a supervisor of it; a client of every organization as an admin who names
//! the organization per call. Scopes are checked at the edge before any use case runs.

use sqlx::PgPool;
use uuid::Uuid;

use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{ApiScope, CurrentUser, Role, SessionTiming};
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// An authenticated API client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiPrincipal {
    pub client_id: Uuid,
    pub name: String,
    /// (id, name); none: every organization.
    pub organization: Option<(i64, String)>,
    pub scopes: Vec<ApiScope>,
}

impl ApiPrincipal {
    /// Whether the client was given `scope`.
    pub fn has(&self, scope: ApiScope) -> bool {
        self.scopes.contains(&scope)
    }

    /// The organization a call is about: the client's own (naming another is "not found"), or
    /// for a client of every organization the one it names.
    pub fn organization_for(&self, asked: Option<&str>) -> Result<String, AppError> {
        let asked = asked.map(str::trim).filter(|a| !a.is_empty());
        match (&self.organization, asked) {
            (Some((_, own)), None) => Ok(own.clone()),
            (Some((_, own)), Some(asked)) if asked == own => Ok(own.clone()),
            (Some(_), Some(asked)) => Err(AppError::NotFound(format!("Organization {asked}"))),
            (None, Some(asked)) => Ok(asked.to_string()),
            (None, None) => Err(AppError::validation(
                "organization",
                "required: this client serves every organization, so each call names one",
            )),
        }
    }

    /// [`ApiPrincipal::organization_for`], and for a client of every organization the named
    /// one must exist ("not found" otherwise).
    pub async fn organization(
        &self,
        pool: &PgPool,
        asked: Option<&str>,
    ) -> Result<String, AppError> {
        let organization = self.organization_for(asked)?;
        if self.organization.is_none() {
            let known = sqlx::query_scalar!(
                r#"select exists(select 1 from organization where name = $1 and deactivated_at is null) as "known!""#,
                organization
            )
            .fetch_one(pool)
            .await?;
            if !known {
                return Err(AppError::NotFound(format!("Organization {organization}")));
            }
        }
        Ok(organization)
    }

    /// The context the domain's use cases take, for a call about `organization` (already
    /// resolved by [`ApiPrincipal::organization_for`]).
    pub fn ctx(&self, state: AppState, meta: RequestMeta, organization: String) -> Ctx {
        let (role, organization_id) = match &self.organization {
            Some((id, _)) => (Role::Supervisor, *id),
            None => (Role::Admin, 0),
        };
        Ctx {
            state,
            user: CurrentUser {
                user_id: 0,
                username: format!("api:{}", self.name),
                display_name: self.name.clone(),
                role,
                team: String::new(),
                organization_id,
                organization,
                must_change_password: false,
                must_enrol_two_factor: false,
                api_client: Some(self.name.clone()),
            },
            timing: SessionTiming {
                idle_timeout_secs: 0,
                warning_secs: 0,
                remaining_secs: 0,
            },
            meta,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(organization: Option<&str>) -> ApiPrincipal {
        ApiPrincipal {
            client_id: Uuid::nil(),
            name: "crm".into(),
            organization: organization.map(|o| (1, o.to_string())),
            scopes: vec![ApiScope::Dnc],
        }
    }

    #[test]
    fn a_client_of_one_organization_cannot_name_another() {
        let own = client(Some("Acme"));
        assert_eq!(own.organization_for(None).unwrap(), "Acme");
        assert_eq!(own.organization_for(Some("Acme")).unwrap(), "Acme");
        assert!(matches!(
            own.organization_for(Some("Other")),
            Err(AppError::NotFound(_))
        ));
    }

    #[test]
    fn a_client_of_every_organization_names_one() {
        let all = client(None);
        assert_eq!(all.organization_for(Some("Other")).unwrap(), "Other");
        assert!(matches!(
            all.organization_for(Some("  ")),
            Err(AppError::Validation { .. })
        ));
        assert!(all.has(ApiScope::Dnc) && !all.has(ApiScope::Admin));
    }
}
