//! Votes on questions and answers through the API: many voters at once, one voter changing
//! their mind, one voter racing themselves, and the votes nobody may cast.
use kring::auth::types::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    helpers::{ApiClient, TestApp, spawn_app},
    qa_api::{answer, ask_id, ok, question, refused, send, social, vote},
};

/// The stored vote of one user on one item: its value, or 0 without a row.
async fn stored_vote(app: &TestApp, table: &str, column: &str, item: i64, user: i64) -> i64 {
    app.count(&format!(
        "SELECT COALESCE(SUM(value), 0) FROM {table} WHERE {column} = {item} AND user_id = {user}"
    ))
    .await
}

#[tokio::test]
async fn fifty_colleagues_up_voting_one_answer_at_once_give_exactly_fifty() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let (author, _) = app.api_user(&[]).await;
    let qid = ask_id(&asker, "Where is the coffee machine manual?", "coffee").await;
    let aid = answer(&author, qid, "In the kitchen drawer.").await;

    // Bearer tokens made directly: fifty logins would run into the login throttle.
    let mut voters = Vec::new();
    for _ in 0..50 {
        voters.push(app.api_user(&[]).await.0);
    }
    let path = format!("/api/v1/answers/{aid}/vote");
    let results = futures_util::future::join_all(voters.iter().map(|voter| {
        let path = path.as_str();
        async move {
            let response = voter.post_json(path, &json!({"value": 1})).await;
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        }
    }))
    .await;
    for (status, body) in &results {
        assert_eq!(*status, StatusCode::OK, "{body}");
        assert_eq!(body["my_vote"], 1);
    }
    // Every vote saw its own increment on top of all earlier ones: the scores handed back are
    // exactly 1..=50, none lost or doubled.
    let mut scores: Vec<i64> = results
        .iter()
        .map(|(_, b)| b["score"].as_i64().unwrap())
        .collect();
    scores.sort_unstable();
    assert_eq!(scores, (1..=50).collect::<Vec<i64>>());

    let view = question(&asker, qid).await;
    assert_eq!(view["answers"][0]["score"], 50);
    assert_eq!(view["score"], 0, "the question's score is untouched");
    assert_eq!(app.count("SELECT COUNT(*) FROM answer_votes").await, 50);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM answer_votes WHERE answer_id = {aid} AND value = 1"
        ))
        .await,
        50
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(score AS BIGINT) FROM answers WHERE id = {aid}"
        ))
        .await,
        50
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM question_votes").await, 0);
}

#[tokio::test]
async fn voting_again_changes_the_vote_instead_of_adding_one() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let (author, _) = app.api_user(&[]).await;
    let (voter, voter_user) = app.api_user(&[]).await;
    let (other, _) = app.api_user(&[]).await;
    let qid = ask_id(&asker, "How do I change my desk height?", "desks").await;
    let aid = answer(&author, qid, "The button under the left edge.").await;

    for (path, table, column, item) in [
        (
            format!("/api/v1/questions/{qid}/vote"),
            "question_votes",
            "question_id",
            qid,
        ),
        (
            format!("/api/v1/answers/{aid}/vote"),
            "answer_votes",
            "answer_id",
            aid,
        ),
    ] {
        assert_eq!(
            vote(&voter, &path, 1).await,
            json!({"score": 1, "my_vote": 1})
        );
        assert_eq!(
            vote(&voter, &path, 1).await,
            json!({"score": 1, "my_vote": 1}),
            "the same vote twice counts once"
        );
        assert_eq!(
            stored_vote(&app, table, column, item, voter_user.id).await,
            1
        );
        assert_eq!(
            vote(&voter, &path, -1).await,
            json!({"score": -1, "my_vote": -1}),
            "switching moves the score by two"
        );
        assert_eq!(
            vote(&voter, &path, -1).await,
            json!({"score": -1, "my_vote": -1})
        );
        assert_eq!(
            stored_vote(&app, table, column, item, voter_user.id).await,
            -1
        );
        // Another voter's vote adds to it; switching back swings by two again.
        assert_eq!(
            vote(&other, &path, -1).await,
            json!({"score": -2, "my_vote": -1})
        );
        assert_eq!(
            vote(&voter, &path, 1).await,
            json!({"score": 0, "my_vote": 1})
        );
        // Taking votes back removes them; taking back a vote one does not have is harmless.
        assert_eq!(
            ok(voter.delete(&path).await).await,
            json!({"score": -1, "my_vote": 0})
        );
        assert_eq!(
            ok(voter.delete(&path).await).await,
            json!({"score": -1, "my_vote": 0})
        );
        assert_eq!(
            ok(other.delete(&path).await).await,
            json!({"score": 0, "my_vote": 0})
        );
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM {table}")).await, 0);
    }
    let view = question(&voter, qid).await;
    assert_eq!(view["score"], 0);
    assert_eq!(view["my_vote"], 0);
    assert_eq!(view["answers"][0]["score"], 0);
    assert_eq!(view["answers"][0]["my_vote"], 0);
}

