//! Where a page stands among all the rows: the "Showing 51–100" position of its first row.

/// The 1-based position of a page's first row after `skipped` rows, of `shown` rows out of
/// `total`. `skipped` comes from the URL, so it is only a hint: it is kept within what the page can
/// be (at least none before, at most all the others), so no crafted number overflows or shows a
/// position that cannot exist.
pub(super) fn first_position(skipped: i64, total: i64, shown: usize) -> i64 {
    let others = total.saturating_sub(i64::try_from(shown).unwrap_or(i64::MAX));
    skipped.clamp(0, others.max(0)).saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::first_position;

    #[test]
    fn the_first_position_stays_within_the_total_whatever_the_url_says() {
        assert_eq!(first_position(50, 1234, 50), 51);
        assert_eq!(
            first_position(i64::MAX, 1234, 50),
            1185,
            "the last page at most"
        );
        assert_eq!(first_position(i64::MIN, 1234, 50), 1);
        assert_eq!(first_position(-5, 10, 10), 1);
        assert_eq!(first_position(i64::MAX, 0, 0), 1);
        assert_eq!(first_position(i64::MAX, i64::MAX, 0), i64::MAX, "saturates");
    }
}
