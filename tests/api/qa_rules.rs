//! Q&A through the JSON API: the whole loop, votes under concurrency, who accepts, closing as
//! duplicate, the unanswered rule at its boundaries, keyset pagination under inserts, tags.
use std::collections::HashSet;

use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ApiClient, TestApp, error_code, spawn_app};

async fn created(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

async fn ok(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Asks a question in `tag` (the client must be allowed to create it, or it must exist).
async fn ask(client: &ApiClient, title: &str, tag: &str) -> i64 {
    let q = created(
        client
            .post_json(
                "/api/v1/questions",
                &json!({"title": title, "body": "Some details.", "tags": [tag]}),
            )
            .await,
    )
    .await;
    q["id"].as_i64().unwrap()
}

async fn answer(client: &ApiClient, question: i64, body: &str) -> i64 {
    let a = created(
        client
            .post_json(
                &format!("/api/v1/questions/{question}/answers"),
                &json!({ "body": body }),
            )
            .await,
    )
    .await;
    a["id"].as_i64().unwrap()
}

/// A social-team client (creates tags) and a question of theirs in `tag`.
async fn social(app: &TestApp) -> ApiClient {
    app.api_user(&[Role::SocialTeam]).await.0
}

#[tokio::test]
async fn the_whole_loop_ask_answer_comment_vote_accept_unaccept() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let (helper, helper_user) = app.api_user(&[]).await;
    let q = created(
        asker
            .post_json(
                "/api/v1/questions",
                &json!({"title": "How do I book a meeting room?", "body": "For *six* people.", "tags": ["Facilities", "#rooms"], "language": "en"}),
            )
            .await,
    )
    .await;
    let qid = q["id"].as_i64().unwrap();
    assert_eq!(q["tags"], json!(["facilities", "rooms"]));
    assert_eq!(q["status"], "open");
    assert!(q["body_html"].as_str().unwrap().contains("<em>six</em>"));
    assert_eq!(
        q["url"],
        format!("/questions/{qid}/how-do-i-book-a-meeting-room")
    );

    let aid = answer(&helper, qid, "Use the room planner in the portal.").await;
    let comment = created(
        helper
            .post_json(
                &format!("/api/v1/questions/{qid}/comments"),
                &json!({"body": "Which floor?"}),
            )
            .await,
    )
    .await;
    assert_eq!(comment["author"]["id"], helper_user.id);
    created(
        asker
            .post_json(
                &format!("/api/v1/answers/{aid}/comments"),
                &json!({"body": "Thanks!"}),
            )
            .await,
    )
    .await;
    let vote = ok(asker
        .post_json(&format!("/api/v1/answers/{aid}/vote"), &json!({"value": 1}))
        .await)
    .await;
    assert_eq!(vote, json!({"score": 1, "my_vote": 1}));
    let vote = ok(helper
        .post_json(
            &format!("/api/v1/questions/{qid}/vote"),
            &json!({"value": 1}),
        )
        .await)
    .await;
    assert_eq!(vote["score"], 1);

    let view = ok(asker
        .post_json(&format!("/api/v1/answers/{aid}/accept"), &json!({}))
        .await)
    .await;
    assert_eq!(view["accepted_answer_id"], aid);
    assert_eq!(view["is_answered"], true);
    assert_eq!(view["answer_count"], 1);
    assert_eq!(view["score"], 1);
    assert_eq!(view["comments"][0]["body"], "Which floor?");
    let a = &view["answers"][0];
    assert_eq!(a["is_accepted"], true);
    assert_eq!(a["score"], 1);
    assert_eq!(a["my_vote"], 1);
    assert_eq!(a["comments"][0]["body"], "Thanks!");

    let view = ok(asker
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/answers/{aid}/accept"),
        )
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(view["accepted_answer_id"], Value::Null);
    assert_eq!(view["answers"][0]["is_accepted"], false);
    // Still answered: the answer scores above zero.
    assert_eq!(view["is_answered"], true);
    let fetched = asker.get_json(&format!("/api/v1/questions/{qid}")).await;
    assert_eq!(fetched["accepted_answer_id"], Value::Null);
}

#[tokio::test]
async fn fifty_concurrent_up_votes_count_fifty_and_revoting_changes_the_vote() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let (author, _) = app.api_user(&[]).await;
    let qid = ask(&asker, "Where is the coffee machine manual?", "coffee").await;
    let aid = answer(&author, qid, "In the kitchen drawer.").await;

    let mut voters = Vec::new();
    for _ in 0..50 {
        voters.push(app.api_user(&[]).await.0);
    }
    let path = format!("/api/v1/answers/{aid}/vote");
    let statuses = futures_util::future::join_all(voters.iter().map(|v| {
        let path = path.clone();
        async move { v.post_json(&path, &json!({"value": 1})).await.status() }
    }))
    .await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    let view = asker.get_json(&format!("/api/v1/questions/{qid}")).await;
    assert_eq!(view["answers"][0]["score"], 50);
    assert_eq!(app.count("SELECT COUNT(*) FROM answer_votes").await, 50);

    // Voting again with the same value changes nothing; the other value swings by two; taking
    // the vote back removes it.
    let first = &voters[0];
    let v = ok(first.post_json(&path, &json!({"value": 1})).await).await;
    assert_eq!(v, json!({"score": 50, "my_vote": 1}));
    let v = ok(first.post_json(&path, &json!({"value": -1})).await).await;
    assert_eq!(v, json!({"score": 48, "my_vote": -1}));
    let v = ok(first.delete(&path).await).await;
    assert_eq!(v, json!({"score": 49, "my_vote": 0}));
    assert_eq!(app.count("SELECT COUNT(*) FROM answer_votes").await, 49);
}

