//! Spacing out password checks of one user name that fails from many addresses: each check takes
//! the next slot of that user's schedule (a `login_block` row `slow:<user>` whose time is the
//! next free slot), and slots grow further apart with every failure beyond the allowance.

use std::time::Duration;

use sqlx::PgPool;

use super::{Attempt, ThrottlePolicy};

/// The first gap between two checks once a user name is over its allowance; it doubles with each
/// further failure up to the policy's longest wait.
const FIRST_GAP: Duration = Duration::from_millis(250);

/// What to do with an attempt before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlowDown {
    /// Check the password after this wait.
    Go(Duration),
    /// Refuse unchecked: this address has failures of its own and the next slot is too far away.
    Refused {
        retry_after: Duration,
        first_refusal: bool,
    },
}

/// The gap between checks after `excess` failures beyond the allowance.
fn gap(excess: i64, max_wait: Duration) -> Duration {
    let doublings = u32::try_from(excess.clamp(0, 16)).unwrap_or(16);
    FIRST_GAP.saturating_mul(1 << doublings).min(max_wait)
}

/// The decision for a slot that is `wait` away: the wait to observe and whether the schedule
/// moves on by a gap (`None`: refused).
fn decide(wait: Duration, fresh_address: bool, max_wait: Duration) -> Option<(Duration, bool)> {
    match (wait <= max_wait, fresh_address) {
        (true, _) => Some((wait, true)),
        // The real user at a fresh address is not turned away, and does not lengthen the queue.
        (false, true) => Some((max_wait, false)),
        (false, false) => None,
    }
}

/// Takes this attempt's place in the user's schedule; a known device skips it.
pub async fn schedule_check(
    pool: &PgPool,
    policy: &ThrottlePolicy,
    attempt: &Attempt,
    username: &str,
    known_device: bool,
) -> Result<SlowDown, sqlx::Error> {
    let excess = attempt.user_failures_over(policy);
    if excess < 0 || known_device {
        return Ok(SlowDown::Go(Duration::ZERO));
    }
    let subject = format!("slow:{username}");
    let mut tx = pool.begin().await?;
    // One statement creates or locks the row, so a prune in between cannot make it vanish.
    let waiting = sqlx::query_scalar!(
        r#"
        insert into login_block (subject, blocked_until) values ($1, now())
        on conflict (subject) do update set blocked_until = login_block.blocked_until
        returning greatest(extract(epoch from blocked_until - now()), 0)::float8 as "wait!"
        "#,
        subject
    )
    .fetch_one(&mut *tx)
    .await?;
    let wait = Duration::from_secs_f64(waiting);
    let decision = match decide(wait, attempt.fresh_address(policy), policy.slow_max_wait) {
        Some((wait, advances)) => {
            if advances {
                let next = wait + gap(excess, policy.slow_max_wait);
                sqlx::query!(
                    "update login_block set blocked_until = now() + make_interval(secs => $2) where subject = $1",
                    subject,
                    next.as_secs_f64()
                )
                .execute(&mut *tx)
                .await?;
            }
            SlowDown::Go(wait)
        }
        None => {
            let refused = sqlx::query_scalar!(
                "update login_block set refused_attempts = refused_attempts + 1 where subject = $1 returning refused_attempts",
                subject
            )
            .fetch_one(&mut *tx)
            .await?;
            SlowDown::Refused {
                retry_after: wait,
                first_refusal: refused == 1,
            }
        }
    };
    tx.commit().await?;
    Ok(decision)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_double_up_to_the_longest_wait() {
        let max = Duration::from_secs(5);
        assert_eq!(gap(0, max), Duration::from_millis(250));
        assert_eq!(gap(2, max), Duration::from_secs(1));
        assert_eq!(gap(5, max), max);
        assert_eq!(gap(10_000, max), max);
    }

    #[test]
    fn a_fresh_address_is_never_refused_and_waits_at_most_the_longest_wait() {
        let max = Duration::from_secs(5);
        let far = Duration::from_secs(60);
        assert_eq!(decide(far, true, max), Some((max, false)));
        assert_eq!(
            decide(far, false, max),
            None,
            "a guessing address is refused"
        );
        let near = Duration::from_secs(2);
        assert_eq!(decide(near, false, max), Some((near, true)));
        assert_eq!(decide(near, true, max), Some((near, true)));
    }
}
