//! Q&A through the pages: the forms people use, their errors, and what the pages show.
use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{location, spawn_app};

/// The id in `/questions/{id}/...` or `/questions/{id}/...#answer-{n}`.
fn id_in(url: &str, prefix: &str) -> i64 {
    let rest = &url[url.find(prefix).unwrap() + prefix.len()..];
    rest.split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn ask_answer_comment_vote_accept_and_unaccept_through_the_pages() {
    let app = spawn_app().await;
    // The social team opens the `vpn` tag; members then use it.
    let (social, _) = app.login_as(&[Role::SocialTeam]).await;
    let seeded = social
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Which VPN client do we use?", "body": "Asking for the team.", "tags": ["vpn"]}),
        )
        .await;
    assert_eq!(seeded.status(), StatusCode::CREATED);
    let (asker, _) = app.login_as(&[]).await;
    let (helper, _) = app.login_as(&[]).await;

    let page = asker.get_html("/questions/ask").await;
    assert!(
        page.contains("id=\"similar\""),
        "the ask page has the suggestion box"
    );
    assert!(page.contains("/assets/js/ask.js"));

    let response = asker
        .post_form(
            "/questions",
            &[
                ("title", "How do I reach the VPN from home?"),
                ("body", "It **times out** after login."),
                ("tags", "vpn, thuiswerken"),
                ("language", "en"),
            ],
        )
        .await;
    // `thuiswerken` is a new tag and a fresh member has no points: it is proposed, and the
    // question is posted with it.
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let url = location(&response);
    assert!(
        url.starts_with("/questions/") && url.ends_with("/how-do-i-reach-the-vpn-from-home"),
        "{url}"
    );
    let qid = id_in(&url, "/questions/");
    let html = asker.get_html(&url).await;
    assert!(html.contains("<h1><bdi data-user>How do I reach the VPN from home?</bdi></h1>"));
    assert!(html.contains("<strong>times out</strong>"));

    // An empty answer is refused on the page, with the question still there.
    let response = helper
        .post_form(&format!("/questions/{qid}/answers"), &[("body", "  ")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("How do I reach the VPN from home?")
    );

    let response = helper
        .post_form(
            &format!("/questions/{qid}/answers"),
            &[("body", "Use the *split tunnel* profile.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    assert!(to.starts_with(&url) && to.contains("#answer-"), "{to}");
    let aid = id_in(&to, "#answer-");

    let response = helper
        .post_form(
            &format!("/questions/{qid}/comments"),
            &[("body", "Which laptop do you have?")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = asker
        .post_form(
            &format!("/answers/{aid}/comments"),
            &[("body", "That worked, thanks!")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // A stranger cannot accept; the page offers them no button.
    let html = helper.get_html(&url).await;
    assert!(!html.contains("data-test=\"accept\""));
    let response = helper
        .post_form(&format!("/answers/{aid}/accept"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let response = asker
        .post_form(&format!("/answers/{aid}/vote"), &[("value", "1")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = asker
        .post_form(&format!("/answers/{aid}/accept"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = asker.get_html(&url).await;
    assert!(html.contains("Which laptop do you have?"));
    assert!(html.contains("That worked, thanks!"));
    assert!(html.contains("data-test=\"accepted\""));
    assert!(html.contains("data-test=\"unaccept\""));
    assert!(html.contains("aria-pressed=\"true\" aria-label=\"Useful (vote up)\""));

    let api: Value = asker
        .get(&format!("/api/v1/questions/{qid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["accepted_answer_id"], aid);
    assert_eq!(api["answers"][0]["score"], 1);
    assert_eq!(
        api["answers"][0]["comments"][0]["body"],
        "That worked, thanks!"
    );
    assert_eq!(api["comments"][0]["body"], "Which laptop do you have?");

    let response = asker
        .post_form(&format!("/answers/{aid}/unaccept"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = asker.get_html(&url).await;
    assert!(!html.contains("data-test=\"accepted\""));
    // Pressing the up-vote again takes the vote back.
    asker
        .post_form(&format!("/answers/{aid}/vote"), &[("value", "0")])
        .await;
    let api: Value = asker
        .get(&format!("/api/v1/questions/{qid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["accepted_answer_id"], Value::Null);
    assert_eq!(api["answers"][0]["score"], 0);

    // The lists show it: unanswered now, and under the tag.
    let html = helper.get_html("/questions?sort=unanswered").await;
    assert!(html.contains("How do I reach the VPN from home?"));
    let html = helper.get_html("/questions/tagged/vpn").await;
    assert!(html.contains("How do I reach the VPN from home?"));
    assert!(html.contains("Which VPN client do we use?"));
}

#[tokio::test]
async fn closing_as_duplicate_through_the_page_links_both_ways() {
    let app = spawn_app().await;
    let (social, _) = app.login_as(&[Role::SocialTeam]).await;
    let ask = |title: &'static str| {
        let social = &social;
        async move {
            let q: Value = social
                .post_json(
                    "/api/v1/questions",
                    &json!({"title": title, "body": "Details.", "tags": ["printing"]}),
                )
                .await
                .json()
                .await
                .unwrap();
            (
                q["id"].as_i64().unwrap(),
                q["url"].as_str().unwrap().to_owned(),
            )
        }
    };
    let (original, original_url) = ask("How do I print on the third floor?").await;
    let (copy, copy_url) = ask("Printing on floor three does not work").await;

    // A missing original is explained on the page.
    let response = social
        .post_form(
            &format!("/questions/{copy}/close"),
            &[("reason", "duplicate"), ("duplicate_of", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Choose the question this one duplicates.")
    );

    let link = format!("http://kring.example{original_url}");
    let response = social
        .post_form(
            &format!("/questions/{copy}/close"),
            &[("reason", "duplicate"), ("duplicate_of", &link)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = social.get_html(&copy_url).await;
    assert!(html.contains("Closed as duplicate"));
    assert!(html.contains(
        "data-test=\"original\"><bdi data-user>How do I print on the third floor?</bdi></a>"
    ));
    assert!(
        !html.contains(&format!("action=\"/questions/{copy}/answers\"")),
        "no answer form"
    );
    let html = social.get_html(&original_url).await;
    let listed = html
        .split("Asked before as")
        .nth(1)
        .expect("a list of duplicates");
    assert!(
        listed.contains("Printing on floor three does not work</bdi></a>"),
        "the original lists its duplicate"
    );

    let response = social
        .post_form(&format!("/questions/{copy}/reopen"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = social.get_html(&copy_url).await;
    assert!(html.contains(&format!("action=\"/questions/{copy}/answers\"")));
    assert_ne!(original, copy);
}
