//! Deterministic data for demos and tests: two organizations (Sales, Collections) matching OCM's
//! demo teams, an attribute catalogue, nine contact lists (one of 100,000 contacts, one of
//! 10,000 for a whole predictive run), DNC lists, data sources reading from the `ocm` SFTP drop,
//! six campaigns with completion codes, and demo users (docs/pom.md).

mod contacts;
pub mod history;
mod promotion;

use std::collections::{BTreeMap, BTreeSet};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::world::{
    AttributeDef, CampaignRec, DataSourceRec, DialingRules, DncRec, FileLayout, ListRec, SimUser,
    World,
};
use contacts::contact;
use promotion::add_promotion;

/// Demo users: (name, password, organization). `pomadmin` is global.
pub const DEMO_USERS: [(&str, &str, Option<&str>); 3] = [
    ("pomadmin", "pomadmin", None),
    ("sales.pom", "sales.pom", Some("Sales")),
    ("collections.pom", "collections.pom", Some("Collections")),
];

/// System attributes (REST names) and the custom ones OCM's features use.
pub fn catalogue() -> Vec<AttributeDef> {
    let system = [
        ("userContactId", "STRING"),
        ("title", "STRING"),
        ("firstName", "STRING"),
        ("lastName", "STRING"),
        ("phoneNumber1", "PHONE"),
        ("phoneNumber1CtryCode", "STRING"),
        ("phoneNumber1TimeZone", "STRING"),
        ("phoneNumber2", "PHONE"),
        ("phoneNumber2CtryCode", "STRING"),
        ("phoneNumber2TimeZone", "STRING"),
        ("email", "EMAIL"),
        ("addressLine1", "STRING"),
        ("addressLine2", "STRING"),
        ("addressLine3", "STRING"),
        ("addressLine4", "STRING"),
        ("addressLine5", "STRING"),
        ("country", "STRING"),
        ("zipcode", "STRING"),
    ];
    let custom = [
        ("CAMP_ID", "STRING"),
        ("ACCOUNT_NO", "STRING"),
        ("EXPIRY_DATE", "DATE"),
        ("BALANCE", "NUMBER"),
        // Set by OCM's completion-code rules (the demo's rules name them).
        ("NEXT_ACTION", "STRING"),
        ("NEXT_ACTION_DATE", "DATE"),
    ];
    system
        .iter()
        .map(|(n, k)| (n, k, true))
        .chain(custom.iter().map(|(n, k)| (n, k, false)))
        .map(|(name, kind, system)| AttributeDef {
            name: name.to_string(),
            kind: kind.to_string(),
            display_name: name.to_string(),
            system,
        })
        .collect()
}

/// A world with the attribute catalogue and no data.
pub fn empty_world() -> World {
    World {
        organizations: Vec::new(),
        zones: vec!["Default".into()],
        attributes: catalogue(),
        ..World::default()
    }
}

/// The SFTP user whose drop folder holds the demo data sources' files.
pub const DROP_USER: &str = "ocm";

/// The demo world for `seed`.
pub fn world(seed: u64, now_ms: i64) -> World {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut world = empty_world();
    world.organizations = vec!["Sales".into(), "Collections".into()];
    world.zones = vec!["Default".into(), "London".into()];
    for (name, password, organization) in DEMO_USERS {
        world.users.insert(
            name.into(),
            SimUser {
                password: password.into(),
                organization: organization.map(str::to_string),
            },
        );
    }
    let lists: [(&str, &str, usize, &[&str]); 8] = [
        ("Sales_Leads_Main", "Sales", 100_000, &["S01", "S02", "S03"]),
        ("Sales_Renewals", "Sales", 2_500, &["S02"]),
        ("Sales_Manual_Upload", "Sales", 400, &["S01"]),
        ("Sales_Winback", "Sales", 1_200, &["S03"]),
        ("Coll_Early_Arrears", "Collections", 5_000, &["C01", "C02"]),
        ("Coll_Late_Arrears", "Collections", 3_000, &["C02"]),
        ("Coll_Manual_Upload", "Collections", 250, &["C01"]),
        ("Coll_Promises", "Collections", 800, &["C01"]),
    ];
    let mut serial = 0;
    for (name, organization, size, campaigns) in lists {
        let id = world.new_id();
        let mut contacts = BTreeMap::new();
        for _ in 0..size {
            serial += 1;
            contacts.insert(
                format!("{serial:07}"),
                contact(&mut rng, serial, campaigns, now_ms),
            );
        }
        let zone = if organization == "Sales" {
            "London"
        } else {
            "Default"
        };
        world.lists.insert(
            id,
            ListRec {
                id,
                name: name.into(),
                organization: organization.into(),
                zone: zone.into(),
                last_update_ms: now_ms,
                contacts,
                emptying: None,
            },
        );
        world.data_sources.insert(
            format!("{name}_DS"),
            DataSourceRec {
                name: format!("{name}_DS"),
                list_name: name.into(),
                organization: organization.into(),
                kind: "append".into(),
                file_path: format!("{DROP_USER}/{name}.csv"),
                layout: FileLayout::default(),
            },
        );
    }
    for organization in [None, Some("Sales"), Some("Collections")] {
        let id = world.new_id();
        let addresses: BTreeSet<String> = (0..20)
            .map(|_| format!("+447700{:06}", rng.gen_range(0..1_000_000)))
            .collect();
        let name = organization.unwrap_or("Common").to_string();
        world.dnc_lists.insert(
            id,
            DncRec {
                id,
                name,
                organization: organization.map(str::to_string),
                addresses,
                last_updated_ms: now_ms,
            },
        );
    }
    let codes: Vec<String> = [
        "SALE",
        "NO_SALE",
        "CALLBACK",
        "NSP",
        "CM_NTC",
        "DNCREQ",
        "WRONG_NUMBER",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    let campaigns: [(&str, &str, &str, bool, &[&str]); 5] = [
        (
            "Sales_Predictive",
            "Sales",
            "predictive",
            true,
            &["Sales_Leads_Main"],
        ),
        (
            "Sales_Renewals_Preview",
            "Sales",
            "preview",
            true,
            &["Sales_Renewals", "Sales_Manual_Upload"],
        ),
        (
            "Sales_Winback_Progressive",
            "Sales",
            "progressive",
            false,
            &["Sales_Winback"],
        ),
        (
            "Coll_Arrears_Predictive",
            "Collections",
            "predictive",
            false,
            &["Coll_Early_Arrears", "Coll_Late_Arrears"],
        ),
        (
            "Coll_Promises_Preview",
            "Collections",
            "preview",
            true,
            &["Coll_Promises", "Coll_Manual_Upload"],
        ),
    ];
    for (name, organization, kind, finite, lists) in campaigns {
        let id = world.new_id();
        world.campaigns.insert(
            id,
            CampaignRec {
                id,
                name: name.into(),
                organization: organization.into(),
                kind: kind.into(),
                finite,
                lists: lists.iter().map(|l| l.to_string()).collect(),
                completion_codes: codes.clone(),
                schedules: Vec::new(),
                dialing: DialingRules::default(),
            },
        );
    }
    add_promotion(&mut world, seed, now_ms, codes);
    world
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_world() {
        let a = world(7, 0);
        let b = world(7, 0);
        assert_eq!(a, b);
        assert_ne!(a, world(8, 0));
        assert_eq!(a.lists.len(), 9);
        assert_eq!(
            a.lists.values().map(|l| l.contacts.len()).max(),
            Some(100_000)
        );
        assert_eq!(a.campaigns.len(), 6);
    }
}
