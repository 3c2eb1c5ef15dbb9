//! Security headers: a Content-Security-Policy whose nonce every script of the page carries, and
//! HSTS for https deployments only.

use super::helpers::{client, spawn_app, spawn_app_with};

/// The nonce named by a policy's `script-src`.
fn nonce_of(policy: &str) -> String {
    let start = policy.find("'nonce-").expect("the policy names a nonce") + "'nonce-".len();
    policy[start..].split('\'').next().unwrap().to_string()
}

#[sqlx::test(migrations = "../migrations")]
async fn every_script_on_a_page_carries_the_policy_nonce(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let response = client().get(app.url("/login")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(policy.starts_with("default-src 'self';"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(
            response
                .headers()
                .get("strict-transport-security")
                .is_none(),
            "no HSTS over plain http"
        );
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        let nonce = nonce_of(&policy);
        let page = response.text().await.unwrap();
        let scripts: Vec<&str> = page.split("<script").skip(1).collect();
        assert!(!scripts.is_empty(), "the page hydrates with a script");
        for script in scripts {
            let tag = script.split('>').next().unwrap();
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "script without the nonce: <script{tag}>"
            );
        }
        assert!(!page.contains(" style=\""), "no inline style attributes");
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a new nonce for every response");
}

#[sqlx::test(migrations = "../migrations")]
async fn hsts_only_when_users_reach_ocm_over_https(pool: sqlx::PgPool) {
    let app = spawn_app_with(pool, &[("OCM_PUBLIC_URL", "https://ocm.example.com")]).await;
    let https = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(
        https.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn signed_in_pages_keep_to_the_policy(pool: sqlx::PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signed_in("admin").await;
    for path in [
        "/",
        "/lists",
        "/dnc",
        "/audit",
        "/campaigns",
        "/uploads",
        "/purge/history",
    ] {
        let response = admin.get(app.url(path)).send().await.unwrap();
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let nonce = nonce_of(&policy);
        let page = response.text().await.unwrap();
        for script in page.split("<script").skip(1) {
            let tag = script.split('>').next().unwrap();
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: script without the nonce: <script{tag}>"
            );
        }
        assert!(
            !page.contains(" style=\""),
            "{path}: an inline style attribute"
        );
        assert!(!page.contains(" onclick="), "{path}: an inline handler");
    }
}
