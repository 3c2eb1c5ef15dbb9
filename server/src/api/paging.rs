//! Cursor paging of the API's collections (`limit`, `cursor`, `next_cursor`) and the query
//! string read with problems that name the parameter. Collections are ordered by a unique key;
//! the cursor is that key of the last item sent (any string is a cursor: the items after it).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::edge::api::Problem;

/// Items per page unless `limit` says otherwise, and the most it may say.
pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 500;

/// A query string decoded into `T`; an unknown or malformed parameter is `invalid_parameter`
/// naming it.
pub struct ApiQuery<T>(pub T);

/// Decodes a query string, naming the parameter at fault.
pub fn decode_query<T: DeserializeOwned>(query: &str) -> Result<T, Problem> {
    let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(pairs).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        // serde names an unknown or missing parameter only in its message, between backticks.
        let named = message.split('`').nth(1).filter(|_| path == ".");
        let field = match named {
            Some(name) => name.to_string(),
            None if path == "." => "query".to_string(),
            None => path,
        };
        Problem::invalid(
            field,
            format!("The query string is not acceptable: {message}"),
        )
    })
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        decode_query(parts.uri.query().unwrap_or_default()).map(ApiQuery)
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
    let after = cursor.filter(|c| !c.is_empty());
    let mut rest: Vec<T> = items
        .into_iter()
        .filter(|item| after.is_none_or(|a| key(item) > a))
        .collect();
    let more = rest.len() > limit;
    rest.truncate(limit);
    let next = more
        .then(|| rest.last().map(|last| key(last).to_string()))
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
        // Any string is a cursor: the items after it.
        let (after_b, _) = page(items, |s| s, None, Some("c2x")).unwrap();
        assert_eq!(after_b, ["c3", "c4"]);
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Query {
        list: String,
        limit: Option<usize>,
    }

    #[test]
    fn query_problems_name_the_parameter() {
        let unknown = decode_query::<Query>("list=a&lmit=3").unwrap_err();
        assert_eq!(unknown.field.as_deref(), Some("lmit"));
        let wrong = decode_query::<Query>("list=a&limit=many").unwrap_err();
        assert_eq!(wrong.field.as_deref(), Some("limit"));
        let missing = decode_query::<Query>("limit=1").unwrap_err();
        assert_eq!(missing.field.as_deref(), Some("list"));
        assert!(decode_query::<Query>("list=a%20b&limit=2").is_ok());
    }
}
