//! The demo of a whole predictive run: a finite campaign over its own list of 10,000 contacts.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::contacts::contact;
use crate::world::{CampaignRec, DialingRules, ListRec, World};

/// A finite predictive campaign over a list of 10,000 contacts: the demo of a whole run. Drawn
/// from its own random source so the rest of the demo world stays as it was.
pub(super) fn add_promotion(world: &mut World, seed: u64, now_ms: i64, codes: Vec<String>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0050_524f_4d4f);
    let (list_name, organization) = ("Sales_Spring_Promo", "Sales");
    let contacts = (0..10_000)
        .map(|i| {
            let index = 900_000 + i;
            (
                format!("P{index:07}"),
                contact(&mut rng, index, &["S04"], now_ms),
            )
        })
        .collect();
    let id = world.new_id();
    world.lists.insert(
        id,
        ListRec {
            id,
            name: list_name.into(),
            organization: organization.into(),
            zone: "London".into(),
            last_update_ms: now_ms,
            contacts,
            emptying: None,
        },
    );
    let id = world.new_id();
    world.campaigns.insert(
        id,
        CampaignRec {
            id,
            name: "Sales_Spring_Promo_Predictive".into(),
            organization: organization.into(),
            kind: "predictive".into(),
            finite: true,
            lists: vec![list_name.into()],
            completion_codes: codes,
            schedules: Vec::new(),
            dialing: DialingRules::default(),
        },
    );
}
