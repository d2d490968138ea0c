//! Search: new content is findable within a second and gone as fast; drafts never leak; Dutch
//! and English stemming; a node with a new index rebuilds it and follows the shared outbox.
use std::time::{Duration, Instant};

use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ApiClient, spawn_app};

async fn search(client: &ApiClient, q: &str) -> Value {
    let url = format!("/api/v1/search?q={}", urlencode(q));
    client.get_json(&url).await
}

fn urlencode(q: &str) -> String {
    url::form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

fn ids_of(results: &Value, kind: &str) -> Vec<i64> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["type"] == kind)
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

/// Waits (at most `limit`) until the search for `q` satisfies `ok`; returns how long it took.
async fn until(
    client: &ApiClient,
    q: &str,
    limit: Duration,
    ok: impl Fn(&Value) -> bool,
) -> Duration {
    let start = Instant::now();
    loop {
        let results = search(client, q).await;
        if ok(&results) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < limit,
            "'{q}' did not reach the expected state within {limit:?}: {results}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

const SECOND: Duration = Duration::from_secs(1);

#[tokio::test]
async fn posts_questions_and_people_are_findable_within_a_second_and_gone_as_fast() {
    let app = spawn_app().await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    let (member, member_user) = app.api_user(&[]).await;

    let post: Value = member
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Zebrapaden rond het kantoor", "body": "Let op de zebrapaden.", "language": "nl"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let post_id = post["id"].as_i64().unwrap();
    let response = member
        .post_json(&format!("/api/v1/posts/{post_id}/publish"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    until(&social, "zebrapaden", SECOND, |r| {
        ids_of(r, "post") == vec![post_id]
    })
    .await;

    let q: Value = social
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Where do the quokkas in the lobby come from?", "body": "Curious.", "tags": ["office"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let qid = q["id"].as_i64().unwrap();
    until(&member, "quokkas", SECOND, |r| {
        ids_of(r, "question") == vec![qid]
    })
    .await;

    let response = member
        .patch_json(
            "/api/v1/me/profile",
            &json!({"bio": "I collect xylophones."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    until(&social, "xylophones", SECOND, |r| {
        ids_of(r, "person") == vec![member_user.id]
    })
    .await;

    // Gone: unpublished, deleted.
    let response = social
        .post_json(&format!("/api/v1/posts/{post_id}/unpublish"), &json!({}))
        .await;
    assert!(
        response.status() == StatusCode::OK || response.status() == StatusCode::FORBIDDEN,
        "{}",
        response.status()
    );
    let (editor, _) = app.api_user(&[Role::Editor]).await;
    let response = editor
        .post_json(
            &format!("/api/v1/posts/{post_id}/unpublish"),
            &json!({"comment": "outdated"}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    until(&social, "zebrapaden", SECOND, |r| r["total"] == 0).await;
    let response = social.delete(&format!("/api/v1/questions/{qid}")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    until(&member, "quokkas", SECOND, |r| r["total"] == 0).await;
}

#[tokio::test]
async fn a_drafts_words_never_reach_anyone() {
    let app = spawn_app().await;
    let (author, _) = app.api_user(&[]).await;
    let (other, _) = app.api_user(&[Role::Admin]).await;
    let response = author
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Secret plan", "body": "The word is flabbergastery."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    // Something public to make sure the indexer has run past the draft's outbox row.
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    social
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Is the canteen open on Sunday?", "body": "?", "tags": ["canteen"]}),
        )
        .await;
    until(&other, "canteen", SECOND, |r| r["total"] == 1).await;
    for client in [&other, &author] {
        let results = search(client, "flabbergastery").await;
        assert_eq!(results["total"], 0);
        assert_eq!(results["hits"], json!([]));
        let results = search(client, "secret plan").await;
        assert_eq!(results["total"], 0, "not the title either");
    }
}

#[tokio::test]
async fn dutch_and_english_words_find_their_other_forms() {
    let app = spawn_app().await;
    let (writer, _) = app.api_user(&[]).await;
    for (title, body, language) in [
        ("Mijn fiets", "Ik kom met de fiets naar kantoor.", "nl"),
        ("Lunch break", "I run every day at noon.", "en"),
    ] {
        let post: Value = writer
            .post_json(
                "/api/v1/posts",
                &json!({"title": title, "body": body, "language": language}),
            )
            .await
            .json()
            .await
            .unwrap();
        let response = writer
            .post_json(&format!("/api/v1/posts/{}/publish", post["id"]), &json!({}))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    until(&writer, "fietsen", SECOND, |r| {
        r["hits"][0]["title"] == "Mijn fiets"
    })
    .await;
    until(&writer, "running", SECOND, |r| {
        r["hits"][0]["title"] == "Lunch break"
    })
    .await;
    let results = search(&writer, "noon").await;
    assert!(
        results["hits"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<b>noon</b>"),
        "{results}"
    );
    // Filters and the API shape.
    let results = search(&writer, "fiets type:question").await;
    assert_eq!(results["total"], 0);
    let response = writer.get("/api/v1/search?q=x&type=planet").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    for key in ["total", "took_ms", "hits"] {
        assert!(results.get(key).is_some(), "{key}");
    }
}

#[tokio::test]
async fn a_node_with_a_new_index_rebuilds_it_and_follows_the_shared_outbox() {
    let app = spawn_app().await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    social
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Who waters the ficus plants?", "body": "?", "tags": ["office"]}),
        )
        .await;
    // Node B starts with an empty data directory: it builds its index from the database.
    let node_b = app.second_node().await;
    let health = reqwest::get(node_b.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    // Tokens live in the shared database: a user made through node A can use node B.
    let (_, reader) = app.api_user(&[]).await;
    let token = {
        let current =
            kring::auth::service::active_user(app.db(), kring::auth::types::UserId(reader.id))
                .await
                .unwrap()
                .unwrap();
        let created = kring::auth::service::create_token(app.db(), &current, "node-b")
            .await
            .unwrap();
        ApiClient::new(&node_b, &created.token)
    };
    until(&token, "ficus", SECOND, |r| r["total"] == 1).await;
    // A question asked through node A is found through node B.
    let q: Value = social
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Can I borrow the beamer tonight?", "body": "?", "tags": ["office"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    until(&token, "beamer", Duration::from_secs(3), |r| {
        ids_of(r, "question") == vec![q["id"].as_i64().unwrap()]
    })
    .await;
}
