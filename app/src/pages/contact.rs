//! One contact of a list (`/lists/{id}/contacts/{contact}`, admins and supervisors): its
//! attributes as POM holds them now, and what the completion-code rules did to it after its calls
//! (the applications report for this contact), with links to its callbacks and the full report.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::format::error_text;
use crate::components::load_error::{path_id, LoadError};
use crate::components::report::table::{ReportTable, TableSpec};
use crate::error::AppError;
use crate::model::{
    percent_encode, ContactSearchQuery, ContactsPage, RuleApplicationFilters, RuleApplicationRow,
};
use crate::pages::rule_applications::TABLE;
use crate::server_fns::completion_rules::completion_rule_applications;
use crate::server_fns::lists::list_contacts;
use types::report::{Page, ReportRequest};

/// The applications report's table, with its empty sentence about this contact.
const CONTACT_TABLE: TableSpec<RuleApplicationRow> = TableSpec {
    empty: "No completion-code rule has acted on this contact yet.",
    ..TABLE
};

/// The contact as POM holds it, and the rules' applications to it.
async fn load(
    list_id: i64,
    contact: String,
) -> Result<(ContactsPage, Result<Page<RuleApplicationRow>, AppError>), AppError> {
    let search = ContactSearchQuery {
        attribute: "userContactId".into(),
        operator: "equals".into(),
        value: contact.clone(),
    };
    let page = list_contacts(list_id, 0, Some(search)).await?;
    let request = ReportRequest {
        filters: RuleApplicationFilters {
            list: Some(page.list.name.clone()),
            contact: Some(contact),
            ..Default::default()
        },
        ..Default::default()
    };
    let applications = completion_rule_applications(request).await;
    Ok((page, applications))
}

/// The contact page.
#[component]
pub fn ContactPage() -> impl IntoView {
    let list_id = path_id("a contact list");
    let params = use_params_map();
    let contact = Memo::new(move |_| params.with(|p| p.get("contact").unwrap_or_default()));
    let data = Resource::new(
        move || (list_id.get(), contact.get()),
        |(id, contact)| async move { load(id?, contact).await },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Reading the contact from POM…"</p> }>
            {move || Suspend::new(async move {
                let id = list_id.get_untracked().unwrap_or(0);
                let contact = contact.get_untracked();
                let title = format!("Contact {contact}");
                match data.await {
                    Ok((page, applications)) => {
                        let list_name = page.list.name.clone();
                        let found = page.rows.first().cloned();
                        let report = format!(
                            "/completion-rules/applications?list={}&contact={}",
                            percent_encode(&list_name),
                            percent_encode(&contact)
                        );
                        let callbacks = format!("/callbacks?contact={}", percent_encode(&contact));
                        view! {
                            <Title text=title.clone()/>
                            <div class="page-head">
                                <h1 data-testid="contact-title">{title.clone()}</h1>
                                <p class="muted">"In "<a href=format!("/lists/{id}")>{list_name.clone()}</a>" ("{page.list.organization.clone()}"). "<a href=callbacks>"Callbacks of this contact →"</a></p>
                            </div>
                            <section class="section" aria-labelledby="contact-attributes-title">
                                <h2 id="contact-attributes-title">"Attributes in POM"</h2>
                                {match found {
                                    Some(values) => view! {
                                        <dl class="summary" data-testid="contact-attributes">
                                            {page.columns.iter().zip(values).map(|(name, value)| view! {
                                                <div data-attribute=name.clone()><dt>{name.clone()}</dt><dd>{if value.is_empty() { "—".to_string() } else { value }}</dd></div>
                                            }).collect_view()}
                                        </dl>
                                    }.into_any(),
                                    None => view! { <p class="notice" role="status" data-testid="contact-missing">"POM holds no such contact in this list now (it may have been deleted); what OCM did to it is below."</p> }.into_any(),
                                }}
                            </section>
                            <section class="section" aria-labelledby="contact-rules-title">
                                <div class="card-head">
                                    <h2 id="contact-rules-title">"Completion-code rules applied"</h2>
                                    <a href=report>"In the report →"</a>
                                </div>
                                {match applications {
                                    Ok(page) => view! { <ReportTable spec=CONTACT_TABLE rows=page.rows/> }.into_any(),
                                    Err(error) => view! { <p class="notice error" role="alert">{error_text(&error)}</p> }.into_any(),
                                }}
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! {
                        <Title text=title.clone()/>
                        <div class="page-head"><h1>{title.clone()}</h1><a href="/lists">"← All lists"</a></div>
                        <LoadError error/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
