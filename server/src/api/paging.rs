//! Cursor paging of the API's collections (`limit`, `cursor`, `next_cursor`) and the query
//! string read with problems that name the parameter. Collections are ordered by a unique key;
//! the cursor is that key of the last item sent, opaque to clients.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::de::DeserializeOwned;

use crate::edge::api::Problem;

/// Items per page unless `limit` says otherwise, and the most it may say.
pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 500;

/// A query string decoded into `T`; an unknown or malformed parameter is `invalid_parameter`.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(value)| ApiQuery(value))
            .map_err(|rejection| Problem::invalid("query", rejection.body_text()))
    }
}

/// The page of `items` (sorted by `key`, unique) after `cursor`, and the cursor of the next.
pub fn page<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> &str,
    limit: Option<usize>,
    cursor: Option<&str>,
) -> Result<(Vec<T>, Option<String>), Problem> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Problem::invalid("limit", format!("1 to {MAX_LIMIT}")));
    }
    let after = match cursor.filter(|c| !c.is_empty()) {
        Some(cursor) => Some(
            URL_SAFE_NO_PAD
                .decode(cursor)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| Problem::invalid("cursor", "not a cursor this API gave"))?,
        ),
        None => None,
    };
    let mut rest: Vec<T> = items
        .into_iter()
        .filter(|item| after.as_deref().is_none_or(|a| key(item) > a))
        .collect();
    let more = rest.len() > limit;
    rest.truncate(limit);
    let next = more
        .then(|| rest.last().map(|last| URL_SAFE_NO_PAD.encode(key(last))))
        .flatten();
    Ok((rest, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_each_other_to_the_end() {
        let items: Vec<String> = (0..5).map(|i| format!("c{i}")).collect();
        let (first, next) = page(items.clone(), |s| s, Some(2), None).unwrap();
        assert_eq!(first, ["c0", "c1"]);
        let (second, next) = page(items.clone(), |s| s, Some(2), next.as_deref()).unwrap();
        assert_eq!(second, ["c2", "c3"]);
        let (last, next) = page(items.clone(), |s| s, Some(2), next.as_deref()).unwrap();
        assert_eq!((last, next), (vec!["c4".to_string()], None));
        assert_eq!(
            page(items.clone(), |s| s, Some(0), None)
                .unwrap_err()
                .field
                .as_deref(),
            Some("limit")
        );
        assert_eq!(
            page(items, |s| s, None, Some("%%"))
                .unwrap_err()
                .field
                .as_deref(),
            Some("cursor")
        );
    }
}
