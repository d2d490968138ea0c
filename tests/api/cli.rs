//! The `kring` binary itself, run as a process against the test's database.
use std::{
    process::{Command, Output},
    time::Duration,
};

use kring::auth::types::Role;
use reqwest::StatusCode;

use crate::{
    helpers::{TestApp, location, spawn_app},
    process::{run, start_server},
};

fn kring(app: &TestApp, database_url: &str) -> Command {
    crate::process::command(database_url, &app.data_dir)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn create_user_adds_a_user_who_can_log_in() {
    let app = spawn_app().await;
    let mut command = kring(&app, &app.database_url);
    command.args([
        "create-user",
        "--email",
        "Cli@Example.com",
        "--name",
        "Cli User",
        "--role",
        "admin",
        "--role",
        "editor",
        "--password-stdin",
    ]);
    let output = run(command, "a password from stdin\n");
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("cli@example.com") && stdout.contains("admin"),
        "{stdout}"
    );

    let id = app
        .count("SELECT id FROM users WHERE email = 'cli@example.com'")
        .await;
    assert_eq!(
        app.roles_of(id).await.to_vec(),
        vec![Role::Member, Role::Editor, Role::Admin]
    );
    let response = app
        .browser()
        .login("cli@example.com", "a password from stdin")
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.created' AND actor_id IS NULL"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn create_user_refuses_bad_input_with_one_line() {
    let app = spawn_app().await;
    app.create_user_with("taken@example.com", "Taken", &[])
        .await;
    for (args, stdin, expected) in [
        (
            vec!["--email", "x@example.com", "--name", "X", "--role", "king"],
            "long enough password\n",
            "unknown role",
        ),
        (
            vec!["--email", "not-an-email", "--name", "X"],
            "long enough password\n",
            "valid email",
        ),
        (
            vec!["--email", "y@example.com", "--name", "Y"],
            "short\n",
            "at least 10",
        ),
        (
            vec!["--email", "taken@example.com", "--name", "T"],
            "long enough password\n",
            "already exists",
        ),
    ] {
        let mut command = kring(&app, &app.database_url);
        command
            .arg("create-user")
            .args(&args)
            .arg("--password-stdin");
        let output = run(command, stdin);
        assert!(!output.status.success(), "{args:?}");
        let err = stderr(&output);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.to_lowercase().contains(expected), "{args:?}: {err}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn migrate_prepares_a_fresh_database_and_can_run_again() {
    let app = spawn_app().await;
    let fresh = app.fresh_database_url().await;
    for _ in 0..2 {
        let mut command = kring(&app, &fresh);
        command.arg("migrate");
        let output = run(command, "");
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let db = sea_orm::Database::connect(&fresh).await.unwrap();
    let tables = kring::auth::repo::count_users(&db)
        .await
        .expect("the users table exists");
    assert_eq!(tables, 0);
    db.close().await.unwrap();
}

#[tokio::test]
async fn a_bad_database_url_prints_one_clear_line_and_exits_non_zero() {
    let app = spawn_app().await;
    for (url, expected) in [
        ("definitely not a url", "KRING_DATABASE_URL"),
        ("mysql://root@localhost/kring", "KRING_DATABASE_URL"),
        (
            "postgres://kring:secret@127.0.0.1:1/kring",
            "cannot connect to the database",
        ),
    ] {
        for sub in ["migrate", "serve"] {
            let mut command = kring(&app, url);
            command.arg(sub);
            let output = run(command, "");
            assert!(!output.status.success(), "{url} {sub}");
            let err = stderr(&output);
            let lines: Vec<&str> = err.trim_end().lines().collect();
            assert_eq!(lines.len(), 1, "{url} {sub}: {err}");
            assert!(
                lines[0].starts_with("error: ") && lines[0].contains(expected),
                "{url} {sub}: {err}"
            );
            assert!(
                !err.contains("secret"),
                "the password is not printed: {err}"
            );
        }
    }
}

#[tokio::test]
async fn seed_demo_is_idempotent() {
    let app = spawn_app().await;
    for _ in 0..2 {
        let mut command = kring(&app, &app.database_url);
        command.arg("seed-demo");
        let output = run(command, "");
        assert!(output.status.success(), "{}", stderr(&output));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 7);
    // A CEO announcement, ambassador posts in Dutch and English, comments and likes.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM posts WHERE status = 'published'")
            .await,
        4
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM posts WHERE is_announcement = true")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT language) FROM posts")
            .await,
        2
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM post_comments").await, 4);
    assert!(app.count("SELECT COUNT(*) FROM post_likes").await >= 4);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE is_leadership = true")
            .await,
        1
    );
    // Questions in Dutch and English: answered (accepted, and by votes), unanswered, and a
    // duplicate closed against the original.
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, 5);
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT language) FROM questions")
            .await,
        2
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions WHERE accepted_answer_id IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM questions WHERE status = 'closed' AND duplicate_of_id IS NOT NULL"
        )
        .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM answer_votes").await, 3);
    // Departments and profiles, and a few follows.
    assert_eq!(app.count("SELECT COUNT(*) FROM departments").await, 5);
    assert_eq!(app.count("SELECT COUNT(*) FROM profiles").await, 6);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM profiles WHERE department_id IS NOT NULL")
            .await,
        6
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM user_follows").await, 2);
    let response = app
        .browser()
        .login("ceo@kring.example", kring::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

/// `kring serve` logs one line with the address to open, sends a first visitor to setup, and
/// never writes a password to its log (even at debug level).
#[tokio::test]
async fn serve_starts_logs_its_url_and_keeps_passwords_out_of_the_log() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/serve.db?mode=rwc", dir.path().display());
    let mut command = kring(&app, &url);
    command
        .arg("serve")
        .env("KRING_BIND", "127.0.0.1:0")
        .env("KRING_DATA_DIR", dir.path())
        .env("RUST_LOG", "debug");
    let (child, ready, rx) = start_server(command);
    let base = ready
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("the URL to open")
        .to_owned();

    let browser = crate::helpers::Browser::new(&base);
    let response = browser.get("/").await;
    assert_eq!(location(&response), "/setup");
    let secret = "a very secret password 42";
    let response = browser
        .post_form(
            "/setup",
            &[
                ("email", "root@example.com"),
                ("display_name", "Root"),
                ("password", secret),
                ("password_confirm", secret),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    browser.post_form("/logout", &[]).await;
    browser
        .login("root@example.com", "a wrong but secret guess")
        .await;
    browser.login("root@example.com", secret).await;

    drop(child);
    let log: Vec<String> = rx.try_iter().collect();
    assert!(!log.is_empty());
    let log = log.join("\n");
    assert!(
        !log.contains(secret) && !log.contains("a wrong but secret guess"),
        "a password reached the log"
    );
    assert!(
        dir.path().join("secret_key").exists(),
        "a secret key is generated on first start"
    );
}

/// With no configuration at all (a fresh clone, `cargo run`), Kring serves the setup page on
/// 127.0.0.1:8080 and keeps its data in `./data`.
#[tokio::test]
async fn with_no_configuration_it_serves_setup_on_port_8080() {
    if std::net::TcpListener::bind("127.0.0.1:8080").is_err() {
        panic!("port 8080 is taken on this machine; this test checks the default address");
    }
    let cwd = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_kring"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(cwd.path());
    let (child, ready, _log) = start_server(command);
    assert!(ready.contains("http://127.0.0.1:8080"), "{ready}");
    let browser = crate::helpers::Browser::new("http://127.0.0.1:8080");
    let first = browser.get("/").await;
    let setup = browser.get("/setup").await;
    drop(child);
    assert_eq!(location(&first), "/setup");
    assert_eq!(setup.status(), StatusCode::OK);
    assert!(setup.text().await.unwrap().contains("action=\"/setup\""));
    assert!(
        cwd.path().join("data/kring.db").exists(),
        "SQLite in ./data"
    );
    assert!(cwd.path().join("data/secret_key").exists());
}

/// SIGKILL while the indexer works through 1,000 outbox rows, then start again: every question
/// ends up in the index exactly once (the position is committed together with the documents).
#[tokio::test]
async fn a_killed_indexer_resumes_and_indexes_every_row_exactly_once() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let serve = || {
        let mut command = kring(&app, &app.database_url);
        command
            .arg("serve")
            .env("KRING_BIND", "127.0.0.1:0")
            .env("KRING_DATA_DIR", dir.path())
            .env("RUST_LOG", "info");
        command
    };
    // A first start creates this node's index; then it dies.
    let (first, _, _) = start_server(serve());
    drop(first);

    let author = app.create_user(&[Role::SocialTeam]).await;
    insert_questions(&app, author.id, 1000, "blackcurrants").await;

    // Start, let it index for a moment, kill it mid-way (SIGKILL), start again.
    let (second, _, _) = start_server(serve());
    tokio::time::sleep(Duration::from_millis(150)).await;
    drop(second);
    let (_third, ready, _) = start_server(serve());
    let base = ready
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("the URL to open")
        .to_owned();

    let current =
        kring::auth::service::active_user(app.db(), kring::auth::types::UserId(author.id))
            .await
            .unwrap()
            .unwrap();
    let token = kring::auth::service::create_token(app.db(), &current, "kill")
        .await
        .unwrap()
        .token;
    let client = reqwest::Client::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let results: serde_json::Value = client
            .get(format!(
                "{base}/api/v1/search?q=blackcurrants&type=question"
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let total = results["total"].as_u64().unwrap();
        assert!(total <= 1000, "a question was indexed twice: {total}");
        if total == 1000 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "only {total} of 1000 indexed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Inserts `n` questions mentioning `word`, with their outbox rows, as a bulk import would.
async fn insert_questions(app: &TestApp, author_id: i64, n: i64, word: &str) -> Vec<i64> {
    use chrono::Utc;
    use kring::entities::{questions, search_outbox};
    use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

    let now = Utc::now();
    for chunk in (0..n).collect::<Vec<i64>>().chunks(250) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|n| questions::ActiveModel {
                author_id: Set(author_id),
                title: Set(format!("Bulk question {n} about {word}")),
                body_md: Set("Zwartbessen.".into()),
                body_html: Set("<p>Zwartbessen.</p>".into()),
                language: Set("en".into()),
                status: Set("open".into()),
                close_reason: Set(None),
                duplicate_of_id: Set(None),
                closed_by: Set(None),
                closed_at: Set(None),
                score: Set(0),
                answer_count: Set(0),
                accepted_answer_id: Set(None),
                last_activity_at: Set(now),
                created_at: Set(now),
                updated_at: Set(now),
                deleted_at: Set(None),
                ..Default::default()
            })
            .collect();
        questions::Entity::insert_many(rows)
            .exec_without_returning(app.db())
            .await
            .unwrap();
    }
    let ids: Vec<i64> = questions::Entity::find()
        .filter(questions::Column::Title.contains(word))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|q| q.id)
        .collect();
    assert_eq!(ids.len() as i64, n);
    for chunk in ids.chunks(250) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|id| search_outbox::ActiveModel {
                kind: Set("question".into()),
                entity_id: Set(*id),
                created_at: Set(now),
                ..Default::default()
            })
            .collect();
        search_outbox::Entity::insert_many(rows)
            .exec_without_returning(app.db())
            .await
            .unwrap();
    }
    ids
}

