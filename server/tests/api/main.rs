//! HTTP-level tests: the real router on a loopback port, a real Postgres database per test.

mod access;
mod audit;
mod helpers;
mod sessions;
mod sign_in;
mod system;
