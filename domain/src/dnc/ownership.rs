//! Which organization owns which POM DNC list, decided from the list's side so that no list can
//! belong to two organizations: an exact (case-insensitive) name match wins, otherwise the
//! longest organization name the configured rule (`prefix`, `contains`) matches when it extends
//! the other matches. "SalesEU DNC" is SalesEU's, never Sales'. A list two organizations claim
//! otherwise is refused, with a message, to those two only.

use pom::client::rest::DncList;

use crate::settings::ListMatch;

/// Whether a DNC list's name matches the organization under the configured rule.
pub fn list_matches(rule: ListMatch, list_name: &str, organization: &str) -> bool {
    let (name, organization) = (list_name.to_lowercase(), organization.to_lowercase());
    match rule {
        ListMatch::Prefix => name.starts_with(&organization),
        ListMatch::Contains => name.contains(&organization),
        ListMatch::Exact => name == organization,
    }
}

/// Who owns a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner<'o> {
    One(&'o str),
    Nobody,
    /// Claimed by organizations none of which extends the others' names ("Sales Debts DNC" under
    /// `contains` with Sales and Debts).
    Disputed(Vec<&'o str>),
}

/// The organization that owns `list_name`: an exact name, else the longest matching name when it
/// extends every other match ("SalesEU" extends "Sales").
pub fn owner<'o>(list_name: &str, rule: ListMatch, organizations: &'o [String]) -> Owner<'o> {
    if let Some(exact) = organizations
        .iter()
        .find(|o| list_matches(ListMatch::Exact, list_name, o))
    {
        return Owner::One(exact);
    }
    let mut claims: Vec<&str> = organizations
        .iter()
        .filter(|o| list_matches(rule, list_name, o))
        .map(String::as_str)
        .collect();
    claims.sort_by_key(|o| std::cmp::Reverse(o.chars().count()));
    let Some(longest) = claims.first().copied() else {
        return Owner::Nobody;
    };
    let longest_lower = longest.to_lowercase();
    if claims[1..]
        .iter()
        .all(|other| longest_lower.contains(&other.to_lowercase()))
    {
        Owner::One(longest)
    } else {
        Owner::Disputed(claims)
    }
}

/// The refusal when a list an organization claims is also another's.
pub fn disputed(list_name: &str, rule: ListMatch) -> String {
    format!(
        "POM's DNC list '{list_name}' matches more than one organization under \
         OCM_DNC_LIST_MATCH={rule}; an admin must rename it (or use exact names) so that each list \
         belongs to one organization."
    )
}

/// The organization's own list among `all`: the one it owns, preferring an exact name; an error
/// when its ownership is ambiguous (a list it claims is disputed, or it owns several). Other
/// organizations' disputes do not concern it.
pub fn own_list<'a>(
    all: &'a [DncList],
    rule: ListMatch,
    organization: &str,
    organizations: &[String],
) -> Result<Option<&'a DncList>, String> {
    let mut owned = Vec::new();
    for list in all {
        match owner(&list.name, rule, organizations) {
            Owner::One(o) if o == organization => owned.push(list),
            Owner::Disputed(claims) if claims.contains(&organization) => {
                return Err(disputed(&list.name, rule));
            }
            _ => {}
        }
    }
    if let Some(exact) = owned
        .iter()
        .find(|l| list_matches(ListMatch::Exact, &l.name, organization))
    {
        return Ok(Some(exact));
    }
    match owned.as_slice() {
        [] => Ok(None),
        [only] => Ok(Some(only)),
        several => Err(format!(
            "{} POM DNC lists belong to the organization {organization} under \
             OCM_DNC_LIST_MATCH={rule} ({}); an admin must rename them or use exact names.",
            several.len(),
            several
                .iter()
                .map(|l| l.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(id: i64, name: &str) -> DncList {
        DncList {
            id,
            name: name.into(),
            last_updated: None,
            total_addresses: 0,
            list_type: None,
        }
    }

    fn names(all: &[&str]) -> Vec<String> {
        all.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_organization_s_list_is_found_by_the_configured_rule() {
        assert!(list_matches(ListMatch::Exact, "Sales", "sales"));
        assert!(!list_matches(ListMatch::Exact, "Sales DNC", "Sales"));
        assert!(list_matches(ListMatch::Prefix, "Sales DNC", "Sales"));
        assert!(list_matches(ListMatch::Contains, "DNC - Sales", "Sales"));
    }

    #[test]
    fn a_longer_organization_name_owns_its_list() {
        let organizations = names(&["Sales", "SalesEU"]);
        let lists = [list(1, "SalesEU DNC")];
        for rule in [ListMatch::Prefix, ListMatch::Contains] {
            assert_eq!(
                own_list(&lists, rule, "Sales", &organizations).unwrap(),
                None,
                "Sales never gets SalesEU's list ({rule})"
            );
            assert_eq!(
                own_list(&lists, rule, "SalesEU", &organizations)
                    .unwrap()
                    .map(|l| l.id),
                Some(1)
            );
        }
        let both = [list(1, "SalesEU DNC"), list(2, "Sales DNC")];
        assert_eq!(
            own_list(&both, ListMatch::Prefix, "Sales", &organizations)
                .unwrap()
                .map(|l| l.id),
            Some(2)
        );
    }

    #[test]
    fn exact_names_win_and_ties_are_refused() {
        let organizations = names(&["Sales", "Debts"]);
        let lists = [list(1, "Sales DNC"), list(2, "sales")];
        assert_eq!(
            own_list(&lists, ListMatch::Prefix, "Sales", &organizations)
                .unwrap()
                .map(|l| l.id),
            Some(2),
            "exact first"
        );
        let tie = [list(3, "Sales Debts DNC")];
        let refusal = own_list(&tie, ListMatch::Contains, "Sales", &organizations).unwrap_err();
        assert!(refusal.contains("Sales Debts DNC"), "{refusal}");
        let with_collections = names(&["Sales", "Debts", "Collections"]);
        let longer_but_not_extending = [list(6, "Collections and Sales DNC")];
        assert!(
            own_list(
                &longer_but_not_extending,
                ListMatch::Contains,
                "Collections",
                &with_collections
            )
            .is_err(),
            "the longer name does not extend the other: disputed, not Collections'"
        );
        assert_eq!(
            own_list(&tie, ListMatch::Contains, "Collections", &with_collections)
                .map(|found| found.map(|l| l.id)),
            Ok(None),
            "another organization's dispute does not concern Collections"
        );
        let several = [list(4, "Sales DNC"), list(5, "Sales DNC 2")];
        let refusal = own_list(&several, ListMatch::Prefix, "Sales", &organizations).unwrap_err();
        assert!(refusal.contains("Sales DNC 2"), "{refusal}");
    }
}
