//! Sign-in throttling. State lives in Postgres so every OCM instance enforces the same limits.
//!
//! Failures are counted three ways, and each count has its own answer, so that nobody can keep a
//! user out by guessing that user's password from elsewhere:
//! - one user name from one address: too many failures block that pair (the guesser is stopped,
//!   the real user at another address is not);
//! - one address across user names: a higher limit blocks the address (password spraying);
//! - one user name from everywhere: never a block. Checks of that user's password are spaced out
//!   instead (a per-user schedule of check slots). A browser that signed in as that user before
//!   (a device cookie, `device.rs`) skips the schedule; a fresh address is checked after at most
//!   the longest wait while few addresses are guessing; anything else is refused while the wait
//!   would be too long.
//!
//! Addresses are counted by network: an IPv6 address by its /64 (one subscriber's block), an
//! IPv4-mapped IPv6 address as the IPv4 address.
//!
//! An attempt is registered (as a provisional failure) *before* its password is checked and
//! counted in the same step, so parallel guesses cannot all slip past the limit; a successful
//! sign-in removes its row again.

pub mod device;
mod slow;

use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;

pub use slow::{schedule_check, SlowDown};

/// The limits; defaults: 5 failures of one user name from one address in 60 s, or 20 from one
/// address, block for 5 minutes; after 5 failures of one user name from anywhere, its checks are
/// spaced out, waiting at most 5 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures of one user name from one address (`OCM_LOGIN_MAX_FAILURES`).
    pub max_failures: u32,
    /// Failures from one address over all user names (`OCM_LOGIN_ADDRESS_MAX_FAILURES`).
    pub address_max_failures: u32,
    pub window: Duration,
    pub lockout: Duration,
    /// The longest a sign-in waits for its check slot (`OCM_LOGIN_SLOW_MAX_SECS`).
    pub slow_max_wait: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            max_failures: 5,
            address_max_failures: 20,
            window: Duration::from_secs(60),
            lockout: Duration::from_secs(300),
            slow_max_wait: Duration::from_secs(5),
        }
    }
}

/// The address as throttling counts it: IPv4 as it is, IPv6 by its /64 prefix.
pub fn address_key(client_addr: &str) -> String {
    match client_addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let network = u128::from(v6) & !((1_u128 << 64) - 1);
                format!("{}/64", std::net::Ipv6Addr::from(network))
            }
        },
        _ => client_addr.to_string(),
    }
}

fn pair_subject(username: &str, client_addr: &str) -> String {
    format!("pair:{client_addr} {username}")
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

/// If a block covers this user name at this address, or the address, counts the refused attempt
/// and returns it.
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
        pair_subject(username, client_addr),
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

/// A registered attempt: its row id and how many attempts (itself included) were made within the
/// window by the user name from this address, from this address, and by the user name anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub id: i64,
    pub by_pair: i64,
    pub by_addr: i64,
    pub by_user: i64,
    /// How many addresses tried this user name within the window (this one included).
    pub user_addresses: i64,
}

impl Attempt {
    /// True when earlier attempts already used up an allowance (this one must not be checked).
    pub fn over_limit(&self, policy: &ThrottlePolicy) -> bool {
        self.by_pair > i64::from(policy.max_failures)
            || self.by_addr > i64::from(policy.address_max_failures)
    }

    /// True when this attempt, if it fails, reaches a blocking limit.
    pub fn at_limit(&self, policy: &ThrottlePolicy) -> bool {
        self.by_pair >= i64::from(policy.max_failures)
            || self.by_addr >= i64::from(policy.address_max_failures)
    }

    /// Failures of this user name from anywhere before this attempt, beyond the allowance.
    pub fn user_failures_over(&self, policy: &ThrottlePolicy) -> i64 {
        (self.by_user - 1 - i64::from(policy.max_failures)).max(-1)
    }

    /// True when this address has not failed for this user name within the window and few
    /// addresses are guessing it: such an attempt is never refused by the slow-down. Beyond that
    /// many addresses it is a distributed guess, and only a known device passes.
    pub fn fresh_address(&self, policy: &ThrottlePolicy) -> bool {
        self.by_pair <= 1 && self.user_addresses <= 2 * i64::from(policy.max_failures)
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
        select count(*) filter (where username = $1 and client_addr = $2) as "by_pair!",
               count(*) filter (where client_addr = $2) as "by_addr!",
               count(*) filter (where username = $1) as "by_user!",
               count(distinct client_addr) filter (where username = $1) as "user_addresses!"
        from login_failure
        where occurred_at > now() - make_interval(secs => $3)
          and (username = $1 or client_addr = $2)
        "#,
        username,
        client_addr,
        policy.window.as_secs_f64(),
    )
    .fetch_one(pool)
    .await?;
    Ok(Attempt {
        id,
        by_pair: counts.by_pair,
        by_addr: counts.by_addr,
        by_user: counts.by_user,
        user_addresses: counts.user_addresses,
    })
}

/// Blocks the pair and/or address that reached its limit; returns when the block ends.
pub async fn block(
    pool: &PgPool,
    policy: &ThrottlePolicy,
    attempt: &Attempt,
    username: &str,
    client_addr: &str,
) -> Result<OffsetDateTime, sqlx::Error> {
    let mut subjects = Vec::new();
    if attempt.by_pair >= i64::from(policy.max_failures) {
        subjects.push(pair_subject(username, client_addr));
    }
    if attempt.by_addr >= i64::from(policy.address_max_failures) {
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

/// Forgets a user's recent failures from this address after a successful sign-in there. Failures
/// from other addresses stay: a correct password here says nothing about the guesses there.
pub async fn clear_user_failures(
    pool: &PgPool,
    username: &str,
    client_addr: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from login_failure where username = $1 and client_addr = $2",
        username,
        client_addr
    )
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
    device::prune(pool).await
}

/// Whole minutes (rounded up, at least one) until a block ends.
pub fn minutes_until(until: OffsetDateTime, now: OffsetDateTime) -> u64 {
    let seconds = (until - now).whole_seconds().max(1) as u64;
    seconds.div_ceil(60)
}

#[cfg(test)]
mod tests;
