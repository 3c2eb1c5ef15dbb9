//! The unique values in file order with the row each first appeared on. Each value is stored
//! once: the index maps 32 bits of the value's hash to its position (8 bytes an entry) and the
//! value itself is compared on a hit, so a million values take about half the memory of a
//! `HashMap<String, _>` beside a `Vec<String>`, and the smaller index is quicker to fill. A
//! different value whose bits are already taken goes to a small exact map.

use std::collections::hash_map::RandomState;
use std::collections::hash_map::{Entry, HashMap};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

/// Spreads a key that is already hash bits over all 64 bits (hashbrown takes its tags from the
/// top ones) without hashing it again.
#[derive(Default)]
struct Spread(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

impl Hasher for Spread {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(GOLDEN);
        }
    }

    fn write_u32(&mut self, bits: u32) {
        self.0 = u64::from(bits).wrapping_mul(GOLDEN);
    }
}

pub struct Unique<S = RandomState> {
    values: Vec<String>,
    rows: Vec<u64>,
    index: HashMap<u32, u32, BuildHasherDefault<Spread>>,
    collided: HashMap<String, u64>,
    hasher: S,
}

impl Unique {
    pub fn new() -> Self {
        Unique::with_hasher(RandomState::new())
    }
}

impl Default for Unique {
    fn default() -> Self {
        Unique::new()
    }
}

impl<S: BuildHasher> Unique<S> {
    fn with_hasher(hasher: S) -> Self {
        Unique {
            values: Vec::new(),
            rows: Vec::new(),
            index: HashMap::default(),
            collided: HashMap::new(),
            hasher,
        }
    }

    /// Keeps a new value; for a value already kept, the row it first appeared on.
    pub fn insert(&mut self, value: String, row: u64) -> Result<(), u64> {
        // The low half of the hash: a few values in a million share it, and are told apart below.
        let bits = self.hasher.hash_one(value.as_str()) as u32;
        let exact = match (self.index.entry(bits), u32::try_from(self.values.len())) {
            (Entry::Vacant(slot), Ok(position)) => {
                slot.insert(position);
                false
            }
            // Past four billion values positions no longer fit the index.
            (Entry::Vacant(_), Err(_)) => true,
            (Entry::Occupied(slot), _) => {
                let first = *slot.get() as usize;
                if self.values[first] == value {
                    return Err(self.rows[first]);
                }
                true
            }
        };
        if exact {
            match self.collided.entry(value.clone()) {
                Entry::Occupied(earlier) => return Err(*earlier.get()),
                Entry::Vacant(slot) => {
                    slot.insert(row);
                }
            }
        }
        self.values.push(value);
        self.rows.push(row);
        Ok(())
    }

    pub fn into_values(self) -> Vec<String> {
        self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value gets the same hash, so every second value takes the collision path.
    #[derive(Default)]
    struct Constant;

    impl Hasher for Constant {
        fn finish(&self) -> u64 {
            7
        }

        fn write(&mut self, _: &[u8]) {}
    }

    fn exercise<S: BuildHasher>(mut unique: Unique<S>) {
        assert_eq!(unique.insert("a".into(), 2), Ok(()));
        assert_eq!(unique.insert("b".into(), 3), Ok(()));
        assert_eq!(unique.insert("c".into(), 4), Ok(()));
        assert_eq!(unique.insert("a".into(), 5), Err(2));
        assert_eq!(unique.insert("c".into(), 6), Err(4));
        assert_eq!(unique.insert("b".into(), 7), Err(3));
        assert_eq!(unique.into_values(), ["a", "b", "c"]);
    }

    #[test]
    fn duplicates_name_the_first_row() {
        exercise(Unique::new());
    }

    #[test]
    fn hash_collisions_still_compare_values() {
        exercise(Unique::with_hasher(
            BuildHasherDefault::<Constant>::default(),
        ));
    }
}
