//! Search: new content is findable within a second and gone as fast; drafts never leak; Dutch
//! and English stemming; a node with a new index rebuilds it and follows the shared outbox.
use std::time::{Duration, Instant};

use kring::{
    auth::types::Role,
    search::scores::{Scored, Scores},
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ApiClient, spawn_app};

pub(crate) async fn search(client: &ApiClient, q: &str) -> Value {
    let url = format!("/api/v1/search?q={}", urlencode(q));
    client.get_json(&url).await
}

fn urlencode(q: &str) -> String {
    url::form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

pub(crate) fn ids_of(results: &Value, kind: &str) -> Vec<i64> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["type"] == kind)
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

/// Writes and publishes a post in `language`; its id.
pub(crate) async fn published_post(
    writer: &ApiClient,
    title: &str,
    body: &str,
    language: &str,
) -> i64 {
    let post: Value = writer
        .post_json(
            "/api/v1/posts",
            &json!({"title": title, "body": body, "language": language}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = post["id"].as_i64().unwrap_or_else(|| panic!("{post}"));
    let response = writer
        .post_json(&format!("/api/v1/posts/{id}/publish"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    id
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
            &json!({"title": "Secret plan", "body": "The word is flabbergastery.", "tags": ["hushhush", "canteen"]}),
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
        // Nor in the facets of a search that matches the draft's tag...
        let results = search(client, "tag:canteen").await;
        assert_eq!(results["total"], 1);
        assert_eq!(
            results["facets"]["types"],
            json!([{"value": "question", "count": 1}])
        );
        let tags: Vec<&str> = results["facets"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["value"].as_str().unwrap())
            .collect();
        assert_eq!(tags, vec!["canteen"], "{results}");
        assert_eq!(search(client, "tag:hushhush").await["total"], 0);
        // ...nor in the suggestions while typing.
        for typed in ["secr", "secret pl", "flabber"] {
            let suggestions = client
                .get_json(&format!("/api/v1/search/suggest?q={}", urlencode(typed)))
                .await;
            assert_eq!(suggestions["suggestions"], json!([]), "{typed}");
        }
    }
}

/// Suggestions as you type, facets, sorting by date, and the ranking nudges (votes, an
/// accepted answer) on otherwise equal texts.
#[tokio::test]
async fn suggestions_facets_sorting_and_ranking() {
    let app = spawn_app().await;
    // The social team may create tags.
    let (asker, _) = app.api_user(&[Role::SocialTeam]).await;
    let mut ids = Vec::new();
    for (title, tags) in [
        (
            "Printer jams on the third floor",
            vec!["printing", "office"],
        ),
        ("Printer jams on the second floor", vec!["printing"]),
        ("Printer jams in the basement", vec!["printing"]),
    ] {
        let q: Value = asker
            .post_json(
                "/api/v1/questions",
                &json!({"title": title, "body": "The printer jams every morning.", "tags": tags}),
            )
            .await
            .json()
            .await
            .unwrap();
        ids.push(q["id"].as_i64().unwrap_or_else(|| panic!("{q}")));
    }
    // The second floor's question gets two up-votes; the basement's an accepted answer.
    until(&asker, "printer jams type:question", SECOND * 3, |r| {
        ids_of(r, "question").len() == 3
    })
    .await;
    for _ in 0..2 {
        let (voter, _) = app.api_user(&[]).await;
        let response = voter
            .post_json(
                &format!("/api/v1/questions/{}/vote", ids[1]),
                &json!({"value": 1}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let (helper, _) = app.api_user(&[]).await;
    let answer: Value = helper
        .post_json(
            &format!("/api/v1/questions/{}/answers", ids[2]),
            &json!({"body": "Fan the paper before loading it."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let response = asker
        .post_json(
            &format!("/api/v1/answers/{}/accept", answer["id"]),
            &json!({}),
        )
        .await;
    assert!(response.status().is_success(), "{}", response.status());

    // Ranking: the accepted one (×1.2) and the voted one (×1.11) above the plain one, once
    // the index has the votes and the acceptance.
    // Same text and length, same age: the ratio is the vote factor 1 + 0.1·ln(1 + 2) once
    // both votes are indexed.
    let expected = f64::from(kring::search::query::boost(2, false, false, Some(0.0)));
    until(&asker, "printer jams type:question", SECOND * 3, |r| {
        let score = |i: usize| r["hits"][i]["score"].as_f64().unwrap_or(0.0);
        ids_of(r, "question") == vec![ids[2], ids[1], ids[0]]
            && (score(1) / score(2) - expected).abs() < 1e-3
    })
    .await;
    // The votes rewrote no document: the question's holds the score it was indexed with.
    assert_eq!(
        indexed_score(&app, &format!("question:{}", ids[1])),
        Some(0)
    );
    // By date: newest first (the answer was written last).
    let results = asker
        .get_json("/api/v1/search?q=printer+jams&sort=date")
        .await;
    let order: Vec<(String, i64)> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["type"].as_str().unwrap().to_owned(),
                h["id"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        vec![
            ("answer".to_owned(), answer["id"].as_i64().unwrap()),
            ("question".to_owned(), ids[2]),
            ("question".to_owned(), ids[1]),
            ("question".to_owned(), ids[0]),
        ],
        "{results}"
    );
    assert!(results["hits"][0]["date"].as_str().is_some());
    let response = asker.get("/api/v1/search?q=printer&sort=sideways").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // Facets count every match, not one page: three questions and one answer; tags by count.
    let results = search(&asker, "printer").await;
    assert_eq!(results["total"], 4, "{results}");
    assert_eq!(
        results["facets"]["types"],
        json!([{"value": "question", "count": 3}, {"value": "answer", "count": 1}])
    );
    assert_eq!(
        results["facets"]["tags"],
        json!([{"value": "printing", "count": 4}, {"value": "office", "count": 1}])
    );
    // A question is found by its answers' words, stemmed ("loads papers" → "loading the paper").
    let results = search(&asker, "loads papers type:question").await;
    assert_eq!(ids_of(&results, "question"), vec![ids[2]], "{results}");
    // Suggestions: the last word is a prefix; earlier words must match; answers are left out.
    let suggest = |q: &'static str| {
        let asker = asker.clone();
        async move {
            asker
                .get_json(&format!("/api/v1/search/suggest?q={}", urlencode(q)))
                .await
        }
    };
    let titles = |v: &Value| -> Vec<String> {
        v["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = suggest("prin").await;
    assert_eq!(titles(&all).len(), 3, "{all}");
    assert!(
        all["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["type"] == "question")
    );
    assert_eq!(
        titles(&suggest("printer jams bas").await),
        vec!["Printer jams in the basement"]
    );
    assert_eq!(
        titles(&suggest("thi").await),
        vec!["Printer jams on the third floor"]
    );
    assert_eq!(
        titles(&suggest("p").await).len(),
        0,
        "one letter is too little"
    );
    assert_eq!(titles(&suggest("zzz").await).len(), 0);
}

#[tokio::test]
async fn dutch_and_english_words_find_their_other_forms() {
    let app = spawn_app().await;
    let (writer, _) = app.api_user(&[]).await;
    for (title, body, language) in [
        ("Mijn fiets", "Ik kom met de fiets naar kantoor.", "nl"),
        ("Lunch break", "I run every day at noon.", "en"),
    ] {
        published_post(&writer, title, body, language).await;
    }
    until(&writer, "fietsen", SECOND, |r| {
        r["hits"][0]["title"] == "Mijn fiets"
    })
    .await;
    until(&writer, "running", SECOND, |r| {
        r["hits"][0]["title"] == "Lunch break"
    })
    .await;
    // One typo in a longer word is forgiven when nothing matches exactly; short words are not
    // guessed at.
    let results = search(&writer, "luncj breka").await;
    assert_eq!(results["hits"][0]["title"], "Lunch break", "{results}");
    assert_eq!(search(&writer, "nono").await["total"], 0);
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
    // A small result is counted, not estimated.
    assert_eq!(results["total_exact"], true, "{results}");
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

/// The query language on the per-language text fields: "phrases" (two words and longer, never
/// across the title and the body), -exclusion of words and phrases, AND by default with OR
/// when nothing matches all words, a title word weighing more than a body word, and a query
/// mixing both languages.
#[tokio::test]
async fn phrases_exclusions_and_the_or_fallback() {
    let app = spawn_app().await;
    let (writer, _) = app.api_user(&[]).await;
    let mut ids = std::collections::HashMap::new();
    for (key, title, body, language) in [
        (
            "pipeline",
            "Our deployment pipeline",
            "It builds every branch and ships on green.",
            "en",
        ),
        (
            "apart",
            "Deployment notes",
            "The pipeline is slow; a deployment takes an hour.",
            "en",
        ),
        (
            "across",
            "Faster deployment",
            "Pipeline caching halves the build.",
            "en",
        ),
        (
            "laptop",
            "Een nieuwe laptop aanvragen",
            "Vraag je nieuwe werklaptop aan via de servicedesk.",
            "nl",
        ),
        (
            "bike",
            "Lease bikes",
            "Our lease bikes are ready: every bike has a new laptop holder.",
            "en",
        ),
    ] {
        ids.insert(key, published_post(&writer, title, body, language).await);
    }
    let id = |key: &str| ids[key];
    until(&writer, "servicedesk", SECOND * 3, |r| r["total"] == 1).await;
    until(&writer, "holder", SECOND * 3, |r| r["total"] == 1).await;
    let sorted = |r: &Value| {
        let mut found = ids_of(r, "post");
        found.sort_unstable();
        found
    };
    let of = |keys: &[&str]| {
        let mut wanted: Vec<i64> = keys.iter().map(|k| id(k)).collect();
        wanted.sort_unstable();
        wanted
    };

    // All words, anywhere; the title match ranks first.
    let r = search(&writer, "deployment pipeline").await;
    assert_eq!(sorted(&r), of(&["pipeline", "apart", "across"]), "{r}");
    assert_eq!(r["hits"][0]["id"], id("pipeline"), "{r}");
    // The phrase: the words next to each other, stemmed ("deployments pipelines"), and not
    // made of the title's last word and the body's first.
    let r = search(&writer, "\"deployment pipeline\"").await;
    assert_eq!(sorted(&r), of(&["pipeline"]), "{r}");
    assert_eq!(r["total"], 1);
    let r = search(&writer, "\"deployments pipelines\"").await;
    assert_eq!(sorted(&r), of(&["pipeline"]), "{r}");
    let r = search(&writer, "\"deployment pipeline caching\"").await;
    assert_eq!(r["total"], 0, "across the title and the body: {r}");
    let r = search(&writer, "\"our deployment pipeline\"").await;
    assert_eq!(sorted(&r), of(&["pipeline"]), "three words: {r}");
    let r = search(&writer, "\"pipeline deployment\"").await;
    assert_eq!(r["total"], 0, "the order counts: {r}");
    // A word the analyser splits counts as its words, wherever they are.
    let r = search(&writer, "green-branch").await;
    assert_eq!(sorted(&r), of(&["pipeline"]), "{r}");
    // Exclusion of a word and of a phrase.
    let r = search(&writer, "deployment -slow").await;
    assert_eq!(sorted(&r), of(&["pipeline", "across"]), "{r}");
    let r = search(&writer, "deployment -\"deployment pipeline\"").await;
    assert_eq!(sorted(&r), of(&["apart", "across"]), "{r}");
    // A Dutch phrase, in Dutch text only; the same words apart in English text do not match
    // the phrase but do match the words.
    let r = search(&writer, "\"nieuwe laptop\"").await;
    assert_eq!(sorted(&r), of(&["laptop"]), "{r}");
    let r = search(&writer, "\"new laptop\"").await;
    assert_eq!(sorted(&r), of(&["bike"]), "{r}");
    // Words in both languages: a query word matches as each language stems it.
    let r = search(&writer, "laptop").await;
    assert_eq!(sorted(&r), of(&["laptop", "bike"]), "{r}");
    assert_eq!(
        r["facets"]["types"],
        json!([{"value": "post", "count": 2}]),
        "counts of both languages add up: {r}"
    );
    // No document has both words: any of them then.
    let r = search(&writer, "servicedesk caching").await;
    assert_eq!(sorted(&r), of(&["laptop", "across"]), "{r}");
    // Only exclusions, or only punctuation: nothing to look for.
    assert_eq!(search(&writer, "-deployment").await["total"], 0);
    assert_eq!(search(&writer, "\"\" -").await["total"], 0);
}

/// Comments are part of their post, question or answer: a word only a comment has finds it
/// within a second of commenting (and of an edit), and is gone as fast when the comment is
/// deleted. A comment weighs less than the title: the post titled with the word ranks first.
#[tokio::test]
async fn comments_find_their_post_question_or_answer() {
    let app = spawn_app().await;
    let (writer, _) = app.api_user(&[Role::Admin]).await;
    let (reader, _) = app.api_user(&[]).await;
    let post = published_post(&writer, "Lunch in the canteen", "Soup on Mondays.", "en").await;
    let titled = published_post(&writer, "Zqxcomword tasting", "Cheese.", "en").await;
    let question: Value = writer
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Where do I park my bike?", "body": "The rack is full.", "tags": ["office"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let question = question["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{question}"));
    let answer: Value = writer
        .post_json(
            &format!("/api/v1/questions/{question}/answers"),
            &json!({"body": "Behind building B."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let answer = answer["id"].as_i64().unwrap();

    let comment = |path: String, body: &'static str| {
        let reader = &reader;
        async move {
            let r = reader.post_json(&path, &json!({"body": body})).await;
            assert_eq!(r.status(), StatusCode::CREATED, "{path}");
            r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
        }
    };
    let on_post = comment(
        format!("/api/v1/posts/{post}/comments"),
        "Zqxcomword soup please",
    )
    .await;
    comment(
        format!("/api/v1/questions/{question}/comments"),
        "Try zqxcomquestion racks",
    )
    .await;
    let on_answer = comment(
        format!("/api/v1/answers/{answer}/comments"),
        "Only zqxcomanswer before nine",
    )
    .await;

    until(&reader, "zqxcomword", SECOND, |r| {
        ids_of(r, "post") == [titled, post]
    })
    .await;
    until(&reader, "zqxcomquestion", SECOND, |r| {
        ids_of(r, "question") == [question]
    })
    .await;
    until(&reader, "zqxcomanswer", SECOND, |r| {
        ids_of(r, "answer") == [answer]
    })
    .await;

    // An edit is searchable as fast; the old word is gone.
    let r = reader
        .patch_json(
            &format!("/api/v1/comments/{on_post}"),
            &json!({"body": "Zqxcomedited soup please"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    until(&reader, "zqxcomedited", SECOND, |r| {
        ids_of(r, "post") == [post]
    })
    .await;
    until(&reader, "zqxcomword", SECOND, |r| {
        ids_of(r, "post") == [titled]
    })
    .await;

    // Deleted comments take their words with them.
    assert_eq!(
        reader
            .delete(&format!("/api/v1/comments/{on_post}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        reader
            .delete(&format!("/api/v1/qa-comments/{on_answer}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    until(&reader, "zqxcomedited", SECOND, |r| r["total"] == 0).await;
    until(&reader, "zqxcomanswer", SECOND, |r| r["total"] == 0).await;
}

/// Likes nudge a post's ranking as votes do, read beside the index: a like or taking it back
/// rewrites no document.
#[tokio::test]
async fn likes_rank_posts_without_rewriting_them() {
    let app = spawn_app().await;
    let (writer, _) = app.api_user(&[]).await;
    let (fan, _) = app.api_user(&[]).await;
    let body = "Our canteen serves zqxlentil soup on Fridays.";
    let plain = published_post(&writer, "Lentil soup on Fridays", body, "en").await;
    let liked = published_post(&writer, "Lentil soup on Fridays", body, "en").await;
    until(&fan, "zqxlentil", SECOND * 3, |r| {
        ids_of(r, "post").len() == 2
    })
    .await;
    let response = fan
        .post_json(&format!("/api/v1/posts/{liked}/like"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let expected = f64::from(kring::search::query::boost(1, false, false, Some(0.0)));
    let ratio = |r: &Value| {
        r["hits"][0]["score"].as_f64().unwrap_or(0.0)
            / r["hits"][1]["score"].as_f64().unwrap_or(1.0)
    };
    until(&fan, "zqxlentil", SECOND * 3, |r| {
        ids_of(r, "post") == vec![liked, plain] && (ratio(r) - expected).abs() < 1e-3
    })
    .await;
    assert_eq!(indexed_score(&app, &format!("post:{liked}")), Some(0));
    assert_eq!(app.state.search.scores().get(Scored::Post, liked), Some(1));
    // Taken back: equal again.
    let response = fan.delete(&format!("/api/v1/posts/{liked}/like")).await;
    assert_eq!(response.status(), StatusCode::OK);
    until(&fan, "zqxlentil", SECOND * 3, |r| {
        ids_of(r, "post").len() == 2 && (ratio(r) - 1.0).abs() < 1e-6
    })
    .await;
    assert_eq!(app.state.search.scores().get(Scored::Post, liked), Some(0));
}

/// The `score` stored in the search document `key` (`answer:12`).
fn indexed_score(app: &crate::helpers::TestApp, key: &str) -> Option<i64> {
    use tantivy::{
        TantivyDocument,
        collector::DocSetCollector,
        query::TermQuery,
        schema::{IndexRecordOption, Value as _},
    };
    let generation = app.state.search.current();
    let searcher = generation.reader.searcher();
    let key = generation.key_term(key);
    let found = searcher
        .search(
            &TermQuery::new(key, IndexRecordOption::Basic),
            &DocSetCollector,
        )
        .unwrap();
    let doc: TantivyDocument = searcher.doc(*found.iter().next()?).unwrap();
    doc.get_first(generation.fields.score)
        .and_then(|v| v.as_i64())
}

/// A vote on an answer reaches the ranking: the answer ranks by its new score (kept beside the
/// index, its document is not rewritten), and the question's document (its accepted answer and
/// three best others) follows when the vote changes which answers it carries.
#[tokio::test]
async fn votes_on_answers_reach_the_answers_and_their_question() {
    let app = spawn_app().await;
    let (asker, _) = app.api_user(&[Role::SocialTeam]).await;
    let (voter, _) = app.api_user(&[]).await;
    let ask = |title: &'static str| {
        let asker = &asker;
        async move {
            let q: Value = asker
                .post_json(
                    "/api/v1/questions",
                    &json!({"title": title, "body": "The machine is slow every morning.", "tags": ["coffee"]}),
                )
                .await
                .json()
                .await
                .unwrap();
            q["id"].as_i64().unwrap_or_else(|| panic!("{q}"))
        }
    };
    let answer = |question: i64, body: &'static str| {
        let app = &app;
        async move {
            let (answerer, _) = app.api_user(&[]).await;
            let a: Value = answerer
                .post_json(
                    &format!("/api/v1/questions/{question}/answers"),
                    &json!({ "body": body }),
                )
                .await
                .json()
                .await
                .unwrap();
            a["id"].as_i64().unwrap_or_else(|| panic!("{a}"))
        }
    };
    let vote = |answer: i64| {
        let voter = &voter;
        async move {
            let response = voter
                .post_json(
                    &format!("/api/v1/answers/{answer}/vote"),
                    &json!({"value": 1}),
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
        }
    };

    // Two answers of the same text: the voted one ranks above the other by the vote factor.
    let small = ask("Which coffee machine on floor five is fastest?").await;
    let first = answer(small, "Descale the espresso machine weekly.").await;
    let second = answer(small, "Descale the espresso machine weekly.").await;
    until(&asker, "descale type:answer", SECOND * 3, |r| {
        ids_of(r, "answer").len() == 2
    })
    .await;
    vote(second).await;
    let expected = f64::from(kring::search::query::boost(1, false, false, Some(0.0)));
    until(&asker, "descale type:answer", SECOND * 3, |r| {
        let score = |i: usize| r["hits"][i]["score"].as_f64().unwrap_or(0.0);
        ids_of(r, "answer") == vec![second, first] && (score(0) / score(1) - expected).abs() < 1e-3
    })
    .await;
    // The vote rewrote no document: the answer's document still holds the score it was
    // indexed with, and the ranking read the new one beside the index.
    assert_eq!(indexed_score(&app, &format!("answer:{second}")), Some(0));
    let scores = app.state.search.scores();
    let kept = |scores: &Scores, id| scores.get(Scored::Answer, id);
    assert_eq!(
        (kept(scores, second), kept(scores, first)),
        (Some(1), Some(0))
    );
    // A restarted server reads the scores from the database before it applies the outbox.
    let restarted = Scores::default();
    assert_eq!(
        kept(&restarted, second),
        None,
        "not loaded: the documents' own scores"
    );
    restarted.load(app.db()).await.unwrap();
    assert_eq!(
        (kept(&restarted, second), kept(&restarted, first)),
        (Some(1), Some(0))
    );
    // The question carries both answers, before the vote and after it.
    until(&asker, "descale type:question", SECOND * 3, |r| {
        ids_of(r, "question") == vec![small]
    })
    .await;

    // Five answers: the question carries four. The fifth, the only one about blackcurrant
    // syrup, joins them once a vote lifts it above the others.
    let big = ask("How do I get the coffee machine on floor six to froth?").await;
    for body in [
        "Clean the steam wand.",
        "Use cold milk.",
        "Try the other machine.",
        "Ask facilities.",
    ] {
        answer(big, body).await;
    }
    let fifth = answer(
        big,
        "Blackcurrant syrup from the barista range froths best.",
    )
    .await;
    until(&asker, "blackcurrant type:answer", SECOND * 3, |r| {
        ids_of(r, "answer") == vec![fifth]
    })
    .await;
    let results = search(&asker, "blackcurrant type:question").await;
    assert_eq!(ids_of(&results, "question"), Vec::<i64>::new(), "{results}");
    vote(fifth).await;
    until(&asker, "blackcurrant type:question", SECOND * 3, |r| {
        ids_of(r, "question") == vec![big]
    })
    .await;
}
