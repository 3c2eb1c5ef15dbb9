//! The user list (`/admin/users`): filters by name, role, team, organization, active and last
//! sign-in on the report kit, each user opening their page, and the new-user form with the
//! credential it makes shown once.

use leptos::prelude::*;
use leptos_meta::Title;

use super::create_user::CreateUserForm;
use super::credential::CredentialPanel;
use crate::components::format::short_time;
use crate::components::report::fields::{plain_options, Field};
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::{no_row_attributes, TableSpec};
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{Credential, Directory, Role, UserFilters, UserRow};
use crate::server_fns::admin::{admin_directory, list_users};

const FORM: FormSpec = FormSpec {
    path: "/admin/users",
    label: "Filter the users",
    id_prefix: "users-",
    exports: &[Export {
        path: "/admin/user-list/export.csv",
        label: "Export CSV",
        testid: "users-export",
        title: Some("Column keys as the header; cells a spreadsheet could run get a leading '"),
    }],
};

fn cell(key: &'static str, row: &UserRow) -> Option<AnyView> {
    Some(match key {
        "username" => {
            let href = format!("/admin/users/{}", row.user_id);
            let pending = row.must_change_password.then(|| {
                view! { <span class="badge warn small" title="Has not chosen a password yet">"first sign-in pending"</span> }
            });
            view! { <a href=href>{row.username.clone()}</a>" "{pending} }.into_any()
        }
        "active" => {
            let (class, words) = if row.active {
                ("badge ok", "Active")
            } else {
                ("badge bad", "Disabled")
            };
            view! { <span class=class>{words}</span> }.into_any()
        }
        "last_sign_in" => row
            .last_sign_in
            .as_deref()
            .map_or_else(|| "never".to_string(), short_time)
            .into_any(),
        "created_at" => short_time(&row.created_at).into_any(),
        _ => return None,
    })
}

const TABLE: TableSpec<UserRow> = TableSpec {
    testid: "users",
    label: "Users",
    class: "data",
    empty: "No user matches these filters.",
    columns: &[
        "username",
        "display_name",
        "role",
        "team",
        "organization",
        "active",
        "last_sign_in",
        "open_sessions",
    ],
    classes: &[("last_sign_in", "nowrap")],
    cell,
    row: no_row_attributes,
};

fn fields(filters: UserFilters, directory: &Directory) -> Vec<Field> {
    let roles = std::iter::once((String::new(), "Any role".to_string()))
        .chain(
            Role::ALL
                .iter()
                .map(|r| (r.as_str().to_string(), r.label().to_string())),
        )
        .collect();
    let teams = directory.teams.iter().map(|t| t.name.clone());
    let organizations = directory.organizations.iter().map(|o| o.name.clone());
    let active = vec![
        (String::new(), "Active and disabled".to_string()),
        ("yes".to_string(), "Active".to_string()),
        ("no".to_string(), "Disabled".to_string()),
    ];
    vec![
        Field::verbatim("name", "Name", &filters.name, "user or display name"),
        Field::select(
            "role",
            "Role",
            filters.role.clone().unwrap_or_default(),
            roles,
        ),
        Field::select(
            "team",
            "Team",
            filters.team.clone().unwrap_or_default(),
            plain_options("Any team", teams),
        ),
        Field::select(
            "organization",
            "Organization",
            filters.organization.clone().unwrap_or_default(),
            plain_options("Any organization", organizations),
        ),
        Field::select(
            "active",
            "Status",
            filters.active.clone().unwrap_or_default(),
            active,
        ),
        Field::verbatim(
            "signed_in",
            "Signed in since",
            &filters.signed_in,
            "YYYY-MM-DD or never",
        ),
    ]
}

/// The user list page.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let directory = Resource::new(|| (), |_| admin_directory());
    let creating = RwSignal::new(false);
    let credential = RwSignal::new(None::<Credential>);
    let navigate = leptos_router::hooks::use_navigate();
    // The list then shows the new user (and reads the users again).
    let on_created = Callback::new(move |made: Credential| {
        let filter = format!("/admin/users?name={}", made.username);
        credential.set(Some(made));
        creating.set(false);
        navigate(&filter, Default::default());
    });
    let describe = move |filters: UserFilters, _: ()| async move {
        let directory = directory.await.unwrap_or_default();
        fields(filters, &directory)
    };
    view! {
        <Title text="Users"/>
        <div class="page-head">
            <h1>"Users"</h1>
            <p class="muted">"Who signs in to OCM, with which role, in which team and organization. Times are UTC."</p>
            <p class="actions">
                <button type="button" class="primary" data-testid="new-user" aria-expanded=move || creating.get().to_string()
                    on:click=move |_| { credential.set(None); creating.update(|c| *c = !*c); }>
                    "New user"
                </button>
                <a href="/admin/teams">"Teams and organizations →"</a>
                <a href="/admin/mappings">"Mappings →"</a>
                <a href="/admin/erasure">"Right to erasure →"</a>
                <a href="/admin/call-data">"Call data →"</a>
                <a href="/admin/report-access">"Report access →"</a>
                <a href="/admin/completion-rules">"Completion-code rules →"</a>
                <a href="/admin/api-clients">"API clients →"</a>
                <a href="/admin/settings">"Settings →"</a>
            </p>
        </div>
        {move || credential.get().map(|credential| view! { <CredentialPanel credential/> })}
        <Show when=move || creating.get()>
            <Suspense fallback=|| view! { <p class="muted" role="status">"Loading teams…"</p> }>
                {move || Suspend::new(async move {
                    let teams = directory.await.map(|d| d.teams).unwrap_or_default();
                    view! { <CreateUserForm teams on_created/> }
                })}
            </Suspense>
        </Show>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("user", "users"), order: Some("oldest first") },
            list_users,
            describe,
        )}
    }
}
