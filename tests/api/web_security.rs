//! Web-security findings of the attack run (issue 17): redirects, double points, formula
//! injection, registration, SSRF, password resets, weak passwords and caching. Every request
//! stays on loopback.
use reqwest::StatusCode;

use crate::helpers::{Browser, PASSWORD, location, spawn_app};

// ---- Open redirects ------------------------------------------------------------------------

/// Ways to make a "local" path leave the site, as collected from open-redirect cheat sheets:
/// tabs and newlines browsers drop, backslashes they read as slashes, encoded slashes, other
/// schemes, protocol-relative URLs, user info, IPv6 and numeric hosts, Unicode dots.
const REDIRECT_PAYLOADS: &[&str] = &[
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%09/evil.example",
    "/%0a/x",
    "//evil.example",
    "///evil.example",
    "////evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    "/%5c/evil.example",
    "/%2f/evil.example",
    "%2F%2Fevil.example",
    "https://evil.example",
    "http:evil.example",
    "http:/evil.example",
    "https:\\\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " //evil.example",
    "\u{0}//evil.example",
    "/\u{7f}/evil.example",
    "//evil.example@127.0.0.1",
    "https://127.0.0.1@evil.example",
    "//[::1]/",
    "//[::ffff:7f00:1]/",
    "//0x7f000001/",
    "//2130706433/",
    "//evil\u{3002}example",
    "/\u{3002}/evil.example",
    "\u{ff0f}\u{ff0f}evil.example",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "?next=//evil.example",
    "#//evil.example",
];

/// Paths that are fine and must survive as they are.
const GOOD_NEXT: &[&str] = &["/questions/12?sort=new#answer-3", "/blog", "/people?q=anna"];

/// Whether a `Location` stays on this site, judged the way a browser would resolve it.
fn same_origin(location: &str) -> bool {
    let base = url::Url::parse("http://127.0.0.1:8080/somewhere/deep").unwrap();
    location.starts_with('/')
        && !location.starts_with("//")
        && !location.starts_with("/\\")
        && !location
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
        && base
            .join(location)
            .is_ok_and(|u| u.origin() == base.origin())
}

fn check_redirect(path: &str, payload: &str, status: StatusCode, location: &str) {
    assert!(
        !status.is_server_error(),
        "{path} with next={payload:?}: {status}"
    );
    if status.is_redirection() {
        assert!(
            same_origin(location),
            "{path} with next={payload:?} sends the browser to {location:?}"
        );
    }
}

/// Every `next` (the login form, the login page while logged in, the language switch) takes
/// the visitor to a path of this site or to the home page, never elsewhere, never a 500.
#[tokio::test]
async fn no_next_parameter_leads_off_the_site() {
    let payloads: Vec<&str> = REDIRECT_PAYLOADS.iter().chain(GOOD_NEXT).copied().collect();
    assert!(REDIRECT_PAYLOADS.len() >= 30);
    // The login throttle allows 30 attempts per address a minute and 5 per account: one app
    // per 25 payloads, one account per 4.
    for chunk in payloads.chunks(25) {
        let app = spawn_app().await;
        for (n, group) in chunk.chunks(4).enumerate() {
            let user = app
                .create_user_with(&format!("next{n}@example.com"), "Next", &[])
                .await;
            for payload in group {
                let browser = app.browser();
                let token = browser.csrf_token().await;
                let response = browser
                    .post_form_raw(
                        "/login",
                        &[
                            ("email", user.email.as_str()),
                            ("password", PASSWORD),
                            ("next", payload),
                            ("csrf_token", &token),
                        ],
                    )
                    .await;
                let status = response.status();
                assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "throttled");
                check_redirect("POST /login", payload, status, &location(&response));

                let response = browser
                    .client
                    .get(app.url("/login"))
                    .query(&[("next", payload)])
                    .send()
                    .await
                    .unwrap();
                check_redirect(
                    "GET /login (logged in)",
                    payload,
                    response.status(),
                    &location(&response),
                );

                let response = browser
                    .post_form("/language", &[("lang", "nl"), ("next", payload)])
                    .await;
                check_redirect(
                    "POST /language",
                    payload,
                    response.status(),
                    &location(&response),
                );
                if GOOD_NEXT.contains(payload) {
                    assert_eq!(location(&response), *payload, "a good path is kept");
                }
            }
        }
    }
}

