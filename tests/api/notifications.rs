//! Notifications and email: an answer notifies the asker in the app and by email over real
//! SMTP, in their language; an SMTP outage delays mail but loses and doubles none; preferences
//! and digests; unsubscribe links; @mentions once per text.
use std::{collections::HashMap, time::Duration};

use kring::{auth::types::Role, entities::mail_outbox};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    helpers::{ApiClient, Browser, TestApp, extract_csrf, spawn_app, spawn_app_with},
    smtp::SmtpServer,
};

async fn app_with_mail(smtp: &SmtpServer) -> TestApp {
    let url = smtp.url();
    spawn_app_with(move |s| s.smtp_url = Some(url)).await
}

async fn ask(client: &ApiClient, title: &str, body: &str) -> Value {
    let response = client
        .post_json(
            "/api/v1/questions",
            &json!({"title": title, "body": body, "tags": ["office"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn answer(client: &ApiClient, question: &Value, body: &str) -> Value {
    let response = client
        .post_json(
            &format!("/api/v1/questions/{}/answers", question["id"]),
            &json!({ "body": body }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn set_dutch(app: &TestApp, user_id: i64) {
    let user = kring::auth::service::active_user(app.db(), kring::auth::types::UserId(user_id))
        .await
        .unwrap()
        .unwrap();
    kring::auth::service::set_locale(app.db(), &user, kring::i18n::Lang::Nl)
        .await
        .unwrap();
}

async fn mails_to(app: &TestApp, email: &str) -> Vec<mail_outbox::Model> {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ToAddress.eq(email))
        .all(app.db())
        .await
        .unwrap()
}

/// Acceptance 1: one notification and one email, with a plain and an HTML part, in Dutch.
#[tokio::test]
async fn an_answer_notifies_the_asker_once_in_the_app_and_by_email_in_their_language() {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(&smtp).await;
    let (asker, asker_user) = app.api_user(&[Role::SocialTeam]).await;
    set_dutch(&app, asker_user.id).await;
    let (helper, _) = app.api_user(&[]).await;
    let question = ask(
        &asker,
        "Waar staat de koffiemachine?",
        "Op welke verdieping?",
    )
    .await;
    answer(
        &helper,
        &question,
        "Op de tweede verdieping, naast de lift.",
    )
    .await;

    let notifications = asker.get_json("/api/v1/notifications").await;
    assert_eq!(notifications["total"], 1, "{notifications}");
    let n = &notifications["items"][0];
    assert_eq!(n["kind"], "answer");
    assert_eq!(n["read"], false);
    assert!(n["url"].as_str().unwrap().contains("#answer-"));

    let received = smtp.wait_for(1, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let received = if smtp.received().len() > received.len() {
        smtp.received()
    } else {
        received
    };
    assert_eq!(received.len(), 1, "one email");
    let mail = &received[0];
    assert_eq!(mail.to, vec![asker_user.email.clone()]);
    assert!(
        mail.subject().contains("beantwoordde je vraag"),
        "Dutch subject: {}",
        mail.subject()
    );
    let text = mail.part("text/plain").expect("a plain-text part");
    let html = mail.part("text/html").expect("an HTML part");
    assert!(text.contains("Waar staat de koffiemachine?"), "{text}");
    assert!(text.contains("Openen in Kring"), "{text}");
    // (Tera writes `/` in attributes as `&#x2F;`.)
    let html = html.replace("&#x2F;", "/");
    assert!(
        html.contains("<a href=\"http://127.0.0.1/questions/"),
        "{html}"
    );
    assert!(!mail.header("Message-ID").is_empty());
    // The helper, who acted, got nothing; the unread count shows in the header.
    assert_eq!(helper.get_json("/api/v1/notifications").await["total"], 0);
    // The pages: the header counts unread notifications; opening one marks it read.
    let (browser, reader) = app.login_as(&[]).await;
    let html = browser.get_html("/notifications").await;
    assert!(!html.contains("data-test=\"unread\""), "nothing unread yet");
    let reader_client = app.client_for(reader.id).await;
    let mine = ask(&reader_client, "Where do I park my bike?", "?").await;
    answer(&helper, &mine, "In the basement.").await;
    let html = browser.get_html("/notifications").await;
    assert!(html.contains("data-test=\"unread\""), "{html}");
    assert!(html.contains("Where do I park my bike?"));
    let id = reader_client.get_json("/api/v1/notifications").await["items"][0]["id"].clone();
    let response = browser
        .post_form(&format!("/notifications/{id}/read"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(crate::helpers::location(&response).contains("#answer-"));
    assert_eq!(
        reader_client
            .get_json("/api/v1/notifications?unread=true")
            .await["total"],
        0
    );
    let marked: Value = asker
        .post_json("/api/v1/notifications/read-all", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(marked, json!({"marked": 1, "unread": 0}));
}

/// Acceptance 2: with the SMTP server down mail waits and is retried; once it is back, every
/// email arrives exactly once, also with two nodes sending from the same outbox.
#[tokio::test]
async fn an_smtp_outage_delays_mail_but_loses_and_doubles_none() {
    let mut smtp = SmtpServer::start().await;
    let app = app_with_mail(&smtp).await;
    smtp.stop();
    let node_b = app.second_node().await;
    let (asker, _) = app.api_user(&[Role::SocialTeam]).await;
    let mut questions = vec![];
    for n in 0..3 {
        questions.push(ask(&asker, &format!("Outage question number {n}"), "?").await);
    }
    for q in &questions {
        let (helper, _) = app.api_user(&[]).await;
        answer(&helper, q, "An answer while mail is down.").await;
    }
    // Retried with backoff while the server is down, and still pending.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let rows = mail_outbox::Entity::find().all(app.db()).await.unwrap();
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.status == "pending"), "{rows:?}");
        if rows.iter().all(|r| r.attempts >= 2) {
            assert!(rows.iter().all(|r| r.last_error.is_some()));
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no retries: {rows:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(smtp.received().is_empty());
    smtp.restart().await;
    let received = smtp.wait_for(3, Duration::from_secs(15)).await;
    // Give both nodes time to (wrongly) send anything twice.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let received = if smtp.received().len() > received.len() {
        smtp.received()
    } else {
        received
    };
    let mut ids: HashMap<String, usize> = HashMap::new();
    for m in &received {
        *ids.entry(m.header("Message-ID")).or_default() += 1;
    }
    assert_eq!(received.len(), 3, "{ids:?}");
    assert!(ids.values().all(|n| *n == 1), "{ids:?}");
    let rows = mail_outbox::Entity::find().all(app.db()).await.unwrap();
    assert!(
        rows.iter()
            .all(|r| r.status == "sent" && r.sent_at.is_some()),
        "{rows:?}"
    );
    drop(node_b);
}

/// A permanent refusal fails the email at once; admins see it and can queue it again.
#[tokio::test]
async fn a_refused_email_fails_and_admins_can_retry_it() {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(&smtp).await;
    let rejected = app
        .create_user_with("rejectme@example.com", "Rita Rejected", &[Role::SocialTeam])
        .await;
    let asker = app.client_for(rejected.id).await;
    let (helper, _) = app.api_user(&[]).await;
    let q = ask(&asker, "Will this email bounce?", "?").await;
    answer(&helper, &q, "Yes.").await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let failed = loop {
        let failed = admin.get_json("/api/v1/admin/mail?status=failed").await;
        if failed["total"] == 1 {
            break failed;
        }
        assert!(std::time::Instant::now() < deadline, "{failed}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let mail = &failed["items"][0];
    assert_eq!(mail["to"], "rejectme@example.com");
    assert_eq!(mail["attempts"], 1, "a permanent error is not retried");
    assert!(
        mail["last_error"].as_str().unwrap().contains("550"),
        "{mail}"
    );
    // Members may not look or retry.
    let (member, _) = app.api_user(&[]).await;
    assert_eq!(
        member.get("/api/v1/admin/mail").await.status(),
        StatusCode::FORBIDDEN
    );
    let retry = format!("/api/v1/admin/mail/{}/retry", mail["id"]);
    assert_eq!(
        member.post_json(&retry, &json!({})).await.status(),
        StatusCode::FORBIDDEN
    );
    let response = admin.post_json(&retry, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let retried: Value = response.json().await.unwrap();
    assert!(["pending", "failed"].contains(&retried["status"].as_str().unwrap()));
    // Retrying a mail that is not failed is refused.
    let sent_or_pending = admin.post_json(&retry, &json!({})).await.status();
    assert!(
        [StatusCode::CONFLICT, StatusCode::OK].contains(&sent_or_pending),
        "{sent_or_pending}"
    );
    assert_eq!(
        admin
            .post_json("/api/v1/admin/mail/999999/retry", &json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The admin page lists failed emails with a button to send again.
    let (browser, _) = app.login_as(&[Role::Admin]).await;
    app.exec("UPDATE mail_outbox SET status = 'failed'").await;
    let html = browser.get_html("/admin/mail").await;
    assert!(html.contains("rejectme@example.com"), "{html}");
    assert!(html.contains(&format!("/admin/mail/{}/retry", mail["id"])));
    let response = browser
        .post_form(&format!("/admin/mail/{}/retry", mail["id"]), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'mail.retry'")
            .await,
        2
    );
}

/// Acceptance 3: preferences are honoured (weekly: no immediate email, the digest carries it,
/// once per period); the unsubscribe link works without login and only for its category.
#[tokio::test]
async fn preferences_digests_and_unsubscribe_links() {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(&smtp).await;
    let (asker, asker_user) = app.api_user(&[Role::SocialTeam]).await;
    let mut prefs = asker.get_json("/api/v1/me/notification-preferences").await;
    assert_eq!(prefs["weekly_digest"], true);
    for p in prefs["categories"].as_array_mut().unwrap() {
        if p["category"] == "replies" {
            p["delivery"] = json!("weekly");
        }
    }
    let response = asker
        .request(reqwest::Method::PUT, "/api/v1/me/notification-preferences")
        .json(&prefs)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (helper, _) = app.api_user(&[]).await;
    let q = ask(&asker, "Who orders the office plants?", "?").await;
    answer(&helper, &q, "The facilities team.").await;
    assert_eq!(asker.get_json("/api/v1/notifications").await["total"], 1);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        mails_to(&app, &asker_user.email).await.is_empty(),
        "no immediate email"
    );
    assert!(smtp.received().is_empty());

    // The weekly digest of this week, once the week has ended; twice queued is once sent.
    let next_week = chrono::Utc::now() + chrono::Duration::days(7);
    kring::notify::digest::queue_due(app.db(), &app.state.digests_queued, next_week)
        .await
        .unwrap();
    kring::notify::digest::queue_due(
        app.db(),
        &app.state.digests_queued,
        next_week + chrono::Duration::seconds(1),
    )
    .await
    .unwrap();
    let digests: Vec<_> = mails_to(&app, &asker_user.email)
        .await
        .into_iter()
        .filter(|m| m.template == "digest_weekly")
        .collect();
    assert_eq!(digests.len(), 1);
    // Everyone who had an account during the week gets one; find the asker's.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let digest = loop {
        if let Some(m) = smtp
            .received()
            .into_iter()
            .find(|m| m.to == vec![asker_user.email.clone()])
        {
            break m;
        }
        assert!(std::time::Instant::now() < deadline, "no digest arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let text = digest.part("text/plain").unwrap();
    assert!(text.contains("Who orders the office plants?"), "{text}");
    // The asker's points: one for the question.
    assert!(text.contains("; 1 in all."), "{text}");

    // Unsubscribe from the digest through its link, without logging in.
    let link = text
        .lines()
        .find_map(|l| l.split_whitespace().find(|w| w.contains("/unsubscribe/")))
        .expect("an unsubscribe link")
        .to_owned();
    let path = link.trim_start_matches("http://127.0.0.1");
    assert!(path.starts_with("/unsubscribe/"), "{path}");
    let anonymous = Browser::new(&app.address);
    let page = anonymous.get(path).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let csrf = extract_csrf(&html).expect("a form");
    // A tampered signature or another category is not found.
    let tampered = format!("{}0", &path[..path.len() - 1]);
    assert_eq!(
        anonymous.get(&tampered).await.status(),
        StatusCode::NOT_FOUND
    );
    let other = path.replace("/digest/", "/mentions/");
    assert_eq!(anonymous.get(&other).await.status(), StatusCode::NOT_FOUND);
    let done = anonymous
        .post_form_raw(path, &[("csrf_token", csrf.as_str())])
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    let after = asker.get_json("/api/v1/me/notification-preferences").await;
    assert_eq!(after["weekly_digest"], false);
    // Only that category changed.
    assert_eq!(after["categories"], prefs["categories"], "{after}");
}

/// Acceptance 5: an @mention notifies once per text, not on every edit; the mention links to
/// the profile; newly mentioned people in an edit are notified.
#[tokio::test]
async fn mentions_notify_once_per_text_and_link_to_the_profile() {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(&smtp).await;
    let anna = app
        .create_user_with("anna.peeters@example.com", "Anna Peeters", &[])
        .await;
    let bram = app
        .create_user_with("bram@example.com", "Bram de Vries", &[])
        .await;
    let (asker, _) = app.api_user(&[Role::SocialTeam]).await;
    let (helper, _) = app.api_user(&[]).await;
    let q = ask(&asker, "Who knows the badge printer?", "?").await;
    let a = answer(
        &helper,
        &q,
        "Ask @anna.peeters, she set it up. Not `@bram` (code).",
    )
    .await;
    assert!(
        a["body_html"].as_str().unwrap().contains(&format!(
            "<a href=\"/people/{}\" rel=\"noopener noreferrer nofollow\">@anna.peeters</a>",
            anna.id
        )),
        "{a}"
    );
    let anna_client = app.client_for(anna.id).await;
    let bram_client = app.client_for(bram.id).await;
    let mentions = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "mention")
            .count()
    };
    assert_eq!(
        mentions(&anna_client.get_json("/api/v1/notifications").await),
        1
    );
    assert_eq!(
        mentions(&bram_client.get_json("/api/v1/notifications").await),
        0
    );
    // Editing the answer (still mentioning Anna, now also Bram) notifies only Bram.
    for body in [
        "Ask @anna.peeters, she set it up.",
        "Ask @anna.peeters or @bram, they set it up.",
    ] {
        let response = helper
            .patch_json(
                &format!("/api/v1/answers/{}", a["id"]),
                &json!({"body": body}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(
        mentions(&anna_client.get_json("/api/v1/notifications").await),
        1
    );
    assert_eq!(
        mentions(&bram_client.get_json("/api/v1/notifications").await),
        1
    );
    // Unknown or ambiguous handles are left as text.
    let other = answer(&helper, &q, "And @nobody.here knows nothing.").await;
    assert!(
        !other["body_html"].as_str().unwrap().contains("<a "),
        "{other}"
    );
}

/// One notification per person per event, the most specific one: an answer that @mentions
/// the asker tells them "answered your question" once, not also "mentioned you"; a comment
/// likewise; a third person mentioned hears of the mention.
#[tokio::test]
async fn an_answer_that_mentions_the_asker_notifies_them_once() {
    let smtp = SmtpServer::start().await;
    let app = app_with_mail(&smtp).await;
    let carla = app
        .create_user_with("carla.smit@example.com", "Carla Smit", &[])
        .await;
    let dirk = app
        .create_user_with("dirk@example.com", "Dirk Bos", &[])
        .await;
    let asker = app.client_for(carla.id).await;
    let dirk_client = app.client_for(dirk.id).await;
    let (helper, _) = app.api_user(&[]).await;
    let q = ask(&asker, "Where is the spare projector?", "?").await;
    let a = answer(
        &helper,
        &q,
        "@carla.smit it is in room 4; @dirk moved it there.",
    )
    .await;
    let items = |v: Value| -> Vec<(String, String)> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["kind"].as_str().unwrap().to_owned(),
                    n["url"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let carla_sees = items(asker.get_json("/api/v1/notifications").await);
    assert_eq!(carla_sees.len(), 1, "{carla_sees:?}");
    assert_eq!(carla_sees[0].0, "answer");
    assert!(carla_sees[0].1.ends_with(&format!("#answer-{}", a["id"])));
    let dirk_sees = items(dirk_client.get_json("/api/v1/notifications").await);
    assert_eq!(
        dirk_sees
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>(),
        vec!["mention"]
    );

    // A comment on the question that mentions the asker: one notice, the comment.
    let response = helper
        .post_json(
            &format!("/api/v1/questions/{}/comments", q["id"]),
            &json!({"body": "@carla.smit see my answer"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let carla_sees = items(asker.get_json("/api/v1/notifications").await);
    assert_eq!(
        carla_sees
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>(),
        vec!["comment", "answer"],
        "{carla_sees:?}"
    );
}

/// A notification of a kind this version no longer sends (kept in the inbox from before) is
/// listed under its title, in the list and in the bell's menu, instead of failing the page.
#[tokio::test]
async fn a_notification_of_a_retired_kind_is_shown_by_its_title() {
    let app = spawn_app().await;
    let (browser, user) = app.login_as(&[]).await;
    app.exec(&format!(
        "INSERT INTO notifications (user_id, kind, category, title, url, dedupe_key, created_at) \
         VALUES ({}, 'retired_kind', 'answers', 'Something from before', '/questions', \
         'retired-1', CURRENT_TIMESTAMP)",
        user.id
    ))
    .await;
    for path in ["/notifications", "/notifications/menu"] {
        let html = browser.get_html(path).await;
        assert!(html.contains("Something from before"), "{path}: {html}");
    }
}

/// The bell counts unread notifications up to 100 and shows "99+" beyond 99: the count read
/// with every page's session must not grow with a person's unread pile (the partial index
/// `ix_notifications_unread` and the cap), while the notifications API still says how many.
#[tokio::test]
async fn the_bell_shows_99_plus_and_the_api_the_exact_unread_count() {
    let app = spawn_app().await;
    let (browser, user) = app.login_as(&[]).await;
    let notify = |from: usize, to: usize, read: bool| {
        let app = &app;
        async move {
            let rows: Vec<String> = (from..to)
                .map(|i| {
                    format!(
                        "({}, 'answer', 'answers', 'Answer {i}', '/questions', 'pile-{i}', \
                         {}, CURRENT_TIMESTAMP)",
                        user.id,
                        if read { "CURRENT_TIMESTAMP" } else { "NULL" }
                    )
                })
                .collect();
            app.exec(&format!(
                "INSERT INTO notifications (user_id, kind, category, title, url, dedupe_key, \
                 read_at, created_at) VALUES {}",
                rows.join(", ")
            ))
            .await;
        }
    };
    let bell = |html: String| {
        let start = html.find(r#"data-test="unread">"#).map(|i| i + 19);
        start.map(|i| html[i..].split('<').next().unwrap().to_owned())
    };

    // Read notifications do not count.
    notify(0, 30, true).await;
    assert_eq!(bell(browser.get_html("/questions").await), None);
    notify(30, 37, false).await;
    assert_eq!(
        bell(browser.get_html("/questions").await).as_deref(),
        Some("7")
    );
    notify(37, 129, false).await;
    assert_eq!(
        bell(browser.get_html("/questions").await).as_deref(),
        Some("99")
    );
    notify(129, 250, false).await;
    assert_eq!(
        bell(browser.get_html("/questions").await).as_deref(),
        Some("99+")
    );
    let client = app.client_for(user.id).await;
    let response = client.get("/api/v1/notifications?unread=true").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["total"], 220, "{body}");
}
