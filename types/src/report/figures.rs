//! What a summarised report answers besides its page: the totals of everything filtered, a chart
//! of it, and the report time zone its days are in; and the metric dictionary's entry type, one
//! definition per column for pages, files and the API alike.

use serde::{Deserialize, Serialize};

use super::Page;

/// A page of a call-data report with its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportAnswer<R> {
    #[serde(flatten)]
    pub page: Page<R>,
    /// One row adding up every filtered row (not only this page's), when the report has totals.
    pub totals: Option<R>,
    /// A chart of everything filtered, when the report has one.
    pub chart: Option<Chart>,
    /// The IANA zone whose days and hours the report's dates are in (`OCM_REPORT_TIME_ZONE`).
    pub time_zone: String,
}

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// One bar per point and series, side by side.
    Bars,
    /// The series stacked in one bar per point.
    StackedBars,
    /// One line per series.
    Lines,
}

/// What a chart's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartUnit {
    Count,
    Percent,
    Seconds,
    Hours,
}

/// A chart drawn on the server as SVG: labelled points (days, hours, agents), one value per
/// series at each, and an optional limit line (the 3 % abandon limit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub title: String,
    pub kind: ChartKind,
    pub unit: ChartUnit,
    pub series: Vec<String>,
    pub points: Vec<ChartPoint>,
    /// A value drawn across the chart, with its label.
    pub limit: Option<(f64, String)>,
}

/// One labelled point of a chart: a value per series, in the series' order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartPoint {
    pub label: String,
    pub values: Vec<f64>,
}

/// One entry of the metric dictionary (`docs/reports.md`): a column's key as files and the API
/// name it, what it means, and how it is computed from the call data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    pub key: &'static str,
    pub name: &'static str,
    pub definition: &'static str,
    pub formula: &'static str,
}
