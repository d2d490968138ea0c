use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ApiClient, error_code, spawn_app};

#[tokio::test]
async fn tokens_authenticate_with_bearer_and_stop_when_revoked() {
    let app = spawn_app().await;
    let (browser, user) = app.login_as(&[]).await;
    let response = browser
        .post_json("/api/v1/tokens", &json!({"name": "laptop script"}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("kring_"));

    let api = ApiClient::new(&app, &token);
    let me: Value = api.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["id"], user.id);

    // Listed without the secret; the database holds only a hash. The use is written by the
    // bookkeeping lane.
    app.drain().await;
    let list: Value = browser.get("/api/v1/tokens").await.json().await.unwrap();
    assert_eq!(list[0]["name"], "laptop script");
    assert!(list[0].get("token").is_none());
    assert!(list[0]["last_used_at"].is_string());
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{token}'"
        ))
        .await,
        0
    );

    let id = created["id"].as_i64().unwrap();
    assert_eq!(
        browser
            .delete(&format!("/api/v1/tokens/{id}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let response = api.get("/api/v1/me").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "unauthenticated");
}

#[tokio::test]
async fn an_invalid_bearer_token_is_401_even_with_a_session() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[]).await;
    for value in ["Bearer kring_0000", "Bearer nonsense", "bearer kring_"] {
        let response = browser
            .client
            .get(app.url("/api/v1/me"))
            .header("authorization", value)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{value}");
    }
}

#[tokio::test]
async fn nobody_revokes_someone_elses_token() {
    let app = spawn_app().await;
    let (owner, _) = app.login_as(&[]).await;
    let created: Value = owner
        .post_json("/api/v1/tokens", &json!({"name": "mine"}))
        .await
        .json()
        .await
        .unwrap();
    let (other, _) = app.login_as(&[Role::Admin]).await;
    let response = other
        .delete(&format!("/api/v1/tokens/{}", created["id"]))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let api = ApiClient::new(&app, created["token"].as_str().unwrap());
    assert_eq!(api.get("/api/v1/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_deactivated_users_tokens_stop_working() {
    let app = spawn_app().await;
    let (admin, _) = app.login_as(&[Role::Admin]).await;
    let (token, user) = app.token_for(&[]).await;
    let api = ApiClient::new(&app, &token);
    assert_eq!(api.get("/api/v1/me").await.status(), StatusCode::OK);
    admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", user.id),
            &json!({"is_active": false}),
        )
        .await;
    assert_eq!(
        api.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Reactivation does not bring revoked tokens back.
    admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", user.id),
            &json!({"is_active": true}),
        )
        .await;
    assert_eq!(
        api.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_tokens_page_shows_a_new_token_once() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[]).await;
    let response = browser
        .post_form("/account/tokens", &[("name", "CI")])
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let html = response.text().await.unwrap();
    let start = html.find("value=\"kring_").expect("the token is shown") + 7;
    let token = &html[start..start + 54];
    assert!(token.starts_with("kring_"), "{token}");

    let api = ApiClient::new(&app, token);
    assert_eq!(api.get("/api/v1/me").await.status(), StatusCode::OK);

    let html = browser.get_html("/account/tokens").await;
    assert!(html.contains("CI"));
    assert!(!html.contains(token), "never shown again");

    let response = browser
        .post_form("/account/tokens", &[("name", "  ")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let id: i64 = app.count("SELECT MAX(id) FROM api_tokens").await;
    let response = browser
        .post_form(&format!("/account/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        api.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(
        browser
            .get_html("/account/tokens")
            .await
            .contains("Revoked")
    );
}