#[tokio::test]
async fn one_user_voting_concurrently_never_drifts_the_score() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let qid = ask(&asker, "Can I bring my dog to the office?", "office").await;
    let (voter, voter_user) = app.api_user(&[]).await;
    let path = format!("/api/v1/questions/{qid}/vote");
    let statuses = futures_util::future::join_all((0..12).map(|n| {
        let (voter, path) = (&voter, path.clone());
        async move {
            let value = if n % 3 == 0 { -1 } else { 1 };
            voter
                .post_json(&path, &json!({ "value": value }))
                .await
                .status()
        }
    }))
    .await;
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let stored = app
        .count(&format!(
            "SELECT COALESCE(SUM(value), 0) FROM question_votes WHERE question_id = {qid} AND user_id = {}",
            voter_user.id
        ))
        .await;
    let view = asker.get_json(&format!("/api/v1/questions/{qid}")).await;
    assert_eq!(view["score"].as_i64().unwrap(), stored);
    assert_eq!(stored.abs(), 1, "exactly one vote is stored");
}

#[tokio::test]
async fn nobody_votes_on_their_own_post_and_votes_are_one_or_minus_one() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let qid = ask(&asker, "Who orders the Christmas packages?", "events").await;
    let aid = answer(&asker, qid, "I answer myself: HR does.").await;
    for path in [
        format!("/api/v1/questions/{qid}/vote"),
        format!("/api/v1/answers/{aid}/vote"),
    ] {
        let response = asker.post_json(&path, &json!({"value": 1})).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(error_code(response).await, "forbidden");
    }
    let (other, _) = app.api_user(&[]).await;
    for value in [0, 2, -5] {
        let response = other
            .post_json(
                &format!("/api/v1/answers/{aid}/vote"),
                &json!({ "value": value }),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{value}"
        );
    }
    let response = other
        .post_json("/api/v1/answers/999999/vote", &json!({"value": 1}))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let view = asker.get_json(&format!("/api/v1/questions/{qid}")).await;
    assert_eq!(view["score"], 0);
    assert_eq!(view["answers"][0]["score"], 0);
}

