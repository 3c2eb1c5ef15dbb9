//! Keyset cursors: the sort key of a row (an optional instant, then a unique id), carried in the
//! URL as an opaque token. A token that does not read is no cursor (the first page), as a
//! hand-edited bookmark should not break the page; nor is an instant outside years 1–9999, which
//! `time` reads but Postgres cannot hold (it would fail the statement).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use time::OffsetDateTime;

/// Years a cursor's instant may fall in: every row's instant does, and Postgres holds them all.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// Which columns of a report's `select` order it: an optional instant, then a unique id that
/// breaks ties.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub at: Option<&'static str>,
    pub id: &'static str,
}

/// The sort key of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub at: Option<OffsetDateTime>,
    pub id: i64,
}

impl Cursor {
    /// The opaque token for the URL.
    pub fn encode(&self) -> String {
        let text = match self.at {
            Some(at) => format!("{}.{}", at.unix_timestamp_nanos(), self.id),
            None => self.id.to_string(),
        };
        URL_SAFE_NO_PAD.encode(text)
    }

    /// Reads a token made by [`Cursor::encode`] for a report sorted by `key`.
    pub fn decode(token: &str, key: Key) -> Option<Cursor> {
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(token.trim()).ok()?).ok()?;
        match (key.at, text.split_once('.')) {
            (Some(_), Some((nanos, id))) => {
                let at = OffsetDateTime::from_unix_timestamp_nanos(nanos.parse().ok()?).ok()?;
                YEARS.contains(&at.year()).then_some(Cursor {
                    at: Some(at),
                    id: id.parse().ok()?,
                })
            }
            (None, None) => Some(Cursor {
                at: None,
                id: text.parse().ok()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMED: Key = Key {
        at: Some("at"),
        id: "id",
    };
    const PLAIN: Key = Key { at: None, id: "id" };

    #[test]
    fn cursors_round_trip_and_garbage_is_no_cursor() {
        let timed = Cursor {
            at: Some(time::macros::datetime!(2026-11-01 10:00:00.123456 UTC)),
            id: 42,
        };
        assert_eq!(Cursor::decode(&timed.encode(), TIMED), Some(timed));
        let plain = Cursor { at: None, id: 7 };
        assert_eq!(Cursor::decode(&plain.encode(), PLAIN), Some(plain));
        assert_eq!(Cursor::decode(&plain.encode(), TIMED), None);
        assert_eq!(Cursor::decode("not a cursor!", PLAIN), None);
    }

    #[test]
    fn instants_postgres_cannot_hold_are_no_cursor() {
        // The reviewer's token: year -9999, which `time` reads and Postgres refuses.
        assert_eq!(
            Cursor::decode("LTM3NzcwNTExNjgwMDAwMDAwMDAwMC4x", TIMED),
            None
        );
        let at = |at| Cursor {
            at: Some(at),
            id: 1,
        };
        for outside in [
            time::macros::datetime!(0000-12-31 23:59:59.999999 UTC),
            time::macros::datetime!(-0001-06-01 00:00 UTC),
        ] {
            assert_eq!(Cursor::decode(&at(outside).encode(), TIMED), None);
        }
        for inside in [
            time::macros::datetime!(0001-01-01 00:00 UTC),
            time::macros::datetime!(9999-12-31 23:59:59.999999 UTC),
        ] {
            assert_eq!(
                Cursor::decode(&at(inside).encode(), TIMED),
                Some(at(inside))
            );
        }
    }
}