/// The login page of a visitor keeps a bad `next` out of its form.
#[tokio::test]
async fn the_login_form_carries_only_a_local_next() {
    let app = spawn_app().await;
    app.create_user(&[]).await;
    let browser: Browser = app.browser();
    for payload in REDIRECT_PAYLOADS {
        let response = browser
            .client
            .get(app.url("/login"))
            .query(&[("next", payload)])
            .send()
            .await
            .unwrap();
        if kring::content::text::forbidden(payload).is_some() {
            // A NUL is refused before any page (web::text_guard): no form, no next.
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{payload:?}");
            continue;
        }
        assert_eq!(response.status(), StatusCode::OK, "{payload:?}");
        let html = response.text().await.unwrap();
        let form = html.find("action=\"/login\"").expect("the login form");
        let marker = "name=\"next\" value=\"";
        let start = form + html[form..].find(marker).expect("a next field") + marker.len();
        let value = &html[start..start + html[start..].find('"').unwrap()];
        let value = value.replace("&#x2F;", "/").replace("&amp;", "&");
        assert!(same_origin(&value), "{payload:?} became {value:?}");
    }
}

// ---- Points counted twice --------------------------------------------------------------------

/// The asker and an editor accept two different answers of one question at the same moment,
/// fifty times over: one answer ends accepted and the ledger holds +5/+1 for it alone.
#[tokio::test]
async fn two_concurrent_accepts_of_different_answers_award_points_once() {
    use kring::auth::types::Role;
    use serde_json::{Value, json};

    let app = spawn_app().await;
    let (asker, asker_user) = app.api_user(&[]).await;
    let (editor, _) = app.api_user(&[Role::Editor]).await;
    let (first, _) = app.api_user(&[]).await;
    let (second, _) = app.api_user(&[]).await;
    // `office` exists for everyone to use.
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    social
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Seed question for the tag", "body": "?", "tags": ["office"]}),
        )
        .await;
    let mut questions = Vec::new();
    for trial in 0..50 {
        let question: Value = asker
            .post_json(
                "/api/v1/questions",
                &json!({"title": format!("Which chair is best, trial {trial}?"), "body": "?", "tags": ["office"]}),
            )
            .await
            .json()
            .await
            .unwrap();
        let q = question["id"].as_i64().unwrap();
        let mut answers = Vec::new();
        for client in [&first, &second] {
            let answer: Value = client
                .post_json(
                    &format!("/api/v1/questions/{q}/answers"),
                    &json!({"body": "This one."}),
                )
                .await
                .json()
                .await
                .unwrap();
            answers.push(answer["id"].as_i64().unwrap());
        }
        let (path_a, path_b) = (
            format!("/api/v1/answers/{}/accept", answers[0]),
            format!("/api/v1/answers/{}/accept", answers[1]),
        );
        let body = json!({});
        let (a, b) = tokio::join!(
            asker.post_json(&path_a, &body),
            editor.post_json(&path_b, &body)
        );
        for response in [a, b] {
            assert!(
                response.status() == StatusCode::OK || response.status() == StatusCode::CONFLICT,
                "{}",
                response.status()
            );
        }
        questions.push(q);
    }
    // Per question: the accepted answer's author nets 5 and the asker 1; nobody else anything.
    for q in &questions {
        let sums = |action: &str| {
            format!(
                "SELECT CAST(COALESCE(SUM(e.points), 0) AS BIGINT) FROM point_events e \
                 JOIN answers a ON a.id = e.subject_id AND e.subject_kind = 'answer' \
                 WHERE e.action = '{action}' AND a.question_id = {q}"
            )
        };
        assert_eq!(app.count(&sums("answer_accepted")).await, 5, "question {q}");
        assert_eq!(
            app.count(&sums("answer_accepted_asker")).await,
            1,
            "question {q}"
        );
        let accepted_author_points = app
            .count(&format!(
                "SELECT CAST(COALESCE(SUM(e.points), 0) AS BIGINT) FROM point_events e \
                 JOIN questions q ON q.accepted_answer_id = e.subject_id AND e.subject_kind = 'answer' \
                 WHERE e.action = 'answer_accepted' AND q.id = {q}"
            ))
            .await;
        assert_eq!(
            accepted_author_points, 5,
            "question {q}: the accepted answer holds the points"
        );
    }
    let asker_total = app
        .count(&format!(
            "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM point_events \
             WHERE user_id = {} AND action = 'answer_accepted_asker'",
            asker_user.id
        ))
        .await;
    assert_eq!(asker_total, 50);
}

