//! The gate's policy fed latencies from a model of POM (no clock), and its admission.

use std::sync::atomic::{AtomicUsize, Ordering};

use futures::stream::{self, StreamExt};

use super::*;

/// Feeds the algorithm `samples` answers of a POM kept busy at the limit, each taking
/// `latency(limit, i)` ms; gives the limit it ends at.
fn settle(ceiling: usize, samples: usize, latency: impl Fn(usize, usize) -> f64) -> usize {
    let vegas = algorithm(ceiling);
    for i in 0..samples {
        vegas.record_success(Duration::from_secs_f64(latency(vegas.limit(), i) / 1000.0));
    }
    vegas.limit()
}

/// 20 ms, 5 ms more for each call beyond 16 in flight at POM: a POM whose capacity is 16.
fn knee(in_flight: usize) -> f64 {
    20.0 + 5.0 * in_flight.saturating_sub(16) as f64
}

#[test]
fn at_flat_latency_the_limit_grows_to_the_ceiling() {
    // 20 ms give or take 1 ms.
    let settled = settle(32, 2_000, |_, i| 20.0 + (i % 3) as f64 - 1.0);
    assert_eq!(settled, 32);
}

#[test]
fn latency_rising_with_load_settles_the_limit_near_the_knee() {
    let settled = settle(64, 5_000, |limit, _| knee(limit));
    assert!((16..=22).contains(&settled), "settled at {settled}");
}

#[test]
fn another_client_loading_pom_makes_room_for_it() {
    let alone = settle(64, 5_000, |limit, _| knee(limit));
    let shared = settle(64, 5_000, |limit, _| knee(limit + 10));
    assert!(
        shared + 6 <= alone,
        "alone {alone}, beside 10 other calls {shared}"
    );
}

/// Sends one call through `gate` answering `answer`, counted as `judge` says.
async fn one(gate: &Gate, answer: Result<(), PomError>) -> Option<Result<(), PomError>> {
    gate.admit(|| true, move || async move { answer }, sample)
        .await
}

#[tokio::test]
async fn overloaded_answers_halve_the_limit_once_a_round_trip() {
    let gate = Gate::new(12);
    assert_eq!(gate.limit(), START);
    let answer = one(&gate, Err(PomError::Timeout(30))).await;
    assert!(
        matches!(answer, Some(Err(PomError::Timeout(_)))),
        "the call's own answer comes back"
    );
    assert_eq!(gate.limit(), START / 2);
    for _ in 0..3 {
        one(&gate, Err(PomError::Timeout(30))).await;
    }
    assert_eq!(
        gate.limit(),
        START / 2,
        "the rest of that round trip's failures"
    );
    for _ in 0..10 {
        one(&gate, Err(PomError::Timeout(30))).await;
    }
    assert_eq!(gate.limit(), 1, "a round trip after another, down to one");
}

#[tokio::test]
async fn calls_failing_together_halve_the_limit_once() {
    let gate = Gate::new(12);
    stream::iter(0..START)
        .map(|_| one(&gate, Err(PomError::Timeout(30))))
        .buffer_unordered(START)
        .collect::<Vec<_>>()
        .await;
    assert_eq!(gate.limit(), START / 2);
}

#[tokio::test]
async fn answers_that_say_nothing_of_load_leave_the_limit_alone() {
    let gate = Gate::new(12);
    // Timed, 200 instant answers would have grown the limit to the ceiling.
    for _ in 0..200 {
        one(&gate, Err(PomError::Unauthorized)).await;
    }
    assert_eq!(gate.limit(), START);
    assert_eq!(sample::<()>(&Err(PomError::Unauthorized)), Sample::Untimed);
    let refused = PomError::Fault {
        operation: "DeleteContact".into(),
        code: -2,
        message: "not found".into(),
    };
    assert_eq!(
        sample::<()>(&Err(refused)),
        Sample::Timed,
        "a refusal is work done"
    );
}

#[tokio::test]
async fn a_call_no_longer_wanted_is_not_made() {
    let gate = Gate::new(4);
    let made = Arc::new(AtomicUsize::new(0));
    let counted = made.clone();
    let answer = gate
        .admit(
            || false,
            move || async move {
                counted.fetch_add(1, Ordering::SeqCst);
            },
            |_| Sample::Timed,
        )
        .await;
    assert_eq!(answer, None);
    assert_eq!(made.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn never_more_calls_in_flight_than_the_limit_allows() {
    let gate = Gate::new(4);
    let flying = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
    stream::iter(0..200)
        .map(|_| {
            let flying = flying.clone();
            gate.admit(
                || true,
                move || async move {
                    let now = flying.0.fetch_add(1, Ordering::SeqCst) + 1;
                    flying.1.fetch_max(now, Ordering::SeqCst);
                    tokio::task::yield_now().await;
                    flying.0.fetch_sub(1, Ordering::SeqCst);
                },
                |_| Sample::Timed,
            )
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await;
    assert!(flying.1.load(Ordering::SeqCst) <= 4);
}

#[test]
fn a_ceiling_below_the_start_is_kept() {
    assert_eq!(Gate::new(2).limit(), 2);
    assert_eq!(Gate::new(0).limit(), 1);
}
