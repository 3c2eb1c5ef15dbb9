//! The throttling arithmetic: limits, fresh addresses, address keys.

use super::*;

#[test]
fn block_length_rounds_up_to_whole_minutes() {
    let now = OffsetDateTime::UNIX_EPOCH;
    assert_eq!(minutes_until(now + time::Duration::seconds(61), now), 2);
    assert_eq!(minutes_until(now + time::Duration::seconds(5), now), 1);
    assert_eq!(minutes_until(now - time::Duration::seconds(5), now), 1);
}

fn attempt(by_pair: i64, by_addr: i64, by_user: i64) -> Attempt {
    Attempt {
        id: 1,
        by_pair,
        by_addr,
        by_user,
        user_addresses: 1,
    }
}

#[test]
fn limits_count_the_attempt_itself() {
    let policy = ThrottlePolicy::default();
    assert!(!attempt(4, 4, 4).at_limit(&policy));
    let fifth = attempt(5, 5, 5);
    assert!(fifth.at_limit(&policy) && !fifth.over_limit(&policy));
    assert!(attempt(6, 6, 6).over_limit(&policy));
    assert!(attempt(1, 21, 1).over_limit(&policy), "address-wide limit");
}

#[test]
fn failures_of_a_user_elsewhere_never_block_this_address() {
    let policy = ThrottlePolicy::default();
    let from_a_clean_address = attempt(1, 1, 500);
    assert!(!from_a_clean_address.over_limit(&policy));
    assert!(!from_a_clean_address.at_limit(&policy));
    assert!(from_a_clean_address.fresh_address(&policy));
    let distributed = Attempt {
        user_addresses: 11,
        ..from_a_clean_address
    };
    assert!(
        !distributed.fresh_address(&policy),
        "a botnet's addresses are not fresh"
    );
    assert_eq!(from_a_clean_address.user_failures_over(&policy), 494);
    assert_eq!(attempt(1, 1, 5).user_failures_over(&policy), -1);
    assert_eq!(attempt(1, 1, 6).user_failures_over(&policy), 0);
}

#[test]
fn ipv6_addresses_count_by_their_64_and_mapped_ones_as_ipv4() {
    assert_eq!(address_key("203.0.113.9"), "203.0.113.9");
    assert_eq!(address_key("::ffff:203.0.113.9"), "203.0.113.9");
    assert_eq!(address_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
    assert_eq!(
        address_key("2001:db8:1:2:ffff:ffff:ffff:ffff"),
        address_key("2001:db8:1:2::7")
    );
    assert_ne!(
        address_key("2001:db8:1:3::1"),
        address_key("2001:db8:1:2::1")
    );
    assert_eq!(address_key("unknown"), "unknown");
}
