//! The report contract's URL round trips, lenient reading and position arithmetic.

use super::*;

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Filters {
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    user: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    state: Vec<String>,
}

impl UrlQuery for Filters {}

#[test]
fn filters_round_trip_through_the_url_with_repeated_keys() {
    let request = ReportRequest {
        filters: Filters {
            user: Some("sam lee".into()),
            state: vec!["sent".into(), "failed".into()],
        },
        position: Position {
            after: Some("abc".into()),
            before: None,
            skipped: 50,
        },
        sort: Sort::by("user", true),
    };
    let query = request.to_query_string();
    assert_eq!(
        query,
        "user=sam+lee&state=sent&state=failed&order=-user&after=abc&skipped=50"
    );
    assert_eq!(request.sort.column(), Some(("user", true)));
    assert_eq!(Sort::by("user", false).column(), Some(("user", false)));
    assert_eq!(Sort::default().column(), None);
    assert_eq!(ReportRequest::<Filters>::from_query_string(&query), request);
}

#[test]
fn positions_saturate_at_the_ends_of_the_numbers() {
    let skipped = |first| {
        let (next, previous) = (Some("n".into()), Some("p".into()));
        let page = Page {
            rows: vec![0u8; 50],
            total: None,
            first,
            page_size: 50,
            next,
            previous,
        };
        let next = page.next_position().unwrap().skipped;
        (next, page.previous_position().unwrap().skipped)
    };
    assert_eq!(skipped(51), (100, 0));
    assert_eq!(skipped(i64::MAX), (i64::MAX, i64::MAX - 51));
    assert_eq!(skipped(i64::MIN), (50, 0));
}

#[test]
fn empty_form_fields_are_no_filter_and_garbage_is_the_default() {
    let read = ReportRequest::<Filters>::from_query_string("user=&skipped=x");
    assert_eq!(read, ReportRequest::default());
    let read = Filters::from_query_string("user=++");
    assert_eq!(read.user, None);
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Numbered {
    #[serde(
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    list_id: Option<i64>,
}

impl UrlQuery for Numbered {}

#[test]
fn numbers_read_from_the_url_and_from_json_alike() {
    let numbered = Numbered { list_id: Some(42) };
    assert_eq!(Numbered::from_query_string("list_id=42"), numbered);
    let json = serde_json::to_string(&numbered).unwrap();
    assert_eq!(serde_json::from_str::<Numbered>(&json).unwrap(), numbered);
    let none: Numbered = serde_json::from_str(r#"{"list_id":null}"#).unwrap();
    assert_eq!(none, Numbered::default());
}
