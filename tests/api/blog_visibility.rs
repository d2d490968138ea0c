//! Acceptance 1: drafts, posts in review, sent-back and scheduled posts are invisible to
//! everyone but their author, editors and admins, on every surface.
use chrono::{Duration, Utc};
use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{ApiClient, Browser, TestApp, spawn_app};

/// Every place a post could show up, as seen by `browser`; returns where `marker` was found.
async fn surfaces_showing(
    app: &TestApp,
    browser: &Browser,
    marker: &str,
    author_id: i64,
) -> Vec<String> {
    let mut found = vec![];
    for path in [
        "/".to_string(),
        "/blog".into(),
        "/blog/leadership".into(),
        "/tags/secret-tag".into(),
        format!("/blog/authors/{author_id}"),
        "/blog/feed.atom".into(),
        "/tags/secret-tag/feed.atom".into(),
        format!("/blog/authors/{author_id}/feed.atom"),
        "/api/v1/posts".into(),
        "/api/v1/posts?tag=secret-tag".into(),
        format!("/api/v1/posts?author_id={author_id}"),
        "/api/v1/posts?announcements=true".into(),
        "/api/v1/announcements".into(),
    ] {
        let response = browser.get(&path).await;
        let text = response.text().await.unwrap();
        if text.contains(marker) {
            found.push(path);
        }
    }
    let _ = app;
    found
}

#[tokio::test]
async fn unpublished_posts_are_invisible_except_to_author_editors_and_admins() {
    let app = spawn_app().await;
    let (author, author_user) = app.login_as(&[]).await;
    app.make_leadership(author_user.id).await;
    let (member, _) = app.login_as(&[]).await;
    let (editor, _) = app.login_as(&[Role::Editor]).await;
    let (admin, _) = app.login_as(&[Role::Admin]).await;
    // A published post with the same tag, so the tag, its feed and the author's feed exist.
    author
        .publish_post("Visible post", "Everyone may read this.", &["secret-tag"])
        .await;

    let draft = author
        .create_post("SECRET draft", "draft body", &["secret-tag"])
        .await;
    let scheduled = author
        .create_post("SECRET scheduled", "scheduled body", &["secret-tag"])
        .await;
    let scheduled = author
        .publish(
            scheduled["id"].as_i64().unwrap(),
            Some(Utc::now() + Duration::days(1)),
        )
        .await;
    assert_eq!(scheduled["status"], "scheduled");
    app.set_review_mode("everyone").await;
    let in_review = author
        .create_post("SECRET in review", "review body", &["secret-tag"])
        .await;
    let in_review = author
        .publish(in_review["id"].as_i64().unwrap(), None)
        .await;
    assert_eq!(in_review["status"], "in_review");
    let sent_back = author
        .create_post("SECRET sent back", "sent back body", &["secret-tag"])
        .await;
    let sent_back_id = sent_back["id"].as_i64().unwrap();
    author.publish(sent_back_id, None).await;
    let response = editor
        .post_json(
            &format!("/api/v1/posts/{sent_back_id}/reject"),
            &serde_json::json!({"comment": "Shorter, please."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let hidden: Vec<&Value> = vec![&draft, &scheduled, &in_review, &sent_back];

    // A colleague sees none of them, anywhere.
    assert_eq!(
        surfaces_showing(&app, &member, "SECRET", author_user.id).await,
        Vec::<String>::new()
    );
    let (token, _) = app.token_for(&[]).await;
    let api = ApiClient::new(&app, &token);
    for post in &hidden {
        let id = post["id"].as_i64().unwrap();
        let slug = post["slug"].as_str().unwrap();
        for path in [
            format!("/blog/{slug}"),
            format!("/blog/posts/{id}/edit"),
            format!("/api/v1/posts/{id}"),
            format!("/api/v1/posts/{id}/comments"),
            format!("/api/v1/posts/{id}/revisions"),
        ] {
            assert_eq!(
                member.get(&path).await.status(),
                StatusCode::NOT_FOUND,
                "{path} for a member"
            );
            assert_eq!(
                api.get(&path).await.status(),
                StatusCode::NOT_FOUND,
                "{path} by token"
            );
        }
        let response = member
            .post_json(
                &format!("/api/v1/posts/{id}/comments"),
                &serde_json::json!({"body": "hi"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let response = member
            .post_json(&format!("/api/v1/posts/{id}/like"), &serde_json::json!({}))
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }

    // The author, an editor and an admin can open each one, but the public lists still do not
    // show them.
    for (who, browser) in [("author", &author), ("editor", &editor), ("admin", &admin)] {
        for post in &hidden {
            let id = post["id"].as_i64().unwrap();
            let slug = post["slug"].as_str().unwrap();
            assert_eq!(
                browser.get(&format!("/api/v1/posts/{id}")).await.status(),
                StatusCode::OK,
                "{who} {slug}"
            );
            let page = browser.get(&format!("/blog/{slug}")).await;
            assert_eq!(page.status(), StatusCode::OK, "{who} {slug}");
        }
        assert_eq!(
            surfaces_showing(&app, browser, "SECRET", author_user.id).await,
            Vec::<String>::new(),
            "{who}"
        );
    }
    // The author finds them under "My posts".
    let mine = author.get_html("/blog/mine").await;
    for post in &hidden {
        assert!(mine.contains(post["title"].as_str().unwrap()));
    }
}

#[tokio::test]
async fn deleted_posts_are_gone_for_everyone_but_admins_who_can_restore_them() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let (editor, _) = app.login_as(&[Role::Editor]).await;
    let (admin, _) = app.login_as(&[Role::Admin]).await;
    let post = author.publish_post("Soon deleted", "text", &["gone"]).await;
    let id = post["id"].as_i64().unwrap();
    let slug = post["slug"].as_str().unwrap();

    assert_eq!(
        editor.delete(&format!("/api/v1/posts/{id}")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        author.delete(&format!("/api/v1/posts/{id}")).await.status(),
        StatusCode::NO_CONTENT
    );
    for browser in [&author, &editor] {
        assert_eq!(
            browser.get(&format!("/blog/{slug}")).await.status(),
            StatusCode::NOT_FOUND
        );
        assert!(!browser.get_html("/blog").await.contains("Soon deleted"));
    }
    assert!(
        admin
            .get_html("/blog/deleted")
            .await
            .contains("Soon deleted")
    );
    assert_eq!(
        editor.get("/blog/deleted").await.status(),
        StatusCode::FORBIDDEN
    );

    let response = admin
        .post_form(&format!("/blog/posts/{id}/restore"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(editor.get_html("/blog").await.contains("Soon deleted"));
}
