//! Question lists through the API: the unanswered rule at its boundaries, keyset pagination
//! while questions are being added, activity order, filters, and refused parameters.
use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    helpers::spawn_app,
    qa_api::{accept, answer, ask_id, ids, list_ids, ok, question, refused, send, social, vote},
};

#[tokio::test]
async fn the_unanswered_list_follows_the_rule_at_every_boundary() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let (answerer, _) = app.api_user(&[]).await;
    let (voter, _) = app.api_user(&[]).await;
    let (voter2, _) = app.api_user(&[]).await;
    let vote_on = |id: i64, value: i64| {
        let voter = &voter;
        async move { vote(voter, &format!("/api/v1/answers/{id}/vote"), value).await }
    };

    let none = ask_id(&asker, "A question without any answer", "misc").await;
    let zero = ask_id(&asker, "A question with an answer scored 0", "misc").await;
    answer(&answerer, zero, "A so-so answer.").await;
    let plus = ask_id(&asker, "A question with an answer scored 1", "misc").await;
    let a_plus = answer(&answerer, plus, "A good answer.").await;
    assert_eq!(vote_on(a_plus, 1).await["score"], 1);
    let accepted = ask_id(
        &asker,
        "A question with an accepted answer scored 0",
        "misc",
    )
    .await;
    let a_acc = answer(&answerer, accepted, "The accepted answer.").await;
    accept(&asker, a_acc).await;
    let accepted_minus = ask_id(
        &asker,
        "A question with an accepted answer scored -1",
        "misc",
    )
    .await;
    let a_acc_minus = answer(&answerer, accepted_minus, "Accepted but disliked.").await;
    assert_eq!(vote_on(a_acc_minus, -1).await["score"], -1);
    accept(&asker, a_acc_minus).await;
    let minus = ask_id(&asker, "A question with an answer scored -1", "misc").await;
    let a_minus = answer(&answerer, minus, "A bad answer.").await;
    assert_eq!(vote_on(a_minus, -1).await["score"], -1);
    // One up and one down: 0 again.
    let mixed = ask_id(&asker, "A question with an answer scored +1-1", "misc").await;
    let a_mixed = answer(&answerer, mixed, "A disputed answer.").await;
    vote_on(a_mixed, 1).await;
    assert_eq!(
        vote(&voter2, &format!("/api/v1/answers/{a_mixed}/vote"), -1).await["score"],
        0
    );
    // An up-voted answer that was deleted answers nothing.
    let deleted = ask_id(&asker, "A question whose good answer was deleted", "misc").await;
    let a_deleted = answer(&answerer, deleted, "Soon gone.").await;
    vote_on(a_deleted, 1).await;
    let response = answerer
        .delete(&format!("/api/v1/answers/{a_deleted}"))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(question(&asker, deleted).await["answer_count"], 0);
    let closed = ask_id(&asker, "A closed question without answers", "misc").await;
    ok(asker
        .post_json(
            &format!("/api/v1/questions/{closed}/close"),
            &json!({"reason": "off_topic"}),
        )
        .await)
    .await;

    // Unanswered: open, without an accepted or positively scored answer; newest first.
    assert_eq!(
        list_ids(&asker, "sort=unanswered").await,
        vec![deleted, mixed, minus, zero, none]
    );
    // The same flag on every summary and question.
    let page = asker.get_json("/api/v1/questions?limit=100").await;
    let answered: HashSet<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["is_answered"] == true)
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(answered, HashSet::from([plus, accepted, accepted_minus]));
    for id in [none, zero, minus, mixed, deleted, closed] {
        assert_eq!(question(&asker, id).await["is_answered"], false, "{id}");
    }
    for id in [plus, accepted, accepted_minus] {
        assert_eq!(question(&asker, id).await["is_answered"], true, "{id}");
    }

    // Unanswered pages continue correctly, one question at a time.
    let mut walked = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/questions?sort=unanswered&limit=1&before={c}"),
            None => "/api/v1/questions?sort=unanswered&limit=1".to_owned(),
        };
        let page = asker.get_json(&path).await;
        walked.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(walked, vec![deleted, mixed, minus, zero, none]);

    // Crossing the boundary moves a question out, and back in.
    let zero_answer = question(&asker, zero).await["answers"][0]["id"]
        .as_i64()
        .unwrap();
    vote_on(zero_answer, 1).await;
    assert!(!list_ids(&asker, "sort=unanswered").await.contains(&zero));
    ok(voter
        .delete(&format!("/api/v1/answers/{zero_answer}/vote"))
        .await)
    .await;
    assert!(list_ids(&asker, "sort=unanswered").await.contains(&zero));
    ok(send(
        &asker,
        Method::DELETE,
        &format!("/api/v1/answers/{a_acc}/accept"),
    )
    .await)
    .await;
    assert!(
        list_ids(&asker, "sort=unanswered")
            .await
            .contains(&accepted)
    );
    // A closed question is not "unanswered", and reopening it brings it back.
    ok(send(
        &asker,
        Method::POST,
        &format!("/api/v1/questions/{closed}/reopen"),
    )
    .await)
    .await;
    assert_eq!(
        list_ids(&asker, "sort=unanswered").await,
        vec![closed, deleted, mixed, minus, accepted, zero, none]
    );
}