// ---- Formula injection in CSV exports --------------------------------------------------------

/// Names and departments that start like a spreadsheet formula are exported as inert text;
/// numbers, negative ones included, stay numbers.
#[tokio::test]
async fn csv_exports_neutralise_formulas_and_keep_numbers() {
    use kring::auth::types::Role;
    use serde_json::json;

    let app = spawn_app().await;
    let (social, _) = app.login_as(&[Role::SocialTeam, Role::Admin]).await;
    let social_api = app.api_user(&[Role::SocialTeam]).await.0;
    let dangerous = [
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+1+2",
        "-1+2",
        "@SUM(A1)",
    ];
    for (n, text) in dangerous.iter().enumerate() {
        let department = social
            .post_json(
                "/api/v1/departments",
                &json!({"name": format!("{text} dept")}),
            )
            .await;
        assert_eq!(department.status(), StatusCode::CREATED);
        let department: serde_json::Value = department.json().await.unwrap();
        let (client, _) = app.api_user(&[]).await;
        let response = client
            .patch_json(
                "/api/v1/me/profile",
                &json!({"display_name": format!("{text} {n}"), "department_id": department["id"]}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{text}");
        // A point in this period, so the person is a top contributor.
        social_api
            .post_json(
                "/api/v1/questions",
                &json!({"title": format!("Seed question {n} for the tag"), "body": "?", "tags": ["office"]}),
            )
            .await;
        let response = client
            .post_json(
                "/api/v1/questions",
                &json!({"title": format!("A question from person {n}"), "body": "?", "tags": ["office"]}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let cells = |csv: &str| -> Vec<Vec<String>> {
        csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    };
    let departments = social
        .get_html("/kpis/export/departments.csv?weeks=4")
        .await;
    let contributors = social
        .get_html("/kpis/export/top_contributors.csv?weeks=4")
        .await;
    for (table, rows) in [
        ("departments", cells(&departments)),
        ("top_contributors", cells(&contributors)),
    ] {
        assert!(rows.len() >= dangerous.len(), "{table}: {rows:?}");
        for row in &rows {
            for cell in row {
                let live = cell.starts_with(['=', '+', '@', '\t', '\r'])
                    || (cell.starts_with('-') && cell.parse::<f64>().is_err());
                assert!(!live, "{table}: a live formula {cell:?}");
            }
        }
        for text in dangerous {
            assert!(
                rows.iter()
                    .flatten()
                    .any(|c| c.starts_with('\'') && c[1..].starts_with(text)),
                "{table}: {text} is kept, made inert: {rows:?}"
            );
        }
    }
    // Numbers are numbers: points and people counts parse as they are.
    for row in cells(&contributors) {
        assert!(row[2].parse::<i64>().is_ok(), "{row:?}");
    }
}

// ---- Self-registration -----------------------------------------------------------------------

/// Registering tells nobody whether an address has an account (the same status and body, the
/// same work), proves the mailbox before the account works (a link that activates once), and
/// is limited per client address.
#[tokio::test]
async fn registration_reveals_no_account_and_needs_the_mailbox() {
    use std::time::Duration;

    use kring::auth::types::Role;
    use serde_json::json;

    let (app, smtp) = crate::account_mail::app_with_mail().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let response = admin
        .put_json(
            "/api/v1/admin/registration",
            &json!({"enabled": true, "allowed_domains": ["kring.nl"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    app.create_user_with("taken@kring.nl", "Taken", &[]).await;
    let attempt = |email: &'static str| {
        let app = &app;
        async move {
            let response = app
                .browser()
                .post_json(
                    "/api/v1/register",
                    &json!({"email": email, "display_name": "Someone", "password": PASSWORD}),
                )
                .await;
            let status = response.status();
            (status, response.text().await.unwrap())
        }
    };
    let taken = attempt("taken@kring.nl").await;
    let new = attempt("newcomer@kring.nl").await;
    assert_eq!(taken.0, StatusCode::ACCEPTED, "{}", taken.1);
    assert_eq!(taken, new, "the same answer for a taken and a new address");

    // Not active before the mailbox is proven.
    let login = app
        .browser()
        .post_json(
            "/api/v1/session",
            &json!({"email": "newcomer@kring.nl", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);

    let mails = smtp.wait_for(2, Duration::from_secs(10)).await;
    let to = |address: &str| {
        mails
            .iter()
            .find(|m| m.header("To").contains(address))
            .unwrap_or_else(|| panic!("no mail to {address}"))
            .clone()
    };
    let owner = to("taken@kring.nl");
    assert!(
        owner
            .part("text/plain")
            .unwrap()
            .contains("/password/forgot"),
        "the owner is told and offered a reset"
    );
    let token = crate::account_mail::token_in(&to("newcomer@kring.nl"), "/register/verify/");

    // The link opens a page with a button (mail scanners follow links), which activates once.
    let browser = app.browser();
    let page = browser.get(&format!("/register/verify/{token}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let response = browser
        .post_form(&format!("/register/verify/{token}"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let me: serde_json::Value = browser.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["email"], "newcomer@kring.nl");
    let again = app.browser();
    let response = again
        .post_form(&format!("/register/verify/{token}"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        again.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let login = app
        .browser()
        .post_json(
            "/api/v1/session",
            &json!({"email": "newcomer@kring.nl", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status(), StatusCode::OK);

    // Probing many addresses from one client is cut off.
    let mut limited = false;
    for n in 0..20 {
        let response = app
            .browser()
            .post_json(
                "/api/v1/register",
                &json!({"email": format!("probe{n}@kring.nl"), "display_name": "P", "password": PASSWORD}),
            )
            .await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    assert!(limited, "registrations from one address are throttled");
}

// ---- Webhooks and internal addresses (SSRF) --------------------------------------------------

/// A receiver on loopback that counts connections and answers 500 with a body that must never
/// reach Kring's delivery log.
struct Snitch {
    port: u16,
    connections: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Snitch {
    async fn start() -> Self {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = connections.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 65536];
                    let _ = stream.read(&mut buf).await;
                    let body = "internal secret: the database password is hunter2";
                    let response = format!(
                        "HTTP/1.1 500 Internal Server Error\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                });
            }
        });
        Self { port, connections }
    }

    fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Webhook URLs cannot point into the company's network (cloud metadata, loopback services,
/// private ranges, numeric tricks) nor carry credentials; a name that resolves to such an
/// address is refused when a delivery is made, without connecting, until an admin allows its
/// range; and the delivery log keeps the status, never the receiver's answer.
#[tokio::test]
async fn webhooks_reach_internal_addresses_only_in_ranges_an_admin_allows() {
    use kring::auth::types::Role;
    use serde_json::{Value, json};

    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/hook",
        "http://0x7f000001/hook",
        "http://2130706433/hook",
        "http://10.0.0.1/hook",
        "http://172.16.5.4/hook",
        "http://192.168.1.1/hook",
        "http://127.0.0.1:5432/",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "https://user:secret@chat.example.com/hook",
        "https://token@chat.example.com/hook",
    ] {
        let response = admin
            .post_json(
                "/api/v1/webhooks",
                &json!({"event": "post_published", "url": url}),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{url} is refused"
        );
    }

    // A name that resolves to loopback: accepted as a URL, refused at delivery.
    let snitch = Snitch::start().await;
    let response = admin
        .post_json(
            "/api/v1/webhooks",
            &json!({"event": "post_published", "url": format!("http://localhost:{}/hook", snitch.port)}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let hook: Value = response.json().await.unwrap();
    let (author, _) = app.api_user(&[]).await;
    let post: Value = author
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Lunch talk", "body": "Friday."}),
        )
        .await
        .json()
        .await
        .unwrap();
    author
        .post_json(&format!("/api/v1/posts/{}/publish", post["id"]), &json!({}))
        .await;
    app.drain().await;
    assert_eq!(
        snitch.connections(),
        0,
        "no connection to a loopback address"
    );
    let deliveries = admin
        .get_json(&format!("/api/v1/webhooks/{}/deliveries", hook["id"]))
        .await;
    let delivery = &deliveries[0];
    assert!(
        delivery["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("not allowed"),
        "{delivery}"
    );

    // An admin allows loopback (an intranet receiver): delivered, and only the status is kept.
    let response = admin
        .put_json(
            "/api/v1/admin/webhook-networks",
            &json!({"allowed": ["127.0.0.0/8"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // The refused delivery is retried on its schedule (100 ms apart in tests).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while snitch.connections() == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        app.drain().await;
    }
    assert!(
        snitch.connections() > 0,
        "delivered once the range is allowed"
    );
    let deliveries = admin
        .get_json(&format!("/api/v1/webhooks/{}/deliveries", hook["id"]))
        .await;
    assert_eq!(deliveries[0]["last_status"], 500, "{deliveries}");
    assert!(
        !deliveries.to_string().contains("hunter2"),
        "the receiver's answer stays out of the log: {deliveries}"
    );
}

/// Names that resolve into private and link-local ranges (made to, so nothing leaves this
/// machine) are refused at delivery without a connection, and the log says why.
#[tokio::test]
async fn names_resolving_into_private_ranges_are_refused_without_connecting() {
    use kring::auth::types::Role;
    use serde_json::{Value, json};

    let app = spawn_app().await;
    let guard = &app.state.webhooks.guard;
    guard.pretend("intranet.example", vec!["10.1.2.3".parse().unwrap()]);
    guard.pretend("metadata.example", vec!["169.254.169.254".parse().unwrap()]);
    guard.pretend("v6.example", vec!["fd00::7".parse().unwrap()]);
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let mut hooks = Vec::new();
    for host in ["intranet.example", "metadata.example", "v6.example"] {
        let response = admin
            .post_json(
                "/api/v1/webhooks",
                &json!({"event": "post_published", "url": format!("http://{host}:8080/hook")}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        hooks.push(response.json::<Value>().await.unwrap());
    }
    let (author, _) = app.api_user(&[]).await;
    let post: Value = author
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Quarterly numbers", "body": "Up."}),
        )
        .await
        .json()
        .await
        .unwrap();
    author
        .post_json(&format!("/api/v1/posts/{}/publish", post["id"]), &json!({}))
        .await;
    let started = std::time::Instant::now();
    app.drain().await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "refused without waiting for a connection"
    );
    for hook in hooks {
        // The server's own webhook lane may have claimed a delivery just before the drain
        // (then the drain leaves it to the lane): wait for its outcome.
        let path = format!("/api/v1/webhooks/{}/deliveries", hook["id"]);
        let mut deliveries = admin.get_json(&path).await;
        for _ in 0..50 {
            if !deliveries[0]["last_error"].is_null() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            app.drain().await;
            deliveries = admin.get_json(&path).await;
        }
        let error = deliveries[0]["last_error"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(error.contains("not allowed"), "{}: {error}", hook["url"]);
        assert!(deliveries[0]["last_status"].is_null());
    }
}

// ---- A password reset ends everything --------------------------------------------------------

/// A reset by email means the account may have been taken: every session and every API token
/// stops working at once.
#[tokio::test]
async fn a_password_reset_ends_every_session_and_token() {
    use serde_json::json;

    let (app, smtp) = crate::account_mail::app_with_mail().await;
    let (browser, user) = app.login_as(&[]).await;
    let api = app.client_for(user.id).await;
    assert_eq!(api.get("/api/v1/me").await.status(), StatusCode::OK);
    assert_eq!(browser.get("/api/v1/me").await.status(), StatusCode::OK);

    let token = crate::account_mail::reset_token(&app, &smtp, &user.email).await;
    let response = app
        .browser()
        .post_json(
            "/api/v1/password/reset",
            &json!({"token": token, "password": "a completely new passphrase 7"}),
        )
        .await;
    assert!(response.status().is_success(), "{}", response.status());

    assert_eq!(
        api.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "the old API token is refused"
    );
    assert_eq!(
        browser.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "the old session is refused"
    );
}

// ---- Weak passwords --------------------------------------------------------------------------

/// Passwords a guesser tries first (repeats, sequences, the address itself) are refused on
/// every path that sets one, with a reason.
#[tokio::test]
async fn weak_passwords_are_refused_on_every_path() {
    use kring::auth::types::Role;
    use serde_json::{Value, json};

    fn refused(path: &str, status: StatusCode, body: &Value) {
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(body["error"]["field"], "password", "{path}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("guess"), "{path} explains: {message}");
    }
    async fn json_of(response: reqwest::Response) -> (StatusCode, Value) {
        let status = response.status();
        (status, response.json().await.unwrap_or_default())
    }
    let weak = |email: &str| {
        vec![
            "aaaaaaaaaa".to_owned(),
            "1234567890".to_owned(),
            email.to_owned(),
        ]
    };

    // Setup, on an empty installation.
    let (app, smtp) = crate::account_mail::app_with_mail().await;
    for password in weak("root@kring.nl") {
        let (status, body) = json_of(
            app.browser()
                .post_json(
                    "/api/v1/setup",
                    &json!({"email": "root@kring.nl", "display_name": "Root", "password": password}),
                )
                .await,
        )
        .await;
        refused("setup", status, &body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);

    let (admin, _) = app.api_user(&[Role::Admin]).await;
    // An admin creating an account.
    for password in weak("new@kring.nl") {
        let (status, body) = json_of(
            admin
                .post_json(
                    "/api/v1/admin/users",
                    &json!({"email": "new@kring.nl", "display_name": "New", "password": password}),
                )
                .await,
        )
        .await;
        refused("admin create", status, &body);
    }
    // Registration.
    admin
        .put_json(
            "/api/v1/admin/registration",
            &json!({"enabled": true, "allowed_domains": ["kring.nl"]}),
        )
        .await;
    for password in weak("self@kring.nl") {
        let (status, body) = json_of(
            app.browser()
                .post_json(
                    "/api/v1/register",
                    &json!({"email": "self@kring.nl", "display_name": "Self", "password": password}),
                )
                .await,
        )
        .await;
        refused("registration", status, &body);
    }
    // Changing one's own password.
    let (browser, user) = app.login_as(&[]).await;
    for password in weak(&user.email) {
        let (status, body) = json_of(
            browser
                .put_json(
                    "/api/v1/me/password",
                    &json!({"current_password": PASSWORD, "new_password": password}),
                )
                .await,
        )
        .await;
        refused("change", status, &body);
    }
    // A reset link.
    let token = crate::account_mail::reset_token(&app, &smtp, &user.email).await;
    for password in weak(&user.email) {
        let (status, body) = json_of(
            app.browser()
                .post_json(
                    "/api/v1/password/reset",
                    &json!({"token": token, "password": password}),
                )
                .await,
        )
        .await;
        refused("reset", status, &body);
    }
    // An invitation.
    let before = smtp.received().len();
    let response = admin
        .post_json(
            "/api/v1/admin/invitations",
            &json!({"email": "invitee@kring.nl", "display_name": "Invitee"}),
        )
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    let mails = smtp
        .wait_for(before + 1, std::time::Duration::from_secs(10))
        .await;
    let invitation = mails
        .iter()
        .find(|m| m.header("To").contains("invitee@kring.nl"))
        .expect("the invitation");
    let token = crate::account_mail::token_in(invitation, "/invitations/");
    for password in weak("invitee@kring.nl") {
        let (status, body) = json_of(
            app.browser()
                .post_json(
                    "/api/v1/invitations/accept",
                    &json!({"token": token, "password": password}),
                )
                .await,
        )
        .await;
        refused("invitation", status, &body);
    }
    // The command line.
    let mut command = crate::process::command(&app.database_url, &app.data_dir);
    command.args([
        "create-user",
        "--email",
        "cli@kring.nl",
        "--name",
        "Cli",
        "--password-stdin",
    ]);
    let output = crate::process::run(command, "1234567890\n");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("guess"), "{stderr}");
}

// ---- Caching -----------------------------------------------------------------------------------

/// What a logged-in person sees stays out of shared and browser caches (a shared computer's
/// back button, a proxy); static assets keep their long caching.
#[tokio::test]
async fn authenticated_responses_are_not_stored_and_assets_are_cached() {
    use kring::auth::types::Role;

    let app = spawn_app().await;
    let (browser, user) = app
        .login_as(&[Role::Admin, Role::SocialTeam, Role::Editor])
        .await;
    let api = app.client_for(user.id).await;
    let pages = [
        "/",
        "/questions",
        "/blog",
        "/blog/feed.atom",
        "/people",
        &format!("/people/{}", user.id),
        "/search?q=x",
        "/notifications",
        "/leaderboard",
        "/kpis",
        "/admin/users",
        "/admin/webhooks",
        "/account",
        "/settings/notifications",
        "/no-such-page",
    ];
    for path in pages {
        let response = browser.get(path).await;
        let cache = response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            cache.contains("no-store"),
            "{path}: {} {cache:?}",
            response.status()
        );
    }
    for path in [
        "/api/v1/me",
        "/api/v1/questions",
        "/api/v1/search?q=x",
        "/api/v1/notifications",
    ] {
        let response = api.get(path).await;
        let cache = response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(cache.contains("no-store"), "{path}: {cache:?}");
    }
    let response = browser.get("/assets/css/kring.css").await;
    assert_eq!(response.status(), StatusCode::OK);
    let cache = response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cache.contains("max-age") && !cache.contains("no-store"),
        "{cache}"
    );
}
