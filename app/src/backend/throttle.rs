//! Sign-in throttling: too many failures for one user name or one client address block further
//! attempts for a while. State lives in Postgres so every OCM instance enforces the same limit.

use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;

/// The limits; defaults are 5 failures in 60 s → 5 minutes blocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub max_failures: u32,
    pub window: Duration,
    pub lockout: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            max_failures: 5,
            window: Duration::from_secs(60),
            lockout: Duration::from_secs(300),
        }
    }
}

fn user_subject(username: &str) -> String {
    format!("user:{username}")
}

fn addr_subject(client_addr: &str) -> String {
    format!("addr:{client_addr}")
}

/// When the block on this user name or address ends, if one is in force.
pub async fn blocked_until(
    pool: &PgPool,
    username: &str,
    client_addr: &str,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        select max(blocked_until) from login_block
        where subject in ($1, $2) and blocked_until > now()
        "#,
        user_subject(username),
        addr_subject(client_addr),
    )
    .fetch_one(pool)
    .await
}

/// Records a failed sign-in. Returns the end of the block when this failure reached the limit.
pub async fn record_failure(
    pool: &PgPool,
    policy: &ThrottlePolicy,
    username: &str,
    client_addr: &str,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "insert into login_failure (username, client_addr) values ($1, $2)",
        username,
        client_addr
    )
    .execute(&mut *tx)
    .await?;
    let counts = sqlx::query!(
        r#"
        select count(*) filter (where username = $1) as "by_user!",
               count(*) filter (where client_addr = $2) as "by_addr!"
        from login_failure
        where occurred_at > now() - make_interval(secs => $3)
        "#,
        username,
        client_addr,
        policy.window.as_secs_f64(),
    )
    .fetch_one(&mut *tx)
    .await?;
    let limit = i64::from(policy.max_failures);
    let mut subjects = Vec::new();
    if counts.by_user >= limit {
        subjects.push(user_subject(username));
    }
    if counts.by_addr >= limit {
        subjects.push(addr_subject(client_addr));
    }
    let mut until = None;
    for subject in subjects {
        let end = sqlx::query_scalar!(
            r#"
            insert into login_block (subject, blocked_until)
            values ($1, now() + make_interval(secs => $2))
            on conflict (subject) do update set blocked_until = excluded.blocked_until
            returning blocked_until
            "#,
            subject,
            policy.lockout.as_secs_f64(),
        )
        .fetch_one(&mut *tx)
        .await?;
        until = until.max(Some(end));
    }
    tx.commit().await?;
    Ok(until)
}

/// Forgets a user's recent failures after a successful sign-in.
pub async fn clear_user_failures(pool: &PgPool, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from login_failure where username = $1", username)
        .execute(pool)
        .await?;
    Ok(())
}

/// Deletes failures and blocks that can no longer matter.
pub async fn prune(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from login_failure where occurred_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    sqlx::query!("delete from login_block where blocked_until < now()")
        .execute(pool)
        .await?;
    Ok(())
}

/// Whole minutes (rounded up, at least one) until a block ends.
pub fn minutes_until(until: OffsetDateTime, now: OffsetDateTime) -> u64 {
    let seconds = (until - now).whole_seconds().max(1) as u64;
    seconds.div_ceil(60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_length_rounds_up_to_whole_minutes() {
        let now = OffsetDateTime::UNIX_EPOCH;
        assert_eq!(minutes_until(now + time::Duration::seconds(61), now), 2);
        assert_eq!(minutes_until(now + time::Duration::seconds(5), now), 1);
        assert_eq!(minutes_until(now - time::Duration::seconds(5), now), 1);
    }
}