#[tokio::test]
async fn keyset_pages_return_every_question_exactly_once_while_new_ones_are_asked() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let (colleague, _) = app.api_user(&[]).await;
    let mut original = Vec::new();
    for n in 0..25 {
        original.push(ask_id(&asker, &format!("Original question number {n}"), "paging").await);
    }

    let mut seen: Vec<i64> = Vec::new();
    let mut pages = 0;
    let mut added = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/questions?limit=5&before={c}"),
            None => "/api/v1/questions?limit=5".to_owned(),
        };
        let page = colleague.get_json(&path).await;
        pages += 1;
        let items = ids(&page);
        assert_eq!(items.len(), 5, "page {pages}: {page}");
        seen.extend(items);
        // Colleagues keep asking between pages.
        for _ in 0..2 {
            added.push(
                ask_id(
                    &asker,
                    &format!("Question asked while paging {}", added.len()),
                    "paging",
                )
                .await,
            );
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(pages, 5);
    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no question twice: {seen:?}");
    let mut newest_first = original.clone();
    newest_first.reverse();
    assert_eq!(
        seen, newest_first,
        "every original question exactly once, newest first; the new ones come before page one"
    );
    assert_eq!(added.len(), 10);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions").await,
        35,
        "the new questions were saved"
    );

    // A fresh walk sees all 35 once.
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/questions?limit=7&before={c}"),
            None => "/api/v1/questions?limit=7".to_owned(),
        };
        let page = colleague.get_json(&path).await;
        all.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let mut expected: Vec<i64> = original.iter().chain(added.iter()).copied().collect();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(all, expected);
}

#[tokio::test]
async fn keyset_pages_stay_exact_when_questions_share_a_timestamp() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    let mut asked = Vec::new();
    for n in 0..9 {
        asked.push(ask_id(&asker, &format!("Imported question number {n}"), "import").await);
    }
    // An import can give many questions the same time: only the id orders them then.
    app.exec(&format!(
        "UPDATE questions SET created_at = (SELECT created_at FROM questions WHERE id = {}), \
         last_activity_at = (SELECT created_at FROM questions WHERE id = {})",
        asked[4], asked[4]
    ))
    .await;
    for sort in ["newest", "active", "unanswered"] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/questions?sort={sort}&limit=2&before={c}"),
                None => format!("/api/v1/questions?sort={sort}&limit=2"),
            };
            let page = asker.get_json(&path).await;
            seen.extend(ids(&page));
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
            assert!(seen.len() <= 9, "{sort}: {seen:?}");
        }
        let mut expected = asked.clone();
        expected.reverse();
        assert_eq!(seen, expected, "{sort}");
    }
}

