use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{error_code, spawn_app};

#[tokio::test]
async fn healthz_reports_ok_when_the_database_answers() {
    let app = spawn_app().await;
    let response = app.browser().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn healthz_reports_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db().clone().close().await.unwrap();
    let response = app.browser().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
}

#[tokio::test]
async fn an_internal_failure_shows_the_500_page_without_details() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[kring::auth::types::Role::Admin]).await;
    // Break one table the audit pages need; sessions and users keep working.
    sea_orm::ConnectionTrait::execute_unprepared(app.db(), "DROP TABLE audit_log")
        .await
        .unwrap();
    let response = browser.get("/admin/audit").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = response.text().await.unwrap();
    assert!(html.contains("Something went wrong"), "{html}");
    assert!(html.contains("href=\"/account\""), "the navigation stays");
    assert!(
        !html.contains("audit_log"),
        "no internal detail on the page"
    );
    let response = browser.get("/api/v1/admin/audit-log").await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "internal");
    assert!(!body.to_string().contains("audit_log"));
}

#[tokio::test]
async fn unknown_api_paths_answer_json_and_pages_answer_html() {
    let app = spawn_app().await;
    app.create_user(&[]).await;
    let browser = app.browser();
    let response = browser.get("/api/v1/no-such-thing").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(response).await, "not_found");

    let response = browser.get("/no-such-page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(response.text().await.unwrap().contains("Page not found"));

    // Logged in, the error page keeps the navigation, with a working logout form.
    let (member, _) = app.login_as(&[]).await;
    let html = member.get("/no-such-page").await.text().await.unwrap();
    assert!(
        html.contains("href=\"/account\""),
        "the logged-in navigation: {html}"
    );
    let token = crate::helpers::extract_csrf(&html).expect("the logout form has its token");
    let response = member
        .post_form_raw("/logout", &[("csrf_token", &token)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        member.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn malformed_json_is_a_400_with_the_error_format() {
    let app = spawn_app().await;
    let response = app
        .browser()
        .client
        .post(app.url("/api/v1/session"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "bad_request");

    let response = app
        .browser()
        .post_json("/api/v1/session", &serde_json::json!({"email": 5}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(response).await, "validation_failed");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/login",
        "/setup",
        "/api/v1/me",
        "/healthz",
        "/assets/css/kring.css",
    ] {
        let response = app.browser().get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
}

#[tokio::test]
async fn pages_have_no_inline_scripts_or_styles() {
    let app = spawn_app().await;
    let html = app.browser().get_html("/setup").await;
    assert!(!html.contains("<script>"), "inline script");
    assert!(!html.contains("style="), "inline style");
    assert!(!html.contains("<style"), "inline style element");
}

#[tokio::test]
async fn static_assets_are_cacheable_and_locales_are_not_served() {
    let app = spawn_app().await;
    let response = app.browser().get("/assets/css/kring.css").await;
    assert_eq!(response.status(), StatusCode::OK);
    let cache = response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cache.contains("max-age="), "{cache}");
    assert!(response.headers().contains_key("etag"));
    assert_eq!(
        app.browser()
            .get("/assets/locales/en/main.ftl")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_openapi_document_lists_the_endpoints() {
    let app = spawn_app().await;
    let doc: Value = app
        .browser()
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/session",
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
        "/api/v1/admin/users",
        "/api/v1/admin/users/{id}",
        "/api/v1/admin/audit-log",
        "/api/v1/admin/registration",
        "/healthz",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

    // Clients generated from the document name their methods after the operation ids, so two
    // operations may not share one.
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(id) = operation["operationId"].as_str() else {
                continue;
            };
            if let Some(first) = seen.insert(id.to_owned(), format!("{method} {path}")) {
                panic!("operation id {id} is used by {first} and {method} {path}");
            }
        }
    }
}
