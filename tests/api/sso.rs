//! Company sign-in with OpenID Connect, against a test double of the identity provider
//! (`oidc_peer`: real discovery, RS256-signed ID tokens, single-use codes, PKCE). The happy
//! path, every forged or broken answer, linking rules, the group mapping, SSO-only mode and the
//! log. The browser test (tests/e2e/sso.test.mjs) does the same through npm `oidc-provider`.
use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{ApiClient, Browser, PASSWORD, TestApp, error_code, location, spawn_app},
    oidc_peer::{self, Mode, Peer},
    process::start_server,
};

/// The provider saved as an admin would; the admin's API client.
pub(crate) async fn configure(app: &TestApp, peer: &Peer) -> ApiClient {
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let response = admin
        .put_json(
            "/api/v1/admin/sso",
            &json!({
                "issuer": peer.issuer(),
                "client_id": oidc_peer::CLIENT_ID,
                "client_secret": oidc_peer::CLIENT_SECRET,
                "display_name": "Acme",
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let view: Value = response.json().await.unwrap();
    assert_eq!(view["configured"], true);
    assert_eq!(view["client_secret_set"], true);
    assert!(!view.to_string().contains(oidc_peer::CLIENT_SECRET));
    admin
}

/// What came back at the end of a sign-in: Kring's answer to the callback, and the callback
/// URL the provider sent the browser to.
pub(crate) struct Outcome {
    pub status: StatusCode,
    location: String,
    pub body: String,
    callback: String,
}

/// "Log in with Acme" → the provider (which consents at once) → Kring's callback.
pub(crate) async fn sign_in(browser: &Browser, next: &str) -> Outcome {
    let callback = start(browser, next).await;
    finish(browser, &callback).await
}

/// The first two legs: Kring's redirect to the provider, the provider's back to Kring.
async fn start(browser: &Browser, next: &str) -> String {
    let response = browser
        .get(&format!("/auth/oidc/login?next={}", urlencode(next)))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let authorize = location(&response);
    let query: Vec<(String, String)> = url::Url::parse(&authorize)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    let param = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(param("response_type").as_deref(), Some("code"));
    assert_eq!(param("code_challenge_method").as_deref(), Some("S256"));
    assert!(param("state").is_some() && param("nonce").is_some());
    assert!(param("scope").unwrap().split(' ').any(|s| s == "openid"));
    let response = browser.client.get(&authorize).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
}

async fn finish(browser: &Browser, callback: &str) -> Outcome {
    let response = browser.client.get(callback).send().await.unwrap();
    let status = response.status();
    let location = location(&response);
    let body = response.text().await.unwrap();
    Outcome {
        status,
        location,
        body,
        callback: callback.to_owned(),
    }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The callback URL with one query parameter replaced.
fn with_param(callback: &str, name: &str, value: &str) -> String {
    let mut url = url::Url::parse(callback).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .map(|(k, v)| {
            if k == name {
                (k, value.to_owned())
            } else {
                (k, v)
            }
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url.to_string()
}

pub(crate) async fn me(browser: &Browser) -> Option<Value> {
    let response = browser.get("/api/v1/me").await;
    (response.status() == StatusCode::OK).then_some(())?;
    Some(response.json().await.unwrap())
}

pub(crate) fn roles(me: &Value) -> Vec<String> {
    me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect()
}

async fn department(app: &TestApp, name: &str) -> i64 {
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let response = admin
        .post_json("/api/v1/departments", &json!({ "name": name }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn map(admin: &ApiClient, group: &str, role: Option<&str>, department: Option<i64>) {
    let response = admin
        .post_json(
            "/api/v1/admin/sso/group-mappings",
            &json!({ "group": group, "role": role, "department_id": department }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn first_sign_in_creates_the_person_and_later_ones_follow_the_directory() {
    let app = spawn_app().await;
    let peer = Peer::start().await;
    let admin = configure(&app, &peer).await;
    let engineering = department(&app, "Engineering").await;
    let sales = department(&app, "Sales").await;
    map(&admin, "eng", None, Some(engineering)).await;
    map(&admin, "eng", Some("editor"), None).await;
    map(&admin, "sales", None, Some(sales)).await;
    map(&admin, "ambassadors", Some("ambassador"), None).await;

    let login_page = app.browser().get_html("/login").await;
    assert!(login_page.contains("Log in with Acme"), "{login_page}");
    assert!(login_page.contains("href=\"/auth/oidc/login?next=%2F\""));

    peer.set_user(json!({
        "sub": "jdv-1", "email": "Jan.deVries@example.com", "email_verified": true,
        "name": "Jan de Vries", "locale": "nl-NL", "groups": ["eng"],
    }));
    let users_before = app.count("SELECT COUNT(*) FROM users").await;
    let browser = app.browser();
    let outcome = sign_in(&browser, "/questions").await;
    assert_eq!(outcome.status, StatusCode::SEE_OTHER, "{}", outcome.body);
    assert_eq!(outcome.location, "/questions");
    let person = me(&browser).await.expect("signed in");
    assert_eq!(person["display_name"], "Jan de Vries");
    assert_eq!(person["email"], "jan.devries@example.com");
    assert_eq!(person["locale"], "nl");
    assert_eq!(roles(&person), ["member", "editor"]);
    let id = person["id"].as_i64().unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users").await,
        users_before + 1
    );
    let profile = admin.get_json(&format!("/api/v1/people/{id}")).await;
    assert_eq!(profile["department"], "Engineering", "{profile}");
    // No password: not a pending invitation either.
    let invitations = admin.get_json("/api/v1/admin/invitations").await;
    assert!(!invitations.to_string().contains("jan.devries@example.com"));

    // The directory changed: a new name, other groups.
    peer.set_user(json!({
        "sub": "jdv-1", "email": "jan.devries@example.com", "email_verified": true,
        "name": "Jan de Vries-Bakker", "groups": ["sales", "ambassadors"],
    }));
    let browser = app.browser();
    let outcome = sign_in(&browser, "/").await;
    assert_eq!(outcome.status, StatusCode::SEE_OTHER, "{}", outcome.body);
    let person = me(&browser).await.expect("signed in again");
    assert_eq!(person["id"].as_i64(), Some(id), "the same account");
    assert_eq!(person["display_name"], "Jan de Vries-Bakker");
    assert_eq!(roles(&person), ["member", "ambassador"]);
    let profile = admin.get_json(&format!("/api/v1/people/{id}")).await;
    assert_eq!(profile["department"], "Sales");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users").await,
        users_before + 1
    );

    let audit = admin
        .get_json(&format!("/api/v1/admin/audit-log?user_id={id}&per_page=50"))
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "user.sso_created",
        "user.role_added",
        "user.role_removed",
        "user.department_changed",
        "user.sso_updated",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
}

#[tokio::test]
async fn forged_expired_and_misdirected_tokens_end_on_an_error_page_and_create_no_one() {
    let app = spawn_app().await;
    let peer = Peer::start().await;
    configure(&app, &peer).await;
    let users = app.count("SELECT COUNT(*) FROM users").await;
    for mode in [
        Mode::Expired,
        Mode::WrongAudience,
        Mode::WrongNonce,
        Mode::OtherKey,
        Mode::Forged,
        Mode::WrongIssuer,
        Mode::ClockAhead(900),
    ] {
        peer.set_mode(mode);
        let browser = app.browser();
        let outcome = sign_in(&browser, "/").await;
        assert_eq!(outcome.status, StatusCode::BAD_REQUEST, "{mode:?}");
        assert!(
            outcome.body.contains("data-sso-error=\"token\"")
                && outcome.body.contains("Sign-in did not work"),
            "{mode:?}: {}",
            outcome.body
        );
        assert!(me(&browser).await.is_none(), "{mode:?} signed someone in");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users);
    assert_eq!(app.count("SELECT COUNT(*) FROM sso_identities").await, 0);

    // A provider whose clock runs half a minute ahead is tolerated.
    peer.set_mode(Mode::ClockAhead(30));
    let browser = app.browser();
    let outcome = sign_in(&browser, "/").await;
    assert_eq!(outcome.status, StatusCode::SEE_OTHER, "{}", outcome.body);
    assert!(me(&browser).await.is_some());
}

#[tokio::test]
async fn a_wrong_state_or_a_replayed_code_signs_no_one_in() {
    let app = spawn_app().await;
    let peer = Peer::start().await;
    configure(&app, &peer).await;
    let users = app.count("SELECT COUNT(*) FROM users").await;

    // A state this browser did not start.
    let browser = app.browser();
    let callback = start(&browser, "/").await;
    let outcome = finish(&browser, &with_param(&callback, "state", "forged-state")).await;
    assert_eq!(outcome.status, StatusCode::BAD_REQUEST);
    assert!(
        outcome.body.contains("data-sso-error=\"state\""),
        "{}",
        outcome.body
    );
    // The pending sign-in is used up by the failed attempt: the real state fails now too.
    let outcome = finish(&browser, &callback).await;
    assert!(outcome.body.contains("data-sso-error=\"state\""));
    // Another browser with someone else's callback (login CSRF): no pending sign-in.
    let other = app.browser();
    let outcome = finish(&other, &start(&app.browser(), "/").await).await;
    assert!(outcome.body.contains("data-sso-error=\"state\""));
    assert!(me(&other).await.is_none());
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users);

    // A code that worked once does not work again, even with a fresh state.
    let first = sign_in(&app.browser(), "/").await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let code = url::Url::parse(&first.callback)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let replay = app.browser();
    let fresh = start(&replay, "/").await;
    let outcome = finish(&replay, &with_param(&fresh, "code", &code)).await;
    assert_eq!(outcome.status, StatusCode::BAD_REQUEST);
    assert!(
        outcome.body.contains("data-sso-error=\"exchange\""),
        "{}",
        outcome.body
    );
    assert!(me(&replay).await.is_none());

    // The provider's own refusal (the person said no) is a clear page too.
    let denied = app.browser();
    let callback = start(&denied, "/").await;
    let mut url = url::Url::parse(&callback).unwrap();
    let state = url
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    url.query_pairs_mut()
        .clear()
        .append_pair("error", "access_denied")
        .append_pair("state", &state);
    let outcome = finish(&denied, url.as_str()).await;
    assert!(
        outcome.body.contains("data-sso-error=\"denied\""),
        "{}",
        outcome.body
    );
}

#[tokio::test]
async fn a_local_account_is_linked_only_through_a_verified_address() {
    let app = spawn_app().await;
    let peer = Peer::start().await;
    configure(&app, &peer).await;
    let local = app.create_user_with("ada@example.com", "Ada", &[]).await;

    peer.set_user(json!({
        "sub": "someone-else", "email": "ada@example.com", "email_verified": false, "name": "Not Ada",
    }));
    let browser = app.browser();
    let outcome = sign_in(&browser, "/").await;
    assert_eq!(outcome.status, StatusCode::FORBIDDEN);
    assert!(
        outcome.body.contains("data-sso-error=\"unverified\""),
        "{}",
        outcome.body
    );
    assert!(me(&browser).await.is_none());
    assert_eq!(app.count("SELECT COUNT(*) FROM sso_identities").await, 0);

    peer.set_user(json!({
        "sub": "ada-1", "email": "ada@example.com", "email_verified": true, "name": "Ada Lovelace",
    }));
    let browser = app.browser();
    assert_eq!(sign_in(&browser, "/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(me(&browser).await.unwrap()["id"].as_i64(), Some(local.id));

    // Once linked, the subject decides: a new address at the provider moves the account's
    // address, and another subject with Ada's old address is not Ada.
    peer.set_user(json!({
        "sub": "ada-1", "email": "ada.lovelace@example.com", "email_verified": true, "name": "Ada Lovelace",
    }));
    let browser = app.browser();
    assert_eq!(sign_in(&browser, "/").await.status, StatusCode::SEE_OTHER);
    let ada = me(&browser).await.unwrap();
    assert_eq!(ada["id"].as_i64(), Some(local.id));
    assert_eq!(ada["email"], "ada.lovelace@example.com");
    peer.set_user(json!({
        "sub": "intruder", "email": "ada.lovelace@example.com", "email_verified": false,
    }));
    let outcome = sign_in(&app.browser(), "/").await;
    assert!(outcome.body.contains("data-sso-error=\"unverified\""));

    // A deactivated person stays out.
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let response = admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", local.id),
            &json!({ "is_active": false }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    peer.set_user(
        json!({ "sub": "ada-1", "email": "ada.lovelace@example.com", "email_verified": true }),
    );
    let browser = app.browser();
    let outcome = sign_in(&browser, "/").await;
    assert!(
        outcome.body.contains("data-sso-error=\"deactivated\""),
        "{}",
        outcome.body
    );
    assert!(me(&browser).await.is_none());
}

#[tokio::test]
async fn the_group_mapping_never_takes_the_admin_role_from_the_last_admin() {
    let app = spawn_app().await;
    let peer = Peer::start().await;
    // The only admin, who also signs in with the company account.
    let root = app
        .create_user_with("root@example.com", "Root", &[Role::Admin])
        .await;
    let admin = app.client_for(root.id).await;
    let response = admin
        .put_json(
            "/api/v1/admin/sso",
            &json!({ "issuer": peer.issuer(), "client_id": oidc_peer::CLIENT_ID,
                     "client_secret": oidc_peer::CLIENT_SECRET }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    map(&admin, "kring-admins", Some("admin"), None).await;
    peer.set_user(json!({
        "sub": "root", "email": "root@example.com", "email_verified": true, "groups": ["staff"],
    }));
    let browser = app.browser();
    assert_eq!(sign_in(&browser, "/").await.status, StatusCode::SEE_OTHER);
    assert!(roles(&me(&browser).await.unwrap()).contains(&"admin".to_owned()));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM user_roles WHERE role = 'admin'")
            .await,
        1
    );
}

#[tokio::test]
async fn sso_only_refuses_every_password_path_but_the_break_glass_admin() {
    let (app, smtp) = crate::account_mail::app_with_mail().await;
    let peer = Peer::start().await;
    let root = app
        .create_user_with("root@example.com", "Root", &[Role::Admin])
        .await;
    let admin = app.client_for(root.id).await;
    let member = app
        .create_user_with("member@example.com", "Member", &[])
        .await;
    // A reset link mailed before the switch.
    let token = crate::account_mail::reset_token(&app, &smtp, "member@example.com").await;

    // Not before a provider is configured and answers, and not without a break-glass admin.
    let on = |email: &str| json!({ "sso_only": true, "break_glass_email": email });
    let response = admin
        .put_json("/api/v1/admin/sso", &on("root@example.com"))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let unreachable = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let response = admin
        .put_json(
            "/api/v1/admin/sso",
            &json!({ "issuer": unreachable, "client_id": "kring", "client_secret": "s3cret",
                     "sso_only": true, "break_glass_email": "root@example.com" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(response).await, "validation_failed");
    let view = admin.get_json("/api/v1/admin/sso").await;
    assert_eq!(view["sso_only"], false);
    assert_eq!(view["issuer"], "", "a refused change saves nothing");
    configure(&app, &peer).await;
    let response = admin
        .put_json("/api/v1/admin/sso", &json!({ "sso_only": true }))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no break-glass admin"
    );
    let response = admin
        .put_json("/api/v1/admin/sso", &on("member@example.com"))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not an admin"
    );
    let response = admin
        .put_json("/api/v1/admin/sso", &on("root@example.com"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let view: Value = response.json().await.unwrap();
    assert_eq!(view["sso_only"], true);
    assert_eq!(view["break_glass_email"], "root@example.com");

    // The password paths, for everyone but the break-glass admin.
    let browser = app.browser();
    let response = browser.login("member@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("log in with your company account")
    );
    let api = reqwest::Client::new();
    let session = |email: &str| {
        api.post(app.url("/api/v1/session"))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
    };
    let response = session("member@example.com").await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(response).await, "forbidden");
    let response = session("nobody@example.com").await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.browser().get("/register").await.status(),
        StatusCode::FORBIDDEN
    );
    let response = api
        .post(app.url("/api/v1/register"))
        .json(&json!({ "email": "new@example.com", "display_name": "New", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let forgot = |email: &str| {
        api.post(app.url("/api/v1/password/forgot"))
            .json(&json!({ "email": email }))
            .send()
    };
    assert_eq!(
        forgot("member@example.com").await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let response = api
        .post(app.url("/api/v1/password/reset"))
        .json(&json!({ "token": token, "password": "another long password 9" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let login_page = app.browser().get_html("/login").await;
    assert!(login_page.contains("Log in with Acme"));
    assert!(!login_page.contains("href=\"/register\""));

    // The break-glass admin still gets in with a password, and may still reset it.
    assert_eq!(
        session("root@example.com").await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        forgot("root@example.com").await.unwrap().status(),
        StatusCode::ACCEPTED
    );
    let response = app.browser().login("root@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // ... and cannot be demoted or deactivated while the mode is on.
    let other_admin = app.create_user(&[Role::Admin]).await;
    let other = app.client_for(other_admin.id).await;
    let path = format!("/api/v1/admin/users/{}", root.id);
    let response = other.patch_json(&path, &json!({ "roles": [] })).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let response = other
        .patch_json(&path, &json!({ "is_active": false }))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    // Company sign-in works meanwhile; turning the mode off opens passwords again.
    peer.set_user(json!({ "sub": "m-1", "email": "member@example.com", "email_verified": true }));
    let sso = app.browser();
    assert_eq!(sign_in(&sso, "/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(me(&sso).await.unwrap()["id"].as_i64(), Some(member.id));
    let response = admin
        .put_json("/api/v1/admin/sso", &json!({ "sso_only": false }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        session("member@example.com").await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn logout_offers_the_providers_end_session_link_once() {
    let app = spawn_app().await;
    let peer = Peer::start().await;
    configure(&app, &peer).await;
    let browser = app.browser();
    assert_eq!(sign_in(&browser, "/").await.status, StatusCode::SEE_OTHER);
    let response = browser.post_form("/logout", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = browser
        .get_html("/login")
        .await
        .replace("&#x2F;", "/")
        .replace("&amp;", "&");
    let end_session = format!(
        "{}?client_id={}",
        peer.url("/session/end"),
        oidc_peer::CLIENT_ID
    );
    assert!(
        page.contains(&format!("href=\"{end_session}&post_logout_redirect_uri=")),
        "{page}"
    );
    assert!(page.contains("Also log out at Acme"));
    assert!(me(&browser).await.is_none());
    assert!(!browser.get_html("/login").await.contains("Also log out at"));
}

/// `KRING_OIDC_*` configure the provider (and win over saved values); at debug level, the log
/// of good and failed sign-ins holds neither the client secret, a code, nor a token.
#[tokio::test]
async fn the_environment_configures_sign_in_and_the_log_keeps_its_secrets() {
    let app = spawn_app().await;
    let peer = Peer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/sso.db?mode=rwc", dir.path().display());
    let mut command = crate::process::command(&url, dir.path());
    command
        .arg("serve")
        .env("KRING_BIND", "127.0.0.1:0")
        .env("KRING_OIDC_ISSUER", peer.issuer())
        .env("KRING_OIDC_CLIENT_ID", oidc_peer::CLIENT_ID)
        .env("KRING_OIDC_CLIENT_SECRET", oidc_peer::CLIENT_SECRET)
        .env("RUST_LOG", "debug,sqlx=warn,sea_orm=warn");
    let (child, ready, rx) = start_server(command);
    let base = ready
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("the URL to open")
        .to_owned();
    let _ = &app;
    let setup = Browser::new(&base);
    let response = setup
        .post_json(
            "/api/v1/setup",
            &json!({ "email": "root@example.com", "display_name": "Root", "password": PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let view: Value = setup.get("/api/v1/admin/sso").await.json().await.unwrap();
    assert_eq!(view["configured"], true);
    assert_eq!(
        view["from_environment"],
        json!(["issuer", "client_id", "client_secret"])
    );

    let browser = Browser::new(&base);
    let outcome = sign_in(&browser, "/").await;
    assert_eq!(outcome.status, StatusCode::SEE_OTHER, "{}", outcome.body);
    peer.set_mode(Mode::OtherKey);
    let outcome = sign_in(&Browser::new(&base), "/").await;
    assert_eq!(outcome.status, StatusCode::BAD_REQUEST);
    peer.set_mode(Mode::Normal);
    let replay = Browser::new(&base);
    let fresh = start(&replay, "/").await;
    let first_code = url::Url::parse(&outcome.callback)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    finish(&replay, &with_param(&fresh, "code", &first_code)).await;

    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    drop(child);
    let log = rx.try_iter().collect::<Vec<_>>().join("\n");
    assert!(
        log.contains("company sign-in failed"),
        "the failure is logged"
    );
    let issued = peer.issued();
    assert!(!issued.codes.is_empty() && !issued.id_tokens.is_empty());
    assert!(
        !log.contains(oidc_peer::CLIENT_SECRET),
        "the client secret reached the log"
    );
    for secret in issued
        .codes
        .iter()
        .chain(&issued.id_tokens)
        .chain(&issued.access_tokens)
    {
        assert!(
            !log.contains(secret.as_str()),
            "a code or token reached the log: {secret}"
        );
    }
}
