//! Simulated time: a clock that can run faster than real time or jump ahead, so tests and demos
//! see jobs start, lists empty and in-progress marks expire without waiting.

use std::time::Instant;

/// Simulated time: real time since a base instant, multiplied by a speed-up factor.
#[derive(Debug, Clone, Copy)]
pub struct SimClock {
    base_real: Instant,
    base_sim_ms: i64,
    speed: f64,
}

impl SimClock {
    /// A clock starting at `start_ms` (Unix milliseconds) at normal speed.
    pub fn starting_at(start_ms: i64) -> Self {
        SimClock {
            base_real: Instant::now(),
            base_sim_ms: start_ms,
            speed: 1.0,
        }
    }

    /// Simulated Unix milliseconds now.
    pub fn now_ms(&self) -> i64 {
        self.base_sim_ms
            .saturating_add((self.base_real.elapsed().as_secs_f64() * 1000.0 * self.speed) as i64)
    }

    /// Changes the speed without a jump in time.
    pub fn set_speed(&mut self, speed: f64) {
        self.base_sim_ms = self.now_ms();
        self.base_real = Instant::now();
        self.speed = speed.clamp(0.01, 100_000.0);
    }

    /// Jumps simulated time forward, at most 31 days at a time (the dialler handles every event
    /// of the jump before the next request is answered).
    pub fn advance(&mut self, ms: i64) {
        self.base_sim_ms = self
            .base_sim_ms
            .saturating_add(ms.clamp(0, 31 * 86_400_000));
    }

    /// Sets simulated time (tests start from a known time of day).
    pub fn set_ms(&mut self, ms: i64) {
        // Years 2000–2100: far enough for any test, and no overflow in the arithmetic on times.
        self.base_sim_ms = ms.clamp(946_684_800_000, 4_102_444_800_000);
        self.base_real = Instant::now();
    }

    /// The current speed-up factor.
    pub fn speed(&self) -> f64 {
        self.speed
    }
}
