//! Files built to exhaust the reader, through the real upload form: each is stored as refused
//! with a reason naming the bound it passed, and OCM goes on answering (issue 14). The full
//! hostile corpus, with its memory bound, runs in `app`'s `backend::tabular::tests`.

use sqlx::PgPool;

use super::dnc::{upload, upload_id, view};
use super::pom_sim::{spawn_with_pom, PomSim};

#[sqlx::test]
async fn hostile_text_files_are_refused_naming_the_bound(pool: PgPool) {
    let sim = PomSim::start().await;
    sim.add_dnc_list("Sales", Some("Sales"));
    let app = spawn_with_pom(pool.clone(), &sim, &[]).await;
    let client = app.signed_in("sup.a").await;
    let wide = format!("phone\n{}\n", ",".repeat(999_999)).into_bytes();
    let field = format!("phone\n\"{}\"\n", "9".repeat(10 << 20)).into_bytes();
    for (name, bytes, bound) in [
        ("wide.csv", wide, "OCM reads at most 16,384 columns"),
        (
            "field.csv",
            field,
            "OCM reads at most 262,144 bytes (256 KiB) per row",
        ),
    ] {
        let fields = [("mode", "dnc_list".to_string())];
        let location = upload(&app, &client, name, bytes, &fields).await;
        let refused = view(&app, &client, upload_id(&location)).await;
        assert_eq!(refused["state"], "refused", "{name}: {refused}");
        let problem = refused["problem"].as_str().unwrap_or_default();
        assert!(problem.contains(bound), "{name}: {problem}");
    }
    let healthy = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(healthy.status(), 200);
}
