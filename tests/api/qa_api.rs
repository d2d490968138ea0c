//! Q&A through the JSON API: the whole loop checked after every step, who accepts, closing
//! (duplicate, off-topic) and reopening, validation and tags, revisions, outdated answers,
//! similar questions, invitations, the OpenAPI document and sanitised Markdown.
//!
//! The small helpers at the top are shared with `qa_votes` and `qa_lists`.
use kring::auth::types::Role;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ApiClient, TestApp, spawn_app};

/// The body of a response that must be `201 Created`.
pub(crate) async fn created(response: Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

/// The body of a response that must be `200 OK`.
pub(crate) async fn ok(response: Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Checks a JSON error's status, code and (when given) field.
pub(crate) async fn refused(
    response: Response,
    status: StatusCode,
    code: &str,
    field: Option<&str>,
) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
    if let Some(field) = field {
        assert_eq!(body["error"]["field"], field, "{body}");
    }
}

/// Asks a question; returns the question as the API answers it (201 required).
pub(crate) async fn ask(client: &ApiClient, title: &str, tags: &[&str]) -> Value {
    created(
        client
            .post_json(
                "/api/v1/questions",
                &json!({"title": title, "body": "Some details.", "tags": tags}),
            )
            .await,
    )
    .await
}

/// Asks a question; returns its id.
pub(crate) async fn ask_id(client: &ApiClient, title: &str, tag: &str) -> i64 {
    ask(client, title, &[tag]).await["id"].as_i64().unwrap()
}

/// Answers a question; returns the answer's id.
pub(crate) async fn answer(client: &ApiClient, question: i64, body: &str) -> i64 {
    let a = created(
        client
            .post_json(
                &format!("/api/v1/questions/{question}/answers"),
                &json!({ "body": body }),
            )
            .await,
    )
    .await;
    assert_eq!(a["question_id"], question);
    a["id"].as_i64().unwrap()
}

pub(crate) async fn question(client: &ApiClient, id: i64) -> Value {
    client.get_json(&format!("/api/v1/questions/{id}")).await
}

pub(crate) async fn vote(client: &ApiClient, path: &str, value: i64) -> Value {
    ok(client.post_json(path, &json!({ "value": value })).await).await
}

pub(crate) async fn accept(client: &ApiClient, answer: i64) -> Value {
    ok(client
        .post_json(&format!("/api/v1/answers/{answer}/accept"), &json!({}))
        .await)
    .await
}

pub(crate) async fn send(client: &ApiClient, method: Method, path: &str) -> Response {
    client.request(method, path).send().await.unwrap()
}

/// The ids of a list page's items, in order.
pub(crate) fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("a page of questions")
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect()
}

/// The ids of a list, in order, fetched in one page.
pub(crate) async fn list_ids(client: &ApiClient, query: &str) -> Vec<i64> {
    let page = client
        .get_json(&format!("/api/v1/questions?limit=100&{query}"))
        .await;
    assert_eq!(page["next_cursor"], Value::Null, "one page holds the list");
    ids(&page)
}

/// A social-team client: it may create tags.
pub(crate) async fn social(app: &TestApp) -> ApiClient {
    app.api_user(&[Role::SocialTeam]).await.0
}

