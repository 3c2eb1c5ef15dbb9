//! One demo contact drawn from the world's random source: a name, a UK mobile number in one of
//! several time zones, an e-mail address and the custom attributes OCM's features use.

use std::collections::BTreeMap;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::world::ContactRec;

const FIRST: [&str; 8] = [
    "Amira", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hugo",
];
const LAST: [&str; 8] = [
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fischer", "Garcia", "Hughes",
];

/// Contacts are spread over these zones, so some are inside their calling window at any hour.
const CONTACT_ZONES: [&str; 6] = [
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Sydney",
];

/// Contact number `index`, created at `now_ms`, for one of `campaigns` (its `CAMP_ID`).
pub(super) fn contact(
    rng: &mut ChaCha8Rng,
    index: usize,
    campaigns: &[&str],
    now_ms: i64,
) -> ContactRec {
    let mut attributes = BTreeMap::new();
    attributes.insert(
        "firstName".into(),
        FIRST[rng.gen_range(0..FIRST.len())].to_string(),
    );
    attributes.insert(
        "lastName".into(),
        LAST[rng.gen_range(0..LAST.len())].to_string(),
    );
    attributes.insert(
        "phoneNumber1".into(),
        format!("+447700{:06}", rng.gen_range(0..1_000_000)),
    );
    attributes.insert(
        "phoneNumber1TimeZone".into(),
        CONTACT_ZONES[index % CONTACT_ZONES.len()].to_string(),
    );
    attributes.insert("email".into(), format!("customer{index}@example.com"));
    attributes.insert(
        "CAMP_ID".into(),
        campaigns[rng.gen_range(0..campaigns.len())].to_string(),
    );
    attributes.insert("ACCOUNT_NO".into(), format!("AC{:08}", index));
    let (year, month, day) = (
        2026 + rng.gen_range(0..2),
        rng.gen_range(1..=12),
        rng.gen_range(1..=28),
    );
    attributes.insert("EXPIRY_DATE".into(), format!("{year}-{month:02}-{day:02}"));
    attributes.insert(
        "BALANCE".into(),
        format!("{}.{:02}", rng.gen_range(0..5000), rng.gen_range(0..100)),
    );
    ContactRec {
        attributes,
        created_ms: now_ms,
        callable: true,
        in_progress_until_ms: None,
    }
}