#[tokio::test]
async fn lists_order_by_activity_and_filter_by_tag_author_and_followed_tags() {
    let app = spawn_app().await;
    let social = social(&app).await;
    let (member, _) = app.api_user(&[]).await;
    let (colleague, _) = app.api_user(&[]).await;
    let travel = ask_id(&social, "An older question about travel", "travel").await;
    let lunch = ask_id(&social, "Where do we have lunch on Fridays?", "lunch").await;
    let mine = ask_id(&member, "My own question about lunch options", "lunch").await;
    let parking = ask_id(&social, "The newest question about parking", "parking").await;

    assert_eq!(
        list_ids(&member, "sort=newest").await,
        vec![parking, mine, lunch, travel]
    );
    assert_eq!(
        list_ids(&member, "").await,
        vec![parking, mine, lunch, travel],
        "newest is the default"
    );
    assert_eq!(
        list_ids(&member, "sort=active").await,
        vec![parking, mine, lunch, travel]
    );

    // A new answer makes the oldest question the most active; newest order stays.
    answer(&colleague, travel, "Book through the travel desk.").await;
    assert_eq!(
        list_ids(&member, "sort=active").await,
        vec![travel, parking, mine, lunch]
    );
    assert_eq!(
        list_ids(&member, "sort=newest").await,
        vec![parking, mine, lunch, travel]
    );
    // So does an edit.
    ok(social
        .patch_json(
            &format!("/api/v1/questions/{lunch}"),
            &json!({"body": "And on Thursdays?"}),
        )
        .await)
    .await;
    assert_eq!(
        list_ids(&member, "sort=active").await,
        vec![lunch, travel, parking, mine]
    );
    let page = member
        .get_json("/api/v1/questions?sort=active&limit=2")
        .await;
    assert_eq!(ids(&page), vec![lunch, travel]);
    let next = page["next_cursor"].as_str().unwrap();
    let page = member
        .get_json(&format!(
            "/api/v1/questions?sort=active&limit=2&before={next}"
        ))
        .await;
    assert_eq!(ids(&page), vec![parking, mine]);
    assert_eq!(page["next_cursor"], Value::Null);

    // Tag, mine, and author filters, alone and combined.
    assert_eq!(list_ids(&member, "tag=travel").await, vec![travel]);
    assert_eq!(list_ids(&member, "tag=lunch").await, vec![mine, lunch]);
    assert_eq!(list_ids(&member, "mine=true").await, vec![mine]);
    assert_eq!(list_ids(&colleague, "mine=true").await, Vec::<i64>::new());
    assert_eq!(list_ids(&social, "mine=true&tag=lunch").await, vec![lunch]);
    assert_eq!(
        list_ids(&member, "tag=lunch&sort=unanswered").await,
        vec![mine, lunch]
    );

    // Following tags.
    assert_eq!(list_ids(&member, "following=true").await, Vec::<i64>::new());
    for tag in ["parking", "travel"] {
        let response = member
            .post_json(&format!("/api/v1/tags/{tag}/follow"), &json!({}))
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
    // Following twice is harmless.
    let response = member
        .post_json("/api/v1/tags/parking/follow", &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        list_ids(&member, "following=true").await,
        vec![parking, travel]
    );
    assert_eq!(
        list_ids(&member, "following=true&sort=active").await,
        vec![travel, parking]
    );
    assert_eq!(
        list_ids(&colleague, "following=true").await,
        Vec::<i64>::new(),
        "follows are per user"
    );
    assert_eq!(
        member.get_json("/api/v1/tags/parking").await["followed"],
        true
    );
    let response = member.delete("/api/v1/tags/travel/follow").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(list_ids(&member, "following=true").await, vec![parking]);
    let response = member
        .post_json("/api/v1/tags/no-such-tag/follow", &json!({}))
        .await;
    refused(response, StatusCode::NOT_FOUND, "not_found", None).await;
}

#[tokio::test]
async fn bad_cursors_and_sorts_are_400_and_unknown_tags_404() {
    let app = spawn_app().await;
    let asker = social(&app).await;
    for n in 0..3 {
        ask_id(&asker, &format!("Some question number {n}"), "misc").await;
    }
    for cursor in [
        "garbage",
        "123",
        "x_1",
        "1_x",
        "_",
        "99999999999999999999_1",
    ] {
        let response = asker
            .get(&format!("/api/v1/questions?before={cursor}"))
            .await;
        refused(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
    }
    for sort in ["loudest", "NEWEST", "oldest"] {
        let response = asker.get(&format!("/api/v1/questions?sort={sort}")).await;
        refused(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
    }
    for query in ["limit=abc", "mine=perhaps", "limit=-1"] {
        let response = asker.get(&format!("/api/v1/questions?{query}")).await;
        refused(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
    }
    let response = asker.get("/api/v1/questions?tag=no-such-tag").await;
    refused(response, StatusCode::NOT_FOUND, "not_found", None).await;
    let response = asker.get("/api/v1/tags/no-such-tag").await;
    refused(response, StatusCode::NOT_FOUND, "not_found", None).await;

    // Limits are clamped to 1..=100.
    let page = asker.get_json("/api/v1/questions?limit=0").await;
    assert_eq!(ids(&page).len(), 1);
    assert!(page["next_cursor"].is_string());
    let page = asker.get_json("/api/v1/questions?limit=1000").await;
    assert_eq!(ids(&page).len(), 3);
    assert_eq!(page["next_cursor"], Value::Null);
    // An empty sort or tag means none.
    let page = asker.get_json("/api/v1/questions?sort=&tag=").await;
    assert_eq!(ids(&page).len(), 3);
}
