//! The statement counter: every database statement a request runs, counted per request and
//! exactly, so routes can be held to a budget.
use kring::web::statements::HEADER;
use reqwest::{Response, StatusCode};

use crate::helpers::{ApiClient, spawn_app, spawn_app_with};

fn statements(response: &Response) -> u64 {
    response
        .headers()
        .get(HEADER)
        .unwrap_or_else(|| panic!("no {HEADER} header"))
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Asks a question in English with one tag (201): its id and the statements the ask took.
async fn ask(client: &ApiClient, title: &str, body: &str, tag: &str) -> (i64, u64) {
    let response = client
        .post_json(
            "/api/v1/questions",
            &serde_json::json!({"title": title, "body": body, "tags": [tag], "language": "en"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "{title}");
    let counted = statements(&response);
    let id = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    (id, counted)
}

#[tokio::test]
async fn a_request_counts_exactly_its_own_statements() {
    let app = spawn_app().await;

    // `/healthz` runs one statement, `SELECT 1`: no cookie, so no session or user lookup.
    let response = app.browser().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(statements(&response), 1);

    // Concurrent requests each count their own statements, not their neighbours'.
    let requests = (0..12).map(|_| {
        let browser = app.browser();
        async move { browser.get("/healthz").await }
    });
    for response in futures_util::future::join_all(requests).await {
        assert_eq!(statements(&response), 1);
    }

    // `/api/v1/me` with a token: the token with its user and their roles (one statement), the
    // user's row for the view. The token's last use and this week's activity are noted in
    // memory and written by the bookkeeping lane, not by the request.
    let (client, _) = app.api_user(&[]).await;
    for _ in 0..2 {
        let response = client.get("/api/v1/me").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(statements(&response), 2);
    }
    // A page with a session: the session, its user, their roles and the navigation's counts in
    // one statement, before the page reads anything of its own.
    // (The first page after logging in writes the session once more, with its CSRF token.)
    let (browser, _) = app.login_as(&[]).await;
    browser.get("/account/password").await;
    let response = browser.get("/account/password").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(statements(&response), 1);
}

#[tokio::test]
async fn the_count_is_not_sent_unless_turned_on() {
    let app = spawn_app_with(|s| s.diagnostic_headers = false).await;
    let response = app.browser().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(HEADER).is_none());
}

/// A read does not ask for what is not there: a question without comments or duplicates is
/// read without those statements, and a post without comments without its threads. The flags
/// come with the question's statement and the count with the post's, so the statements come
/// back as soon as there is something to read (and the page shows it).
#[tokio::test]
async fn reads_skip_comments_and_links_that_are_not_there() {
    let app = spawn_app().await;
    let (asker, _) = app.api_user(&[]).await;
    let (other, _) = app.api_user(&[]).await;
    let ask = |title: &'static str| {
        let asker = &asker;
        async move {
            let response = asker
                .post_json(
                    "/api/v1/questions",
                    &serde_json::json!({"title": title, "body": "Which form do I need?",
                                        "tags": ["travel"], "language": "en"}),
                )
                .await;
            assert_eq!(response.status(), StatusCode::CREATED);
            response.json::<serde_json::Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap()
        }
    };
    let question = ask("How do expense reports for train tickets work?").await;
    let path = format!("/api/v1/questions/{question}");
    let response = other
        .post_json(
            &format!("{path}/answers"),
            &serde_json::json!({"body": "With the travel form."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // The token and its user, the question, its answers.
    let response = other.get(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(statements(&response), 3);

    // A comment: the comments' statement comes back.
    let response = other
        .post_json(
            &format!("{path}/comments"),
            &serde_json::json!({"body": "Does this hold for taxis too?"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = other.get(&path).await;
    assert_eq!(statements(&response), 4);
    let view: serde_json::Value = response.json().await.unwrap();
    assert_eq!(view["comments"].as_array().unwrap().len(), 1);

    // A duplicate closed onto it: the links' statement comes back too.
    let duplicate = ask("Train tickets on an expense report?").await;
    let response = asker
        .post_json(
            &format!("/api/v1/questions/{duplicate}/close"),
            &serde_json::json!({"reason": "duplicate", "duplicate_of": question}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = other.get(&path).await;
    assert_eq!(statements(&response), 5);
    let view: serde_json::Value = response.json().await.unwrap();
    assert_eq!(view["duplicates"][0]["id"], duplicate);
    // The duplicate reads the link to its original (it has no comments).
    let response = other.get(&format!("/api/v1/questions/{duplicate}")).await;
    assert_eq!(statements(&response), 4);
    let view: serde_json::Value = response.json().await.unwrap();
    assert_eq!(view["duplicate_of"]["id"], question);

    // A post's page reads its threads only when it has comments.
    let (browser, author) = app.login_as(&[]).await;
    let writer = app.client_for(author.id).await;
    let response = writer
        .post_json(
            "/api/v1/posts",
            &serde_json::json!({"title": "Five tips for expense reports",
                                "body": "Keep every **receipt**.", "language": "en"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let post: serde_json::Value = response.json().await.unwrap();
    let post_id = post["id"].as_i64().unwrap();
    let response = writer
        .post_json(
            &format!("/api/v1/posts/{post_id}/publish"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let url = response.json::<serde_json::Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    browser.get(&url).await;
    let without = statements(&browser.get(&url).await);
    let response = other
        .post_json(
            &format!("/api/v1/posts/{post_id}/comments"),
            &serde_json::json!({"body": "The receipt tip saved me."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = browser.get(&url).await;
    assert_eq!(statements(&response), without + 1);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("The receipt tip saved me.")
    );
}

/// A first up-vote on an answer, with the point it earns: the token and its user, the answer
/// where the voter sees it, the vote with its score, the search outbox row, the ledger's facts
/// and the point event with its totals. PostgreSQL writes the outbox row in the statement that
/// takes the author's lock, the vote with its score and the event with its totals as one
/// statement each (data-modifying CTEs); SQLite, which has no such CTEs, writes each apart.
/// Changing the vote reads it first; a vote that changes nothing writes nothing.
#[tokio::test]
async fn a_first_vote_writes_its_score_and_its_point_in_few_statements() {
    let app = spawn_app().await;
    let (asker, _) = app.api_user(&[]).await;
    let (author, author_user) = app.api_user(&[]).await;
    let (voter, _) = app.api_user(&[]).await;
    let (question, _) = ask(
        &asker,
        "Where is the coffee machine manual?",
        "It beeps.",
        "coffee",
    )
    .await;
    let response = author
        .post_json(
            &format!("/api/v1/questions/{question}/answers"),
            &serde_json::json!({"body": "In the kitchen drawer."}),
        )
        .await;
    let answer = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let postgres = sea_orm::ConnectionTrait::get_database_backend(app.db())
        == sea_orm::DatabaseBackend::Postgres;
    let path = format!("/api/v1/answers/{answer}/vote");

    let points = |period: String| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM point_totals WHERE user_id = {} \
                 AND period = '{period}'",
                author_user.id
            ))
            .await
        }
    };
    let ledger = || {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM point_events WHERE user_id = {}",
                author_user.id
            ))
            .await
        }
    };
    let before = points("all".into()).await;

    let response = voter
        .post_json(&path, &serde_json::json!({"value": 1}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(statements(&response), if postgres { 6 } else { 8 });
    let vote: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        (vote["score"].as_i64(), vote["my_vote"].as_i64()),
        (Some(1), Some(1))
    );
    // The up-vote earned its author points, in the ledger and in both totals.
    let earned = ledger().await;
    assert!(earned > before, "{earned} after the vote, {before} before");
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    assert_eq!(points("all".into()).await, earned);
    assert_eq!(points(month).await, earned);

    // The same vote again: the insert finds it, a read, nothing changes.
    let response = voter
        .post_json(&path, &serde_json::json!({"value": 1}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let again: serde_json::Value = response.json().await.unwrap();
    assert_eq!(again["score"], 1);
    assert_eq!(points("all".into()).await, earned);

    // Turned into a down-vote: the score moves by two and the point goes back.
    let response = voter
        .post_json(&path, &serde_json::json!({"value": -1}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let down: serde_json::Value = response.json().await.unwrap();
    assert_eq!(down["score"], -1);
    assert_eq!(points("all".into()).await, before);
    assert_eq!(ledger().await, before);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer_votes WHERE value = -1")
            .await,
        1
    );
}

/// Reproduces a finding of the PostgreSQL bench: asking took 16 ms of the database's time,
/// because a question notifies every expert of its tags and each notification was an INSERT of
/// its own (about a hundred per question there). Now they are one statement: a question whose
/// tag has twelve experts takes as many statements as one with a single expert, and each expert
/// hears of it once.
#[tokio::test]
async fn asking_notifies_every_expert_of_its_tags_in_a_fixed_number_of_statements() {
    let app = spawn_app().await;
    let (asker, _) = app.api_user(&[]).await;
    let mut counted = vec![];
    for (tag, experts) in [("coffee", 1), ("tea", 12)] {
        for _ in 0..experts {
            let (expert, _) = app.api_user(&[]).await;
            let response = expert
                .patch_json(
                    "/api/v1/me/profile",
                    &serde_json::json!({"expertise": [tag]}),
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
        }
        let title = format!("Where does the {tag} come from these days?");
        let (question, taken) = ask(&asker, &title, "The machine is new.", tag).await;
        counted.push(taken);
        let notified = app
            .count(&format!(
                "SELECT COUNT(*) FROM notifications WHERE kind = 'question' \
                 AND dedupe_key = 'question:{question}'"
            ))
            .await;
        assert_eq!(notified, experts, "{tag}");
    }
    assert_eq!(counted[0], counted[1], "1 expert, then 12: {counted:?}");
}

/// Mentioning colleagues: each hears of it in the app and by email (mentions are emailed at
/// once by default), one statement for all notifications and one for all emails, so a text
/// mentioning twelve people takes as many statements as one mentioning one.
#[tokio::test]
async fn mentioning_many_colleagues_takes_as_many_statements_as_mentioning_one() {
    let app = spawn_app().await;
    let (asker, _) = app.api_user(&[]).await;
    let mut people = vec![];
    for n in 0..12 {
        let email = format!("mentioned.{n}@example.com");
        app.create_user_with(&email, &format!("Mentioned {n}"), &[])
            .await;
        people.push(format!("@mentioned.{n}"));
    }
    // The tag's first question opens it (statements of its own): not counted.
    ask(
        &asker,
        "Who keeps the build server running?",
        "It is slow.",
        "builds",
    )
    .await;
    let mut counted = vec![];
    for (round, mentioned) in [&people[..1], &people[1..]].into_iter().enumerate() {
        let title = format!("Who restarts the build server, round {round}?");
        let body = format!("Asking {}.", mentioned.join(" "));
        let (question, taken) = ask(&asker, &title, &body, "builds").await;
        counted.push(taken);
        let key = format!("mention:question:{question}");
        let notified = app
            .count(&format!(
                "SELECT COUNT(*) FROM notifications WHERE kind = 'mention' AND dedupe_key = '{key}'"
            ))
            .await;
        assert_eq!(notified, mentioned.len() as i64, "round {round}");
        let mailed = app
            .count(&format!(
                "SELECT COUNT(*) FROM mail_outbox WHERE dedupe_key LIKE 'notification:%:{key}'"
            ))
            .await;
        assert_eq!(mailed, mentioned.len() as i64, "round {round}");
    }
    assert_eq!(counted[0], counted[1], "1 mentioned, then 11: {counted:?}");
}

/// Reproduces a finding of the PostgreSQL bench: the question list, the leaderboard and the
/// home page's lists were planned anew on every call (`pg_stat_statements`: `plans` equal to
/// `calls`, 1 ms of planning per list). PostgreSQL keeps a prepared statement's generic plan
/// only when it looks as cheap as the plans made for the values, and a generic plan costs a
/// bound `LIMIT` as a tenth of the table. `db::statement` writes the limit (and booleans) into
/// the SQL, so the generic plan is the one made for the values and is kept.
#[tokio::test]
async fn postgres_keeps_the_plan_of_a_list_whose_limit_is_in_its_text() {
    use sea_orm::{
        ConnectionTrait, DatabaseBackend, Statement, TransactionTrait,
        sea_query::{Alias, Expr, ExprTrait, Order, Query},
    };
    let app = spawn_app().await;
    let backend = app.db().get_database_backend();
    let list = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("plan_probe"))
        .and_where(Expr::col(Alias::new("flag")).eq(true))
        .and_where(Expr::col(Alias::new("id")).gt(7))
        .order_by(Alias::new("id"), Order::Desc)
        .limit(20)
        .offset(3)
        .to_owned();
    let written = kring::db::statement(backend, &list);
    assert!(
        written.sql.ends_with(" LIMIT 20 OFFSET 3"),
        "{}",
        written.sql
    );
    assert!(!written.sql.contains("\"flag\" = $") && !written.sql.contains("\"flag\" = ?"));
    let values = written
        .values
        .as_ref()
        .map(|v| v.0.clone())
        .unwrap_or_default();
    assert_eq!(
        values,
        [sea_orm::Value::Int(Some(7))],
        "only the id is bound"
    );
    if backend != DatabaseBackend::Postgres {
        return;
    }

    // One connection (a transaction), a table of 20,000 rows with its statistics.
    let txn = app.db().begin().await.unwrap();
    txn.execute_unprepared(
        "CREATE TEMP TABLE plan_probe (id BIGINT PRIMARY KEY, flag BOOLEAN NOT NULL) ON COMMIT DROP;
         INSERT INTO plan_probe SELECT n, n % 2 = 0 FROM generate_series(1, 20000) AS n;
         ANALYZE plan_probe",
    )
    .await
    .unwrap();
    let bound = backend.build(&list);
    for _ in 0..8 {
        assert_eq!(txn.query_all_raw(bound.clone()).await.unwrap().len(), 20);
        assert_eq!(txn.query_all_raw(written.clone()).await.unwrap().len(), 20);
    }
    let plans = async |statement: &Statement| {
        let row = txn
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1",
                [statement.sql.clone().into()],
            ))
            .await
            .unwrap()
            .expect("the statement is prepared on this connection");
        let generic: i64 = row.try_get_by_index(0).unwrap();
        let custom: i64 = row.try_get_by_index(1).unwrap();
        (generic, custom)
    };
    // With the limit bound, every execution was planned for its values.
    assert_eq!(plans(&bound).await, (0, 8));
    // With it written in, PostgreSQL switched to the generic plan after five custom ones.
    let (generic, custom) = plans(&written).await;
    assert!(
        generic >= 3 && custom <= 5,
        "{generic} generic, {custom} custom"
    );
    txn.rollback().await.unwrap();
}