fn accepted_ids(view: &Value) -> Vec<i64> {
    view["answers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["is_accepted"] == true)
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn asking_answering_commenting_voting_accepting_and_unaccepting_show_after_every_step() {
    let app = spawn_app().await;
    let (asker, asker_user) = app.api_user(&[Role::SocialTeam]).await;
    let (helper, helper_user) = app.api_user(&[]).await;
    let (voter, _) = app.api_user(&[]).await;

    // Ask.
    let q = created(
        asker
            .post_json(
                "/api/v1/questions",
                &json!({
                    "title": "  How do I   request a parking permit?  ",
                    "body": "For the *garage* under building B.",
                    "tags": ["Parking", "#facilities"],
                    "language": "en",
                }),
            )
            .await,
    )
    .await;
    let qid = q["id"].as_i64().unwrap();
    assert_eq!(q["title"], "How do I request a parking permit?");
    assert_eq!(
        q["url"],
        format!("/questions/{qid}/how-do-i-request-a-parking-permit")
    );
    assert_eq!(q["tags"], json!(["facilities", "parking"]));
    assert_eq!(q["language"], "en");
    assert_eq!(q["author"]["id"], asker_user.id);
    assert_eq!(q["body"], "For the *garage* under building B.");
    assert!(q["body_html"].as_str().unwrap().contains("<em>garage</em>"));
    assert_eq!(q["status"], "open");
    assert_eq!(q["close_reason"], Value::Null);
    assert_eq!(q["duplicate_of"], Value::Null);
    assert_eq!(q["duplicates"], json!([]));
    assert_eq!(q["score"], 0);
    assert_eq!(q["my_vote"], 0);
    assert_eq!(q["answer_count"], 0);
    assert_eq!(q["is_answered"], false);
    assert_eq!(q["accepted_answer_id"], Value::Null);
    assert_eq!(q["answers"], json!([]));
    assert_eq!(q["comments"], json!([]));
    assert_eq!(q["can_edit"], true);
    assert_eq!(q["can_accept"], true);
    let seen_by_helper = question(&helper, qid).await;
    assert_eq!(seen_by_helper["can_edit"], false);
    assert_eq!(seen_by_helper["can_accept"], false);
    assert_eq!(seen_by_helper["can_delete"], false);

    // Answer, as another member.
    let a = created(
        helper
            .post_json(
                &format!("/api/v1/questions/{qid}/answers"),
                &json!({"body": "Ask **facility management** via the portal."}),
            )
            .await,
    )
    .await;
    let aid = a["id"].as_i64().unwrap();
    assert_eq!(a["question_id"], qid);
    assert_eq!(a["author"]["id"], helper_user.id);
    assert_eq!(a["score"], 0);
    assert_eq!(a["is_accepted"], false);
    assert_eq!(a["my_vote"], 0);
    assert_eq!(a["outdated"], Value::Null);
    assert_eq!(a["comments"], json!([]));
    assert_eq!(a["can_edit"], true);
    assert!(
        a["body_html"]
            .as_str()
            .unwrap()
            .contains("<strong>facility management</strong>")
    );
    let view = question(&asker, qid).await;
    assert_eq!(view["answer_count"], 1);
    assert_eq!(view["answers"].as_array().unwrap().len(), 1);
    assert_eq!(view["answers"][0]["id"], aid);
    assert_eq!(
        view["answers"][0]["can_edit"], true,
        "the social team moderates"
    );
    assert_eq!(question(&voter, qid).await["answers"][0]["can_edit"], false);
    assert_eq!(
        view["is_answered"], false,
        "an answer scored 0 and not accepted does not answer"
    );

    // Comment on the question and on the answer.
    let c1 = created(
        helper
            .post_json(
                &format!("/api/v1/questions/{qid}/comments"),
                &json!({"body": "Car or bicycle?"}),
            )
            .await,
    )
    .await;
    assert_eq!(c1["author"]["id"], helper_user.id);
    assert_eq!(c1["body"], "Car or bicycle?");
    let c2 = created(
        asker
            .post_json(
                &format!("/api/v1/answers/{aid}/comments"),
                &json!({"body": "Which portal?"}),
            )
            .await,
    )
    .await;
    assert_eq!(c2["author"]["id"], asker_user.id);
    let view = question(&asker, qid).await;
    assert_eq!(view["comments"].as_array().unwrap().len(), 1);
    assert_eq!(view["comments"][0]["id"], c1["id"]);
    assert_eq!(view["comments"][0]["body"], "Car or bicycle?");
    assert_eq!(view["answers"][0]["comments"].as_array().unwrap().len(), 1);
    assert_eq!(view["answers"][0]["comments"][0]["id"], c2["id"]);
    assert_eq!(view["answers"][0]["comments"][0]["body"], "Which portal?");
    assert_eq!(app.count("SELECT COUNT(*) FROM qa_comments").await, 2);

    // Vote on the question and the answer.
    assert_eq!(
        vote(&voter, &format!("/api/v1/questions/{qid}/vote"), 1).await,
        json!({"score": 1, "my_vote": 1})
    );
    assert_eq!(
        vote(&voter, &format!("/api/v1/answers/{aid}/vote"), 1).await,
        json!({"score": 1, "my_vote": 1})
    );
    let view = question(&voter, qid).await;
    assert_eq!(view["score"], 1);
    assert_eq!(view["my_vote"], 1);
    assert_eq!(view["answers"][0]["score"], 1);
    assert_eq!(view["answers"][0]["my_vote"], 1);
    assert_eq!(view["is_answered"], true, "an answer scored 1 answers");
    let view = question(&asker, qid).await;
    assert_eq!(view["my_vote"], 0, "votes are per viewer");
    assert_eq!(view["answers"][0]["my_vote"], 0);

    // Accept.
    let view = accept(&asker, aid).await;
    assert_eq!(view["accepted_answer_id"], aid);
    assert_eq!(accepted_ids(&view), vec![aid]);
    let view = question(&helper, qid).await;
    assert_eq!(view["accepted_answer_id"], aid);
    assert_eq!(view["answers"][0]["is_accepted"], true);
    assert_eq!(view["is_answered"], true);
    assert_eq!(view["answer_count"], 1);
    assert_eq!(view["score"], 1);

    // Un-accept.
    let view = ok(send(
        &asker,
        Method::DELETE,
        &format!("/api/v1/answers/{aid}/accept"),
    )
    .await)
    .await;
    assert_eq!(view["accepted_answer_id"], Value::Null);
    assert_eq!(accepted_ids(&view), Vec::<i64>::new());
    let view = question(&helper, qid).await;
    assert_eq!(view["accepted_answer_id"], Value::Null);
    assert_eq!(view["answers"][0]["is_accepted"], false);
    assert_eq!(view["is_answered"], true, "still scored 1");

    // Taking the only up-vote back leaves the question unanswered again.
    assert_eq!(
        ok(voter.delete(&format!("/api/v1/answers/{aid}/vote")).await).await,
        json!({"score": 0, "my_vote": 0})
    );
    let view = question(&helper, qid).await;
    assert_eq!(view["is_answered"], false);
    assert_eq!(view["answers"][0]["score"], 0);
    assert_eq!(list_ids(&helper, "sort=unanswered").await, vec![qid]);
}

#[tokio::test]
async fn only_the_asker_or_a_moderator_accepts_and_acceptance_moves_between_answers() {
    let app = spawn_app().await;
    let social = social(&app).await;
    ask_id(&social, "Where do I collect a new badge?", "badges").await;
    let (asker, _) = app.api_user(&[]).await;
    let qid = ask_id(&asker, "My badge stopped opening doors", "badges").await;
    let (first, _) = app.api_user(&[]).await;
    let (second, _) = app.api_user(&[]).await;
    let (ambassador, _) = app.api_user(&[Role::Ambassador]).await;
    let (editor, _) = app.api_user(&[Role::Editor]).await;
    let a1 = answer(&first, qid, "Hold it to the reader for three seconds.").await;
    let a2 = answer(&second, qid, "Reception re-activates it in a minute.").await;

    // Neither an answer's author, another member nor an ambassador accepts or un-accepts.
    for (client, id) in [(&first, a1), (&second, a1), (&ambassador, a2)] {
        let response = client
            .post_json(&format!("/api/v1/answers/{id}/accept"), &json!({}))
            .await;
        refused(response, StatusCode::FORBIDDEN, "forbidden", None).await;
        let response = send(
            client,
            Method::DELETE,
            &format!("/api/v1/answers/{id}/accept"),
        )
        .await;
        refused(response, StatusCode::FORBIDDEN, "forbidden", None).await;
    }
    assert_eq!(
        question(&asker, qid).await["accepted_answer_id"],
        Value::Null
    );

    // An editor moderates Q&A and may accept.
    let view = accept(&editor, a1).await;
    assert_eq!(view["accepted_answer_id"], a1);
    assert_eq!(accepted_ids(&view), vec![a1]);

    // The asker accepts the other one: the acceptance moves, exactly one answer holds it and
    // it is listed first.
    let view = accept(&asker, a2).await;
    assert_eq!(view["accepted_answer_id"], a2);
    assert_eq!(accepted_ids(&view), vec![a2]);
    assert_eq!(view["answers"][0]["id"], a2);
    assert_eq!(view["answers"][1]["id"], a1);
    let view = question(&first, qid).await;
    assert_eq!(view["accepted_answer_id"], a2);
    assert_eq!(accepted_ids(&view), vec![a2]);
    let single = ok(first.get(&format!("/api/v1/answers/{a1}")).await).await;
    assert_eq!(single["is_accepted"], false);
    let single = ok(first.get(&format!("/api/v1/answers/{a2}")).await).await;
    assert_eq!(single["is_accepted"], true);

    // Accepting the accepted answer again changes nothing; un-accepting an answer that does
    // not hold the acceptance leaves it where it is.
    let view = accept(&asker, a2).await;
    assert_eq!(accepted_ids(&view), vec![a2]);
    let view = ok(send(
        &asker,
        Method::DELETE,
        &format!("/api/v1/answers/{a1}/accept"),
    )
    .await)
    .await;
    assert_eq!(view["accepted_answer_id"], a2);

    // The editor takes it back.
    let view = ok(send(
        &editor,
        Method::DELETE,
        &format!("/api/v1/answers/{a2}/accept"),
    )
    .await)
    .await;
    assert_eq!(view["accepted_answer_id"], Value::Null);
    assert_eq!(accepted_ids(&view), Vec::<i64>::new());

    // Unknown answers are 404.
    let response = asker
        .post_json("/api/v1/answers/987654/accept", &json!({}))
        .await;
    refused(response, StatusCode::NOT_FOUND, "not_found", None).await;
}

#[tokio::test]
async fn closing_as_duplicate_links_both_ways_and_a_closed_question_takes_no_answers_until_reopened()
 {
    let app = spawn_app().await;
    let social = social(&app).await;
    let (member, _) = app.api_user(&[]).await;
    let (stranger, _) = app.api_user(&[]).await;
    let (editor, _) = app.api_user(&[Role::Editor]).await;
    let original = ask_id(&social, "How do I book a desk for tomorrow?", "desks").await;
    let copy = ask_id(&member, "Booking a desk one day ahead", "desks").await;
    let off = ask_id(&member, "Anyone selling concert tickets?", "desks").await;
    let close = |id: i64| format!("/api/v1/questions/{id}/close");

    // Not by a stranger; not as a duplicate of itself, of an unknown question, or of nothing.
    let response = stranger
        .post_json(
            &close(copy),
            &json!({"reason": "duplicate", "duplicate_of": original}),
        )
        .await;
    refused(response, StatusCode::FORBIDDEN, "forbidden", None).await;
    for body in [
        json!({"reason": "duplicate", "duplicate_of": copy}),
        json!({"reason": "duplicate", "duplicate_of": 987654}),
        json!({"reason": "duplicate"}),
    ] {
        let response = member.post_json(&close(copy), &body).await;
        refused(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("duplicate_of"),
        )
        .await;
    }
    let response = member
        .post_json(&close(copy), &json!({"reason": "spam"}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(question(&member, copy).await["status"], "open");

    // The author closes it as a duplicate: both questions show the link.
    let view = ok(member
        .post_json(
            &close(copy),
            &json!({"reason": "duplicate", "duplicate_of": original}),
        )
        .await)
    .await;
    assert_eq!(view["status"], "closed");
    assert_eq!(view["close_reason"], "duplicate");
    assert_eq!(view["duplicate_of"]["id"], original);
    assert_eq!(
        view["duplicate_of"]["title"],
        "How do I book a desk for tomorrow?"
    );
    assert_eq!(
        view["duplicate_of"]["url"],
        format!("/questions/{original}/how-do-i-book-a-desk-for-tomorrow")
    );
    assert!(view["closed_at"].is_string());
    let orig = question(&stranger, original).await;
    assert_eq!(orig["status"], "open");
    assert_eq!(orig["duplicate_of"], Value::Null);
    let duplicates = orig["duplicates"].as_array().unwrap();
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0]["id"], copy);
    assert_eq!(duplicates[0]["title"], "Booking a desk one day ahead");

    // Closed: no answers (409), and no second close.
    let response = stranger
        .post_json(
            &format!("/api/v1/questions/{copy}/answers"),
            &json!({"body": "Use the desk app."}),
        )
        .await;
    refused(response, StatusCode::CONFLICT, "conflict", None).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 0);
    let response = member
        .post_json(&close(copy), &json!({"reason": "off_topic"}))
        .await;
    refused(response, StatusCode::CONFLICT, "conflict", None).await;

    // Reopening (not by a stranger) lets answers in again and drops the link on both sides.
    let response = send(
        &stranger,
        Method::POST,
        &format!("/api/v1/questions/{copy}/reopen"),
    )
    .await;
    refused(response, StatusCode::FORBIDDEN, "forbidden", None).await;
    let view = ok(send(
        &member,
        Method::POST,
        &format!("/api/v1/questions/{copy}/reopen"),
    )
    .await)
    .await;
    assert_eq!(view["status"], "open");
    assert_eq!(view["close_reason"], Value::Null);
    assert_eq!(view["duplicate_of"], Value::Null);
    assert_eq!(view["closed_at"], Value::Null);
    assert_eq!(question(&member, original).await["duplicates"], json!([]));
    let response = send(
        &member,
        Method::POST,
        &format!("/api/v1/questions/{copy}/reopen"),
    )
    .await;
    refused(response, StatusCode::CONFLICT, "conflict", None).await;
    answer(&stranger, copy, "Use the desk app.").await;
    assert_eq!(question(&member, copy).await["answer_count"], 1);

    // A moderator closes someone else's question as off-topic.
    let view = ok(editor
        .post_json(
            &close(off),
            &json!({"reason": "off_topic", "duplicate_of": original}),
        )
        .await)
    .await;
    assert_eq!(view["status"], "closed");
    assert_eq!(view["close_reason"], "off_topic");
    assert_eq!(
        view["duplicate_of"],
        Value::Null,
        "off-topic links to nothing"
    );
    assert_eq!(question(&member, original).await["duplicates"], json!([]));
    let response = stranger
        .post_json(
            &format!("/api/v1/questions/{off}/answers"),
            &json!({"body": "I have two."}),
        )
        .await;
    refused(response, StatusCode::CONFLICT, "conflict", None).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 1);
}

