//! Sorting the reports by a column: every column a report offers sorts it (each one's SQL runs;
//! Agent Time keeps agents under their team and offers none),
//! a summary report's rows come in the chosen order across pages and in its export, a detail
//! report's time turns its order round, and a column it does not offer is refused naming `order`.

use serde_json::{json, Value};
use types::model::{
    CallAttemptRow, CodeListRow, ComplianceDayRow, InboundAbandonRow, JobSummaryRow,
    NotAttemptedRow, NotListedRow, NuisanceDayRow, RecallRow, SalesRow,
};
use types::report::{ColumnSort, ReportRow};

use super::agent_reports::{simulated_day, span};
use super::call_reports::csv_rows;
use super::purge_calls::call_json;

/// The keys of `R`'s columns that sort it.
fn sortable<R: ReportRow + 'static>() -> Vec<&'static str> {
    R::columns()
        .iter()
        .filter(|c| c.sorting() != ColumnSort::Never)
        .map(|c| c.key)
        .collect()
}

#[sqlx::test]
async fn reports_sort_by_the_columns_they_offer(pool: sqlx::PgPool) {
    let (app, records) = simulated_day(&pool).await;
    let (first, last) = span(&records);
    let manager = app.signed_in("mgr.a").await;
    let page = |endpoint: &'static str, filters: Value, sort: String, after: Option<String>| {
        let (app, manager) = (&app, &manager);
        async move {
            let position = match after {
                Some(after) => json!({ "after": after }),
                None => json!({}),
            };
            call_json(
                app,
                manager,
                endpoint,
                json!({ "request": { "filters": filters, "sort": { "order": sort }, "position": position } }),
            )
            .await
        }
    };
    let days = json!({ "from": first, "to": last });
    let reports: [(&str, Value, Vec<&str>); 10] = [
        (
            "reports/call-attempts",
            days.clone(),
            sortable::<CallAttemptRow>(),
        ),
        (
            "reports/nuisance",
            days.clone(),
            sortable::<NuisanceDayRow>(),
        ),
        (
            "reports/compliance",
            days.clone(),
            sortable::<ComplianceDayRow>(),
        ),
        (
            "reports/job-summary",
            days.clone(),
            sortable::<JobSummaryRow>(),
        ),
        ("reports/sales", days.clone(), sortable::<SalesRow>()),
        (
            "reports/codes",
            json!({ "from": first, "to": last, "kind": "nsp" }),
            sortable::<CodeListRow>(),
        ),
        ("reports/recalls", days.clone(), sortable::<RecallRow>()),
        (
            "reports/inbound-abandoned",
            days.clone(),
            sortable::<InboundAbandonRow>(),
        ),
        (
            "reports/not-attempted",
            days.clone(),
            sortable::<NotAttemptedRow>(),
        ),
        (
            "reports/not-in-listing",
            days.clone(),
            sortable::<NotListedRow>(),
        ),
    ];
    let mut failed = Vec::new();
    for (endpoint, filters, columns) in &reports {
        assert!(!columns.is_empty(), "{endpoint} sorts by something");
        for column in columns {
            for sign in ["", "-"] {
                let (status, _) =
                    page(endpoint, filters.clone(), format!("{sign}{column}"), None).await;
                if status != 200 {
                    failed.push(format!("{endpoint} by {sign}{column}: {status}"));
                }
            }
        }
        let (status, refused) =
            page(endpoint, filters.clone(), "-organizationx".into(), None).await;
        assert_eq!(status, 400, "{endpoint}: {refused}");
        assert!(refused.to_string().contains("order"), "{refused}");
    }
    assert!(failed.is_empty(), "{failed:#?}");

    // Job summaries by attempts, most first: two pages in that order, then the export.
    let filters = days.clone();
    let (_, one) = page(
        "reports/job-summary",
        filters.clone(),
        "-attempts".into(),
        None,
    )
    .await;
    let mut seen: Vec<f64> = number_column(&one, "attempts");
    assert!(seen.len() > 1, "{one}");
    if let Some(next) = one["next"].as_str() {
        let (_, two) = page(
            "reports/job-summary",
            filters.clone(),
            "-attempts".into(),
            Some(next.into()),
        )
        .await;
        seen.extend(number_column(&two, "attempts"));
    }
    let ordered = seen.windows(2).all(|w| w[0] >= w[1]);
    assert!(ordered, "largest first across pages: {seen:?}");
    let exported = csv_rows(
        &app,
        &manager,
        &format!("/reports/job-summary/export.csv?from={first}&to={last}&order=-attempts"),
    )
    .await;
    let exported: Vec<f64> = exported
        .iter()
        .map(|r| r["attempts"].parse::<f64>().unwrap_or(f64::NAN))
        .filter(|v| !v.is_nan())
        .collect();
    assert!(
        exported.windows(2).all(|w| w[0] >= w[1]),
        "the export sorts alike: {exported:?}"
    );

    // The Call Attempt report's time turns round: oldest first.
    let (_, newest) = page("reports/call-attempts", days.clone(), String::new(), None).await;
    let (_, oldest) = page(
        "reports/call-attempts",
        days.clone(),
        "attempt_at".into(),
        None,
    )
    .await;
    let times = |answer: &Value| -> Vec<String> {
        answer["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["attempt_at"].as_str().unwrap().to_string())
            .collect()
    };
    let (newest, oldest) = (times(&newest), times(&oldest));
    assert!(newest.windows(2).all(|w| w[0] >= w[1]), "{newest:?}");
    assert!(oldest.windows(2).all(|w| w[0] <= w[1]), "{oldest:?}");
    assert!(oldest.first() < newest.first(), "{oldest:?} {newest:?}");
}

/// The `column` of an answer's rows, as numbers (blank cells left out).
fn number_column(answer: &Value, column: &str) -> Vec<f64> {
    answer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r[column].as_f64())
        .collect()
}
