//! The search outbox: each write that changes searchable content leaves rows naming the
//! documents to refresh, in the same transaction; a refused write leaves none.
use kring::auth::types::Role;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// The outbox rows after `after` (an id), as (kind, entity id).
async fn rows_after(app: &TestApp, after: i64) -> (i64, Vec<(String, i64)>) {
    use kring::entities::search_outbox;
    let rows = search_outbox::Entity::find()
        .order_by_asc(search_outbox::Column::Id)
        .all(app.db())
        .await
        .unwrap();
    let last = rows.last().map_or(after, |r| r.id);
    let new = rows
        .into_iter()
        .filter(|r| r.id > after)
        .map(|r| (r.kind, r.entity_id))
        .collect();
    (last, new)
}

fn doc(kind: &str, id: &Value) -> (String, i64) {
    (kind.to_owned(), id.as_i64().unwrap())
}

#[tokio::test]
async fn writes_name_the_documents_they_change_and_refused_writes_name_none() {
    let app = spawn_app().await;
    let (social, social_user) = app.api_user(&[Role::SocialTeam]).await;
    let (member, member_user) = app.api_user(&[]).await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (mut last, created) = rows_after(&app, 0).await;
    assert!(
        created.contains(&("person".into(), member_user.id)),
        "a new user is a new person"
    );

    // Blog: a draft, then publishing it.
    let post: Value = member
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Fietsen naar kantoor", "body": "Met de fiets."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let (l, new) = rows_after(&app, last).await;
    assert_eq!(new, vec![doc("post", &post["id"])]);
    last = l;
    let response = member
        .post_json(&format!("/api/v1/posts/{}/publish", post["id"]), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (l, new) = rows_after(&app, last).await;
    assert_eq!(new, vec![doc("post", &post["id"])]);
    last = l;
    // A like and taking it back: the post's score each time (with the author's point).
    for like in [true, false] {
        let path = format!("/api/v1/posts/{}/like", post["id"]);
        let response = if like {
            social.post_json(&path, &json!({})).await
        } else {
            social.delete(&path).await
        };
        assert_eq!(response.status(), StatusCode::OK);
        let (l, new) = rows_after(&app, last).await;
        assert_eq!(new, vec![doc("post_score", &post["id"])], "liked: {like}");
        last = l;
    }

    // Q&A: asking, answering, voting, accepting, closing.
    let q: Value = social
        .post_json(
            "/api/v1/questions",
            &json!({"title": "How do I cycle to the office safely?", "body": "?", "tags": ["cycling"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let (l, new) = rows_after(&app, last).await;
    assert_eq!(new, vec![doc("question", &q["id"])]);
    last = l;
    let a: Value = member
        .post_json(
            &format!("/api/v1/questions/{}/answers", q["id"]),
            &json!({"body": "Use the bike lane."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let (l, new) = rows_after(&app, last).await;
    assert_eq!(
        new,
        vec![doc("answer", &a["id"]), doc("question", &q["id"])]
    );
    last = l;
    let response = social
        .post_json(
            &format!("/api/v1/answers/{}/vote", a["id"]),
            &json!({"value": 1}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (l, new) = rows_after(&app, last).await;
    assert_eq!(
        new,
        vec![doc("answer_score", &a["id"])],
        "only its score changed"
    );
    last = l;
    let response = social
        .post_json(&format!("/api/v1/answers/{}/accept", a["id"]), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (l, new) = rows_after(&app, last).await;
    assert_eq!(
        new,
        vec![doc("question", &q["id"]), doc("answer", &a["id"])]
    );
    last = l;

    // Refused writes leave nothing behind.
    let response = social
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Short", "body": "?", "tags": ["cycling"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = member
        .post_json(
            &format!("/api/v1/answers/{}/vote", a["id"]),
            &json!({"value": 1}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "own answer");
    let response = member
        .post_json(
            &format!("/api/v1/questions/{}/close", q["id"]),
            &json!({"reason": "off_topic"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (l, new) = rows_after(&app, last).await;
    assert_eq!(new, vec![], "refused writes enqueue nothing");
    last = l;

    // People: a profile edit, an ambassador mark, a deactivation.
    let response = member
        .patch_json("/api/v1/me/profile", &json!({"job_title": "Cyclist"}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = social
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/people/{}/ambassador", member_user.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", social_user.id),
            &json!({"is_active": false}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, new) = rows_after(&app, last).await;
    assert_eq!(
        new,
        vec![
            ("person".into(), member_user.id),
            ("person".into(), member_user.id),
            ("person".into(), social_user.id)
        ]
    );
}

#[tokio::test]
async fn deleting_a_question_names_its_answers_too() {
    let app = spawn_app().await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    let (member, _) = app.api_user(&[]).await;
    let q: Value = social
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Which bike racks are covered?", "body": "?", "tags": ["cycling"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let a: Value = member
        .post_json(
            &format!("/api/v1/questions/{}/answers", q["id"]),
            &json!({"body": "The ones at the back."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let (last, _) = rows_after(&app, 0).await;
    let response = social
        .delete(&format!("/api/v1/questions/{}", q["id"]))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (_, new) = rows_after(&app, last).await;
    assert_eq!(
        new,
        vec![doc("question", &q["id"]), doc("answer", &a["id"])]
    );
}

/// On PostgreSQL outbox ids are handed out when a row is inserted, not when its transaction
/// commits: a write that commits after a later one must still reach the index. (SQLite
/// serialises writers, so ids commit in order there; this test needs two open writers.)
#[tokio::test]
async fn a_change_committed_after_a_later_one_still_reaches_the_index() {
    use chrono::Utc;
    use kring::{
        entities::questions,
        search::outbox::{self, Doc},
    };
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};

    let app = spawn_app().await;
    if app.db().get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        eprintln!("skipped: SQLite commits writers one at a time");
        return;
    }
    let (client, user) = app.api_user(&[Role::SocialTeam]).await;

    // A slow writer: its outbox row gets its id now, its commit comes later.
    let slow = app.db().begin().await.unwrap();
    let now = Utc::now();
    let question = questions::ActiveModel {
        author_id: Set(user.id),
        title: Set("Who waters the office plants in summer?".into()),
        body_md: Set("Slow writer.".into()),
        body_html: Set("<p>Slow writer.</p>".into()),
        language: Set("en".into()),
        status: Set("open".into()),
        score: Set(0),
        answer_count: Set(0),
        last_activity_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&slow)
    .await
    .unwrap();
    outbox::enqueue(&slow, &[Doc::Question(question.id)])
        .await
        .unwrap();

    // A quick writer commits meanwhile, and the indexer runs past it.
    let response = client
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Who feeds the office fish in summer?", "body": "Quick writer.", "tags": ["office"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    app.drain().await;
    let found = |q: &'static str| {
        let client = client.clone();
        async move { client.get_json(&format!("/api/v1/search?q={q}")).await["total"].clone() }
    };
    assert_eq!(found("fish").await, 1);

    slow.commit().await.unwrap();
    app.drain().await;
    assert_eq!(
        found("plants").await,
        1,
        "the slow writer's question is searchable"
    );
}
