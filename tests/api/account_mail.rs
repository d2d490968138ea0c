//! Password reset by email and invitations, over a real SMTP listener: single-use tokens that
//! expire, the same answer for known and unknown addresses, rate limits, and invitees who
//! choose their own password.
use std::time::Duration;

use chrono::Utc;
use kring::{
    auth::{service, types::Role, types::UserId},
    entities::account_tokens,
    i18n::Lang,
};
use reqwest::StatusCode;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    helpers::{PASSWORD, TestApp, error_code, location, spawn_app_with},
    smtp::{Received, SmtpServer},
};

const NEW_PASSWORD: &str = "a brand new password";

pub async fn app_with_mail() -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let app = spawn_app_with(|s| s.smtp_url = Some(url)).await;
    (app, smtp)
}

/// The token of the link in an email's text part, e.g. after `/password/reset/`.
pub fn token_in(mail: &Received, path: &str) -> String {
    let text = mail.part("text/plain").expect("a text/plain part");
    let start = text
        .find(path)
        .unwrap_or_else(|| panic!("no {path} link in {text}"))
        + path.len();
    let token: String = text[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64, "{text}");
    token
}

/// Asks for a reset link through the API and returns the token of the email that arrives.
pub async fn reset_token(app: &TestApp, smtp: &SmtpServer, email: &str) -> String {
    let before = smtp.received().len();
    let response = app
        .browser()
        .post_json("/api/v1/password/forgot", &json!({ "email": email }))
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let mails = smtp.wait_for(before + 1, Duration::from_secs(5)).await;
    token_in(&mails[before], "/password/reset/")
}

async fn audit_count(app: &TestApp, action: &str, user_id: i64) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND target_user_id = {user_id}"
    ))
    .await
}

