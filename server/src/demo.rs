//! Demo mode (no POM configured): demo organizations, teams and the users `admin`, `supervisor`
//! and `manager`. Outside demo mode the demo users are removed at start-up, so they never exist
//! on a system connected to a real dialer. Also the demo's external pre-processing batch for the
//! Account Not in Listing report, and the demo's scheduled exports.

use anyhow::Context;
use domain::audit::Actor;
use domain::reports::not_listed::external::{self, ExternalBatch, ExternalRow};
use domain::request_meta::RequestMeta;
use domain::{passwords, users};
use rand::distributions::Alphanumeric;
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use sqlx::PgPool;
use types::model::Role;

/// The demo organizations (POM organization names) and their teams.
pub const DEMO_TEAMS: [(&str, &str); 3] = [
    ("Sales Floor", "Sales"),
    ("Collections Floor", "Collections"),
    ("OCM Administrators", "Sales"),
];

/// The team that works each organization's campaigns in demo mode (organization, team).
pub const DEMO_WORK_TEAMS: [(&str, &str); 2] = [
    ("Sales", "Sales Floor"),
    ("Collections", "Collections Floor"),
];

/// The demo users: name, display name, role, team.
pub const DEMO_USERS: [(&str, &str, Role, &str); 3] = [
    ("admin", "Demo Admin", Role::Admin, "OCM Administrators"),
    (
        "supervisor",
        "Demo Supervisor",
        Role::Supervisor,
        "Sales Floor",
    ),
    ("manager", "Demo Manager", Role::Manager, "Sales Floor"),
];

/// What start-up should tell the person running OCM.
pub enum DemoLogins {
    /// Not in demo mode; `removed` demo users were deleted.
    Off { removed: u64 },
    /// Demo users exist with this password; `generated` when OCM made it up.
    On {
        password: SecretString,
        generated: bool,
    },
}

/// Creates or refreshes the demo data, or removes demo users when not in demo mode.
pub async fn prepare(
    pool: &PgPool,
    demo_mode: bool,
    password: Option<SecretString>,
    time_zone: &str,
) -> anyhow::Result<DemoLogins> {
    let mut tx = pool.begin().await?;
    if !demo_mode {
        let removed = users::remove_demo_users(&mut tx).await?;
        tx.commit().await?;
        return Ok(DemoLogins::Off { removed });
    }
    let (password, generated) = match password {
        Some(password) => (password, false),
        None => {
            let made: String = rand::thread_rng()
                .sample_iter(&Alphanumeric)
                .take(16)
                .map(char::from)
                .collect();
            (SecretString::from(made), true)
        }
    };
    passwords::check_strength(password.expose_secret())
        .map_err(|problem| anyhow::anyhow!("OCM_DEMO_PASSWORD: {problem}"))?;
    for (team, organization) in DEMO_TEAMS {
        let organization_id = users::ensure_organization(&mut tx, organization).await?;
        users::ensure_team(&mut tx, team, organization_id).await?;
    }
    let secret = password.expose_secret().to_string();
    let hash = tokio::task::spawn_blocking(move || passwords::hash_password(&secret))
        .await?
        .map_err(|e| anyhow::anyhow!("hashing the demo password: {e}"))?;
    for (username, display_name, role, team) in DEMO_USERS {
        let team_id = users::find_team(&mut *tx, team)
            .await?
            .with_context(|| format!("demo team {team} is missing"))?;
        let user = users::NewUser {
            username,
            display_name,
            role,
            team_id,
            password_hash: &hash,
            is_demo: true,
        };
        users::upsert_demo_user(&mut *tx, &user).await?;
    }
    tx.commit().await?;
    not_listed_batch(pool).await?;
    domain::export_schedules::demo::seed(pool, time_zone).await?;
    domain::completion_rules::demo::seed(pool).await?;
    Ok(DemoLogins::On {
        password,
        generated,
    })
}

/// The demo's external pre-processing batch for the Account Not in Listing report (the demo
/// makes no uploads), added once as `ocm reports not-listed` would.
async fn not_listed_batch(pool: &PgPool) -> anyhow::Result<()> {
    const BATCH: &str = "demo pre-processing";
    let present = sqlx::query_scalar!(
        "select exists(select 1 from not_listed where batch = $1)",
        BATCH
    )
    .fetch_one(pool)
    .await?;
    if present == Some(true) {
        return Ok(());
    }
    let reasons = [
        ("bad_debt", "Account passed to a debt agency"),
        ("deceased", "Bereavement register match"),
        ("vulnerable", "Flagged vulnerable by the CRM"),
        ("gone_away", "Gone-away file match"),
    ];
    let rows: Vec<ExternalRow> = (0..16)
        .map(|i: i64| {
            let (category, reason) = reasons[i as usize % reasons.len()];
            ExternalRow {
                row_number: Some(2 + i * 37),
                contact_id: format!("S9{:05}", 120 + i * 37),
                phone: format!("+447700900{:03}", 100 + i * 7),
                category: category.into(),
                reason: reason.into(),
            }
        })
        .collect();
    let batch = ExternalBatch {
        organization: "Sales".into(),
        list: "Sales_Leads_Main".into(),
        batch: BATCH.into(),
    };
    let actor = Actor::named("demo");
    external::add(
        pool,
        &batch,
        &rows,
        (&actor, &RequestMeta::background("demo")),
    )
    .await
    .map_err(|e| anyhow::anyhow!("the demo's not-listed batch: {e}"))?;
    Ok(())
}
