//! The statement counter: every database statement a request runs, counted per request and
//! exactly, so routes can be held to a budget.
use kring::web::statements::HEADER;
use reqwest::{Response, StatusCode};

use crate::helpers::{spawn_app, spawn_app_with};

fn statements(response: &Response) -> u64 {
    response
        .headers()
        .get(HEADER)
        .unwrap_or_else(|| panic!("no {HEADER} header"))
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_request_counts_exactly_its_own_statements() {
    let app = spawn_app().await;

    // `/healthz` runs one statement, `SELECT 1`: no cookie, so no session or user lookup.
    let response = app.browser().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(statements(&response), 1);

    // Concurrent requests each count their own statements, not their neighbours'.
    let requests = (0..12).map(|_| {
        let browser = app.browser();
        async move { browser.get("/healthz").await }
    });
    for response in futures_util::future::join_all(requests).await {
        assert_eq!(statements(&response), 1);
    }

    // `/api/v1/me` with a token, the first time: the token with its user (one join), the
    // token's last use, the user's roles, this week's activity, the user's row for the view.
    let (client, _) = app.api_user(&[]).await;
    let response = client.get("/api/v1/me").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(statements(&response), 5);
    // Again within the minute: the last use and the week's activity are recorded already.
    let response = client.get("/api/v1/me").await;
    assert_eq!(statements(&response), 3);
}

#[tokio::test]
async fn the_count_is_not_sent_unless_turned_on() {
    let app = spawn_app_with(|s| s.diagnostic_headers = false).await;
    let response = app.browser().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(HEADER).is_none());
}
