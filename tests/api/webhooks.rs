//! Webhooks: a real HTTP receiver on loopback records every request, and the tests check the
//! signature with the secret the API showed, retries after a 500, exactly-once delivery after a
//! success, and what never triggers a webhook (drafts, switched-off webhooks).
use std::{
    net::TcpListener,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, KeyInit, Mac};
use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::{
    helpers::{ApiClient, TestApp, spawn_app, spawn_app_with},
    qa_api::{answer, ask_id},
};

/// One request as the receiver saw it.
#[derive(Clone, Debug)]
pub(crate) struct Hit {
    pub(crate) path: String,
    pub(crate) event: String,
    pub(crate) delivery: String,
    pub(crate) timestamp: String,
    pub(crate) signature: String,
    pub(crate) content_type: String,
    pub(crate) body: Vec<u8>,
}

impl Hit {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    /// Whether the signature is HMAC-SHA256(secret, "{timestamp}.{body}").
    fn signed_with(&self, secret: &str) -> bool {
        let Some(hex_sig) = self.signature.strip_prefix("sha256=") else {
            return false;
        };
        let Ok(bytes) = hex::decode(hex_sig) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(self.timestamp.as_bytes());
        mac.update(b".");
        mac.update(&self.body);
        mac.verify_slice(&bytes).is_ok()
    }
}

/// A receiver that answers 500 to its first `fail_first` requests and 200 after.
pub(crate) struct Receiver {
    base: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    fail_first: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct ReceiverState {
    hits: Arc<Mutex<Vec<Hit>>>,
    fail_first: Arc<AtomicUsize>,
}

async fn receive(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<ReceiverState>,
) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let seen = {
        let mut hits = state.hits.lock().unwrap();
        hits.push(Hit {
            path: req.path().to_owned(),
            event: header("X-Kring-Event"),
            delivery: header("X-Kring-Delivery"),
            timestamp: header("X-Kring-Timestamp"),
            signature: header("X-Kring-Signature"),
            content_type: header("Content-Type"),
            body: body.to_vec(),
        });
        hits.len()
    };
    if seen <= state.fail_first.load(Ordering::SeqCst) {
        HttpResponse::InternalServerError().body("receiver hiccup")
    } else {
        HttpResponse::Ok().body("thanks")
    }
}

