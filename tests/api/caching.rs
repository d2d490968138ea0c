//! Caching and compression: fingerprinted assets are immutable, feeds answer `If-None-Match`
//! with 304, the JSON API and assets are compressed, HTML pages (CSRF token beside echoed
//! input) never are.
use kring::auth::types::Role;
use reqwest::{StatusCode, header};

use crate::helpers::spawn_app;

#[tokio::test]
async fn assets_under_the_current_fingerprint_are_immutable_others_revalidate() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[]).await;
    let home = browser.get_html("/").await;
    let at = home
        .find("/assets/css/kring.css?v=")
        .expect("a fingerprinted stylesheet");
    let url = &home[at..at + home[at..].find('"').unwrap()];
    let client = crate::helpers::client_builder().build().unwrap();
    let get = |path: String| {
        let client = client.clone();
        let app_url = app.url(&path);
        async move {
            client
                .get(app_url)
                .header(header::ACCEPT_ENCODING, "gzip")
                .send()
                .await
                .unwrap()
        }
    };
    let current = get(url.to_owned()).await;
    assert_eq!(current.status(), StatusCode::OK);
    assert_eq!(
        current.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(current.headers()[header::CONTENT_ENCODING], "gzip");
    for other in ["/assets/css/kring.css", "/assets/css/kring.css?v=0ld"] {
        let response = get(other.to_owned()).await;
        assert_eq!(response.status(), StatusCode::OK, "{other}");
        assert_eq!(
            response.headers()[header::CACHE_CONTROL],
            "public, max-age=3600, must-revalidate",
            "{other}"
        );
        assert!(response.headers().contains_key(header::ETAG), "{other}");
    }
}

#[tokio::test]
async fn the_api_is_compressed_html_pages_are_not() {
    let app = spawn_app().await;
    let (api, _) = app.api_user(&[Role::Admin]).await;
    let response = api
        .request(reqwest::Method::GET, "/api/v1/questions")
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    let (browser, _) = app.login_as(&[]).await;
    for page in ["/", "/search?q=secret", "/questions"] {
        let response = browser
            .client
            .get(app.url(page))
            .header(header::ACCEPT_ENCODING, "gzip, br")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{page}");
        assert!(
            !response.headers().contains_key(header::CONTENT_ENCODING),
            "{page} is compressed"
        );
    }
}

#[tokio::test]
async fn an_unchanged_feed_is_a_bodiless_304() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[Role::Ambassador]).await;
    browser
        .publish_post("Bike lease", "Sign up before May.", &["bikes"])
        .await;
    let first = browser.get("/blog/feed.atom").await;
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
    let conditional = |tag: String| {
        let client = browser.client.clone();
        let url = app.url("/blog/feed.atom");
        async move {
            client
                .get(url)
                .header(header::IF_NONE_MATCH, tag)
                .send()
                .await
                .unwrap()
        }
    };
    let again = conditional(etag.clone()).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[header::ETAG], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());
    // A new post changes the feed: the old tag no longer matches.
    browser
        .publish_post("Lunch walks", "Every Friday at noon.", &["health"])
        .await;
    let changed = conditional(etag.clone()).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()[header::ETAG], etag.as_str());
    assert!(changed.text().await.unwrap().contains("Lunch walks"));
}
