//! Before/after bars per campaign as inline SVG, drawn on the server (no script needed). Written
//! as markup so the elements get the SVG namespace however the page is drawn.

use crate::components::pager::thousands;
use crate::model::CampaignCount;

const HEIGHT: f64 = 150.0;
const TOP: f64 = 16.0;
const GROUP: f64 = 64.0;
const BAR: f64 = 22.0;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart's markup: grey bars before, blue bars after, the campaign id under each pair.
pub fn campaign_chart(campaigns: &[CampaignCount]) -> String {
    let max = campaigns.iter().map(|c| c.before).max().unwrap_or(0).max(1) as f64;
    let width = (campaigns.len() as f64 * GROUP).max(GROUP * 2.0) + 8.0;
    let total_height = TOP + HEIGHT + 34.0;
    let summary = campaigns
        .iter()
        .map(|c| match c.after {
            Some(after) => format!("{}: {} before, {} after", c.campaign_id, c.before, after),
            None => format!("{}: {} before", c.campaign_id, c.before),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let label = escape(&format!(
        "Contacts per campaign before and after the purge. {summary}."
    ));
    let mut svg = format!(
        r#"<svg class="bar-chart" role="img" aria-label="{label}" viewBox="0 0 {width} {total_height}" width="{width}" height="{total_height}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title><line x1="4" y1="{base}" x2="{width}" y2="{base}" class="axis"/>"#,
        base = TOP + HEIGHT,
    );
    for (index, campaign) in campaigns.iter().enumerate() {
        let x = 8.0 + index as f64 * GROUP;
        let id = escape(&campaign.campaign_id);
        let short: String = campaign.campaign_id.chars().take(9).collect();
        let mut bar = |class: &str, offset: f64, value: i64, word: &str| {
            let h = (value as f64 / max * HEIGHT).max(if value > 0 { 1.0 } else { 0.0 });
            let y = TOP + HEIGHT - h;
            svg.push_str(&format!(
                r#"<rect class="{class}" x="{bx}" y="{y:.1}" width="{BAR}" height="{h:.1}"><title>{id} {word}: {count}</title></rect><text class="value" x="{tx}" y="{ty:.1}">{count}</text>"#,
                bx = x + offset,
                tx = x + offset + BAR / 2.0,
                ty = y - 3.0,
                count = thousands(value),
            ));
        };
        bar("before", 0.0, campaign.before, "before");
        if let Some(after) = campaign.after {
            bar("after", BAR + 2.0, after, "after");
        }
        svg.push_str(&format!(
            r#"<text class="label" x="{lx}" y="{ly}">{short}</text>"#,
            lx = x + BAR + 1.0,
            ly = TOP + HEIGHT + 16.0,
            short = escape(&short),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_names_every_campaign_and_escapes_ids() {
        let svg = campaign_chart(&[
            CampaignCount {
                campaign_id: "SPRING<1>".into(),
                before: 120,
                after: Some(20),
            },
            CampaignCount {
                campaign_id: "AUTUMN".into(),
                before: 40,
                after: None,
            },
        ]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("SPRING&lt;1&gt;: 120 before, 20 after; AUTUMN: 40 before."));
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(!svg.contains("<1>"));
    }
}
