//! The boundary of spaces in search (issue 22): content of a closed space is found by its
//! members only, in hits, totals, facets, suggestions and similar questions; a membership change
//! counts on the very next request without reindexing; a hit the index still places
//! company-wide is checked against the database; the database fallback keeps the boundary too.
use kring::{auth::types::Role, search::outbox::Doc, web::statements::HEADER};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ApiClient, TestApp, spawn_app};

fn urlencode(q: &str) -> String {
    url::form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

async fn search(client: &ApiClient, q: &str) -> Value {
    client
        .get_json(&format!("/api/v1/search?q={}", urlencode(q)))
        .await
}

/// The search's results and how many statements the request ran.
async fn search_counted(client: &ApiClient, q: &str) -> (Value, u64) {
    let response = client
        .get(&format!("/api/v1/search?q={}", urlencode(q)))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let statements = response.headers()[HEADER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    (response.json().await.unwrap(), statements)
}

async fn suggest(client: &ApiClient, q: &str) -> Vec<(String, i64)> {
    let found = client
        .get_json(&format!("/api/v1/search/suggest?q={}", urlencode(q)))
        .await;
    found["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["type"].as_str().unwrap().to_owned(),
                s["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn similar(client: &ApiClient, title: &str) -> Vec<i64> {
    let found = client
        .get_json(&format!(
            "/api/v1/questions/similar?title={}",
            urlencode(title)
        ))
        .await;
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect()
}

/// The `(type, id)` of every hit.
fn hits(results: &Value) -> Vec<(String, i64)> {
    let mut found: Vec<(String, i64)> = results["hits"]
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
    found.sort();
    found
}

fn doc(kind: &str, id: i64) -> (String, i64) {
    (kind.to_owned(), id)
}

/// A new space of this kind, made by `admin` (its first moderator); its id.
async fn new_space(admin: &ApiClient, name: &str, kind: &str) -> i64 {
    let response = admin
        .post_json("/api/v1/spaces", &json!({"name": name, "kind": kind}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let space: Value = response.json().await.unwrap();
    space["id"].as_i64().unwrap()
}

async fn created(response: reqwest::Response) -> i64 {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body["id"].as_i64().unwrap_or_else(|| panic!("{body}"))
}

/// Asks a question (company-wide); its id.
async fn ask(client: &ApiClient, title: &str, body: &str, tags: &[&str]) -> i64 {
    created(
        client
            .post_json(
                "/api/v1/questions",
                &json!({"title": title, "body": body, "tags": tags}),
            )
            .await,
    )
    .await
}

async fn answer(client: &ApiClient, question: i64, body: &str) -> i64 {
    created(
        client
            .post_json(
                &format!("/api/v1/questions/{question}/answers"),
                &json!({"body": body}),
            )
            .await,
    )
    .await
}

/// Writes and publishes a post (company-wide); its id.
async fn publish(client: &ApiClient, title: &str, body: &str) -> i64 {
    let id = created(
        client
            .post_json("/api/v1/posts", &json!({"title": title, "body": body}))
            .await,
    )
    .await;
    let response = client
        .post_json(&format!("/api/v1/posts/{id}/publish"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    id
}

/// Puts a question (with its answers) and a post into `space` in the database only: the index
/// still has them as they were.
async fn move_rows(app: &TestApp, space: i64, question: i64, post: i64) {
    app.exec(&format!(
        "UPDATE questions SET space_id = {space} WHERE id = {question}"
    ))
    .await;
    app.exec(&format!(
        "UPDATE posts SET space_id = {space} WHERE id = {post}"
    ))
    .await;
}

/// Moves them and has the index follow (as the move's event will).
async fn move_into(app: &TestApp, space: i64, question: i64, answers: &[i64], post: i64) {
    move_rows(app, space, question, post).await;
    let mut docs = vec![Doc::Question(question), Doc::Post(post)];
    docs.extend(answers.iter().map(|a| Doc::Answer(*a)));
    kring::search::outbox::enqueue(app.db(), &docs)
        .await
        .unwrap();
    app.drain().await;
}

fn values(facet: &Value) -> Vec<(String, u64)> {
    facet
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap().to_owned(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// What the member finds of the closed space's content: nothing at all.
async fn sees_nothing_of_it(member: &ApiClient, question: i64, mural: i64) {
    let results = search(member, "quetzalcoatl").await;
    assert_eq!(results["total"], 0, "{results}");
    assert_eq!(results["hits"], json!([]), "{results}");
    assert_eq!(results["facets"]["types"], json!([]), "{results}");
    assert_eq!(results["facets"]["tags"], json!([]), "{results}");
    // A word both share: the company-wide question alone, in the total and the facets.
    let results = search(member, "zeppelin").await;
    assert_eq!(hits(&results), vec![doc("question", mural)], "{results}");
    assert_eq!(results["total"], 1, "{results}");
    assert_eq!(
        values(&results["facets"]["types"]),
        vec![("question".into(), 1)]
    );
    assert_eq!(
        values(&results["facets"]["tags"]),
        vec![("lobby".into(), 1)]
    );
    assert_eq!(search(member, "tag:nightjar").await["total"], 0);
    assert_eq!(suggest(member, "quetzal").await, vec![]);
    assert_eq!(
        suggest(member, "zeppelin").await,
        vec![doc("question", mural)]
    );
    let listed = similar(member, "Zeppelin prototype quetzalcoatl budget").await;
    assert!(!listed.contains(&question), "{listed:?}");
    let page = member.get("/search?q=quetzalcoatl").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(!html.contains("Zeppelin prototype"), "{html}");
    assert!(!html.contains("Nightjar launch notes"), "{html}");
    assert!(!html.contains("hangar"), "no snippet either: {html}");
}

/// The acceptance: a plain member finds nothing of a closed space's question, answer and post;
/// added by the space's moderator they find all of it on the very next request, in every
/// count; once they leave it is gone on the next request. Open spaces are for everyone.
#[tokio::test]
async fn a_closed_spaces_content_is_found_by_its_members_only() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (member, member_user) = app.api_user(&[]).await;
    let closed = new_space(&admin, "Project Nightjar", "closed").await;
    let open = new_space(&admin, "Garden club", "open").await;

    let question = ask(
        &admin,
        "Zeppelin prototype quetzalcoatl budget",
        "Where does the quetzalcoatl budget go?",
        &["nightjar"],
    )
    .await;
    let reply = answer(
        &admin,
        question,
        "The quetzalcoatl budget goes to the hangar.",
    )
    .await;
    let post = publish(
        &admin,
        "Nightjar launch notes",
        "The quetzalcoatl flies in May.",
    )
    .await;
    let mural = ask(
        &admin,
        "Zeppelin mural in the lobby",
        "Who painted it?",
        &["lobby"],
    )
    .await;
    let okapi = ask(
        &admin,
        "Where do the okapi plants go?",
        "In the garden?",
        &["garden"],
    )
    .await;
    move_into(&app, closed, question, &[reply], post).await;
    app.exec(&format!(
        "UPDATE questions SET space_id = {open} WHERE id = {okapi}"
    ))
    .await;
    kring::search::outbox::enqueue(app.db(), &[Doc::Question(okapi)])
        .await
        .unwrap();
    app.drain().await;

    // The admin sees everything.
    let all = vec![
        doc("answer", reply),
        doc("post", post),
        doc("question", question),
    ];
    assert_eq!(hits(&search(&admin, "quetzalcoatl").await), all);

    sees_nothing_of_it(&member, question, mural).await;
    // An open space's content is everyone's.
    assert_eq!(
        hits(&search(&member, "okapi").await),
        vec![doc("question", okapi)]
    );
    let (_, one_hit) = search_counted(&member, "zeppelin").await;

    // The moderator adds them: the very next request finds all of it (nothing reindexed).
    let response = admin
        .put_json(
            &format!("/api/v1/spaces/{closed}/members/{}", member_user.id),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (results, three_hits) = search_counted(&member, "quetzalcoatl").await;
    assert_eq!(hits(&results), all, "{results}");
    assert_eq!(results["total"], 3);
    assert_eq!(
        values(&results["facets"]["types"]),
        vec![
            ("answer".into(), 1),
            ("post".into(), 1),
            ("question".into(), 1)
        ]
    );
    assert_eq!(
        values(&results["facets"]["tags"]),
        vec![("nightjar".into(), 2)]
    );
    assert_eq!(
        one_hit, three_hits,
        "a fixed number of statements, whatever the hits"
    );
    // The answer is titled after its question, so it has the shared word too.
    let results = search(&member, "zeppelin").await;
    assert_eq!(results["total"], 3, "{results}");
    let mut suggested = suggest(&member, "quetzal").await;
    suggested.sort();
    assert_eq!(suggested, vec![doc("question", question)]);
    assert_eq!(
        suggest(&member, "nightjar laun").await,
        vec![doc("post", post)]
    );
    let listed = similar(&member, "Zeppelin prototype quetzalcoatl budget").await;
    assert_eq!(listed.first(), Some(&question), "{listed:?}");
    let html = member
        .get("/search?q=quetzalcoatl")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Zeppelin prototype quetzalcoatl budget"),
        "{html}"
    );
    assert!(html.contains("Nightjar launch notes"), "{html}");

    // They leave: gone on the next request.
    let response = admin
        .delete(&format!(
            "/api/v1/spaces/{closed}/members/{}",
            member_user.id
        ))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    sees_nothing_of_it(&member, question, mural).await;
}

/// The index may lag the database: content just moved into a closed space is still
/// company-wide in the index until the indexer catches up. Its hits, suggestions and similar
/// questions are checked against the database first, so a non-member never sees its title or
/// snippet.
#[tokio::test]
async fn a_hit_the_index_still_places_company_wide_is_checked_against_the_database() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (member, _) = app.api_user(&[]).await;
    let closed = new_space(&admin, "Project Axolotl", "closed").await;
    let question = ask(
        &admin,
        "Axolotl tank maintenance",
        "Who feeds the axolotl?",
        &["tanks"],
    )
    .await;
    let reply = answer(&admin, question, "The axolotl eats on Fridays.").await;
    let post = publish(&admin, "Axolotl arrival", "Our axolotl has arrived.").await;
    app.drain().await;
    let all = vec![
        doc("answer", reply),
        doc("post", post),
        doc("question", question),
    ];
    assert_eq!(hits(&search(&member, "axolotl").await), all);

    // Moved in the database only: the index has not heard of it.
    move_rows(&app, closed, question, post).await;
    let results = search(&member, "axolotl").await;
    assert_eq!(hits(&results), vec![], "{results}");
    assert!(!results.to_string().contains("Axolotl"), "{results}");
    assert_eq!(suggest(&member, "axolo").await, vec![]);
    assert_eq!(
        similar(&member, "Axolotl tank maintenance").await,
        Vec::<i64>::new()
    );
    assert_eq!(hits(&search(&admin, "axolotl").await), all);

    // Once the index follows, the total and facets leave it out too.
    kring::search::outbox::enqueue(
        app.db(),
        &[Doc::Question(question), Doc::Answer(reply), Doc::Post(post)],
    )
    .await
    .unwrap();
    app.drain().await;
    let results = search(&member, "axolotl").await;
    assert_eq!(results["total"], 0, "{results}");
    assert_eq!(results["facets"]["types"], json!([]), "{results}");
}

/// While the index is rebuilt, searches and similar questions come from the database, with the
/// same boundary.
#[tokio::test]
async fn the_database_fallback_keeps_to_the_readers_spaces() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (member, member_user) = app.api_user(&[]).await;
    let closed = new_space(&admin, "Project Pangolin", "closed").await;
    let question = ask(
        &admin,
        "Pangolin scales budget",
        "Who orders pangolin scales?",
        &["scales"],
    )
    .await;
    let reply = answer(&admin, question, "Pangolin scales come from the supplier.").await;
    let post = publish(&admin, "Pangolin news", "The pangolin team grows.").await;
    move_into(&app, closed, question, &[reply], post).await;

    assert!(app.state.search.begin_rebuild("a test"));
    let results = search(&member, "pangolin").await;
    assert!(
        results["notice"].is_string(),
        "from the database: {results}"
    );
    assert_eq!(results["total"], 0, "{results}");
    assert_eq!(hits(&results), vec![]);
    assert_eq!(
        similar(&member, "Pangolin scales budget").await,
        Vec::<i64>::new()
    );
    let results = search(&admin, "pangolin").await;
    assert_eq!(results["total"], 3, "{results}");

    let response = admin
        .put_json(
            &format!("/api/v1/spaces/{closed}/members/{}", member_user.id),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let results = search(&member, "pangolin").await;
    assert_eq!(results["total"], 3, "{results}");
    assert_eq!(
        hits(&results),
        vec![
            doc("answer", reply),
            doc("post", post),
            doc("question", question)
        ]
    );
    assert_eq!(
        similar(&member, "Pangolin scales budget").await,
        vec![question]
    );
    app.state.search.end_rebuild();
}
