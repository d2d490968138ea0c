use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, error_code, spawn_app};

fn account(email: &str) -> Value {
    json!({"email": email, "display_name": "Newcomer", "password": PASSWORD})
}

#[tokio::test]
async fn registration_is_off_by_default() {
    let app = spawn_app().await;
    app.create_user(&[Role::Admin]).await;
    let browser = app.browser();
    assert_eq!(
        browser.get("/register").await.status(),
        StatusCode::NOT_FOUND
    );
    let response = browser
        .post_json("/api/v1/register", &account("new@example.com"))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(!browser.get_html("/login").await.contains("/register"));
}

#[tokio::test]
async fn an_admin_opens_registration_for_allowed_domains_only() {
    let app = spawn_app().await;
    let (admin, _) = app.login_as(&[Role::Admin]).await;

    let response = admin
        .post_form(
            "/admin/settings/registration",
            &[("enabled", "on"), ("domains", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Add at least one email domain")
    );

    let response = admin
        .post_form(
            "/admin/settings/registration",
            &[("enabled", "on"), ("domains", "Example.com\n@kring.nl")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let settings: Value = admin
        .get("/api/v1/admin/registration")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        settings,
        json!({"enabled": true, "allowed_domains": ["example.com", "kring.nl"]})
    );

    let browser = app.browser();
    assert!(
        browser
            .get_html("/login")
            .await
            .contains("href=\"/register\"")
    );
    let response = browser
        .post_form(
            "/register",
            &[
                ("email", "outsider@gmail.com"),
                ("display_name", "Out"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("example.com, kring.nl")
    );

    let response = browser
        .post_form(
            "/register",
            &[
                ("email", "new@kring.nl"),
                ("display_name", "New"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    // The account waits for its mailbox to be proven (see web_security.rs for the link).
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("Check your email"));
    assert_eq!(
        browser.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM users WHERE email = 'new@kring.nl' \
             AND is_active = false AND email_verified_at IS NULL"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM mail_outbox WHERE template = 'verify_email'")
            .await,
        1
    );

    // The same answer for an address that has an account.
    let response = app
        .browser()
        .post_json("/api/v1/register", &account("new@kring.nl"))
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let response = app
        .browser()
        .post_json("/api/v1/register", &account("x@evil.com"))
        .await;
    assert_eq!(error_code(response).await, "validation_failed");

    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.registration_changed'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.registered'")
            .await,
        1
    );

    // Closing it again.
    let response = admin
        .put_json(
            "/api/v1/admin/registration",
            &json!({"enabled": false, "allowed_domains": ["example.com"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.browser().get("/register").await.status(),
        StatusCode::NOT_FOUND
    );
    let response = admin
        .put_json(
            "/api/v1/admin/registration",
            &json!({"enabled": true, "allowed_domains": ["not a domain"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