/// Acceptance item 4: the request page answers the same for known and unknown addresses, and
/// only the known one gets an email, in its owner's language, with text and HTML parts.
#[tokio::test]
async fn forgot_password_answers_the_same_for_known_and_unknown_addresses() {
    let (app, smtp) = app_with_mail().await;
    let user = app
        .create_user_with("anna@example.com", "Anna de Vries", &[])
        .await;
    let current = service::active_user(app.db(), UserId(user.id))
        .await
        .unwrap()
        .unwrap();
    service::set_locale(app.db(), &current, Lang::Nl)
        .await
        .unwrap();

    // The login page leads to the form.
    let browser = app.browser();
    let login = browser.get_html("/login").await;
    assert!(login.contains("href=\"/password/forgot\""), "{login}");
    let form = browser.get_html("/password/forgot").await;
    assert!(form.contains("name=\"csrf_token\""));

    // The page: same status, same body.
    let unknown = browser
        .post_form("/password/forgot", &[("email", "nobody@example.com")])
        .await;
    let unknown_status = unknown.status();
    let unknown_body = unknown.text().await.unwrap();
    let known = browser
        .post_form("/password/forgot", &[("email", "Anna@Example.com")])
        .await;
    let known_status = known.status();
    let known_body = known.text().await.unwrap();
    assert_eq!(unknown_status, StatusCode::OK);
    assert_eq!(known_status, unknown_status);
    assert_eq!(known_body, unknown_body);
    assert!(
        known_body.contains("If an account exists for this address"),
        "{known_body}"
    );
    assert!(!known_body.contains("anna@example.com"));

    // The API: 202 and `{}` for both.
    let mut answers = vec![];
    for email in ["nobody@example.com", "anna@example.com"] {
        let response = app
            .browser()
            .post_json("/api/v1/password/forgot", &json!({ "email": email }))
            .await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        answers.push((status, body));
    }
    assert_eq!(answers[0], (StatusCode::ACCEPTED, json!({})));
    assert_eq!(answers[1], answers[0]);

    // Two emails for Anna (page and API), none for the unknown address.
    let mails = smtp.wait_for(2, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let mails = if smtp.received().len() > mails.len() {
        smtp.received()
    } else {
        mails
    };
    assert_eq!(mails.len(), 2, "{mails:#?}");
    for mail in &mails {
        assert_eq!(mail.to, vec!["anna@example.com".to_owned()]);
        assert_eq!(mail.subject(), "Kies een nieuw Kring-wachtwoord");
        let text = mail.part("text/plain").expect("a text part");
        let html = mail.part("text/html").expect("an HTML part");
        assert!(text.contains("Hallo Anna de Vries"), "{text}");
        assert!(text.contains("http://127.0.0.1/password/reset/"), "{text}");
        let token = token_in(mail, "/password/reset/");
        assert!(
            html.contains(&token),
            "the HTML part has the same link: {html}"
        );
        assert!(!text.contains("unsubscribe") && !text.contains("Afmelden"));
    }
    // The second request voided the first link: one link works, the other is gone. The two
    // mails may arrive in either order (each request queues its own), so find the live one.
    let tokens: Vec<String> = mails
        .iter()
        .map(|m| token_in(m, "/password/reset/"))
        .collect();
    let mut statuses = vec![];
    for t in &tokens {
        statuses.push(
            app.browser()
                .get(&format!("/password/reset/{t}"))
                .await
                .status(),
        );
    }
    let live = statuses
        .iter()
        .position(|s| *s == StatusCode::OK)
        .unwrap_or_else(|| panic!("one link works: {statuses:?}"));
    assert_eq!(statuses[1 - live], StatusCode::GONE, "{statuses:?}");
    // Only hashes are stored.
    let token = tokens[live].clone();
    let stored = |value: String| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT COUNT(*) FROM account_tokens WHERE token_hash = '{value}'"
            ))
            .await
        }
    };
    assert_eq!(stored(token.clone()).await, 0);
    assert_eq!(
        stored(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
            token.as_bytes()
        )))
        .await,
        1
    );

    // Malformed input is refused, as a form error and as a JSON error.
    let response = browser
        .post_form("/password/forgot", &[("email", "not an address")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Enter a valid email address.")
    );
    let response = app
        .browser()
        .post_json("/api/v1/password/forgot", &json!({ "email": "nope" }))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(response).await, "validation_failed");
    let response = app
        .browser()
        .post_json("/api/v1/password/forgot", &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// Reset requests for one person that run at the same moment still leave one working link:
/// each request voids the others' links, whichever commits first (the answer does not wait
/// for the request, so a page and an API request can overlap).
#[tokio::test]
async fn concurrent_reset_requests_leave_one_working_link() {
    let (app, _smtp) = app_with_mail().await;
    let user = app
        .create_user_with("carla@example.com", "Carla Jansen", &[])
        .await;
    let email = kring::auth::types::Email::parse("carla@example.com").unwrap();
    for round in 0..3 {
        let requests = (0..6).map(|_| {
            let db = app.db().clone();
            let email = email.clone();
            tokio::spawn(async move { kring::auth::reset::request_reset(&db, &email).await })
        });
        for request in futures_util::future::join_all(requests).await {
            request.unwrap().unwrap();
        }
        let now = Utc::now();
        let live = account_tokens::Entity::find()
            .filter(account_tokens::Column::UserId.eq(user.id))
            .filter(account_tokens::Column::Purpose.eq("reset"))
            .all(app.db())
            .await
            .unwrap()
            .into_iter()
            .filter(|t| t.used_at.is_none() && t.expires_at > now)
            .count();
        assert_eq!(live, 1, "round {round}: one link works");
    }
}

/// Acceptance item 4: a link works once; it sets the password and ends every other session.
#[tokio::test]
async fn the_emailed_link_sets_a_new_password_once_and_ends_other_sessions() {
    let (app, smtp) = app_with_mail().await;
    let user = app.create_user(&[]).await;
    let elsewhere = app.browser();
    assert_eq!(
        elsewhere.login(&user.email, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(elsewhere.get("/api/v1/me").await.status(), StatusCode::OK);
    let current = service::active_user(app.db(), UserId(user.id))
        .await
        .unwrap()
        .unwrap();
    let api_token = service::create_token(app.db(), &current, "script")
        .await
        .unwrap()
        .token;

    let browser = app.browser();
    let response = browser
        .post_form("/password/forgot", &[("email", &user.email)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let mails = smtp.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(mails[0].subject(), "Choose a new Kring password");
    let token = token_in(&mails[0], "/password/reset/");
    let path = format!("/password/reset/{token}");

    let response = browser.get(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["cache-control"].to_str().unwrap(),
        "no-store"
    );
    let html = response.text().await.unwrap();
    assert!(html.contains(&token), "the form posts to the link: {html}");
    assert!(html.contains("name=\"password_confirm\""), "{html}");
    assert!(html.contains(&user.email));

    // Form errors keep the link usable.
    let response = browser
        .post_form(
            &path,
            &[
                ("password", NEW_PASSWORD),
                ("password_confirm", "something else entirely"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("The two passwords differ.")
    );
    let response = browser
        .post_form(
            &path,
            &[("password", "short"), ("password_confirm", "short")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("at least 10 characters")
    );

    let response = browser
        .post_form(
            &path,
            &[
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    let me: Value = browser.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["id"], user.id, "this browser is logged in");
    assert!(
        browser
            .get_html("/account")
            .await
            .contains("Your new password is saved")
    );
    assert_eq!(
        elsewhere.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "the other session ended"
    );
    let response = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "personal access tokens are revoked (the account may have been taken)"
    );

    assert_eq!(
        app.browser().login(&user.email, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED,
        "the old password fails"
    );
    assert_eq!(
        app.browser()
            .login(&user.email, NEW_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER,
        "the new password works"
    );
    assert_eq!(audit_count(&app, "user.password_reset", user.id).await, 1);

    // A second use fails, on the page and in the API, and changes nothing.
    let again = app.browser();
    let response = again.get(&path).await;
    assert_eq!(response.status(), StatusCode::GONE);
    assert!(response.text().await.unwrap().contains("Ask for a new one"));
    let response = again
        .post_form(
            &path,
            &[
                ("password", "a third password here"),
                ("password_confirm", "a third password here"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::GONE);
    assert_eq!(
        again.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let response = app
        .browser()
        .post_json(
            "/api/v1/password/reset",
            &json!({ "token": token, "password": "a third password here" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation_failed");
    assert_eq!(body["error"]["field"], "token");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("used already or has expired")
    );
    assert_eq!(
        app.browser()
            .login(&user.email, NEW_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_api_resets_with_the_token_once() {
    let (app, smtp) = app_with_mail().await;
    let user = app.create_user(&[]).await;
    let token = reset_token(&app, &smtp, &user.email).await;

    let response = app
        .browser()
        .post_json(
            "/api/v1/password/reset",
            &json!({ "token": token, "password": "short" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "password");

    let reset = json!({ "token": token, "password": NEW_PASSWORD });
    let response = app
        .browser()
        .post_json("/api/v1/password/reset", &reset)
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = app
        .browser()
        .post_json("/api/v1/password/reset", &reset)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(response).await, "validation_failed");

    let response = app
        .browser()
        .post_json(
            "/api/v1/session",
            &json!({ "email": user.email, "password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    // Garbage tokens are simply invalid.
    for token in ["", "abc", &"zz".repeat(32), &"0".repeat(64)] {
        let response = app
            .browser()
            .post_json(
                "/api/v1/password/reset",
                &json!({ "token": token, "password": NEW_PASSWORD }),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{token}"
        );
    }
}

/// Acceptance item 4: tokens expire.
#[tokio::test]
async fn an_expired_link_fails() {
    let (app, smtp) = app_with_mail().await;
    let user = app.create_user(&[]).await;
    let token = reset_token(&app, &smtp, &user.email).await;

    let row = account_tokens::Entity::find()
        .filter(account_tokens::Column::UserId.eq(user.id))
        .filter(account_tokens::Column::UsedAt.is_null())
        .one(app.db())
        .await
        .unwrap()
        .expect("the token row");
    assert_eq!(row.purpose, "reset");
    let lifetime = row.expires_at - row.created_at;
    assert_eq!(lifetime.num_minutes(), 60);
    account_tokens::Entity::update(account_tokens::ActiveModel {
        id: Set(row.id),
        expires_at: Set(Utc::now() - chrono::Duration::seconds(1)),
        ..Default::default()
    })
    .exec(app.db())
    .await
    .unwrap();

    let path = format!("/password/reset/{token}");
    let browser = app.browser();
    let response = browser.get(&path).await;
    assert_eq!(response.status(), StatusCode::GONE);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("This link no longer works")
    );
    let response = browser
        .post_form(
            &path,
            &[
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::GONE);
    let response = app
        .browser()
        .post_json(
            "/api/v1/password/reset",
            &json!({ "token": token, "password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.browser().login(&user.email, PASSWORD).await.status(),
        StatusCode::SEE_OTHER,
        "the password is unchanged"
    );

    // A fresh request works again, and voids nothing but older links.
    let token = reset_token(&app, &smtp, &user.email).await;
    let response = app
        .browser()
        .post_json(
            "/api/v1/password/reset",
            &json!({ "token": token, "password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn reset_requests_are_rate_limited_alike_for_known_and_unknown_addresses() {
    use kring::auth::throttle::{RESETS_PER_ADDRESS_PER_HOUR, RESETS_PER_IP_PER_HOUR};
    let (app, smtp) = app_with_mail().await;
    let user = app.create_user(&[]).await;
    let client = app.browser();
    let ask = |email: String| {
        let client = &client;
        async move {
            client
                .post_json("/api/v1/password/forgot", &json!({ "email": email }))
                .await
        }
    };

    let mut sent = 0;
    for email in [user.email.clone(), "nobody@example.com".to_owned()] {
        for _ in 0..RESETS_PER_ADDRESS_PER_HOUR {
            assert_eq!(ask(email.clone()).await.status(), StatusCode::ACCEPTED);
            sent += 1;
        }
        let response = ask(email.clone()).await;
        sent += 1;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "{email}");
        let retry: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=3600).contains(&retry), "{retry}");
        assert_eq!(error_code(response).await, "rate_limited");
    }
    // Only the allowed requests for the known address sent email.
    smtp.wait_for(
        RESETS_PER_ADDRESS_PER_HOUR as usize,
        Duration::from_secs(10),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(smtp.received().len(), RESETS_PER_ADDRESS_PER_HOUR as usize);

    // The client's address is limited across addresses; the page says so in the form.
    for i in sent..RESETS_PER_IP_PER_HOUR {
        assert_eq!(
            ask(format!("other{i}@example.com")).await.status(),
            StatusCode::ACCEPTED
        );
    }
    let response = client
        .post_form("/password/forgot", &[("email", "last@example.com")])
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Too many requests for a password link"),
        "{html}"
    );
    assert!(
        html.contains("name=\"csrf_token\""),
        "the form is shown again"
    );
}

/// Invitations: an admin invites, the invitee follows the emailed link, chooses a password
/// and is in; the link works once; members cannot invite.
#[tokio::test]
async fn an_invited_person_chooses_a_password_with_the_emailed_link() {
    let (app, smtp) = app_with_mail().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (member, _) = app.api_user(&[]).await;
    let invitation = json!({
        "email": "New.Colleague@example.com",
        "display_name": "Nieuwe Collega",
        "roles": ["editor"],
        "locale": "nl",
    });

    let response = member
        .post_json("/api/v1/admin/invitations", &invitation)
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(response).await, "forbidden");

    let response = admin
        .post_json("/api/v1/admin/invitations", &invitation)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["email"], "new.colleague@example.com");
    assert_eq!(created["roles"], json!(["member", "editor"]));
    assert_eq!(created["locale"], "nl");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(audit_count(&app, "user.invited", id).await, 1);

    let response = admin
        .post_json("/api/v1/admin/invitations", &invitation)
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(response).await, "conflict");
    let response = admin
        .post_json(
            "/api/v1/admin/invitations",
            &json!({ "email": "x", "display_name": "X" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let pending = admin.get_json("/api/v1/admin/invitations").await;
    assert_eq!(pending.as_array().unwrap().len(), 1);
    assert_eq!(pending[0]["user"]["id"], id);
    assert_eq!(pending[0]["expired"], false);

    let mails = smtp.wait_for(1, Duration::from_secs(5)).await;
    let mail = &mails[0];
    assert_eq!(mail.to, vec!["new.colleague@example.com".to_owned()]);
    let inviter = admin.get_json("/api/v1/me").await["display_name"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        mail.subject(),
        format!("{inviter} nodigt je uit voor Kring")
    );
    let text = mail.part("text/plain").unwrap();
    assert!(text.contains("Hallo Nieuwe Collega"), "{text}");
    assert!(text.contains("new.colleague@example.com"), "{text}");
    assert!(text.contains("7 dagen"), "{text}");
    let token = token_in(mail, "/invitations/");
    assert!(mail.part("text/html").unwrap().contains(&token));
    let path = format!("/invitations/{token}");

    // No password yet: nobody can log in to the account.
    assert_eq!(
        app.browser()
            .login("new.colleague@example.com", "")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // An invitation is no reset link.
    let response = app
        .browser()
        .post_json(
            "/api/v1/password/reset",
            &json!({ "token": token, "password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let browser = app.browser();
    let html = browser.get_html(&path).await;
    assert!(html.contains("Nieuwe Collega"), "{html}");
    let response = browser
        .post_form(
            &path,
            &[
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    let me: Value = browser.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["email"], "new.colleague@example.com");
    assert_eq!(me["roles"], json!(["member", "editor"]));
    assert_eq!(
        app.browser()
            .login("new.colleague@example.com", NEW_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(audit_count(&app, "user.invitation_accepted", id).await, 1);

    // Used: the link shows a clear page and changes nothing.
    let other = app.browser();
    let response = other.get(&path).await;
    assert_eq!(response.status(), StatusCode::GONE);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Ask an administrator to send you a new invitation")
    );
    let response = other
        .post_form(
            &path,
            &[
                ("password", "somebody else's password"),
                ("password_confirm", "somebody else's password"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::GONE);
    let response = app
        .browser()
        .post_json(
            "/api/v1/invitations/accept",
            &json!({ "token": token, "password": "somebody else's password" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.browser()
            .login("new.colleague@example.com", NEW_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        admin
            .get_json("/api/v1/admin/invitations")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    let response = admin
        .post_json(
            &format!("/api/v1/admin/invitations/{id}/resend"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_admin_invites_on_the_page_and_a_new_link_voids_the_old_one() {
    let (app, smtp) = app_with_mail().await;
    let (admin, _) = app.login_as(&[Role::Admin]).await;
    let (member, _) = app.login_as(&[]).await;
    assert_eq!(
        member.get("/admin/invitations").await.status(),
        StatusCode::FORBIDDEN
    );
    assert!(
        admin
            .get_html("/admin/users")
            .await
            .contains("href=\"/admin/invitations\"")
    );
    assert!(
        admin
            .get_html("/admin/invitations")
            .await
            .contains("name=\"csrf_token\"")
    );

    // A form error keeps what was typed.
    let response = admin
        .post_form(
            "/admin/invitations",
            &[("email", "bad"), ("display_name", "Bram"), ("locale", "en")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Enter a valid email address."), "{html}");
    assert!(html.contains("value=\"Bram\""), "{html}");

    let response = admin
        .post_form(
            "/admin/invitations",
            &[
                ("email", "bram@example.com"),
                ("display_name", "Bram"),
                ("locale", "en"),
                ("role_ambassador", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin/invitations");
    let html = admin.get_html("/admin/invitations").await;
    assert!(html.contains("The invitation is sent."), "{html}");
    assert!(html.contains("bram@example.com"), "{html}");
    let id = app
        .count("SELECT id FROM users WHERE email = 'bram@example.com'")
        .await;
    assert_eq!(
        app.roles_of(id).await.to_vec(),
        vec![Role::Member, Role::Ambassador]
    );

    let first = smtp.wait_for(1, Duration::from_secs(5)).await;
    assert!(first[0].subject().ends_with("invites you to Kring"));
    let old = token_in(&first[0], "/invitations/");

    let response = admin
        .post_form(&format!("/admin/invitations/{id}/resend"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mails = smtp.wait_for(2, Duration::from_secs(5)).await;
    let new = token_in(&mails[1], "/invitations/");
    assert_ne!(old, new);
    assert_eq!(
        app.browser()
            .get(&format!("/invitations/{old}"))
            .await
            .status(),
        StatusCode::GONE
    );
    let response = app
        .browser()
        .post_json(
            "/api/v1/invitations/accept",
            &json!({ "token": new, "password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.browser()
            .login("bram@example.com", NEW_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(audit_count(&app, "user.invitation_resent", id).await, 1);
}

#[tokio::test]
async fn the_openapi_document_lists_the_account_mail_endpoints() {
    let app = crate::helpers::spawn_app().await;
    let doc: Value = app
        .browser()
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    for (path, method) in [
        ("/api/v1/password/forgot", "post"),
        ("/api/v1/password/reset", "post"),
        ("/api/v1/invitations/accept", "post"),
        ("/api/v1/admin/invitations", "post"),
        ("/api/v1/admin/invitations", "get"),
        ("/api/v1/admin/invitations/{user_id}/resend", "post"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"]["InvitationInput"].is_object());
}