async fn post(client: &ApiClient, title: &str, tags: Value) -> Response {
    client
        .post_json(
            "/api/v1/questions",
            &json!({"title": title, "body": "Details.", "tags": tags}),
        )
        .await
}

#[tokio::test]
async fn asking_validates_title_and_tags_new_tags_of_members_without_points_are_proposed_and_synonyms_map_to_the_main_tag()
 {
    let app = spawn_app().await;
    let social = social(&app).await;
    let (member, member_user) = app.api_user(&[]).await;

    // Titles: at least ten characters after collapsing whitespace.
    let response = post(&social, "Wifi  down", json!(["network"])).await;
    refused(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        Some("title"),
    )
    .await;
    let response = post(&social, "   ", json!(["network"])).await;
    refused(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        Some("title"),
    )
    .await;
    // Tags: one to five.
    for tags in [
        json!([]),
        json!(["", "#", "  "]),
        json!(["a1", "b2", "c3", "d4", "e5", "f6"]),
    ] {
        let response = post(&social, "Wifi is down again", tags).await;
        refused(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("tags"),
        )
        .await;
    }
    let response = social
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Wifi is down again", "body": "  ", "tags": ["network"]}),
        )
        .await;
    refused(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        Some("body"),
    )
    .await;

    // A fresh member's new tag is proposed: the question is posted with it, the social team
    // decides later (see flows.rs).
    let q = created(
        post(
            &member,
            "Is the canteen open on Friday?",
            json!(["kantine"]),
        )
        .await,
    )
    .await;
    assert_eq!(q["tags"], json!(["kantine"]));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tags WHERE name = 'kantine' AND status = 'proposed'")
            .await,
        1
    );

    // The social team may create tags; using a proposed one makes it a tag like any other.
    // Exactly ten characters is enough for a title.
    let q = created(post(&social, "Wifi down!", json!(["Kantine"])).await).await;
    assert_eq!(q["title"], "Wifi down!");
    assert_eq!(q["tags"], json!(["kantine"]));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tags WHERE name = 'kantine' AND status = 'active'")
            .await,
        1
    );

    // Synonyms: only the social team adds them; asking with one files under the main tag.
    let response = member
        .post_json("/api/v1/tags/kantine/synonyms", &json!({"name": "canteen"}))
        .await;
    refused(response, StatusCode::FORBIDDEN, "forbidden", None).await;
    let tag = created(
        social
            .post_json("/api/v1/tags/kantine/synonyms", &json!({"name": "Canteen"}))
            .await,
    )
    .await;
    assert_eq!(tag["name"], "kantine");
    assert_eq!(tag["synonyms"], json!(["canteen"]));
    let q = created(post(&member, "Canteen menu for next week?", json!(["canteen"])).await).await;
    assert_eq!(q["tags"], json!(["kantine"]));
    let q = created(
        post(
            &member,
            "Vegetarian options in the canteen?",
            json!(["#Canteen", "kantine"]),
        )
        .await,
    )
    .await;
    assert_eq!(q["tags"], json!(["kantine"]), "synonym and tag collapse");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tags WHERE name = 'canteen'")
            .await,
        0,
        "a synonym never becomes a tag of its own"
    );
    let tag = member.get_json("/api/v1/tags/canteen").await;
    assert_eq!(tag["name"], "kantine");
    assert_eq!(tag["question_count"], 4);
    assert_eq!(list_ids(&member, "tag=canteen").await.len(), 4);
    // A filter on a tag no tag could be called is an unknown tag, not a form error.
    let long = "a".repeat(31);
    let response = member.get(&format!("/api/v1/questions?tag={long}")).await;
    assert_eq!(response.status(), 404);

    // Points from the ledger: 1 per question, 2 per answer, 5 per answer accepted by someone
    // else; ten points create tags. Four questions and two answers make 8.
    let q1 = ask_id(&social, "Who refills the coffee beans?", "kantine").await;
    let q2 = ask_id(&social, "Where are the spare mugs kept?", "kantine").await;
    let a1 = answer(&member, q1, "The facility team, on Mondays.").await;
    answer(&member, q2, "Top cupboard left of the sink.").await;
    created(post(&member, "Which plants may I water?", json!(["plants"])).await).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tags WHERE name = 'plants' AND status = 'proposed'")
            .await,
        1,
        "eight points only propose"
    );
    accept(&social, a1).await;
    let q = created(post(&member, "Which plants need sun?", json!(["plants"])).await).await;
    assert_eq!(q["tags"], json!(["plants"]));
    assert_eq!(q["author"]["id"], member_user.id);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tags WHERE name = 'plants' AND status = 'active'")
            .await,
        1,
        "ten points create the tag"
    );
}

