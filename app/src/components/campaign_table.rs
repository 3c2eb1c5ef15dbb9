//! Contacts per campaign id before and after a purge, as a compact table (dry run and run page).

use leptos::prelude::*;

use super::pager::thousands;
use crate::model::CampaignCount;

/// The before/after table; `testid` names it for end-to-end tests.
#[component]
pub fn CampaignTable(campaigns: Vec<CampaignCount>, testid: &'static str) -> impl IntoView {
    view! {
        <div class="table-wrap narrow" tabindex="0" role="region" aria-label="Contacts by campaign">
            <table class="data" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">"Campaign id"</th>
                        <th scope="col" class="num">"Before"</th>
                        <th scope="col" class="num">"After"</th>
                    </tr>
                </thead>
                <tbody>
                    {campaigns.into_iter().map(|c| view! {
                        <tr>
                            <td>{c.campaign_id}</td>
                            <td class="num">{thousands(c.before)}</td>
                            <td class="num">{c.after.map(thousands).unwrap_or_else(|| "—".into())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
