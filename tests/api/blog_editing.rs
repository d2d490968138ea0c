//! Writing and moderating: the editor pages, slugs that survive renames, revisions, archive,
//! unpublish, pagination and the API's validation.
use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{error_code, location, spawn_app};

#[tokio::test]
async fn writing_through_the_editor_pages() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    assert!(author.get_html("/blog/new").await.contains("id=\"editor\""));

    // A bad form comes back with what was typed.
    let response = author
        .post_form(
            "/blog/posts",
            &[
                ("title", ""),
                ("body", "Kept text"),
                ("tags", "a, b"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Enter a title.")
            && html.contains("Kept text")
            && html.contains("value=\"a, b\"")
    );

    let response = author
        .post_form(
            "/blog/posts",
            &[
                ("title", "Thuiswerken: zó doe je dat"),
                ("body", "# Kop\n\nTekst."),
                ("tags", "Thuiswerken, VPN"),
                ("language", "nl"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let edit_url = location(&response);
    assert!(edit_url.ends_with("/edit"), "{edit_url}");
    let html = author.get_html(&edit_url).await;
    assert!(
        html.contains("Draft saved.") && html.contains("<h1>Kop</h1>"),
        "preview of the saved text"
    );
    let id: i64 = edit_url.split('/').nth(3).unwrap().parse().unwrap();
    let post: Value = author
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(post["slug"], "thuiswerken-zo-doe-je-dat");
    assert_eq!(post["tags"], json!(["thuiswerken", "vpn"]));
    assert_eq!(post["language"], "nl");
    assert_eq!(post["status"], "draft");

    // Publish from the editor.
    let response = author
        .post_form(
            &format!("/blog/posts/{id}"),
            &[
                ("title", "Thuiswerken: zó doe je dat"),
                ("body", "# Kop\n\nTekst."),
                ("tags", "thuiswerken"),
                ("language", "nl"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/blog/thuiswerken-zo-doe-je-dat");
    let page = author.get_html("/blog/thuiswerken-zo-doe-je-dat").await;
    assert!(page.contains("Your post is published.") && page.contains("lang=\"nl\""));
    assert!(
        author
            .get_html("/tags/thuiswerken")
            .await
            .contains("Thuiswerken: zó doe je dat")
    );
    // Scheduling from the editor: local time plus the browser's offset.
    let second = author.create_post("Later", "text", &[]).await;
    let response = author
        .post_form(
            &format!("/blog/posts/{}", second["id"]),
            &[
                ("title", "Later"),
                ("body", "text"),
                ("action", "publish"),
                ("scheduled_local", "2099-01-01T09:30"),
                ("tz_offset", "-60"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let later: Value = author
        .get(&format!("/api/v1/posts/{}", second["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(later["status"], "scheduled");
    assert_eq!(later["scheduled_at"], "2099-01-01T08:30:00Z");
}

#[tokio::test]
async fn a_renamed_post_keeps_its_old_link_and_its_revisions() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let (reader, _) = app.login_as(&[]).await;
    let post = author.publish_post("First title", "First text", &[]).await;
    let id = post["id"].as_i64().unwrap();
    let updated: Value = author
        .patch_json(
            &format!("/api/v1/posts/{id}"),
            &json!({"title": "Second title", "body": "Second text"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(updated["slug"], "second-title");
    let response = reader.get("/blog/first-title").await;
    assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location(&response), "/blog/second-title");
    // A new post may not take the old slug over.
    let other = author.create_post("First title", "x", &[]).await;
    assert_eq!(other["slug"], "first-title-2");

    author
        .patch_json(
            &format!("/api/v1/posts/{id}"),
            &json!({"body": "Third text"}),
        )
        .await;
    let revisions: Value = author
        .get(&format!("/api/v1/posts/{id}/revisions"))
        .await
        .json()
        .await
        .unwrap();
    let bodies: Vec<&str> = revisions
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, vec!["Second text", "First text"]);
    assert!(
        author
            .get_html(&format!("/blog/posts/{id}/revisions"))
            .await
            .contains("First text")
    );
    assert_eq!(
        reader
            .get(&format!("/api/v1/posts/{id}/revisions"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // Editing someone else's post is refused.
    let response = reader
        .patch_json(
            &format!("/api/v1/posts/{id}"),
            &json!({"title": "Hijacked"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Drafts keep no revisions.
    let draft = author.create_post("Draft", "v1", &[]).await;
    author
        .patch_json(
            &format!("/api/v1/posts/{}", draft["id"]),
            &json!({"body": "v2"}),
        )
        .await;
    let revisions: Value = author
        .get(&format!("/api/v1/posts/{}/revisions", draft["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(revisions, json!([]));
}

#[tokio::test]
async fn editors_unpublish_and_authors_archive() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let (editor, _) = app.login_as(&[Role::Editor]).await;
    let (reader, _) = app.login_as(&[]).await;
    let post = author.publish_post("Controversial", "text", &[]).await;
    let id = post["id"].as_i64().unwrap();
    let url = post["url"].as_str().unwrap().to_owned();

    assert_eq!(
        reader
            .post_json(&format!("/api/v1/posts/{id}/unpublish"), &json!({}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let response = editor
        .post_form(
            &format!("/blog/posts/{id}/unpublish"),
            &[("comment", "Check with legal first.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(reader.get(&url).await.status(), StatusCode::NOT_FOUND);
    let post: Value = author
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(post["status"], "draft");
    assert_eq!(
        post["history"].as_array().unwrap().last().unwrap()["comment"],
        "Check with legal first."
    );

    let post = author.publish(id, None).await;
    assert_eq!(post["status"], "published");
    let response = author
        .post_form(&format!("/blog/posts/{id}/archive"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        reader.get(&url).await.status(),
        StatusCode::OK,
        "the link keeps working"
    );
    assert!(!reader.get_html("/blog").await.contains("Controversial"));
    // Archiving twice is explained, not an error page.
    let response = author
        .post_json(&format!("/api/v1/posts/{id}/archive"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(response).await, "conflict");
}

#[tokio::test]
async fn lists_page_with_a_stable_cursor() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    for i in 0..25 {
        author
            .publish_post(&format!("Post {i:02}"), "text", &["paged"])
            .await;
    }
    let first: Value = author
        .get("/api/v1/posts?tag=paged")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 20);
    assert_eq!(first["items"][0]["title"], "Post 24");
    let cursor = first["next_cursor"].as_str().unwrap();
    // A post published meanwhile does not shift the next page.
    author.publish_post("Newest", "text", &["paged"]).await;
    let second: Value = author
        .get(&format!("/api/v1/posts?tag=paged&before={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    let titles: Vec<&str> = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec!["Post 04", "Post 03", "Post 02", "Post 01", "Post 00"]
    );
    assert!(second["next_cursor"].is_null());
    assert_eq!(
        author.get("/api/v1/posts?before=garbage").await.status(),
        StatusCode::BAD_REQUEST
    );
    let html = author.get_html("/blog").await;
    assert!(html.contains("rel=\"next\""));
}

#[tokio::test]
async fn the_api_validates_post_input() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    for (body, field) in [
        (json!({"title": "", "body": "x"}), "title"),
        (json!({"title": "x".repeat(201), "body": "x"}), "title"),
        (
            json!({"title": "t", "body": "x", "tags": ["a", "b", "c", "d", "e", "f"]}),
            "tags",
        ),
        (
            json!({"title": "t", "body": "x", "excerpt": "e".repeat(301)}),
            "excerpt",
        ),
    ] {
        let response = author.post_json("/api/v1/posts", &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["field"], field);
    }
    let response = author
        .post_json(
            "/api/v1/posts",
            &json!({"title": "t", "body": "x", "language": "fr"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM posts").await,
        0,
        "nothing half-saved"
    );
    let doc: Value = author
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/posts",
        "/api/v1/posts/{id}",
        "/api/v1/posts/{id}/publish",
        "/api/v1/posts/{id}/approve",
        "/api/v1/posts/{id}/reject",
        "/api/v1/posts/{id}/comments",
        "/api/v1/posts/{id}/like",
        "/api/v1/posts/{id}/cover",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}