/// `kring reindex` builds a new index beside the live one while the server answers queries;
/// the server swaps to it without one failed or incomplete answer, keeps indexing new content
/// (also content written during the rebuild), and removes the old index.
#[tokio::test]
async fn reindex_swaps_the_index_while_queries_keep_answering() {
    use std::sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    };

    let app = spawn_app().await;
    let (client, user) = app.api_user(&[Role::SocialTeam]).await;
    insert_questions(&app, user.id, 1500, "gooseberries").await;
    let total_of = |r: &serde_json::Value| r["total"].as_u64().unwrap_or(0);
    let search = |client: crate::helpers::ApiClient| async move {
        let response = client
            .get("/api/v1/search?q=gooseberries&type=question")
            .await;
        let status = response.status();
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        (status, body)
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while total_of(&search(client.clone()).await.1) != 1500 {
        assert!(std::time::Instant::now() < deadline, "not indexed in time");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let current = || std::fs::read_to_string(app.data_dir.join("index/CURRENT")).unwrap();
    let before = current();
    assert_eq!(app.state.search.current().name, before);

    // Four clients query without pause during the whole rebuild and swap.
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..4 {
        let (client, stop, answered) = (client.clone(), stop.clone(), answered.clone());
        clients.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let (status, body) = search(client.clone()).await;
                if status != StatusCode::OK || body["total"].as_u64() < Some(1500) {
                    failures.push(format!("{status}: {body}"));
                }
                answered.fetch_add(1, Ordering::Relaxed);
            }
            failures
        }));
    }
    let mut command = kring(&app, &app.database_url);
    command.arg("reindex");
    let reindex = tokio::task::spawn_blocking(move || run(command, ""));
    // A question asked while the rebuild runs is in the new index too.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let asked: serde_json::Value = client
        .post_json(
            "/api/v1/questions",
            &serde_json::json!({"title": "Are gooseberries allowed in the smoothie bar?", "body": "?", "tags": ["canteen"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let output = reindex.await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("reindexed"), "{stdout}");
    let after = current();
    assert_ne!(after, before, "a new generation is published");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while app.state.search.current().name != after {
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not swap"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let at_swap = answered.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut failures = Vec::new();
    for c in clients {
        failures.extend(c.await.unwrap());
    }
    assert_eq!(failures, Vec::<String>::new(), "no query failed");
    let answered = answered.load(Ordering::Relaxed);
    assert!(at_swap >= 4, "queries ran during the rebuild: {at_swap}");
    assert!(answered > at_swap, "and after the swap: {answered}");

    // The new index holds the question asked during the rebuild and keeps indexing.
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    loop {
        let (_, body) = search(client.clone()).await;
        if total_of(&body) == 1501 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(asked["id"].as_i64().is_some());
    // The old generation is removed once nothing uses it.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while app.data_dir.join("index").join(&before).exists() {
        assert!(std::time::Instant::now() < deadline, "the old index stays");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