#[tokio::test]
async fn only_the_asker_or_a_moderator_accepts_and_accepting_another_moves_it() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let qid = ask(&asker, "How do I reset my badge PIN?", "security").await;
    let (first, _) = app.api_user(&[]).await;
    let (second, _) = app.api_user(&[]).await;
    let a1 = answer(&first, qid, "At the front desk.").await;
    let a2 = answer(&second, qid, "Through the self-service portal.").await;

    // The answer's own author is not the asker.
    let response = first
        .post_json(&format!("/api/v1/answers/{a1}/accept"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = second
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/answers/{a1}/accept"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let view = ok(asker
        .post_json(&format!("/api/v1/answers/{a1}/accept"), &json!({}))
        .await)
    .await;
    assert_eq!(view["accepted_answer_id"], a1);
    let view = ok(asker
        .post_json(&format!("/api/v1/answers/{a2}/accept"), &json!({}))
        .await)
    .await;
    assert_eq!(view["accepted_answer_id"], a2);
    let accepted: Vec<i64> = view["answers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["is_accepted"] == true)
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        accepted,
        vec![a2],
        "exactly one accepted answer, listed first"
    );
    assert_eq!(view["answers"][0]["id"], a2);

    // An editor moderates: they may move it back.
    let (editor, _) = app.api_user(&[Role::Editor]).await;
    let view = ok(editor
        .post_json(&format!("/api/v1/answers/{a1}/accept"), &json!({}))
        .await)
    .await;
    assert_eq!(view["accepted_answer_id"], a1);
}

