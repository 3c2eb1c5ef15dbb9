//! Sign-in throttling: too many failures for one user name or one client address block further
//! attempts for a while. State lives in Postgres so every OCM instance enforces the same limit.
//!
//! An attempt is registered (as a provisional failure) *before* its password is checked and
//! counted in the same step, so parallel guesses cannot all slip past the limit; a successful
//! sign-in removes its row again.

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

/// A block in force, and whether this refusal is the first since it began (only that one is audited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub until: OffsetDateTime,
    pub first_refusal: bool,
}

/// If a block covers this user name or address, counts the refused attempt and returns it.
pub async fn refuse_if_blocked(
    pool: &PgPool,
    username: &str,
    client_addr: &str,
) -> Result<Option<Block>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        update login_block set refused_attempts = refused_attempts + 1
        where subject in ($1, $2) and blocked_until > now()
        returning blocked_until, refused_attempts
        "#,
        user_subject(username),
        addr_subject(client_addr),
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Block {
            until: r.blocked_until,
            first_refusal: r.refused_attempts == 1,
        })
        .max_by_key(|b| b.until))
}

/// A registered attempt: its row id and how many attempts (itself included) the user name and
/// the address have made within the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub id: i64,
    pub by_user: i64,
    pub by_addr: i64,
}

impl Attempt {
    /// True when earlier attempts already used up the allowance (this one must not be checked).
    pub fn over_limit(&self, policy: &ThrottlePolicy) -> bool {
        let limit = i64::from(policy.max_failures);
        self.by_user > limit || self.by_addr > limit
    }

    /// True when this attempt, if it fails, reaches the limit.
    pub fn at_limit(&self, policy: &ThrottlePolicy) -> bool {
        let limit = i64::from(policy.max_failures);
        self.by_user >= limit || self.by_addr >= limit
    }
}

/// Registers an attempt before its password is checked and counts the window.
pub async fn register_attempt(
    pool: &PgPool,
    policy: &ThrottlePolicy,
    username: &str,
    client_addr: &str,
) -> Result<Attempt, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into login_failure (username, client_addr) values ($1, $2) returning login_failure_id",
        username,
        client_addr
    )
    .fetch_one(pool)
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
    .fetch_one(pool)
    .await?;
    Ok(Attempt {
        id,
        by_user: counts.by_user,
        by_addr: counts.by_addr,
    })
}

/// Blocks the user name and/or address that reached the limit; returns when the block ends.
pub async fn block(
    pool: &PgPool,
    policy: &ThrottlePolicy,
    attempt: &Attempt,
    username: &str,
    client_addr: &str,
) -> Result<OffsetDateTime, sqlx::Error> {
    let limit = i64::from(policy.max_failures);
    let mut subjects = Vec::new();
    if attempt.by_user >= limit {
        subjects.push(user_subject(username));
    }
    if attempt.by_addr >= limit {
        subjects.push(addr_subject(client_addr));
    }
    let mut until = OffsetDateTime::now_utc();
    for subject in subjects {
        let end = sqlx::query_scalar!(
            r#"
            insert into login_block (subject, blocked_until)
            values ($1, now() + make_interval(secs => $2))
            on conflict (subject) do update
                set blocked_until = greatest(login_block.blocked_until, excluded.blocked_until)
            returning blocked_until
            "#,
            subject,
            policy.lockout.as_secs_f64(),
        )
        .fetch_one(pool)
        .await?;
        until = until.max(end);
    }
    Ok(until)
}

/// Removes an attempt that does not count: it succeeded, or it was refused unchecked.
pub async fn forget_attempt(pool: &PgPool, attempt: &Attempt) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from login_failure where login_failure_id = $1",
        attempt.id
    )
    .execute(pool)
    .await?;
    Ok(())
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

    #[test]
    fn limits_count_the_attempt_itself() {
        let policy = ThrottlePolicy::default();
        let attempt = |n| Attempt {
            id: 1,
            by_user: n,
            by_addr: 1,
        };
        assert!(!attempt(4).at_limit(&policy));
        assert!(attempt(5).at_limit(&policy) && !attempt(5).over_limit(&policy));
        assert!(attempt(6).over_limit(&policy));
    }
}
