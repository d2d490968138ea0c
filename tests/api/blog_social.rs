//! Likes and comments.
use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{location, spawn_app};

#[tokio::test]
async fn one_like_per_colleague_unlike_allowed_own_post_refused() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let post = author.publish_post("Likeable", "text", &[]).await;
    let id = post["id"].as_i64().unwrap();

    let response = author
        .post_json(&format!("/api/v1/posts/{id}/like"), &json!({}))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not one's own post"
    );

    let mut fans = vec![];
    for _ in 0..5 {
        fans.push(app.login_as(&[]).await.0);
    }
    // Everyone likes twice, at the same time.
    let likes = fans.iter().flat_map(|fan| {
        [0, 1].map(|_| async move {
            fan.post_json(&format!("/api/v1/posts/{id}/like"), &json!({}))
                .await
                .status()
        })
    });
    let statuses = futures_util::future::join_all(likes).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    let post: Value = author
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(post["like_count"], 5);

    let state: Value = fans[0]
        .delete(&format!("/api/v1/posts/{id}/like"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(state, json!({"like_count": 4, "liked": false}));

    // Through the page: like, then unlike.
    let fan = &fans[0];
    let response = fan.post_form(&format!("/blog/posts/{id}/like"), &[]).await;
    assert_eq!(location(&response), post["url"].as_str().unwrap());
    let page = fan.get_html(post["url"].as_str().unwrap()).await;
    assert!(page.contains("aria-pressed=\"true\"") && page.contains("5 likes"));
    fan.post_form(&format!("/blog/posts/{id}/unlike"), &[])
        .await;
    assert!(
        fan.get_html(post["url"].as_str().unwrap())
            .await
            .contains("4 likes")
    );
}

#[tokio::test]
async fn comments_thread_one_level_and_deleted_ones_leave_a_placeholder() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let (anna, _) = app.login_as(&[]).await;
    let (ben, _) = app.login_as(&[]).await;
    let (editor, _) = app.login_as(&[Role::Editor]).await;
    let post = author
        .publish_post("Discuss", "What do you think?", &[])
        .await;
    let id = post["id"].as_i64().unwrap();
    let url = post["url"].as_str().unwrap().to_owned();

    let top: Value = anna
        .post_json(
            &format!("/api/v1/posts/{id}/comments"),
            &json!({"body": "Great *idea*"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let top_id = top["id"].as_i64().unwrap();
    assert_eq!(top["body_html"], "<p>Great <em>idea</em></p>\n");
    let reply: Value = ben
        .post_json(
            &format!("/api/v1/posts/{id}/comments"),
            &json!({"body": "Agreed", "parent_id": top_id}),
        )
        .await
        .json()
        .await
        .unwrap();
    // A reply to a reply joins the same thread.
    let nested: Value = anna
        .post_json(
            &format!("/api/v1/posts/{id}/comments"),
            &json!({"body": "Thanks", "parent_id": reply["id"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(nested["parent_id"], top_id);
    // Through the page form.
    let response = ben
        .post_form(
            &format!("/blog/posts/{id}/comments"),
            &[("body", "Second thread")],
        )
        .await;
    assert!(location(&response).starts_with(&format!("{url}#comment-")));
    let response = ben
        .post_form(&format!("/blog/posts/{id}/comments"), &[("body", "   ")])
        .await;
    assert!(location(&response).ends_with("#comments"));
    assert!(ben.get_html(&url).await.contains("Write a comment first."));

    let threads: Value = anna
        .get(&format!("/api/v1/posts/{id}/comments"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(threads.as_array().unwrap().len(), 2);
    assert_eq!(threads[0]["replies"].as_array().unwrap().len(), 2);

    // Only the author edits; others get 403.
    let response = ben
        .patch_json(
            &format!("/api/v1/comments/{top_id}"),
            &json!({"body": "hijack"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let edited: Value = anna
        .patch_json(
            &format!("/api/v1/comments/{top_id}"),
            &json!({"body": "Great idea!"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(edited["body"], "Great idea!");
    let response = anna
        .post_form(
            &format!("/blog/comments/{top_id}"),
            &[("body", "Great idea, really")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        anna.get_html(&format!("/blog/comments/{top_id}/edit"))
            .await
            .contains("Great idea, really")
    );
    assert_eq!(
        ben.get(&format!("/blog/comments/{top_id}/edit"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Ben may not delete Anna's comment; an editor may. With replies, a placeholder stays.
    assert_eq!(
        ben.delete(&format!("/api/v1/comments/{top_id}"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        editor
            .delete(&format!("/api/v1/comments/{top_id}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let threads: Value = ben
        .get(&format!("/api/v1/posts/{id}/comments"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(threads[0]["deleted"], true);
    assert_eq!(threads[0]["body"], "");
    assert!(threads[0]["author"].is_null());
    assert_eq!(threads[0]["replies"].as_array().unwrap().len(), 2);
    let page = ben.get_html(&url).await;
    assert!(page.contains("This comment was deleted.") && page.contains("Agreed"));
    assert!(!page.contains("Great idea, really"));

    // Without replies a deleted comment disappears.
    let second_id = threads[1]["id"].as_i64().unwrap();
    let response = ben
        .post_form(&format!("/blog/comments/{second_id}/delete"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let threads: Value = ben
        .get(&format!("/api/v1/posts/{id}/comments"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(threads.as_array().unwrap().len(), 1);
    let post: Value = author
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(post["comment_count"], 2, "the two remaining replies");

    let response = anna
        .post_json(
            &format!("/api/v1/posts/{id}/comments"),
            &json!({"body": "x", "parent_id": 99999}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
