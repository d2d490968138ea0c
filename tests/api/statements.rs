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

    // `/api/v1/me` with a token: the token with its user and their roles (one statement), the
    // user's row for the view. The token's last use and this week's activity are noted in
    // memory and written by the bookkeeping lane, not by the request.
    let (client, _) = app.api_user(&[]).await;
    for _ in 0..2 {
        let response = client.get("/api/v1/me").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(statements(&response), 2);
    }
    // A page with a session: the session, its user, their roles and the navigation's counts in
    // one statement, before the page reads anything of its own.
    // (The first page after logging in writes the session once more, with its CSRF token.)
    let (browser, _) = app.login_as(&[]).await;
    browser.get("/account/password").await;
    let response = browser.get("/account/password").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(statements(&response), 1);
}

#[tokio::test]
async fn the_count_is_not_sent_unless_turned_on() {
    let app = spawn_app_with(|s| s.diagnostic_headers = false).await;
    let response = app.browser().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(HEADER).is_none());
}
