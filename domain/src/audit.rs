//! The one helper every feature uses to write the audit log (`audit_event`, append-only).

use serde_json::Value;
use sqlx::PgExecutor;

use super::request_meta::RequestMeta;
use crate::model::{AuditAction, CurrentUser, Role};

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    /// Refused by OCM's own rules (permissions, throttling).
    Denied,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// Who did it. For failed sign-ins only the typed user name is known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub role: Option<String>,
    pub organization: Option<String>,
}

impl Actor {
    /// A signed-in user. Admins work across organizations, so their own actions carry none
    /// (supervisors must not read admin activity through the admin's team); an event about one
    /// organization names it with [`AuditEvent::with_organization`].
    pub fn user(user: &CurrentUser) -> Self {
        if let Some(client) = &user.api_client {
            return Actor::api_client(
                client,
                (user.role != Role::Admin).then_some(&user.organization),
            );
        }
        Actor {
            user_id: Some(user.user_id),
            username: Some(user.username.clone()),
            role: Some(user.role.as_str().to_string()),
            organization: (user.role != Role::Admin).then(|| user.organization.clone()),
        }
    }

    /// A user as stored in the database (role as its stored name), with the same admin rule.
    pub fn stored(user_id: i64, username: String, role: String, organization: String) -> Self {
        let is_admin = role == Role::Admin.as_str();
        Actor {
            user_id: Some(user_id),
            username: Some(username),
            role: Some(role),
            organization: (!is_admin).then_some(organization),
        }
    }

    /// An automation API client (`api:NAME`, role `api`), filed under its organization unless
    /// it serves all of them.
    pub fn api_client(name: &str, organization: Option<&String>) -> Self {
        Actor {
            user_id: None,
            username: Some(format!("api:{name}")),
            role: Some("api".to_string()),
            organization: organization.cloned(),
        }
    }

    /// Someone known only by the name they typed.
    pub fn named(username: &str) -> Self {
        Actor {
            username: Some(username.to_string()),
            ..Actor::default()
        }
    }
}

/// One audit record. Build it with [`AuditEvent::new`] and the `with_*` methods.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub action: AuditAction,
    pub outcome: Outcome,
    pub target: Option<String>,
    pub parameters: Value,
    pub counts: Option<Value>,
    /// The organization the event concerns, when it differs from the actor's.
    pub organization: Option<String>,
}

impl AuditEvent {
    /// An action (stored as, say, `login.success`) and its outcome.
    pub fn new(action: AuditAction, outcome: Outcome) -> Self {
        AuditEvent {
            action,
            outcome,
            target: None,
            parameters: Value::Object(Default::default()),
            counts: None,
            organization: None,
        }
    }

    /// Files the event under the organization it concerns (what supervisors of it may read).
    pub fn with_organization(mut self, organization: impl Into<String>) -> Self {
        self.organization = Some(organization.into());
        self
    }

    /// What the action was applied to (a list, a campaign, a user).
    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// The parameters given (never secrets).
    pub fn with_parameters(mut self, parameters: Value) -> Self {
        self.parameters = parameters;
        self
    }

    /// Counts the action produced (rows, contacts, jobs).
    pub fn with_counts(mut self, counts: Value) -> Self {
        self.counts = Some(counts);
        self
    }
}

/// Appends one record. Callers that change data write the record in the same transaction.
#[tracing::instrument(skip_all, fields(action = event.action.as_str()))]
pub async fn record(
    executor: impl PgExecutor<'_>,
    actor: &Actor,
    meta: &RequestMeta,
    event: AuditEvent,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        insert into audit_event
            (app_user_id, username, role, organization, action, target, parameters, outcome,
             counts, request_id, client_addr, user_agent)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        "#,
        actor.user_id,
        actor.username,
        actor.role,
        event.organization.as_ref().or(actor.organization.as_ref()),
        event.action.as_str(),
        event.target,
        event.parameters,
        event.outcome.as_str(),
        event.counts,
        meta.request_id,
        meta.client_addr,
        meta.user_agent,
    )
    .execute(executor)
    .await?;
    Ok(())
}
