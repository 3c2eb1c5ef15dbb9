//! Two-factor sign-in (RFC 6238 codes from an authenticator app, with recovery codes): the codes
//! themselves (`codes`, pure), the sign-in step after the password (`sign_in`), enrolment and its
//! upkeep (`enrol`), and which roles must use it (`policy`).

pub mod codes;
pub mod enrol;
pub mod policy;
pub mod sign_in;

/// Seconds since the Unix epoch: the clock codes are checked against.
pub fn unix_now() -> u64 {
    u64::try_from(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap_or_default()
}
