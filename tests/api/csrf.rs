use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ApiClient, PASSWORD, spawn_app};

#[tokio::test]
async fn a_form_post_without_a_valid_csrf_token_gets_403_and_changes_nothing() {
    let app = spawn_app().await;
    let (admin, _) = app.login_as(&[Role::Admin]).await;
    let users_before = app.count("SELECT COUNT(*) FROM users").await;
    let form = [
        ("email", "new@example.com"),
        ("display_name", "New"),
        ("password", PASSWORD),
        ("role_admin", "on"),
    ];

    let response = admin.post_form_raw("/admin/users", &form).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("CSRF"));

    let mut forged = form.to_vec();
    forged.push((
        "csrf_token",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ));
    assert_eq!(
        admin.post_form_raw("/admin/users", &forged).await.status(),
        StatusCode::FORBIDDEN
    );

    // A token from another session does not work either.
    let other = app.browser();
    let foreign = other.csrf_token().await;
    let mut foreign_form = form.to_vec();
    foreign_form.push(("csrf_token", &foreign));
    assert_eq!(
        admin
            .post_form_raw("/admin/users", &foreign_form)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users_before);

    // The same form with the right token works.
    assert_eq!(
        admin.post_form("/admin/users", &form).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users").await,
        users_before + 1
    );
}

#[tokio::test]
async fn login_and_logout_forms_need_the_token_too() {
    let app = spawn_app().await;
    let user = app.create_user(&[]).await;
    let browser = app.browser();
    let response = browser
        .post_form_raw("/login", &[("email", &user.email), ("password", PASSWORD)])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );

    browser.login(&user.email, PASSWORD).await;
    assert_eq!(
        browser.post_form_raw("/logout", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        browser.get("/api/v1/me").await.status(),
        StatusCode::OK,
        "still logged in"
    );
}

#[tokio::test]
async fn the_token_is_accepted_from_the_header() {
    let app = spawn_app().await;
    let user = app.create_user(&[]).await;
    let browser = app.browser();
    let token = browser.csrf_token().await;
    let response = browser
        .client
        .post(app.url("/login"))
        .header("x-csrf-token", token)
        .form(&[("email", user.email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn cookie_authenticated_api_calls_need_json_or_the_token() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[]).await;
    // A cross-site form could send this body; it must not pass on the cookie alone.
    let response = browser
        .post_form_raw("/api/v1/tokens", &[("name", "sneaky")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = browser
        .client
        .post(app.url("/api/v1/tokens"))
        .header("content-type", "text/plain")
        .body(r#"{"name": "sneaky"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 0);

    let response = browser
        .post_json("/api/v1/tokens", &json!({"name": "fine"}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn bearer_requests_need_no_csrf_token() {
    let app = spawn_app().await;
    let (token, _) = app.token_for(&[]).await;
    let api = ApiClient::new(&app, &token);
    let response = api
        .request(reqwest::Method::POST, "/api/v1/tokens")
        .json(&json!({"name": "from a script"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}
