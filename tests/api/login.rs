use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, error_code, location, spawn_app, spawn_app_with};

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("kring_session="))
}

#[tokio::test]
async fn login_and_logout_through_the_pages() {
    let app = spawn_app().await;
    let user = app.create_user(&[]).await;
    let browser = app.browser();

    let response = browser.get("/").await;
    assert_eq!(location(&response), "/login?next=%2F");

    let response = browser
        .post_form(
            "/login",
            &[
                ("email", &user.email),
                ("password", PASSWORD),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/account");
    let html = browser.get_html("/account").await;
    assert!(html.contains(&user.email));
    assert!(
        html.contains("You are logged in."),
        "flash message shown once"
    );
    assert!(
        !browser
            .get_html("/account")
            .await
            .contains("You are logged in.")
    );

    let response = browser.post_form("/logout", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&browser.get("/account").await),
        "/login?next=%2Faccount"
    );
}

#[tokio::test]
async fn login_never_redirects_to_another_site() {
    let app = spawn_app().await;
    let user = app.create_user(&[]).await;
    for next in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
    ] {
        let browser = app.browser();
        let response = browser
            .post_form(
                "/login",
                &[
                    ("email", &user.email),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(location(&response), "/", "{next}");
    }
}

#[tokio::test]
async fn wrong_password_unknown_email_and_deactivated_account_fail_alike() {
    let app = spawn_app().await;
    let admin = app.create_user(&[Role::Admin]).await;
    let active = app.create_user(&[]).await;
    let gone = app.create_user(&[]).await;
    let (admin_browser, _) = (app.browser(), ());
    admin_browser.login(&admin.email, PASSWORD).await;
    let response = admin_browser
        .patch_json(
            &format!("/api/v1/admin/users/{}", gone.id),
            &json!({"is_active": false}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let mut page_errors = vec![];
    let mut api_bodies = vec![];
    for (email, password) in [
        (active.email.as_str(), "wrong password here"),
        ("nobody@example.com", PASSWORD),
        (gone.email.as_str(), PASSWORD),
    ] {
        let response = app.browser().login(email, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{email}");
        let html = response.text().await.unwrap();
        let start = html
            .find("id=\"form-error\"")
            .expect("an error on the form");
        page_errors.push(html[start..start + 80].to_owned());

        let response = app
            .browser()
            .post_json(
                "/api/v1/session",
                &json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        api_bodies.push(response.json::<Value>().await.unwrap());
    }
    assert!(
        page_errors.windows(2).all(|w| w[0] == w[1]),
        "{page_errors:?}"
    );
    assert!(page_errors[0].contains("Invalid email or password."));
    assert!(
        api_bodies.windows(2).all(|w| w[0] == w[1]),
        "{api_bodies:?}"
    );
    assert_eq!(api_bodies[0]["error"]["code"], "invalid_credentials");
}

#[tokio::test]
async fn the_sixth_failed_attempt_within_a_minute_gets_429() {
    let app = spawn_app().await;
    let user = app.create_user(&[]).await;
    for attempt in 1..=5 {
        let response = app.browser().login(&user.email, "wrong password!").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let response = app.browser().login(&user.email, "wrong password!").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(response.text().await.unwrap().contains("Too many attempts"));

    // Even the right password waits now, and the API says the same.
    let response = app
        .browser()
        .post_json(
            "/api/v1/session",
            &json!({"email": user.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(error_code(response).await, "rate_limited");
}

#[tokio::test]
async fn one_address_is_throttled_across_accounts() {
    let app = spawn_app().await;
    let browser = app.browser();
    let mut statuses = vec![];
    // The quota is 30 a minute, refilled one every 2 s: on a slow machine an attempt or two
    // more may pass before the refusal, never more than the time taken allows.
    let start = std::time::Instant::now();
    for i in 0..60 {
        let response = browser
            .post_json(
                "/api/v1/session",
                &json!({"email": format!("guess{i}@example.com"), "password": "x"}),
            )
            .await;
        statuses.push(response.status());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    let refilled = (start.elapsed().as_secs_f64() / 2.0).ceil() as usize;
    assert!(
        statuses[..30]
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    assert!(statuses.len() <= 31 + refilled, "{statuses:?}");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_renewed_at_login() {
    let app = spawn_app().await;
    let user = app.create_user(&[]).await;
    let browser = app.browser();
    let anonymous =
        session_cookie(&browser.get("/login").await).expect("a session for the CSRF token");
    assert!(anonymous.contains("HttpOnly"), "{anonymous}");
    assert!(anonymous.contains("SameSite=Lax"), "{anonymous}");
    assert!(
        !anonymous.contains("Secure"),
        "plain http base URL: {anonymous}"
    );

    let response = browser.login(&user.email, PASSWORD).await;
    let logged_in = session_cookie(&response).expect("a new session cookie at login");
    let value = |c: &str| c.split(';').next().unwrap().to_owned();
    assert_ne!(
        value(&anonymous),
        value(&logged_in),
        "the session id changes at login"
    );

    // The old (pre-login) session id does not grant the login.
    let old = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .header("cookie", value(&anonymous))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cookies_are_secure_when_the_base_url_is_https() {
    let app =
        spawn_app_with(|s| s.base_url = url::Url::parse("https://kring.example").unwrap()).await;
    let response = app.browser().get("/setup").await;
    let cookie = session_cookie(&response).unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(response.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn api_session_login_me_and_logout() {
    let app = spawn_app().await;
    let user = app.create_user(&[Role::Editor]).await;
    let browser = app.browser();
    let response = browser
        .post_json(
            "/api/v1/session",
            &json!({"email": user.email.to_uppercase(), "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["roles"], json!(["member", "editor"]));

    let me: Value = browser.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["id"], user.id);
    assert!(me["last_login_at"].is_string());

    assert_eq!(
        browser.delete("/api/v1/session").await.status(),
        StatusCode::NO_CONTENT
    );
    let response = browser.get("/api/v1/me").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "unauthenticated");
}

#[tokio::test]
async fn a_deactivated_users_open_session_ends() {
    let app = spawn_app().await;
    let (admin, _) = app.login_as(&[Role::Admin]).await;
    let (member, member_user) = app.login_as(&[]).await;
    assert_eq!(member.get("/account").await.status(), StatusCode::OK);

    admin
        .post_form(&format!("/admin/users/{}/deactivate", member_user.id), &[])
        .await;
    assert_eq!(
        location(&member.get("/account").await),
        "/login?next=%2Faccount"
    );
    assert_eq!(
        member.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sessions WHERE user_id = {}",
            member_user.id
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_and_never_in_clear() {
    let app = spawn_app().await;
    let user = app.create_user(&[]).await;
    let row = kring::auth::repo::find(app.db(), kring::auth::types::UserId(user.id))
        .await
        .unwrap()
        .unwrap();
    let hash = row.password_hash.unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains(PASSWORD));
}

#[tokio::test]
async fn expired_sessions_are_removed_by_the_housekeeping_job() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[]).await;
    let backend = sea_orm::ConnectionTrait::get_database_backend(app.db());
    sea_orm::ConnectionTrait::execute_raw(
        app.db(),
        sea_orm::Statement::from_sql_and_values(
            backend,
            "INSERT INTO sessions (id, user_id, state, expires_at, created_at) VALUES ($1, NULL, '{}', $2, $2)",
            [
                "0".repeat(64).into(),
                (chrono::Utc::now() - chrono::Duration::days(1)).into(),
            ],
        ),
    )
    .await
    .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 2);
    app.drain().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        1,
        "only the live session stays"
    );
    assert_eq!(browser.get("/api/v1/me").await.status(), StatusCode::OK);
}
