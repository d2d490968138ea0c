//! Text no part of Kring can keep: NUL (PostgreSQL refuses it in text; SQLite stored it) and the
//! other characters XML 1.0 cannot carry (C0 controls except tab, line feed and carriage return;
//! U+FFFE, U+FFFF), which would break the Atom feeds. Every way in refuses them with a clear
//! error and stores nothing: JSON bodies at any depth, forms, query strings, the address and
//! SCIM. Tabs and line breaks still pass.
use kring::auth::types::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::qa_api::{ask_id, created};

/// The characters refused, as JSON escapes and as the text they stand for.
const REFUSED: [char; 6] = ['\0', '\u{1}', '\u{8}', '\u{1b}', '\u{fffe}', '\u{ffff}'];

async fn questions(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM questions").await
}

/// A 422 that names `field` and the character, in the JSON error format.
async fn refused_text(response: reqwest::Response, field: &str, ch: char) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "validation_failed", "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    let code = format!("U+{:04X}", ch as u32);
    assert!(message.contains(field), "{message} names {field}");
    assert!(message.contains(&code), "{message} names {code}");
}

#[tokio::test]
async fn control_characters_in_json_are_refused_at_any_depth_and_store_nothing() {
    let app = spawn_app().await;
    let (client, _) = app.api_user(&[]).await;
    let qid = ask_id(
        &client,
        "Where is the printer on the third floor?",
        "office",
    )
    .await;
    let before = questions(&app).await;
    for ch in REFUSED {
        let title = format!("Where is the {ch} printer?");
        let response = client
            .post_json(
                "/api/v1/questions",
                &json!({"title": title, "body": "Details.", "tags": ["office"]}),
            )
            .await;
        refused_text(response, "title", ch).await;
        // Nested: the second tag of the list.
        let response = client
            .post_json(
                "/api/v1/questions",
                &json!({"title": "Where is the printer?", "body": "Details.",
                        "tags": ["office", format!("pr{ch}nt")]}),
            )
            .await;
        refused_text(response, "tags[1]", ch).await;
        let response = client
            .post_json(
                &format!("/api/v1/questions/{qid}/comments"),
                &json!({"body": format!("See {ch} above")}),
            )
            .await;
        refused_text(response, "body", ch).await;
    }
    assert_eq!(questions(&app).await, before, "nothing was stored");
    assert_eq!(app.count("SELECT COUNT(*) FROM qa_comments").await, 0);

    // Tabs and line breaks (also as CR LF) are text.
    let body = created(
        client
            .post_json(
                "/api/v1/questions",
                &json!({"title": "Tabs\tin a title?", "body": "Line one\r\nline\ttwo\n",
                        "tags": ["office"]}),
            )
            .await,
    )
    .await;
    // (A title's whitespace is folded to single spaces; the body keeps its tab.)
    assert_eq!(body["title"], "Tabs in a title?");
    assert!(
        body["body"].as_str().unwrap().contains("line\ttwo"),
        "{body}"
    );
    // A backslash followed by "u0000" is text too, not the character.
    let body = created(
        client
            .post_json(
                &format!("/api/v1/questions/{qid}/comments"),
                &json!({"body": "Type \\u0000 to mean NUL"}),
            )
            .await,
    )
    .await;
    assert!(body["body"].as_str().unwrap().contains("\\u0000"), "{body}");
}

#[tokio::test]
async fn control_characters_in_forms_queries_and_addresses_are_refused() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[]).await;
    let before = questions(&app).await;
    let response = browser
        .post_form(
            "/questions",
            &[
                ("title", "How do I reach the \0 VPN from home?"),
                ("body", "It times out."),
                ("tags", "vpn"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("U+0000") && html.contains("title"), "{html}");
    assert_eq!(questions(&app).await, before, "nothing was stored");

    // Query strings, the JSON API and pages: a malformed query (400), in the visitor's language.
    let (client, _) = app.api_user(&[]).await;
    for path in [
        "/api/v1/tags?q=a%00b",
        "/api/v1/questions?tag=%01",
        "/api/v1/search?q=%EF%BF%BF",
    ] {
        let response = client.get(path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bad_request", "{path}: {body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains("U+"),
            "{body}"
        );
    }
    let response = browser.get("/search?q=a%00b").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("U+0000"));
    // A tab in a search is fine.
    assert_eq!(
        client.get("/api/v1/tags?q=a%09b").await.status(),
        StatusCode::OK
    );

    // The address: no page or resource has a control character in its name.
    for path in ["/tags/a%00b", "/tags/a%00b/feed.atom", "/blog/a%00b"] {
        let response = browser.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn scim_refuses_control_characters_in_its_own_error_format() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let created: Value = admin
        .post_json("/api/v1/admin/scim-tokens", &json!({"name": "Entra ID"}))
        .await
        .json()
        .await
        .unwrap();
    let scim = crate::helpers::ApiClient::new(&app, created["token"].as_str().unwrap());
    let users = app.count("SELECT COUNT(*) FROM users").await;
    let response = scim
        .request(Method::POST, "/scim/v2/Users")
        .header("content-type", "application/scim+json")
        .body(
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "piet@example.com",
                "name": {"givenName": "Piet\u{0}", "familyName": "Jansen"},
                "emails": [{"value": "piet@example.com", "primary": true}],
                "active": true
            })
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["scimType"], "invalidValue", "{body}");
    assert_eq!(body["status"], "400", "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("name.givenName"),
        "{body}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users);

    let response = scim
        .get("/scim/v2/Users?filter=userName%20eq%20%22a%00b%22")
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["scimType"], "invalidValue", "{body}");
}

#[tokio::test]
async fn feeds_stay_well_formed_xml_when_stored_text_holds_control_characters() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let post = author
        .publish_post("A post about printers", "Body text.", &["printers"])
        .await;
    // Text stored before the guard existed (SQLite accepted it).
    app.exec(&format!(
        "UPDATE posts SET title = 'Printers\u{1} again' WHERE id = {}",
        post["id"]
    ))
    .await;
    let feed = author.get("/blog/feed.atom").await.text().await.unwrap();
    assert!(feed.contains("Printers again"), "{feed}");
    let bad = feed
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    assert_eq!(bad, None, "the feed holds a character XML cannot carry");
}

#[tokio::test]
async fn a_provider_subject_with_a_control_character_signs_no_one_in() {
    use crate::{oidc_peer::Peer, sso};
    let app = spawn_app().await;
    let peer = Peer::start().await;
    sso::configure(&app, &peer).await;
    let users = app.count("SELECT COUNT(*) FROM users").await;
    peer.set_user(json!({
        "sub": "jdv\u{0}1", "email": "jan@example.com", "email_verified": true, "name": "Jan",
    }));
    let browser = app.browser();
    let outcome = sso::sign_in(&browser, "/").await;
    assert_eq!(outcome.status, StatusCode::BAD_REQUEST, "{}", outcome.body);
    assert!(
        outcome.body.contains("data-sso-error=\"token\""),
        "{}",
        outcome.body
    );
    assert!(sso::me(&browser).await.is_none());
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users);

    // A name is the directory's to fix: its control characters are dropped, the person signs in.
    peer.set_user(json!({
        "sub": "jdv-1", "email": "jan@example.com", "email_verified": true, "name": "Jan\u{0} de Vries",
    }));
    let browser = app.browser();
    let outcome = sso::sign_in(&browser, "/").await;
    assert_eq!(outcome.status, StatusCode::SEE_OTHER, "{}", outcome.body);
    assert_eq!(
        sso::me(&browser).await.unwrap()["display_name"],
        "Jan de Vries"
    );
}