#[tokio::test]
async fn edits_keep_revisions_and_a_strangers_edit_is_forbidden() {
    let app = spawn_app().await;
    let (asker, _) = app.api_user(&[Role::SocialTeam]).await;
    let (author, _) = app.api_user(&[]).await;
    let (stranger, _) = app.api_user(&[]).await;
    let (editor, _) = app.api_user(&[Role::Editor]).await;
    let q = created(
        asker
            .post_json(
                "/api/v1/questions",
                &json!({"title": "How do I order business cards?", "body": "First version.", "tags": ["office"]}),
            )
            .await,
    )
    .await;
    let qid = q["id"].as_i64().unwrap();
    let aid = answer(&author, qid, "Through the print shop.").await;

    // Strangers do not edit questions or answers; nothing changes.
    let response = stranger
        .patch_json(
            &format!("/api/v1/questions/{qid}"),
            &json!({"title": "A hijacked question title"}),
        )
        .await;
    refused(response, StatusCode::FORBIDDEN, "forbidden", None).await;
    let response = stranger
        .patch_json(
            &format!("/api/v1/answers/{aid}"),
            &json!({"body": "Hijacked."}),
        )
        .await;
    refused(response, StatusCode::FORBIDDEN, "forbidden", None).await;
    let view = question(&stranger, qid).await;
    assert_eq!(view["title"], "How do I order business cards?");
    assert_eq!(view["answers"][0]["body"], "Through the print shop.");
    assert_eq!(app.count("SELECT COUNT(*) FROM qa_revisions").await, 0);

    // The asker edits twice: two revisions, newest first, holding what was replaced.
    let view = ok(asker
        .patch_json(
            &format!("/api/v1/questions/{qid}"),
            &json!({"title": "How do I order new business cards?", "tags": ["office", "print"]}),
        )
        .await)
    .await;
    assert_eq!(view["title"], "How do I order new business cards?");
    assert_eq!(view["tags"], json!(["office", "print"]));
    assert_eq!(view["body"], "First version.");
    assert_eq!(view["edited"], true);
    ok(asker
        .patch_json(
            &format!("/api/v1/questions/{qid}"),
            &json!({"body": "Second version."}),
        )
        .await)
    .await;
    // Nothing changed: no revision.
    ok(asker
        .patch_json(
            &format!("/api/v1/questions/{qid}"),
            &json!({"body": "Second version.", "tags": ["print", "office"]}),
        )
        .await)
    .await;
    // Invalid: refused, no revision.
    let response = asker
        .patch_json(
            &format!("/api/v1/questions/{qid}"),
            &json!({"title": "Short"}),
        )
        .await;
    refused(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        Some("title"),
    )
    .await;
    let revisions = asker
        .get_json(&format!("/api/v1/questions/{qid}/revisions"))
        .await;
    let revisions = revisions.as_array().unwrap();
    assert_eq!(revisions.len(), 2, "{revisions:?}");
    assert_eq!(revisions[0]["title"], "How do I order new business cards?");
    assert_eq!(revisions[0]["body"], "First version.");
    assert_eq!(revisions[0]["tags"], "office,print");
    assert_eq!(revisions[1]["title"], "How do I order business cards?");
    assert_eq!(revisions[1]["body"], "First version.");
    assert_eq!(revisions[1]["tags"], "office");
    assert_eq!(revisions[1]["editor_name"], revisions[0]["editor_name"]);
    let view = question(&asker, qid).await;
    assert_eq!(view["title"], "How do I order new business cards?");
    assert_eq!(view["body"], "Second version.");

    // The answer's author and a moderator edit the answer; both versions are kept.
    let edited = ok(author
        .patch_json(
            &format!("/api/v1/answers/{aid}"),
            &json!({"body": "Through the print shop portal."}),
        )
        .await)
    .await;
    assert_eq!(edited["body"], "Through the print shop portal.");
    assert_eq!(edited["edited"], true);
    let edited = ok(editor
        .patch_json(
            &format!("/api/v1/answers/{aid}"),
            &json!({"body": "Through the print shop portal (intranet)."}),
        )
        .await)
    .await;
    assert_eq!(edited["body"], "Through the print shop portal (intranet).");
    let revisions = stranger
        .get_json(&format!("/api/v1/answers/{aid}/revisions"))
        .await;
    let revisions = revisions.as_array().unwrap();
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[0]["body"], "Through the print shop portal.");
    assert_eq!(revisions[1]["body"], "Through the print shop.");
    assert_eq!(revisions[0]["title"], Value::Null);
    assert_ne!(revisions[0]["editor_name"], revisions[1]["editor_name"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM qa_revisions").await, 4);

    let response = stranger.get("/api/v1/questions/987654/revisions").await;
    refused(response, StatusCode::NOT_FOUND, "not_found", None).await;
}

#[tokio::test]
async fn an_outdated_answer_puts_its_question_back_in_unanswered_until_the_answer_is_edited() {
    let app = spawn_app().await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    let (asker, _) = app.api_user(&[]).await;
    let (author, _) = app.api_user(&[]).await;
    let (voter, _) = app.api_user(&[]).await;
    let (stranger, _) = app.api_user(&[]).await;
    let (expert, expert_user) = app.api_user(&[]).await;
    ask_id(&social, "When is payday this month?", "payroll").await;
    let qid = ask_id(&asker, "Where do I find my pay slips?", "payroll").await;
    let aid = answer(&author, qid, "In the HR portal under Documents.").await;
    vote(&voter, &format!("/api/v1/answers/{aid}/vote"), 1).await;
    assert_eq!(question(&asker, qid).await["is_answered"], true);
    assert!(!list_ids(&asker, "sort=unanswered").await.contains(&qid));

    // A stranger may not mark it.
    let response = stranger
        .post_json(&format!("/api/v1/answers/{aid}/outdated"), &json!({}))
        .await;
    refused(response, StatusCode::FORBIDDEN, "forbidden", None).await;
    let view = question(&stranger, qid).await;
    assert_eq!(view["answers"][0]["outdated"], Value::Null);
    assert_eq!(view["answers"][0]["can_mark_outdated"], false);

    // The asker marks it: the question is unanswered again although the answer scores 1.
    let a = ok(asker
        .post_json(&format!("/api/v1/answers/{aid}/outdated"), &json!({}))
        .await)
    .await;
    assert!(a["outdated"]["at"].is_string());
    assert!(a["outdated"]["by_name"].is_string());
    assert_eq!(a["score"], 1);
    let view = question(&stranger, qid).await;
    assert_eq!(view["is_answered"], false);
    assert!(view["answers"][0]["outdated"].is_object());
    assert!(list_ids(&asker, "sort=unanswered").await.contains(&qid));

    // Editing the answer makes it current again.
    let a = ok(author
        .patch_json(
            &format!("/api/v1/answers/{aid}"),
            &json!({"body": "In the new HR portal, under My documents."}),
        )
        .await)
    .await;
    assert_eq!(a["outdated"], Value::Null);
    assert_eq!(question(&stranger, qid).await["is_answered"], true);
    assert!(!list_ids(&asker, "sort=unanswered").await.contains(&qid));

    // An expert in the question's tag may mark it too, and clear it.
    let response = send(
        &social,
        Method::PUT,
        &format!("/api/v1/tags/payroll/experts/{}", expert_user.id),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        question(&expert, qid).await["answers"][0]["can_mark_outdated"],
        true
    );
    let a = ok(expert
        .post_json(&format!("/api/v1/answers/{aid}/outdated"), &json!({}))
        .await)
    .await;
    assert!(a["outdated"].is_object());
    assert!(list_ids(&asker, "sort=unanswered").await.contains(&qid));
    let a = ok(send(
        &expert,
        Method::DELETE,
        &format!("/api/v1/answers/{aid}/outdated"),
    )
    .await)
    .await;
    assert_eq!(a["outdated"], Value::Null);
    assert!(!list_ids(&asker, "sort=unanswered").await.contains(&qid));
    let response = send(
        &stranger,
        Method::DELETE,
        &format!("/api/v1/answers/{aid}/outdated"),
    )
    .await;
    refused(response, StatusCode::FORBIDDEN, "forbidden", None).await;
}

#[tokio::test]
async fn similar_questions_share_title_words_and_unrelated_ones_are_not_suggested() {
    let app = spawn_app().await;
    let social = social(&app).await;
    let printer = ask_id(
        &social,
        "How do I connect my laptop to the office printer?",
        "printing",
    )
    .await;
    let party = ask_id(&social, "When is the summer party this year?", "events").await;
    // Suggestions come from the search index.
    app.drain().await;
    let similar = |title: &'static str| {
        let social = &social;
        async move {
            let url = format!(
                "/api/v1/questions/similar?{}",
                serde_urlencoded::to_string([("title", title)]).unwrap()
            );
            social.get_json(&url).await
        }
    };

    let found = similar("Printer not working with my laptop").await;
    assert_eq!(
        found,
        json!([{
            "id": printer,
            "title": "How do I connect my laptop to the office printer?",
            "url": format!("/questions/{printer}/how-do-i-connect-my-laptop-to-the-office-printer"),
            "answer_count": 0,
            "is_answered": false,
            "accepted": false,
        }])
    );
    let found = similar("SUMMER PARTY dress code").await;
    let ids: Vec<i64> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![party]);
    assert_eq!(similar("Expense report deadline").await, json!([]));
    assert_eq!(
        similar("How do I?").await,
        json!([]),
        "common words match nothing"
    );
}

