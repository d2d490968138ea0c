use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, error_code, spawn_app};

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let app = spawn_app().await;
    let (browser, user) = app.login_as(&[]).await;
    let other = app.browser();
    other.login(&user.email, PASSWORD).await;
    assert_eq!(other.get("/api/v1/me").await.status(), StatusCode::OK);

    let new_password = "an even longer new password";
    let response = browser
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        browser.get("/api/v1/me").await.status(),
        StatusCode::OK,
        "this browser stays logged in"
    );
    assert_eq!(
        other.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "the other is logged out"
    );

    assert_eq!(
        app.browser().login(&user.email, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.browser()
            .login(&user.email, new_password)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_wrong_current_password_or_a_short_new_one_is_refused() {
    let app = spawn_app().await;
    let (browser, user) = app.login_as(&[]).await;
    let response = browser
        .post_form(
            "/account/password",
            &[
                ("current_password", "not my password"),
                ("password", "a brand new password"),
                ("password_confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("The current password is not correct.")
    );

    let response = browser
        .put_json(
            "/api/v1/me/password",
            &json!({"current_password": PASSWORD, "new_password": "short"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(response).await, "validation_failed");

    assert_eq!(
        app.browser().login(&user.email, PASSWORD).await.status(),
        StatusCode::SEE_OTHER,
        "unchanged"
    );
}