impl Receiver {
    pub(crate) async fn start(fail_first: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = ReceiverState {
            hits: Arc::default(),
            fail_first: Arc::new(AtomicUsize::new(fail_first)),
        };
        let data = web::Data::new(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .default_service(web::to(receive))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Self {
            base,
            hits: state.hits,
            fail_first: state.fail_first,
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    fn hits_at(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }
}

/// Registers a webhook through the API; returns it (201 required).
/// The receivers of these tests listen on loopback, which an admin must allow first (see
/// `webhooks::guard`).
pub(crate) async fn create_webhook(admin: &ApiClient, event: &str, url: &str) -> Value {
    let response = admin
        .put_json(
            "/api/v1/admin/webhook-networks",
            &json!({"allowed": ["127.0.0.0/8"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = admin
        .post_json("/api/v1/webhooks", &json!({"event": event, "url": url}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn deliveries(admin: &ApiClient, webhook: &Value) -> Vec<Value> {
    admin
        .get_json(&format!("/api/v1/webhooks/{}/deliveries", webhook["id"]))
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// Writes and publishes a post through the API; returns its id.
async fn publish_post(client: &ApiClient, title: &str) -> i64 {
    let response = client
        .post_json(
            "/api/v1/posts",
            &json!({"title": title, "body": "Body text that stays inside Kring."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let response = client
        .post_json(&format!("/api/v1/posts/{id}/publish"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    id
}

/// Drains background work until `done` holds (or fails after five seconds).
async fn drain_until(app: &TestApp, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        app.drain().await;
        if done() {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_delivery_is_signed_retried_after_a_500_and_delivered_only_once() {
    // The retry waits 2 s, not the tests' 100 ms: under load one drain can take longer than
    // 100 ms, and the retry then came before the test saw the first attempt alone.
    let app = spawn_app_with(|s| s.webhook_retry = Duration::from_secs(2)).await;
    let receiver = Receiver::start(1).await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let hook = create_webhook(&admin, "post_published", &receiver.url("/chat")).await;
    assert_eq!(hook["active"], true);
    let secret = hook["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 64, "{hook}");

    let (author, author_user) = app.api_user(&[]).await;
    let post_id = publish_post(&author, "Our new travel policy").await;

    // First attempt: the receiver answers 500.
    drain_until(&app, "the first attempt", || receiver.hits().len() == 1).await;
    let rows = deliveries(&admin, &hook).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["status"], "pending");
    assert_eq!(rows[0]["attempts"], 1);
    assert_eq!(rows[0]["last_status"], 500);
    assert!(
        rows[0]["last_error"].as_str().unwrap().contains("500"),
        "{rows:?}"
    );

    // The retry (after 2 s × 2^0) succeeds.
    drain_until(&app, "the retry", || receiver.hits().len() == 2).await;
    let rows = deliveries(&admin, &hook).await;
    assert_eq!(rows[0]["status"], "delivered", "{rows:?}");
    assert_eq!(rows[0]["attempts"], 2);
    assert_eq!(rows[0]["last_status"], 200);
    assert!(rows[0]["last_error"].is_null());

    let hits = receiver.hits();
    for hit in &hits {
        assert!(hit.signed_with(&secret), "bad signature: {hit:?}");
        assert!(!hit.signed_with("another secret"));
        assert_eq!(hit.event, "post_published");
        assert_eq!(
            hit.delivery,
            rows[0]["id"].to_string(),
            "stable across retries"
        );
        assert!(hit.timestamp.parse::<i64>().unwrap() > 1_700_000_000);
        assert!(hit.content_type.starts_with("application/json"));
    }
    let body = hits[1].json();
    assert_eq!(body["event"], "post_published");
    assert_eq!(body["id"], post_id);
    assert_eq!(body["title"], "Our new travel policy");
    assert!(
        body["url"].as_str().unwrap().starts_with("/blog/"),
        "{body}"
    );
    assert_eq!(body["author"]["id"], author_user.id);
    assert!(body["author"]["display_name"].is_string());
    assert!(body["created_at"].is_string());
    // Small and public: no body text, no email address.
    let text = String::from_utf8(hits[1].body.clone()).unwrap();
    assert!(!text.contains("stays inside Kring"), "{text}");
    assert!(!text.contains(&author_user.email), "{text}");

    // Delivered means delivered: more rounds of the worker send nothing.
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        app.drain().await;
    }
    assert_eq!(receiver.hits().len(), 2);
    assert_eq!(deliveries(&admin, &hook).await.len(), 1);
}

#[tokio::test]
async fn questions_and_answers_reach_their_webhooks_but_drafts_and_switched_off_ones_do_not() {
    let app = spawn_app().await;
    let receiver = Receiver::start(0).await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let posts = create_webhook(&admin, "post_published", &receiver.url("/posts")).await;
    let questions = create_webhook(&admin, "question_asked", &receiver.url("/questions")).await;
    let answers = create_webhook(&admin, "answer_posted", &receiver.url("/answers")).await;
    let off = create_webhook(&admin, "question_asked", &receiver.url("/off")).await;
    let response = admin
        .patch_json(
            &format!("/api/v1/webhooks/{}", off["id"]),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["active"], false);

    // The social team may create the new tag.
    let (member, _) = app.api_user(&[Role::SocialTeam]).await;
    let (helper, helper_user) = app.api_user(&[]).await;
    // A draft stays inside.
    let response = member
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Half-finished thoughts", "body": "Not yet."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let question = ask_id(&member, "How do I book a meeting room?", "facilities").await;
    let answer_id = answer(&helper, question, "Use the room planner.").await;

    drain_until(&app, "two deliveries", || receiver.hits().len() >= 2).await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    app.drain().await;

    assert!(receiver.hits_at("/posts").is_empty(), "a draft was sent");
    assert!(deliveries(&admin, &posts).await.is_empty());
    assert!(
        receiver.hits_at("/off").is_empty(),
        "a switched-off webhook got a delivery"
    );
    assert!(deliveries(&admin, &off).await.is_empty());

    let asked = receiver.hits_at("/questions");
    assert_eq!(asked.len(), 1);
    assert!(asked[0].signed_with(questions["secret"].as_str().unwrap()));
    assert!(!asked[0].signed_with(answers["secret"].as_str().unwrap()));
    let body = asked[0].json();
    assert_eq!(asked[0].event, "question_asked");
    assert_eq!(body["event"], "question_asked");
    assert_eq!(body["id"], question);
    assert_eq!(body["title"], "How do I book a meeting room?");
    assert!(
        body["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("/questions/{question}/")),
        "{body}"
    );

    let answered = receiver.hits_at("/answers");
    assert_eq!(answered.len(), 1);
    assert!(answered[0].signed_with(answers["secret"].as_str().unwrap()));
    let body = answered[0].json();
    assert_eq!(body["event"], "answer_posted");
    assert_eq!(body["id"], answer_id);
    assert_eq!(body["title"], "How do I book a meeting room?");
    assert!(
        body["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("#answer-{answer_id}")),
        "{body}"
    );
    assert_eq!(body["author"]["id"], helper_user.id);
    assert!(
        !answered[0].body.windows(9).any(|w| w == b"room plan"),
        "no answer text"
    );
}

#[tokio::test]
async fn a_delivery_fails_after_the_last_attempt_and_an_admin_can_retry_it() {
    let app = spawn_app_with(|s| s.webhook_retry = Duration::from_millis(1)).await;
    let receiver = Receiver::start(usize::MAX).await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let hook = create_webhook(&admin, "question_asked", &receiver.url("/hook")).await;
    let (member, _) = app.api_user(&[Role::SocialTeam]).await;
    ask_id(&member, "Where is the printer on floor 3?", "facilities").await;

    let deadline = Instant::now() + Duration::from_secs(10);
    let failed = loop {
        app.drain().await;
        let rows = deliveries(&admin, &hook).await;
        if rows[0]["status"] == "failed" {
            break rows[0].clone();
        }
        assert!(Instant::now() < deadline, "never failed: {rows:?}");
        tokio::time::sleep(Duration::from_millis(30)).await;
    };
    assert_eq!(failed["attempts"], 8, "{failed}");
    assert_eq!(failed["last_status"], 500);
    assert!(failed["failed_at"].is_string());
    assert_eq!(receiver.hits().len(), 8);
    // Failed stays failed: the worker does not send it again by itself.
    tokio::time::sleep(Duration::from_millis(50)).await;
    app.drain().await;
    assert_eq!(receiver.hits().len(), 8);

    // Members may not retry; an admin may, with a fresh set of attempts.
    let retry = format!("/api/v1/webhook-deliveries/{}/retry", failed["id"]);
    let (other, _) = app.api_user(&[]).await;
    assert_eq!(
        other.post_json(&retry, &json!({})).await.status(),
        StatusCode::FORBIDDEN
    );
    receiver.fail_first.store(0, Ordering::SeqCst);
    let response = admin.post_json(&retry, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let retried: Value = response.json().await.unwrap();
    assert_eq!(retried["status"], "pending");
    assert_eq!(retried["attempts"], 0);
    drain_until(&app, "the retried delivery", || receiver.hits().len() == 9).await;
    let rows = deliveries(&admin, &hook).await;
    assert_eq!(rows[0]["status"], "delivered", "{rows:?}");
    assert_eq!(rows[0]["attempts"], 1);
    let hits = receiver.hits();
    let delivery_id = failed["id"].to_string();
    assert!(hits.iter().all(|h| h.delivery == delivery_id));
    assert!(
        hits.iter()
            .all(|h| h.signed_with(hook["secret"].as_str().unwrap()))
    );
    // A delivered one cannot be retried.
    let response = admin.post_json(&retry, &json!({})).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'webhook.delivery_retried'")
            .await
            == 1
    );
}

#[tokio::test]
async fn only_admins_manage_webhooks_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (member, _) = app.api_user(&[Role::SocialTeam, Role::Editor]).await;

    for (body, field) in [
        (
            json!({"event": "post_published", "url": "not a url"}),
            "url",
        ),
        (
            json!({"event": "post_published", "url": "ftp://files.example.com/x"}),
            "url",
        ),
        (
            json!({"event": "post_published", "url": "javascript:alert(1)"}),
            "url",
        ),
        (
            json!({"event": "post_deleted", "url": "https://chat.example.com/x"}),
            "event",
        ),
    ] {
        let response = admin.post_json("/api/v1/webhooks", &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], "validation_failed", "{error}");
        assert!(error["error"]["message"].is_string());
        assert_eq!(error["error"]["field"], field, "{error}");
    }

    let hook = create_webhook(&admin, "answer_posted", "https://chat.example.com/hooks/1").await;
    let id = hook["id"].as_i64().unwrap();
    let listed = admin.get_json("/api/v1/webhooks").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["secret"], hook["secret"]);

    // Members, editors and the social team: 403 everywhere.
    let forbidden = [
        member.get("/api/v1/webhooks").await,
        member
            .post_json(
                "/api/v1/webhooks",
                &json!({"event": "answer_posted", "url": "https://evil.example.com"}),
            )
            .await,
        member
            .patch_json(&format!("/api/v1/webhooks/{id}"), &json!({"active": false}))
            .await,
        member.delete(&format!("/api/v1/webhooks/{id}")).await,
        member
            .get(&format!("/api/v1/webhooks/{id}/deliveries"))
            .await,
    ];
    for response in forbidden {
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], "forbidden");
    }

    // Unknown ids: 404.
    for response in [
        admin
            .patch_json("/api/v1/webhooks/999999", &json!({"active": false}))
            .await,
        admin.delete("/api/v1/webhooks/999999").await,
        admin.get("/api/v1/webhooks/999999/deliveries").await,
        admin
            .post_json("/api/v1/webhook-deliveries/999999/retry", &json!({}))
            .await,
    ] {
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], "not_found");
    }

    // Switching and deleting, audited.
    let response = admin
        .patch_json(&format!("/api/v1/webhooks/{id}"), &json!({"active": false}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = admin.delete(&format!("/api/v1/webhooks/{id}")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        admin
            .get_json("/api/v1/webhooks")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    for action in ["webhook.created", "webhook.deactivated", "webhook.deleted"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action}"
        );
    }

    // The OpenAPI document lists the endpoints.
    let doc = admin.get_json("/api/v1/openapi.json").await;
    for path in [
        "/api/v1/webhooks",
        "/api/v1/webhooks/{id}",
        "/api/v1/webhooks/{id}/deliveries",
        "/api/v1/webhook-deliveries/{id}/retry",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

#[tokio::test]
async fn the_admin_page_lists_webhooks_and_its_forms_work() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[Role::Admin]).await;
    let response = browser
        .post_form(
            "/admin/webhooks",
            &[
                ("event", "question_asked"),
                ("url", "https://chat.example.com/in/42"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = browser.get_html("/admin/webhooks").await;
    // Tera escapes the slashes.
    assert!(html.contains("chat.example.com&#x2F;in&#x2F;42"), "{html}");
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let hook = &admin.get_json("/api/v1/webhooks").await[0];
    assert!(
        html.contains(hook["secret"].as_str().unwrap()),
        "the secret is shown"
    );
    assert!(html.contains(&format!("/admin/webhooks/{}/deactivate", hook["id"])));

    // A bad URL shows the form again with the error.
    let response = browser
        .post_form(
            "/admin/webhooks",
            &[("event", "question_asked"), ("url", "chat.example.com")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("form-error"));

    // Switching off through the form; without the CSRF token nothing happens.
    let path = format!("/admin/webhooks/{}/deactivate", hook["id"]);
    let response = browser.post_form_raw(&path, &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = browser.post_form(&path, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(admin.get_json("/api/v1/webhooks").await[0]["active"], false);

    // Not for members.
    let (member, _) = app.login_as(&[]).await;
    assert_eq!(
        member.get("/admin/webhooks").await.status(),
        StatusCode::FORBIDDEN
    );
}
