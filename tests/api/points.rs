//! Points: an action counts once whatever retries and races do; reversals net out; the daily
//! cap holds under concurrency (accepted answers pass it); leaderboards per department and
//! without excluded roles; the ledger always equals a recomputation from the content.
use std::collections::HashMap;

use futures_util::future::join_all;
use kring::{
    auth::types::Role,
    gamification::{
        leaderboard::LeaderboardSettings,
        ledger::{self, Subject},
        rules::Action,
    },
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ApiClient, TestApp, spawn_app};

async fn by_rule(client: &ApiClient) -> HashMap<String, i64> {
    let standing = client.get_json("/api/v1/me/points?period=all").await;
    standing["by_rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_owned(),
                r["points"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn total(client: &ApiClient) -> i64 {
    client.get_json("/api/v1/me/points?period=all").await["points"]
        .as_i64()
        .unwrap()
}

async fn question_with_answer(app: &TestApp) -> (ApiClient, ApiClient, Value, Value) {
    let (asker, _) = app.api_user(&[Role::SocialTeam]).await;
    let (answerer, _) = app.api_user(&[]).await;
    let q: Value = asker
        .post_json(
            "/api/v1/questions",
            &json!({"title": "How do I book a meeting room?", "body": "?", "tags": ["office"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let a: Value = answerer
        .post_json(
            &format!("/api/v1/questions/{}/answers", q["id"]),
            &json!({"body": "Through the calendar."}),
        )
        .await
        .json()
        .await
        .unwrap();
    (asker, answerer, q, a)
}

/// Thirty colleagues up-vote `answer` at the same moment.
async fn thirty_up_votes_at_once(app: &TestApp, answer: &Value) {
    let mut voters = vec![];
    for _ in 0..30 {
        voters.push(app.api_user(&[]).await.0);
    }
    let vote = format!("/api/v1/answers/{}/vote", answer["id"]);
    let up = json!({"value": 1});
    let results = join_all(voters.iter().map(|v| v.post_json(&vote, &up))).await;
    assert!(results.iter().all(|r| r.status() == StatusCode::OK));
}

/// Acceptance 1.
#[tokio::test]
async fn an_accept_counts_once_and_unaccepting_and_reaccepting_nets_five() {
    let app = spawn_app().await;
    let (asker, answerer, _, a) = question_with_answer(&app).await;
    let accept = format!("/api/v1/answers/{}/accept", a["id"]);
    // A retry storm: eight accepts at once, then one more.
    let empty = json!({});
    let results = join_all((0..8).map(|_| asker.post_json(&accept, &empty))).await;
    assert!(results.iter().all(|r| r.status().is_success()));
    assert!(
        asker
            .post_json(&accept, &json!({}))
            .await
            .status()
            .is_success()
    );
    assert_eq!(by_rule(&answerer).await["answer_accepted"], 5);
    assert_eq!(by_rule(&asker).await["answer_accepted_asker"], 1);
    // Un-accept and re-accept (twice): still exactly 5.
    for _ in 0..2 {
        assert!(asker.delete(&accept).await.status().is_success());
        assert_eq!(by_rule(&answerer).await.get("answer_accepted"), None);
        assert!(
            asker
                .post_json(&accept, &json!({}))
                .await
                .status()
                .is_success()
        );
    }
    let rules = by_rule(&answerer).await;
    assert_eq!(rules["answer_accepted"], 5);
    assert_eq!(rules["answer_posted"], 2);
    assert_eq!(total(&answerer).await, 7);
    // The rollups agree with the ledger.
    let sum = app
        .count("SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM point_events")
        .await;
    let totals = app
        .count("SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM point_totals WHERE period = 'all'")
        .await;
    assert_eq!(sum, totals);
}

/// Acceptance 3: 30 up-votes at once earn 50 points (the daily cap), not 60; the accepted
/// answer's 5 pass the cap.
#[tokio::test]
async fn the_daily_cap_holds_under_concurrency_and_accepted_answers_pass_it() {
    let app = spawn_app().await;
    let (asker, answerer, _, a) = question_with_answer(&app).await;
    thirty_up_votes_at_once(&app, &a).await;
    assert_eq!(by_rule(&answerer).await["answer_upvoted"], 50);
    let accept = format!("/api/v1/answers/{}/accept", a["id"]);
    assert!(
        asker
            .post_json(&accept, &json!({}))
            .await
            .status()
            .is_success()
    );
    let rules = by_rule(&answerer).await;
    assert_eq!(rules["answer_upvoted"], 50);
    assert_eq!(rules["answer_accepted"], 5);
    assert_eq!(total(&answerer).await, 57);
}

/// Caps and switches as edited: a lifted cap lifts it (and its points no longer count against
/// the others), a new cap holds, a switched-off rule gives nothing.
#[tokio::test]
async fn edited_caps_and_switches_apply_to_the_next_action() {
    let app = spawn_app().await;
    let (asker, answerer, q, a) = question_with_answer(&app).await;
    let mut rules: Value = asker.get_json("/api/v1/point-rules").await;
    for r in rules.as_array_mut().unwrap() {
        match r["action"].as_str().unwrap() {
            "answer_upvoted" => r["daily_cap"] = Value::Null,
            "comment_posted" => r["daily_cap"] = json!(2),
            "post_liked" => r["enabled"] = json!(false),
            _ => {}
        }
    }
    let response = asker
        .request(reqwest::Method::PUT, "/api/v1/point-rules")
        .json(&rules)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    thirty_up_votes_at_once(&app, &a).await;
    assert_eq!(by_rule(&answerer).await["answer_upvoted"], 60, "no cap");

    for n in 0..3 {
        let response = answerer
            .post_json(
                &format!("/api/v1/questions/{}/comments", q["id"]),
                &json!({ "body": format!("Comment number {n} on the rooms.") }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    assert_eq!(
        by_rule(&answerer).await["comment_posted"],
        2,
        "capped at 2, the 60 of the uncapped votes not counted against it"
    );

    let post: Value = answerer
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Meeting rooms explained", "body": "Book them early."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let publish = answerer
        .post_json(&format!("/api/v1/posts/{}/publish", post["id"]), &json!({}))
        .await;
    assert_eq!(publish.status(), StatusCode::OK);
    let like = asker
        .post_json(&format!("/api/v1/posts/{}/like", post["id"]), &json!({}))
        .await;
    assert!(like.status().is_success(), "{}", like.status());
    let standing = by_rule(&answerer).await;
    assert_eq!(
        standing.get("post_liked").copied().unwrap_or(0),
        0,
        "switched off"
    );
    assert_eq!(standing["post_published"], 5);
}

/// Acceptance 5: known totals; overall, per department, without the social team; ties share
/// a rank and are listed in a stable order.
#[tokio::test]
async fn leaderboards_per_department_and_without_excluded_roles() {
    use kring::entities::{departments, profiles};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};

    let app = spawn_app().await;
    let db = app.db();
    let mut ids = HashMap::new();
    for (name, roles) in [
        ("Anna", vec![]),
        ("Bram", vec![]),
        ("Cees", vec![]),
        ("Sofie", vec![Role::SocialTeam]),
    ] {
        let user = app
            .create_user_with(
                &format!("{}@example.com", name.to_lowercase()),
                name,
                &roles,
            )
            .await;
        ids.insert(name, user.id);
    }
    let now = chrono::Utc::now();
    let department = |name: &str| departments::ActiveModel {
        name: Set(name.into()),
        created_at: Set(now),
        ..Default::default()
    };
    let sales = department("Sales").insert(db).await.unwrap().id;
    let it = department("IT").insert(db).await.unwrap().id;
    for (name, dept) in [
        ("Anna", sales),
        ("Bram", sales),
        ("Cees", it),
        ("Sofie", it),
    ] {
        profiles::ActiveModel {
            user_id: Set(ids[name]),
            job_title: Set(String::new()),
            department_id: Set(Some(dept)),
            location: Set(String::new()),
            languages: Set(String::new()),
            bio_md: Set(String::new()),
            bio_html: Set(String::new()),
            links: Set("[]".into()),
            photo_key: Set(None),
            updated_at: Set(now),
        }
        .insert(db)
        .await
        .unwrap();
    }
    // Anna 10, Bram 10, Cees 7, Sofie 20 (post_published 5 each, question_asked 1 each).
    let mut n = 0;
    for (name, posts, questions) in [
        ("Anna", 2, 0),
        ("Bram", 1, 5),
        ("Cees", 1, 2),
        ("Sofie", 4, 0),
    ] {
        for _ in 0..posts {
            n += 1;
            ledger::award(
                db,
                Action::PostPublished,
                Subject::new("post", n),
                ids[name],
                None,
            )
            .await
            .unwrap();
        }
        for _ in 0..questions {
            n += 1;
            ledger::award(
                db,
                Action::QuestionAsked,
                Subject::new("question", n),
                ids[name],
                None,
            )
            .await
            .unwrap();
        }
    }
    let (viewer, _) = app.api_user(&[]).await;
    let board = |q: String| {
        let viewer = viewer.clone();
        async move {
            let b = viewer.get_json(&format!("/api/v1/leaderboard?{q}")).await;
            b["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["rank"].as_u64().unwrap(),
                        e["display_name"].as_str().unwrap().to_owned(),
                        e["points"].as_i64().unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let row = |r: u64, n: &str, p: i64| (r, n.to_owned(), p);
    for period in ["all".to_owned(), now.format("%Y-%m").to_string()] {
        assert_eq!(
            board(format!("period={period}")).await,
            vec![
                row(1, "Sofie", 20),
                row(2, "Anna", 10),
                row(2, "Bram", 10),
                row(4, "Cees", 7)
            ]
        );
    }
    assert_eq!(
        board(format!("period=all&department={sales}")).await,
        vec![row(1, "Anna", 10), row(1, "Bram", 10)]
    );
    assert_eq!(
        board(format!("period=all&department={it}")).await,
        vec![row(1, "Sofie", 20), row(2, "Cees", 7)]
    );
    kring::settings_store::put(
        db,
        &LeaderboardSettings {
            excluded_roles: vec![Role::SocialTeam],
            hide_individuals: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        board("period=all".into()).await,
        vec![row(1, "Anna", 10), row(1, "Bram", 10), row(3, "Cees", 7)]
    );
    // A month without points, and a malformed period.
    assert_eq!(board("period=2001-01".into()).await, vec![]);
    assert_eq!(
        viewer
            .get("/api/v1/leaderboard?period=2026-13")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    // Hidden leaderboards: no individuals, but one's own points stay.
    kring::settings_store::put(
        db,
        &LeaderboardSettings {
            excluded_roles: vec![],
            hide_individuals: true,
        },
    )
    .await
    .unwrap();
    let hidden = viewer.get_json("/api/v1/leaderboard?period=all").await;
    assert_eq!(hidden["hidden"], true);
    assert_eq!(hidden["entries"], json!([]));
}

/// Point rules: the social team edits them (audited, applies from then on); members may not.
#[tokio::test]
async fn rules_are_edited_by_the_social_team_and_apply_from_then_on() {
    let app = spawn_app().await;
    let (member, _) = app.api_user(&[]).await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    let mut rules: Value = member.get_json("/api/v1/point-rules").await;
    let find = |rules: &Value, action: &str| {
        rules
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["action"] == action)
            .cloned()
            .unwrap()
    };
    assert_eq!(find(&rules, "question_asked")["points"], 1);
    assert_eq!(find(&rules, "answer_upvoted")["daily_cap"], 50);
    let asked = |client: &ApiClient, title: &'static str| {
        let client = client.clone();
        async move {
            client
                .post_json(
                    "/api/v1/questions",
                    &json!({"title": title, "body": "?", "tags": ["office"]}),
                )
                .await
                .status()
        }
    };
    assert_eq!(
        asked(&social, "Where is the first aid kit?").await,
        StatusCode::CREATED
    );
    for r in rules.as_array_mut().unwrap() {
        if r["action"] == "question_asked" {
            r["points"] = json!(4);
        }
    }
    let put = |client: &ApiClient, body: Value| {
        client
            .request(reqwest::Method::PUT, "/api/v1/point-rules")
            .json(&body)
            .send()
    };
    assert_eq!(
        put(&member, rules.clone()).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let response = put(&social, rules.clone()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        asked(&social, "Who has the key to the bike shed?").await,
        StatusCode::CREATED
    );
    assert_eq!(
        by_rule(&social).await["question_asked"],
        5,
        "1 before, 4 after"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'points.rule_changed'")
            .await,
        1
    );
    let mut bad = rules.clone();
    bad[0]["points"] = json!(-3);
    assert_eq!(
        put(&social, bad).await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

/// Acceptance 2: over random sequences of asking, answering, accepting, un-accepting, voting,
/// commenting and deleting, the ledger equals what the content deserves.
#[tokio::test]
async fn the_ledger_equals_a_recomputation_from_the_content() {
    let app = spawn_app().await;
    let mut people = vec![];
    for n in 0..4 {
        let roles = if n == 0 {
            vec![Role::SocialTeam]
        } else {
            vec![]
        };
        let (client, user) = app.api_user(&roles).await;
        people.push((client, user.id));
    }
    // `office` exists for everyone to use.
    people[0]
        .0
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Seed question for the tag", "body": "?", "tags": ["office"]}),
        )
        .await;
    let mut rng = StdRng::seed_from_u64(20261202);
    let mut questions: Vec<i64> = vec![];
    let mut answers: Vec<i64> = vec![];
    let mut comments: Vec<i64> = vec![];
    for step in 0..80 {
        let (client, _) = &people[rng.random_range(0..people.len())];
        match rng.random_range(0..9) {
            0 => {
                let r: Value = client
                    .post_json(
                        "/api/v1/questions",
                        &json!({"title": format!("Random question number {step}"), "body": "?", "tags": ["office"]}),
                    )
                    .await
                    .json()
                    .await
                    .unwrap();
                questions.extend(r["id"].as_i64());
            }
            1 | 2 if !questions.is_empty() => {
                let q = questions[rng.random_range(0..questions.len())];
                let r: Value = client
                    .post_json(
                        &format!("/api/v1/questions/{q}/answers"),
                        &json!({"body": format!("Answer {step}")}),
                    )
                    .await
                    .json()
                    .await
                    .unwrap_or_default();
                answers.extend(r["id"].as_i64());
            }
            3 if !answers.is_empty() => {
                let a = answers[rng.random_range(0..answers.len())];
                client
                    .post_json(&format!("/api/v1/answers/{a}/accept"), &json!({}))
                    .await;
            }
            4 if !answers.is_empty() => {
                let a = answers[rng.random_range(0..answers.len())];
                client.delete(&format!("/api/v1/answers/{a}/accept")).await;
            }
            5 if !answers.is_empty() => {
                let a = answers[rng.random_range(0..answers.len())];
                let value = [1, -1][rng.random_range(0..2)];
                client
                    .post_json(
                        &format!("/api/v1/answers/{a}/vote"),
                        &json!({"value": value}),
                    )
                    .await;
            }
            6 if !answers.is_empty() => {
                let a = answers[rng.random_range(0..answers.len())];
                client.delete(&format!("/api/v1/answers/{a}")).await;
            }
            7 if !questions.is_empty() => {
                let q = questions[rng.random_range(0..questions.len())];
                let r: Value = client
                    .post_json(
                        &format!("/api/v1/questions/{q}/comments"),
                        &json!({"body": "A comment"}),
                    )
                    .await
                    .json()
                    .await
                    .unwrap_or_default();
                comments.extend(r["id"].as_i64());
            }
            8 if !comments.is_empty() => {
                let c = comments[rng.random_range(0..comments.len())];
                client.delete(&format!("/api/v1/qa-comments/{c}")).await;
            }
            _ => {}
        }
    }
    assert!(
        answers.len() > 5 && questions.len() > 3,
        "the sequence did things"
    );
    // What the content deserves, computed in SQL from the current state.
    let expected = |user: i64| {
        format!(
            "SELECT CAST(( \
               (SELECT COUNT(*) FROM questions WHERE author_id = {user} AND deleted_at IS NULL) \
             + 2 * (SELECT COUNT(*) FROM answers a JOIN questions q ON q.id = a.question_id \
                    WHERE a.author_id = {user} AND a.deleted_at IS NULL AND q.deleted_at IS NULL \
                    AND q.author_id <> {user}) \
             + 5 * (SELECT COUNT(*) FROM questions q JOIN answers a ON a.id = q.accepted_answer_id \
                    WHERE a.author_id = {user} AND q.author_id <> {user} AND q.deleted_at IS NULL \
                    AND a.deleted_at IS NULL) \
             + (SELECT COUNT(*) FROM questions q JOIN answers a ON a.id = q.accepted_answer_id \
                    WHERE q.author_id = {user} AND a.author_id <> {user} AND q.deleted_at IS NULL \
                    AND a.deleted_at IS NULL) \
             + 2 * (SELECT COUNT(*) FROM answer_votes v JOIN answers a ON a.id = v.answer_id \
                    JOIN questions q ON q.id = a.question_id \
                    WHERE a.author_id = {user} AND v.value = 1 AND a.deleted_at IS NULL \
                    AND q.deleted_at IS NULL) \
             + (SELECT COUNT(*) FROM qa_comments WHERE author_id = {user} AND deleted_at IS NULL) \
            ) AS BIGINT)"
        )
    };
    for (client, id) in &people {
        let deserved = app.count(&expected(*id)).await;
        assert_eq!(total(client).await, deserved, "user {id}");
        let ledger = app
            .count(&format!(
                "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM point_events WHERE user_id = {id}"
            ))
            .await;
        assert_eq!(ledger, deserved, "user {id}: ledger");
    }
}