#[tokio::test]
async fn closing_as_duplicate_links_both_ways_refuses_answers_and_reopens() {
    let app = spawn_app().await;
    let social = social(&app).await;
    let (member, _) = app.api_user(&[]).await;
    let original = ask(&social, "How do I print on the third floor?", "printing").await;
    let copy = ask(&member, "Printing on floor three does not work", "printing").await;
    let other = ask(&member, "Which printer prints in colour?", "printing").await;

    // Nobody else closes it; the original must exist and not be the question itself.
    let (stranger, _) = app.api_user(&[]).await;
    let response = stranger
        .post_json(
            &format!("/api/v1/questions/{copy}/close"),
            &json!({"reason": "duplicate", "duplicate_of": original}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    for (target, field) in [(copy, "duplicate_of"), (987654, "duplicate_of")] {
        let response = member
            .post_json(
                &format!("/api/v1/questions/{copy}/close"),
                &json!({"reason": "duplicate", "duplicate_of": target}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["field"], field);
    }

    let view = ok(member
        .post_json(
            &format!("/api/v1/questions/{copy}/close"),
            &json!({"reason": "duplicate", "duplicate_of": original}),
        )
        .await)
    .await;
    assert_eq!(view["status"], "closed");
    assert_eq!(view["close_reason"], "duplicate");
    assert_eq!(view["duplicate_of"]["id"], original);
    let orig = social
        .get_json(&format!("/api/v1/questions/{original}"))
        .await;
    assert_eq!(orig["duplicates"][0]["id"], copy);

    let response = social
        .post_json(
            &format!("/api/v1/questions/{copy}/answers"),
            &json!({"body": "Try the other printer."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(response).await, "conflict");
    assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 0);
    let response = member
        .post_json(
            &format!("/api/v1/questions/{copy}/close"),
            &json!({"reason": "off_topic"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT, "already closed");

    // A duplicate of a duplicate points at the original.
    let view = ok(social
        .post_json(
            &format!("/api/v1/questions/{other}/close"),
            &json!({"reason": "duplicate", "duplicate_of": copy}),
        )
        .await)
    .await;
    assert_eq!(view["duplicate_of"]["id"], original);

    let view = ok(member
        .post_json(&format!("/api/v1/questions/{copy}/reopen"), &json!({}))
        .await)
    .await;
    assert_eq!(view["status"], "open");
    assert_eq!(view["duplicate_of"], Value::Null);
    let orig = social
        .get_json(&format!("/api/v1/questions/{original}"))
        .await;
    assert_eq!(
        orig["duplicates"].as_array().unwrap().len(),
        1,
        "only `other` is left"
    );
    answer(&social, copy, "Try the other printer.").await;

    let view = ok(social
        .post_json(
            &format!("/api/v1/questions/{original}/close"),
            &json!({"reason": "off_topic"}),
        )
        .await)
    .await;
    assert_eq!(view["close_reason"], "off_topic");
    assert_eq!(view["duplicate_of"], Value::Null);
}

async fn unanswered_ids(client: &ApiClient) -> HashSet<i64> {
    let page = client
        .get_json("/api/v1/questions?sort=unanswered&limit=100")
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_unanswered_list_is_right_at_its_boundaries() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let (answerer, _) = app.api_user(&[]).await;
    let (voter, _) = app.api_user(&[]).await;
    let vote = |id: i64, value: i64| {
        let voter = &voter;
        async move {
            ok(voter
                .post_json(
                    &format!("/api/v1/answers/{id}/vote"),
                    &json!({ "value": value }),
                )
                .await)
            .await;
        }
    };

    let none = ask(&asker, "Question without any answer", "misc").await;
    let zero = ask(&asker, "Question with an answer scored zero", "misc").await;
    answer(&answerer, zero, "A so-so answer.").await;
    let plus = ask(&asker, "Question with an up-voted answer", "misc").await;
    let a_plus = answer(&answerer, plus, "A good answer.").await;
    vote(a_plus, 1).await;
    let minus = ask(&asker, "Question with a down-voted answer", "misc").await;
    let a_minus = answer(&answerer, minus, "A bad answer.").await;
    vote(a_minus, -1).await;
    let accepted = ask(
        &asker,
        "Question with an accepted answer scored zero",
        "misc",
    )
    .await;
    let a_acc = answer(&answerer, accepted, "The accepted answer.").await;
    ok(asker
        .post_json(&format!("/api/v1/answers/{a_acc}/accept"), &json!({}))
        .await)
    .await;
    let closed = ask(&asker, "Closed question without answers", "misc").await;
    ok(asker
        .post_json(
            &format!("/api/v1/questions/{closed}/close"),
            &json!({"reason": "off_topic"}),
        )
        .await)
    .await;

    let ids = unanswered_ids(&asker).await;
    assert_eq!(ids, HashSet::from([none, zero, minus]));
    let page = asker.get_json("/api/v1/questions?limit=100").await;
    let answered: HashSet<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["is_answered"] == true)
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(answered, HashSet::from([plus, accepted]));

    // An outdated answer proves nothing until it is updated.
    let response = answerer
        .post_json(&format!("/api/v1/answers/{a_acc}/outdated"), &json!({}))
        .await;
    assert!(ok(response).await["outdated"].is_object());
    assert!(unanswered_ids(&asker).await.contains(&accepted));
    ok(answerer
        .patch_json(
            &format!("/api/v1/answers/{a_acc}"),
            &json!({"body": "The accepted answer, brought up to date."}),
        )
        .await)
    .await;
    assert!(!unanswered_ids(&asker).await.contains(&accepted));
    let (stranger, _) = app.api_user(&[]).await;
    let response = stranger
        .post_json(&format!("/api/v1/answers/{a_acc}/outdated"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // Un-voting the good answer puts its question back.
    ok(voter
        .delete(&format!("/api/v1/answers/{a_plus}/vote"))
        .await)
    .await;
    assert!(unanswered_ids(&asker).await.contains(&plus));
}

#[tokio::test]
async fn keyset_pages_return_every_question_once_while_new_ones_arrive() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let mut existing = Vec::new();
    for n in 0..23 {
        existing.push(ask(&asker, &format!("Existing question number {n}"), "paging").await);
    }
    let mut seen: Vec<i64> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut added = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/questions?limit=5&before={c}"),
            None => "/api/v1/questions?limit=5".to_owned(),
        };
        let page = asker.get_json(&path).await;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 5);
        seen.extend(items.iter().map(|q| q["id"].as_i64().unwrap()));
        // Colleagues keep asking while we page.
        for _ in 0..2 {
            ask(
                &asker,
                &format!("New question while paging {added}"),
                "paging",
            )
            .await;
            added += 1;
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no question twice: {seen:?}");
    for id in &existing {
        assert!(unique.contains(id), "question {id} was skipped");
    }
    assert_eq!(
        seen.len(),
        existing.len(),
        "new questions come before the first page"
    );

    let response = asker.get("/api/v1/questions?before=garbage").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = asker.get("/api/v1/questions?sort=loudest").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = asker.get("/api/v1/questions?tag=no-such-tag").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn lists_by_activity_tag_author_followed_tags_and_invitations() {
    let app = spawn_app().await;
    let social = social(&app).await;
    let (member, member_user) = app.api_user(&[]).await;
    let (colleague, colleague_user) = app.api_user(&[]).await;
    let old = ask(&social, "An older question about travel", "travel").await;
    ask(&social, "Where do we have lunch on Fridays?", "lunch").await;
    let mine = ask(&member, "My question about lunch options", "lunch").await;
    let newest = ask(&social, "The newest question about parking", "parking").await;

    // Answering the old question makes it the most active.
    answer(&colleague, old, "Book through the travel desk.").await;
    let page = member.get_json("/api/v1/questions?sort=active").await;
    assert_eq!(page["items"][0]["id"], old);
    let page = member.get_json("/api/v1/questions").await;
    assert_eq!(page["items"][0]["id"], newest);

    let page = member.get_json("/api/v1/questions?tag=Travel").await;
    let ids: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![old]);
    let page = member.get_json("/api/v1/questions?mine=true").await;
    let ids: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![mine]);

    let response = member
        .post_json("/api/v1/tags/parking/follow", &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let page = member.get_json("/api/v1/questions?following=true").await;
    let ids: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![newest]);
    assert_eq!(
        member.get_json("/api/v1/tags/parking").await["followed"],
        true
    );

    // An invitation shows the question to the invitee only; experts see their tags' questions.
    let response = member
        .post_json(
            &format!("/api/v1/questions/{newest}/invitations"),
            &json!({"user_id": colleague_user.id}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let page = colleague.get_json("/api/v1/questions?for_me=true").await;
    let ids: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![newest]);
    let page = member.get_json("/api/v1/questions?for_me=true").await;
    assert_eq!(page["items"], json!([]));
    let response = member
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/tags/travel/experts/{}", member_user.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "only the social team marks experts"
    );
    let response = social
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/tags/travel/experts/{}", member_user.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let page = member.get_json("/api/v1/questions?for_me=true").await;
    let ids: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![old]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'tag.expert_added'")
            .await,
        1
    );
}

#[tokio::test]
async fn new_tags_of_members_without_points_are_proposed_and_synonyms_lead_to_the_main_tag() {
    let app = spawn_app().await;
    let social = social(&app).await;
    let (member, _) = app.api_user(&[]).await;
    let body = |tags: Value| json!({"title": "How do I request a second screen?", "body": "For home.", "tags": tags});

    // Without points a new tag is proposed (the social team decides, see flows.rs).
    let response = member
        .post_json("/api/v1/questions", &body(json!(["hardware"])))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tags WHERE name = 'hardware' AND status = 'proposed'")
            .await,
        1
    );
    for tags in [json!([]), json!(["a", "b", "c", "d", "e", "f"])] {
        let response = member.post_json("/api/v1/questions", &body(tags)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let response = member
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Screen?", "body": "x", "tags": ["hardware"]}),
        )
        .await;
    let err: Value = response.json().await.unwrap();
    assert_eq!(err["error"]["field"], "title");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions").await,
        1,
        "nothing half-saved"
    );

    created(
        social
            .post_json("/api/v1/questions", &body(json!(["hardware"])))
            .await,
    )
    .await;
    let response = member
        .post_json("/api/v1/tags/hardware/synonyms", &json!({"name": "hw"}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let tag = created(
        social
            .post_json("/api/v1/tags/hardware/synonyms", &json!({"name": "HW"}))
            .await,
    )
    .await;
    assert_eq!(tag["synonyms"], json!(["hw"]));
    let response = social
        .post_json(
            "/api/v1/tags/hardware/synonyms",
            &json!({"name": "hardware"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    // The member may now use the tag, also by its synonym.
    let q = created(
        member
            .post_json("/api/v1/questions", &body(json!(["hw"])))
            .await,
    )
    .await;
    assert_eq!(q["tags"], json!(["hardware"]));
    let page = member.get_json("/api/v1/questions?tag=hw").await;
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        3,
        "the member's first question, the social team's and this one"
    );
}

#[tokio::test]
async fn edits_keep_revisions_and_only_authors_and_moderators_edit() {
    let app = spawn_app().await;
    let social = social(&app).await;
    let (member, _) = app.api_user(&[]).await;
    let (stranger, _) = app.api_user(&[]).await;
    let qid = ask(&social, "How do I order business cards?", "office").await;
    let aid = answer(
        &member,
        qid,
        "Via the <script>alert(1)</script> print shop.",
    )
    .await;
    let view = social.get_json(&format!("/api/v1/questions/{qid}")).await;
    assert!(
        !view["answers"][0]["body_html"]
            .as_str()
            .unwrap()
            .contains("<script")
    );

    let response = stranger
        .patch_json(
            &format!("/api/v1/questions/{qid}"),
            &json!({"title": "Hijacked title here"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = stranger
        .patch_json(
            &format!("/api/v1/answers/{aid}"),
            &json!({"body": "mine now"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let view = ok(social
        .patch_json(
            &format!("/api/v1/questions/{qid}"),
            &json!({"title": "How do I order new business cards?", "tags": ["office", "print"]}),
        )
        .await)
    .await;
    assert_eq!(view["title"], "How do I order new business cards?");
    assert_eq!(view["tags"], json!(["office", "print"]));
    let revisions = social
        .get_json(&format!("/api/v1/questions/{qid}/revisions"))
        .await;
    assert_eq!(revisions[0]["title"], "How do I order business cards?");
    assert_eq!(revisions[0]["tags"], "office");

    ok(member
        .patch_json(
            &format!("/api/v1/answers/{aid}"),
            &json!({"body": "Via the print shop portal."}),
        )
        .await)
    .await;
    let revisions = member
        .get_json(&format!("/api/v1/answers/{aid}/revisions"))
        .await;
    assert_eq!(revisions.as_array().unwrap().len(), 1);
    assert!(
        revisions[0]["body"]
            .as_str()
            .unwrap()
            .starts_with("Via the <script>")
    );

    // Similar titles are suggested (from the search index); unrelated ones are not.
    app.drain().await;
    let similar = member
        .get_json("/api/v1/questions/similar?title=order%20business%20cards%20quickly")
        .await;
    assert_eq!(similar[0]["id"], qid);
    let similar = member
        .get_json("/api/v1/questions/similar?title=parking%20garage%20hours")
        .await;
    assert_eq!(similar, json!([]));

    // The API is documented.
    let doc: Value = member.get_json("/api/v1/openapi.json").await;
    for path in [
        "/api/v1/questions",
        "/api/v1/answers/{id}/accept",
        "/api/v1/questions/{id}/vote",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} is in the OpenAPI document"
        );
    }
}