async fn invite(client: &ApiClient, question: i64, user_id: i64) -> Response {
    client
        .post_json(
            &format!("/api/v1/questions/{question}/invitations"),
            &json!({ "user_id": user_id }),
        )
        .await
}

#[tokio::test]
async fn an_invitation_shows_the_question_for_me_to_the_invitee_only() {
    let app = spawn_app().await;
    let social = social(&app).await;
    ask_id(&social, "How do I claim travel expenses?", "expenses").await;
    let (asker, asker_user) = app.api_user(&[]).await;
    let (invitee, invitee_user) = app.api_user(&[]).await;
    let (bystander, _) = app.api_user(&[]).await;
    let qid = ask_id(
        &asker,
        "Can I expense a train ticket to a client?",
        "expenses",
    )
    .await;
    for who in [&invitee, &bystander, &asker] {
        assert_eq!(list_ids(who, "for_me=true").await, Vec::<i64>::new());
    }

    let response = invite(&asker, qid, invitee_user.id).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // Inviting twice is harmless.
    let response = invite(&bystander, qid, invitee_user.id).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer_invitations").await,
        1
    );
    assert_eq!(list_ids(&invitee, "for_me=true").await, vec![qid]);
    assert_eq!(list_ids(&bystander, "for_me=true").await, Vec::<i64>::new());
    assert_eq!(list_ids(&asker, "for_me=true").await, Vec::<i64>::new());

    // Not oneself, not the asker, not someone unknown.
    for (client, user_id) in [
        (&bystander, asker_user.id),
        (&invitee, invitee_user.id),
        (&asker, 987654),
    ] {
        let response = invite(client, qid, user_id).await;
        refused(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("user_id"),
        )
        .await;
    }
    let response = asker
        .post_json(
            "/api/v1/questions/987654/invitations",
            &json!({"user_id": invitee_user.id}),
        )
        .await;
    refused(response, StatusCode::NOT_FOUND, "not_found", None).await;

    // A closed question leaves "for me" and takes no invitations.
    ok(asker
        .post_json(
            &format!("/api/v1/questions/{qid}/close"),
            &json!({"reason": "off_topic"}),
        )
        .await)
    .await;
    assert_eq!(list_ids(&invitee, "for_me=true").await, Vec::<i64>::new());
    let (late, late_user) = app.api_user(&[]).await;
    let response = invite(&asker, qid, late_user.id).await;
    refused(response, StatusCode::CONFLICT, "conflict", None).await;
    assert_eq!(list_ids(&late, "for_me=true").await, Vec::<i64>::new());
}

