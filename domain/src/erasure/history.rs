//! The erasures so far as a report (admins only: organization, reference, state), and the
//! certificate of one as a download.

use sqlx::postgres::{PgRow, Postgres};
use sqlx::{QueryBuilder, Row};
use time::OffsetDateTime;

use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::{AuditAction, ErasureFilters, ErasureRow, Role};
use crate::report::{self, Key, Report};

/// Checked filters.
pub struct ErasureScope {
    organization: Option<String>,
    reference: Option<String>,
    state: Option<&'static str>,
}

/// The erasures report.
pub struct ErasureList;

impl Report for ErasureList {
    type Filters = ErasureFilters;
    type Scoped = ErasureScope;
    type Row = ErasureRow;
    type Line = ErasureRow;

    const ROLES: &'static [Role] = super::ROLES;
    const EXPORT_ACTION: AuditAction = AuditAction::ErasureList;
    const PAGE_SIZE: u32 = 25;
    const FILE_STEM: &'static str = "erasures";
    const SHEET: &'static str = "Erasures";
    const KEY: Key = Key {
        at: None,
        id: "erasure_id",
    };

    async fn scope(ctx: &Ctx, q: &ErasureFilters) -> Result<ErasureScope, AppError> {
        let state = match q.state.as_deref() {
            None => None,
            Some(asked) => ["running", "completed", "cancelled"]
                .into_iter()
                .find(|known| *known == asked),
        };
        if q.state.is_some() && state.is_none() {
            return Err(AppError::validation(
                "state",
                "choose running, completed or cancelled",
            ));
        }
        Ok(ErasureScope {
            organization: report::organization(&ctx.user, q.organization.as_deref())?,
            reference: q.reference.clone(),
            state,
        })
    }

    fn select(f: &ErasureScope, sql: &mut QueryBuilder<'static, Postgres>) {
        sql.push(
            "select e.erasure_id, e.organization, e.reference, e.state, e.created_by_name, \
             e.created_at, e.finished_at, e.job_id, \
             (select count(*) from erasure_contact c where c.erasure_id = e.erasure_id) as found, \
             (select count(*) from erasure_contact c where c.erasure_id = e.erasure_id \
              and c.state in ('deleted', 'absent')) as deleted, \
             (select count(*) from erasure_contact c where c.erasure_id = e.erasure_id \
              and c.state in ('failed', 'cancelled')) as failed \
             from erasure e where e.state <> 'planned'",
        );
        if let Some(organization) = &f.organization {
            sql.push(" and e.organization = ")
                .push_bind(organization.clone());
        }
        report::push_contains(sql, "e.reference", &f.reference);
        if let Some(state) = f.state {
            sql.push(" and e.state = ").push_bind(state);
        }
    }

    fn decode(r: &PgRow) -> Result<ErasureRow, sqlx::Error> {
        let finished: Option<OffsetDateTime> = r.try_get("finished_at")?;
        Ok(ErasureRow {
            erasure_id: r.try_get("erasure_id")?,
            organization: r.try_get("organization")?,
            reference: r.try_get("reference")?,
            state: r.try_get("state")?,
            requested_by: r.try_get("created_by_name")?,
            created_at: rfc3339(r.try_get("created_at")?),
            finished_at: finished.map(rfc3339),
            contacts_found: r.try_get("found")?,
            contacts_deleted: r.try_get("deleted")?,
            contacts_failed: r.try_get("failed")?,
            job_id: r.try_get("job_id")?,
        })
    }

    fn lines(row: ErasureRow) -> Vec<ErasureRow> {
        vec![row]
    }
}

/// An ended erasure's certificate as it was made then: (file name, text). Audited.
pub async fn certificate(ctx: &Ctx, erasure_id: i64) -> Result<(String, String), AppError> {
    let kept = sqlx::query!(
        r#"select organization, certificate as "certificate!" from erasure
           where erasure_id = $1 and certificate is not null"#,
        erasure_id
    )
    .fetch_optional(&ctx.state.pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("An ended erasure #{erasure_id}")))?;
    let event = AuditEvent::new(AuditAction::ErasureCertificate, Outcome::Success)
        .with_organization(kept.organization)
        .with_target(format!("erasure #{erasure_id}"))
        .with_parameters(
            serde_json::json!({ "sha256": super::certificate::sha256(&kept.certificate) }),
        );
    audit::record(&ctx.state.pool, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    Ok((
        format!("erasure-{erasure_id}-certificate.txt"),
        kept.certificate,
    ))
}

/// The jobs of erasures not ended yet (running, paused, queued), so a page opened later can
/// follow, resume or cancel them.
pub async fn unfinished(ctx: &Ctx) -> Result<Vec<crate::model::JobView>, AppError> {
    let jobs = sqlx::query_scalar!(
        r#"select job_id as "job_id!" from erasure
           where state = 'running' and job_id is not null order by erasure_id"#
    )
    .fetch_all(&ctx.state.pool)
    .await?;
    let mut views = Vec::with_capacity(jobs.len());
    for job_id in jobs {
        views.push(crate::jobs::visible(&ctx.state.pool, &ctx.user, job_id).await?);
    }
    Ok(views)
}
