//! How OCM writes numbers for people, the same in the browser and on the server: thousands
//! separators ("12,693") and counts with their noun in the right number ("1 contact").

/// A count with thousands separators: 12693 → "12,693".
pub fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if value < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A count with its noun: `plural(1, "contact", "contacts")` → "1 contact", 12693 → "12,693 contacts".
pub fn plural(value: i64, one: &str, many: &str) -> String {
    let noun = if value == 1 { one } else { many };
    format!("{} {noun}", thousands(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(12_693), "12,693");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(plural(1, "contact", "contacts"), "1 contact");
        assert_eq!(plural(0, "contact", "contacts"), "0 contacts");
        assert_eq!(plural(12_693, "row", "rows"), "12,693 rows");
    }
}