#[tokio::test]
async fn nobody_votes_on_their_own_question_or_answer_and_only_plus_or_minus_one_counts() {
    let app = spawn_app().await;
    let (asker, _) = app.api_user(&[Role::SocialTeam]).await;
    let (author, _) = app.api_user(&[]).await;
    let (voter, _) = app.api_user(&[]).await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let qid = ask_id(&asker, "Who waters the plants in summer?", "plants").await;
    let aid = answer(&author, qid, "Whoever sits closest.").await;
    let q_path = format!("/api/v1/questions/{qid}/vote");
    let a_path = format!("/api/v1/answers/{aid}/vote");
    vote(&voter, &q_path, 1).await;
    vote(&voter, &a_path, -1).await;

    // Own items: 403 for up, down and taking back, whatever one's roles.
    for (client, path) in [(&asker, &q_path), (&author, &a_path)] {
        for value in [1, -1] {
            let response = client.post_json(path, &json!({ "value": value })).await;
            refused(response, StatusCode::FORBIDDEN, "forbidden", None).await;
        }
        refused(
            client.delete(path).await,
            StatusCode::FORBIDDEN,
            "forbidden",
            None,
        )
        .await;
    }
    let own_answer = answer(&asker, qid, "I will ask facilities.").await;
    let response = asker
        .post_json(
            &format!("/api/v1/answers/{own_answer}/vote"),
            &json!({"value": 1}),
        )
        .await;
    refused(response, StatusCode::FORBIDDEN, "forbidden", None).await;

    // Values other than 1 and -1 are refused, on both kinds of item.
    for path in [&q_path, &a_path] {
        for body in [
            json!({"value": 0}),
            json!({"value": 2}),
            json!({"value": -2}),
        ] {
            let response = admin.post_json(path, &body).await;
            refused(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                Some("value"),
            )
            .await;
        }
        for body in [json!({"value": "up"}), json!({})] {
            let response = admin.post_json(path, &body).await;
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}"
            );
        }
    }
    // Unknown items are 404.
    for path in [
        "/api/v1/questions/987654/vote",
        "/api/v1/answers/987654/vote",
    ] {
        let response = voter.post_json(path, &json!({"value": 1})).await;
        refused(response, StatusCode::NOT_FOUND, "not_found", None).await;
    }

    // Nothing of that moved a score or stored a vote.
    let view = question(&voter, qid).await;
    assert_eq!(view["score"], 1);
    let answers = view["answers"].as_array().unwrap();
    let scored: Vec<(i64, i64)> = answers
        .iter()
        .map(|a| (a["id"].as_i64().unwrap(), a["score"].as_i64().unwrap()))
        .collect();
    assert_eq!(scored, vec![(own_answer, 0), (aid, -1)]);
    assert_eq!(app.count("SELECT COUNT(*) FROM question_votes").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM answer_votes").await, 1);
}

/// Fires `n` votes of one client at `path` at once (+1, -1 and, with `with_deletes`, take-backs
/// mixed); returns the statuses.
async fn race(client: &ApiClient, path: &str, n: usize, with_deletes: bool) -> Vec<StatusCode> {
    futures_util::future::join_all((0..n).map(|i| async move {
        let response = match (i % 3, with_deletes) {
            (2, true) => send(client, Method::DELETE, path).await,
            (0, _) => client.post_json(path, &json!({"value": -1})).await,
            _ => client.post_json(path, &json!({"value": 1})).await,
        };
        response.status()
    }))
    .await
}

#[tokio::test]
async fn one_colleague_voting_ten_times_at_once_leaves_the_score_equal_to_their_stored_vote() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let (author, _) = app.api_user(&[]).await;
    let (voter, voter_user) = app.api_user(&[]).await;
    let qid = ask_id(&asker, "Can I bring my dog to the office?", "office").await;
    let aid = answer(&author, qid, "On Fridays, if everyone agrees.").await;

    for round in 0..3 {
        let with_deletes = round == 2;
        for (path, table, column, item) in [
            (
                format!("/api/v1/questions/{qid}/vote"),
                "question_votes",
                "question_id",
                qid,
            ),
            (
                format!("/api/v1/answers/{aid}/vote"),
                "answer_votes",
                "answer_id",
                aid,
            ),
        ] {
            let statuses = race(&voter, &path, 10, with_deletes).await;
            // A vote that keeps losing the race is told to try again (409); none fails otherwise.
            assert!(
                statuses
                    .iter()
                    .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
                "{statuses:?}"
            );
            assert!(statuses.contains(&StatusCode::OK), "{statuses:?}");
            let stored = stored_vote(&app, table, column, item, voter_user.id).await;
            assert!((-1..=1).contains(&stored));
            assert!(
                app.count(&format!("SELECT COUNT(*) FROM {table}")).await <= 1,
                "one row per voter"
            );
            let view = question(&asker, qid).await;
            let score = if table == "question_votes" {
                view["score"].as_i64().unwrap()
            } else {
                view["answers"][0]["score"].as_i64().unwrap()
            };
            assert_eq!(score, stored, "round {round}, {path}: no drift");
            if !with_deletes {
                assert_eq!(stored.abs(), 1, "only votes were sent: one is stored");
            }
        }
    }
}