#[tokio::test]
async fn the_openapi_document_lists_the_qa_endpoints() {
    let app = spawn_app().await;
    let (client, _) = app.api_user(&[]).await;
    let doc = client.get_json("/api/v1/openapi.json").await;
    let paths = &doc["paths"];
    for (path, methods) in [
        ("/api/v1/questions", &["get", "post"][..]),
        ("/api/v1/questions/{id}", &["get", "patch", "delete"][..]),
        ("/api/v1/answers/{id}/accept", &["post", "delete"][..]),
        ("/api/v1/questions/{id}/vote", &["post", "delete"][..]),
        ("/api/v1/answers/{id}/vote", &["post", "delete"][..]),
        ("/api/v1/questions/similar", &["get"][..]),
    ] {
        for method in methods {
            assert!(
                paths[path][method].is_object(),
                "{method} {path} is documented"
            );
        }
    }
    assert!(doc["components"]["schemas"]["QuestionView"].is_object());
    assert!(doc["components"]["schemas"]["AnswerView"].is_object());
}

#[tokio::test]
async fn markdown_in_questions_answers_and_comments_is_sanitised() {
    let app = spawn_app().await;
    let social = social(&app).await;
    let (member, _) = app.api_user(&[]).await;
    let nasty = "**Bold** <script>alert('x')</script> [click](javascript:alert(1)) \
                 <img src=\"x\" onerror=\"alert(2)\">";
    let clean = |html: &Value| {
        let html = html.as_str().unwrap().to_lowercase();
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        for bad in ["<script", "javascript:", "onerror", "alert('x')"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    };
    let q = created(
        social
            .post_json(
                "/api/v1/questions",
                &json!({"title": "Is this body rendered safely?", "body": nasty, "tags": ["security"]}),
            )
            .await,
    )
    .await;
    clean(&q["body_html"]);
    assert_eq!(q["body"], nasty, "the Markdown source is kept as written");
    let qid = q["id"].as_i64().unwrap();
    let a = created(
        member
            .post_json(
                &format!("/api/v1/questions/{qid}/answers"),
                &json!({ "body": nasty }),
            )
            .await,
    )
    .await;
    clean(&a["body_html"]);
    let aid = a["id"].as_i64().unwrap();
    let c = created(
        member
            .post_json(
                &format!("/api/v1/answers/{aid}/comments"),
                &json!({ "body": nasty }),
            )
            .await,
    )
    .await;
    clean(&c["body_html"]);
    let view = question(&member, qid).await;
    clean(&view["body_html"]);
    clean(&view["answers"][0]["body_html"]);
    clean(&view["answers"][0]["comments"][0]["body_html"]);
    assert!(!view["excerpt"].as_str().unwrap().contains("<script"));

    // Edits are sanitised too.
    let view = ok(social
        .patch_json(
            &format!("/api/v1/questions/{qid}"),
            &json!({ "body": nasty.replace("Bold", "bold") }),
        )
        .await)
    .await;
    clean(&view["body_html"]);
}
