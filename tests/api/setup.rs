use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, error_code, location, spawn_app};

fn setup_form<'a>(email: &'a str, name: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("email", email),
        ("display_name", name),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ]
}

#[tokio::test]
async fn an_empty_installation_sends_visitors_to_setup() {
    let app = spawn_app().await;
    let browser = app.browser();
    for path in ["/", "/login", "/account"] {
        let response = browser.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), "/setup", "{path}");
    }
    assert!(
        browser
            .get_html("/setup")
            .await
            .contains("action=\"/setup\"")
    );
}

#[tokio::test]
async fn setup_creates_exactly_one_admin_and_logs_them_in() {
    let app = spawn_app().await;
    let browser = app.browser();
    let response = browser
        .post_form("/setup", &setup_form("Founder@Example.com", "Founder"))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");

    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    let me: Value = browser.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["email"], "founder@example.com");
    assert_eq!(me["roles"], json!(["member", "admin"]));
    assert!(browser.get_html("/").await.contains("Founder"));
}

#[tokio::test]
async fn setup_cannot_be_replayed() {
    let app = spawn_app().await;
    let first = app.browser();
    first
        .post_form("/setup", &setup_form("founder@example.com", "Founder"))
        .await;

    // Another visitor, with a valid CSRF token of their own, tries again.
    let intruder = app.browser();
    let token = {
        let html = intruder.get("/login").await.text().await.unwrap();
        crate::helpers::extract_csrf(&html).unwrap()
    };
    let mut form = setup_form("intruder@example.com", "Intruder");
    form.push(("csrf_token", &token));
    let response = intruder.post_form_raw("/setup", &form).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(intruder.get("/setup").await.status(), StatusCode::NOT_FOUND);

    let response = intruder
        .post_json(
            "/api/v1/setup",
            &json!({"email": "x@example.com", "display_name": "X", "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'intruder@example.com'")
            .await,
        0
    );
}

#[tokio::test]
async fn simultaneous_setups_create_one_admin() {
    let app = spawn_app().await;
    let attempts = (0..6).map(|i| {
        let browser = app.browser();
        async move {
            let email = format!("admin{i}@example.com");
            browser
                .post_json(
                    "/api/v1/setup",
                    &json!({"email": email, "display_name": "Admin", "password": PASSWORD}),
                )
                .await
                .status()
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::NOT_FOUND),
        "{statuses:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn setup_with_bad_input_shows_the_form_again_with_the_values() {
    let app = spawn_app().await;
    let browser = app.browser();
    let response = browser
        .post_form(
            "/setup",
            &[
                ("email", "not-an-email"),
                ("display_name", "Founder"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Enter a valid email address."), "{html}");
    assert!(html.contains("value=\"Founder\""), "the name typed is kept");
    assert!(!html.contains(PASSWORD), "a password is never echoed");

    let response = browser
        .post_form(
            "/setup",
            &[
                ("email", "a@example.com"),
                ("display_name", "A"),
                ("password", PASSWORD),
                ("password_confirm", "something else"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("The two passwords differ.")
    );

    let response = browser
        .post_json(
            "/api/v1/setup",
            &json!({"email": "a@example.com", "display_name": "A", "password": "short"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(response).await, "validation_failed");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
}

#[tokio::test]
async fn a_user_created_on_the_command_line_closes_setup() {
    let app = spawn_app().await;
    app.create_user(&[Role::Admin]).await;
    assert_eq!(
        app.browser().get("/setup").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(location(&app.browser().get("/").await), "/login?next=%2F");
}
