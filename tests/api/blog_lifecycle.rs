//! Acceptance 2 (editorial review), 3 (scheduled publishing) and 4 (announcements).
use chrono::{Duration, Utc};
use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{error_code, location, spawn_app};

#[tokio::test]
async fn with_review_required_an_editor_approves_or_sends_back() {
    let app = spawn_app().await;
    app.set_review_mode("non_ambassadors").await;
    let (member, _) = app.login_as(&[]).await;
    let (ambassador, _) = app.login_as(&[Role::Ambassador]).await;
    let (editor, editor_user) = app.login_as(&[Role::Editor]).await;
    let (reader, _) = app.login_as(&[]).await;

    // An ambassador publishes directly under this setting.
    let direct = ambassador
        .publish_post("Ambassador story", "Straight out.", &[])
        .await;
    assert_eq!(direct["status"], "published");

    // A member's publish goes to review (through the page form).
    let post = member
        .create_post("Needs review", "Please check.", &["review"])
        .await;
    let id = post["id"].as_i64().unwrap();
    let response = member
        .post_form(
            &format!("/blog/posts/{id}"),
            &[
                ("title", "Needs review"),
                ("body", "Please check."),
                ("tags", "review"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let post: Value = member
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(post["status"], "in_review");
    assert!(
        editor
            .get_html("/blog/review")
            .await
            .contains("Needs review")
    );
    assert_eq!(
        reader.get(&format!("/api/v1/posts/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );

    // Members cannot approve; the author (even if an editor) cannot approve their own post.
    let response = reader
        .post_json(&format!("/api/v1/posts/{id}/approve"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Sending back needs a comment.
    let response = editor
        .post_json(
            &format!("/api/v1/posts/{id}/reject"),
            &json!({"comment": "  "}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The editor sends it back with a comment, through the review page.
    let page = editor
        .get_html(&format!("/blog/{}", post["slug"].as_str().unwrap()))
        .await;
    assert!(page.contains("Approve and publish") && page.contains("Send back to the author"));
    let response = editor
        .post_form(
            &format!("/blog/posts/{id}/reject"),
            &[("comment", "Add a link to the VPN guide.")],
        )
        .await;
    assert_eq!(location(&response), "/blog/review");
    let post: Value = member
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(post["status"], "changes_requested");
    assert_eq!(post["changes_requested"], "Add a link to the VPN guide.");
    let editor_page = member.get_html(&format!("/blog/posts/{id}/edit")).await;
    assert!(
        editor_page.contains("Add a link to the VPN guide."),
        "the author sees the comment"
    );

    // The author resubmits; the editor approves; everyone can read it.
    let post = member.publish(id, None).await;
    assert_eq!(post["status"], "in_review");
    let response = editor
        .post_form(&format!("/blog/posts/{id}/approve"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let post: Value = reader
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(post["status"], "published");
    assert!(reader.get_html("/").await.contains("Needs review"));

    // Approving again is refused: it is not in review any more.
    let response = editor
        .post_json(&format!("/api/v1/posts/{id}/approve"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    // Each decision is recorded: who, when, comment.
    let history: Value = member
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let decisions: Vec<(&str, Option<&str>, Option<&str>)> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["decision"].as_str().unwrap(),
                d["actor_name"].as_str(),
                d["comment"].as_str(),
            )
        })
        .collect();
    let me: Value = editor.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["id"], editor_user.id);
    let editor_name = me["display_name"].as_str().unwrap().to_owned();
    assert_eq!(decisions[0].0, "submitted");
    assert_eq!(
        decisions[1],
        (
            "changes_requested",
            Some(editor_name.as_str()),
            Some("Add a link to the VPN guide.")
        )
    );
    assert_eq!(decisions[2].0, "submitted");
    assert_eq!(decisions[3], ("approved", Some(editor_name.as_str()), None));
    assert_eq!(decisions[4].0, "published");
    assert!(
        history["history"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["at"].is_string())
    );
    // Readers do not see the internal history.
    let public: Value = reader
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["history"], json!([]));
}

#[tokio::test]
async fn an_editor_does_not_approve_their_own_post() {
    let app = spawn_app().await;
    app.set_review_mode("everyone").await;
    let (editor, _) = app.login_as(&[Role::Editor]).await;
    let post = editor.publish_post("My own", "text", &[]).await;
    assert_eq!(post["status"], "in_review");
    let response = editor
        .post_json(&format!("/api/v1/posts/{}/approve", post["id"]), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (other, _) = app.login_as(&[Role::Editor]).await;
    let approved: Value = other
        .post_json(&format!("/api/v1/posts/{}/approve", post["id"]), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(approved["status"], "published");
}

#[tokio::test]
async fn a_scheduled_post_publishes_once_at_its_time() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let (reader, _) = app.login_as(&[]).await;
    let post = author
        .create_post("Monday news", "Out on Monday.", &[])
        .await;
    let id = post["id"].as_i64().unwrap();
    let post = author
        .publish(id, Some(Utc::now() + Duration::hours(2)))
        .await;
    assert_eq!(post["status"], "scheduled");

    app.drain().await;
    assert_eq!(
        reader.get(&format!("/api/v1/posts/{id}")).await.status(),
        StatusCode::NOT_FOUND,
        "not yet"
    );

    // Its time comes.
    app.exec(&format!(
        "UPDATE posts SET scheduled_at = '{}' WHERE id = {id}",
        sql_time(Utc::now() - Duration::seconds(5))
    ))
    .await;
    // Several runs at once (two nodes, a retry) publish it once.
    let node = app.second_node().await;
    let runs = (0..4).map(|i| {
        let state = if i % 2 == 0 {
            app.state.clone()
        } else {
            node.state.clone()
        };
        async move { kring::blog::service::publish_due(&state.db).await.unwrap() }
    });
    let published: usize = futures_util::future::join_all(runs).await.into_iter().sum();
    assert!(published <= 1, "published {published} times");
    app.drain().await;
    let post: Value = reader
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(post["status"], "published");
    assert!(post["published_at"].is_string());
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM post_reviews WHERE post_id = {id} AND decision = 'published'"
        ))
        .await,
        1
    );
    app.drain().await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM post_reviews WHERE post_id = {id} AND decision = 'published'"
        ))
        .await,
        1
    );
}

/// A timestamp literal both databases read as UTC.
fn sql_time(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.6f+00:00").to_string()
}

#[tokio::test]
async fn a_post_due_while_the_server_was_down_publishes_at_the_next_start() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let post = author.create_post("While you were out", "text", &[]).await;
    let id = post["id"].as_i64().unwrap();
    author
        .publish(id, Some(Utc::now() + Duration::hours(1)))
        .await;
    app.exec(&format!(
        "UPDATE posts SET scheduled_at = '{}' WHERE id = {id}",
        sql_time(Utc::now() - Duration::hours(3))
    ))
    .await;
    // A node starting now (as after a restart) publishes it without anyone draining.
    let restarted = app.second_node().await;
    let reader = restarted.browser();
    let user = restarted
        .create_user_with("reader@example.com", "Reader", &[])
        .await;
    reader.login(&user.email, crate::helpers::PASSWORD).await;
    let mut status = Value::Null;
    for _ in 0..50 {
        let post: Value = reader
            .get(&format!("/api/v1/posts/{id}"))
            .await
            .json()
            .await
            .unwrap_or(Value::Null);
        status = post["status"].clone();
        if status == "published" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "published");
}

#[tokio::test]
async fn a_leadership_post_is_an_announcement_until_read_or_expired() {
    let app = spawn_app().await;
    let (ceo, ceo_user) = app.login_as(&[]).await;
    app.make_leadership(ceo_user.id).await;
    let (anna, _) = app.login_as(&[]).await;
    let (ben, _) = app.login_as(&[]).await;
    let (colleague, _) = app.login_as(&[]).await;

    let ordinary = colleague
        .publish_post("Just a post", "Nothing special.", &[])
        .await;
    assert_eq!(ordinary["is_announcement"], false);
    let post = ceo
        .publish_post("Our plans for 2027", "Dear all, ...", &[])
        .await;
    assert_eq!(post["is_announcement"], true);
    let id = post["id"].as_i64().unwrap();

    for browser in [&anna, &ben] {
        let home = browser.get_html("/").await;
        let pinned = &home[..home.find("id=\"recent-title\"").unwrap()];
        assert!(
            pinned.contains("Our plans for 2027"),
            "pinned on the home page"
        );
        assert!(!pinned.contains("Just a post"));
        let list: Value = browser
            .get("/api/v1/announcements")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
    }
    assert!(
        anna.get_html("/blog/leadership")
            .await
            .contains("Our plans for 2027")
    );

    // Anna reads it: gone from her home page, still on Ben's.
    anna.get_html(&format!("/blog/{}", post["slug"].as_str().unwrap()))
        .await;
    let home = anna.get_html("/").await;
    assert!(!home[..home.find("id=\"recent-title\"").unwrap()].contains("Our plans for 2027"));
    assert!(
        home.contains("Our plans for 2027"),
        "still among the latest posts"
    );
    let home = ben.get_html("/").await;
    assert!(
        home[..home.find("id=\"recent-title\"").unwrap()].contains("Our plans for 2027"),
        "still pinned for Ben"
    );

    // Ben dismisses it with the button.
    let response = ben
        .post_form(&format!("/announcements/{id}/read"), &[])
        .await;
    assert_eq!(location(&response), "/");
    let list: Value = ben.get("/api/v1/announcements").await.json().await.unwrap();
    assert_eq!(list, json!([]));

    // For someone who never read it, it expires.
    let (late, _) = app.login_as(&[]).await;
    assert_eq!(
        late.get("/api/v1/announcements")
            .await
            .json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.exec(&format!(
        "UPDATE posts SET announcement_until = '{}' WHERE id = {id}",
        sql_time(Utc::now() - Duration::minutes(1))
    ))
    .await;
    assert_eq!(
        late.get("/api/v1/announcements")
            .await
            .json::<Value>()
            .await
            .unwrap(),
        json!([])
    );
}

#[tokio::test]
async fn publishing_needs_text_and_the_author() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let (other, _) = app.login_as(&[Role::Admin]).await;
    let post = author.create_post("Empty", "   ", &[]).await;
    let id = post["id"].as_i64().unwrap();
    let response = author
        .post_json(&format!("/api/v1/posts/{id}/publish"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(response).await, "validation_failed");
    let response = other
        .post_json(&format!("/api/v1/posts/{id}/publish"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
