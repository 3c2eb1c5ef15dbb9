//! One contact's delete with seed 001's rule: "attempt in progress" is tried at most five times
//! in all (`OCM_PURGE_IN_PROGRESS_TRIES`) with growing pauses between tries; a contact POM no longer has counts as gone; failures that say POM itself is
//! unwell (down, garbage, credentials) leave the contact for later instead of failing it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use pom::client::{PomClient, PomError};

use crate::jobs::runner::JobContext;
use crate::pom_gate::{sample, Gate};

/// What happened to one contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deleted {
    Deleted,
    /// POM no longer has it (deleted earlier, e.g. before a restart cut the record short).
    Absent,
    /// POM refused this contact; the message says why.
    Failed(String),
    /// POM itself failed; try the contact again later.
    Unavailable(String),
    /// Not tried: the job stopped (or POM failed too often) while this contact waited its turn.
    NotTried,
}

/// The pause before retry `attempt` (0-based): 250 ms, 500 ms, 1 s, 2 s, 4 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250u64 << attempt.min(4))
}

/// Sorts a POM error into the outcomes above (not "attempt in progress", handled by the caller).
pub fn classify(error: &PomError) -> Deleted {
    // Only POM's own "contact not found" (-2) means gone; a bare 404 may be a wrong address.
    let not_found = match error {
        PomError::Status {
            status: 404, code, ..
        } => code.as_deref() == Some("-2"),
        PomError::Fault { code: -2, .. } => true,
        _ => false,
    };
    if not_found {
        return Deleted::Absent;
    }
    // Any other 404 (the list gone, a wrong address) is not this contact's failure: stop and
    // let someone look.
    let list_gone = matches!(error, PomError::Status { status: 404, .. });
    if list_gone
        || error.is_transient()
        || matches!(error, PomError::Decode { .. } | PomError::Unauthorized)
    {
        return Deleted::Unavailable(error.user_message());
    }
    Deleted::Failed(error.user_message())
}

/// Deletes one contact, calling POM at most `tries` times (at least once) while it answers
/// "attempt in progress", each call through the job's `gate` while `go` says the job goes on
/// (the pauses between tries are not in the gate); returns the outcome and the calls made.
pub async fn delete_one(
    client: &PomClient,
    (gate, go): (&Gate, &(dyn Fn() -> bool + Sync)),
    list_id: i64,
    user_contact_id: &str,
    tries: u32,
) -> (Deleted, i32) {
    let tries = tries.max(1);
    let mut calls = 0;
    loop {
        let (client, id) = (client.clone(), user_contact_id.to_string());
        let call = move || async move { client.delete_contact(list_id, &id).await };
        // Once POM has been asked, the contact's tries go on to their outcome: a stop then
        // waits for it rather than losing what the tries found.
        let still_wanted = || calls > 0 || go();
        let Some(answer) = gate.admit(still_wanted, call, sample).await else {
            return (Deleted::NotTried, calls);
        };
        calls += 1;
        match answer {
            Ok(()) => return (Deleted::Deleted, calls),
            Err(error) if error.is_attempt_in_progress() => {
                if calls as u32 >= tries {
                    let message = format!(
                        "{} (still being dialled after {tries} tries)",
                        error.user_message()
                    );
                    return (Deleted::Failed(message), calls);
                }
                tokio::time::sleep(backoff(calls as u32 - 1)).await;
            }
            Err(error) => return (classify(&error), calls),
        }
    }
}

/// A chunk of delete outcomes as the columns one `update … from unnest(…)` writes; answers of an
/// unavailable POM are left out (those contacts are tried again).
pub struct Recorded {
    pub ids: Vec<i64>,
    pub states: Vec<String>,
    pub errors: Vec<Option<String>>,
    pub tries: Vec<i32>,
}

impl Recorded {
    pub fn of(outcomes: &[(i64, Deleted, i32)]) -> Recorded {
        let mut recorded = Recorded {
            ids: Vec::new(),
            states: Vec::new(),
            errors: Vec::new(),
            tries: Vec::new(),
        };
        for (id, outcome, calls) in outcomes {
            let (state, error) = match outcome {
                Deleted::Deleted => ("deleted", None),
                Deleted::Absent => ("absent", None),
                Deleted::Failed(message) => ("failed", Some(message.clone())),
                Deleted::Unavailable(_) | Deleted::NotTried => continue,
            };
            recorded.ids.push(*id);
            recorded.states.push(state.to_string());
            recorded.errors.push(error);
            recorded.tries.push(*calls);
        }
        recorded
    }
}

/// Whether a deleting job goes on: it is not stopping and POM has not failed `limit` times in a
/// row. Checked before a contact is taken and again when its turn at the gate comes.
pub fn goes_on<'a>(
    ctx: &'a JobContext,
    streak: &'a AtomicUsize,
    limit: usize,
) -> impl Fn() -> bool + Sync + 'a {
    move || !ctx.should_stop() && streak.load(Ordering::Relaxed) < limit
}

/// Deletes one contact as [`delete_one`] does and keeps `streak`, the count of POM's
/// "unavailable" answers in a row by which a deleting job pauses.
pub async fn delete_counting(
    client: &PomClient,
    gate: (&Gate, &(dyn Fn() -> bool + Sync)),
    list_id: i64,
    user_contact_id: &str,
    tries: u32,
    streak: &AtomicUsize,
) -> (Deleted, i32) {
    let (outcome, calls) = delete_one(client, gate, list_id, user_contact_id, tries).await;
    match outcome {
        Deleted::Unavailable(_) => streak.fetch_add(1, Ordering::Relaxed),
        Deleted::NotTried => streak.load(Ordering::Relaxed),
        _ => streak.swap(0, Ordering::Relaxed),
    };
    (outcome, calls)
}

/// POM's message of the first "unavailable" answer among a chunk of outcomes, if any.
pub fn unavailable_in<K>(chunk: &[(K, Deleted, i32)]) -> Option<&str> {
    chunk.iter().find_map(|(_, outcome, _)| match outcome {
        Deleted::Unavailable(message) => Some(message.as_str()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, code: Option<&str>) -> PomError {
        PomError::Status {
            status,
            code: code.map(str::to_string),
            message: "x".into(),
            display: None,
        }
    }

    #[test]
    fn errors_are_sorted_into_outcomes() {
        assert_eq!(classify(&status(404, Some("-2"))), Deleted::Absent);
        assert!(
            matches!(classify(&status(404, None)), Deleted::Unavailable(_)),
            "a bare 404 is not proof of absence"
        );
        assert!(matches!(
            classify(&status(404, Some("-14"))),
            Deleted::Unavailable(_)
        ));
        assert!(matches!(
            classify(&status(503, None)),
            Deleted::Unavailable(_)
        ));
        assert!(matches!(
            classify(&PomError::Transport("refused".into())),
            Deleted::Unavailable(_)
        ));
        assert!(matches!(
            classify(&PomError::Decode {
                what: "x".into(),
                excerpt: "<html>".into()
            }),
            Deleted::Unavailable(_)
        ));
        assert!(matches!(
            classify(&status(403, Some("-28"))),
            Deleted::Failed(_)
        ));
    }

    #[test]
    fn backoff_grows_to_four_seconds() {
        let pauses: Vec<u64> = (0..6).map(|a| backoff(a).as_millis() as u64).collect();
        assert_eq!(pauses, [250, 500, 1000, 2000, 4000, 4000]);
    }
}
