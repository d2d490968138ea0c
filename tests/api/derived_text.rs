//! Excerpts and reading times are derived when a text is written and kept with it
//! (`content::derived`); rows written before they were kept still show them, and are filled.
use kring::content::{self, derived};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{Browser, spawn_app};

const TAG: &str = "derived";

/// A body whose excerpt is cut (past 200 characters) and that takes more than one minute.
fn long_body(word: &str) -> String {
    format!(
        "# Kop\n\nEerste alinea met **{word}** en [een link](https://example.com).\n\n{}",
        format!("{word} ").repeat(450)
    )
}

/// The excerpt and reading time the post list shows for the only post tagged [`TAG`].
async fn listed_post(browser: &Browser) -> (String, u64) {
    let list: Value = browser
        .get(&format!("/api/v1/posts?tag={TAG}"))
        .await
        .json()
        .await
        .unwrap();
    let post = &list["items"][0];
    (
        post["excerpt"].as_str().unwrap().to_owned(),
        post["reading_minutes"].as_u64().unwrap(),
    )
}

/// The excerpt the question list shows for the only question tagged [`TAG`].
async fn listed_question(browser: &Browser) -> String {
    let list: Value = browser
        .get(&format!("/api/v1/questions?tag={TAG}"))
        .await
        .json()
        .await
        .unwrap();
    list["items"][0]["excerpt"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn excerpts_are_kept_at_write_and_the_missing_ones_derived_on_read_and_filled() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[]).await;
    let body = long_body("thuiswerken");
    let post = browser.publish_post("Lang verhaal", &body, &[TAG]).await;
    let post_id = post["id"].as_i64().unwrap();
    let response = browser
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Hoe werk ik thuis?", "body": body, "tags": [TAG]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let question_id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();

    // Written with the text: what the lists show, as derived from the Markdown.
    let expected = (
        content::excerpt(&body, derived::EXCERPT_CHARS),
        u64::from(content::reading_minutes(&body)),
    );
    assert!(expected.0.ends_with('…') && expected.1 == 3, "{expected:?}");
    assert_eq!(listed_post(&browser).await, expected);
    assert_eq!(listed_question(&browser).await, expected.0);
    let kept = app
        .count(&format!(
            "SELECT COUNT(*) FROM posts WHERE id = {post_id} AND body_excerpt IS NOT NULL \
             AND reading_minutes = 3"
        ))
        .await
        + app
            .count(&format!(
                "SELECT COUNT(*) FROM questions WHERE id = {question_id} \
                 AND body_excerpt IS NOT NULL"
            ))
            .await;
    assert_eq!(kept, 2);

    // An edited body brings its own.
    let edited = format!("Kort. {}", "woord ".repeat(10));
    for path in [
        format!("/api/v1/posts/{post_id}"),
        format!("/api/v1/questions/{question_id}"),
    ] {
        let response = browser.patch_json(&path, &json!({"body": edited})).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    assert_eq!(
        listed_post(&browser).await,
        (content::excerpt(&edited, derived::EXCERPT_CHARS), 1)
    );
    assert_eq!(
        listed_question(&browser).await,
        content::excerpt(&edited, derived::EXCERPT_CHARS)
    );

    // Rows from before the columns: the lists derive what they show, and the filler keeps it.
    let db = app.db();
    for sql in [
        "UPDATE posts SET body_excerpt = NULL, reading_minutes = NULL",
        "UPDATE questions SET body_excerpt = NULL",
    ] {
        db.execute_unprepared(sql).await.unwrap();
    }
    let shown = (listed_post(&browser).await, listed_question(&browser).await);
    assert_eq!(
        shown,
        (
            (content::excerpt(&edited, derived::EXCERPT_CHARS), 1),
            content::excerpt(&edited, derived::EXCERPT_CHARS)
        )
    );
    assert_eq!(derived::fill_missing(db).await.unwrap(), 2);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM posts WHERE body_excerpt IS NULL OR reading_minutes IS NULL"
        )
        .await
            + app
                .count("SELECT COUNT(*) FROM questions WHERE body_excerpt IS NULL")
                .await,
        0
    );
    assert_eq!(
        (listed_post(&browser).await, listed_question(&browser).await),
        shown
    );
    assert_eq!(derived::fill_missing(db).await.unwrap(), 0, "nothing left");
}

#[test]
fn one_pass_derives_what_the_separate_functions_do() {
    for body in [
        long_body("kennis"),
        "Kort.".to_owned(),
        String::new(),
        "| a | b |\n|---|---|\n| één | twee |\n\n```\ncode\n```".to_owned(),
    ] {
        let derived = derived::Derived::of(&body);
        assert_eq!(
            derived.excerpt,
            content::excerpt(&body, derived::EXCERPT_CHARS)
        );
        assert_eq!(
            derived.reading_minutes,
            i32::try_from(content::reading_minutes(&body)).unwrap()
        );
    }
}
