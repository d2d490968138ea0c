//! The statement budget (issue 25): every GET route of the route registry reads what it shows
//! in a small, fixed number of database statements, whatever it shows. Each route is called on
//! two communities that differ only in size (1 and 20 answers, comments, tags, authors, votes,
//! likes, followers, notifications…); the count must be the same on both and within
//! [`BUDGET`], on SQLite and on PostgreSQL (`KRING_TEST_DATABASE_URL`).
use std::collections::BTreeMap;

use kring::{
    auth::types::Role,
    startup::route_registry,
    web::{
        routes::{Kind, RouteInfo},
        statements::{HEADER, ROUTE_HEADER},
    },
};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ApiClient, Browser, TestApp, png, spawn_app};

/// The most statements any read may run, the session or token and its user included.
const BUDGET: u64 = 5;

/// A seeded community and the concrete path of every parameterised GET route in it.
struct Community {
    /// Admin, social team and editor at once: sees every page (HTML, by session).
    browser: Browser,
    /// The same person by API token (JSON).
    api: ApiClient,
    /// SCIM, by provisioning token.
    scim: ApiClient,
    paths: BTreeMap<&'static str, String>,
}

async fn created(response: Response) -> Value {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

fn id(value: &Value) -> i64 {
    value["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {value}"))
}

/// Seeds a community of `n` (answers, comments, tags, authors, …) through the API.
async fn seed(app: &TestApp, n: usize) -> Community {
    let roles = [Role::Admin, Role::SocialTeam, Role::Editor];
    let (browser, viewer) = app.login_as(&roles).await;
    let api = app.client_for(viewer.id).await;
    app.make_leadership(viewer.id).await;
    let tags: Vec<String> = (0..n).map(|i| format!("topic{i}")).collect();
    for tag in &tags {
        app.exec(&format!(
            "INSERT INTO tags (name, created_at) VALUES ('{tag}', CURRENT_TIMESTAMP)"
        ))
        .await;
    }
    let some_tags: Vec<&String> = tags.iter().take(5).collect();
    // The viewer follows three tags at both sizes, so the home page's first-run checklist takes
    // the same branch (it offers tags to follow below three).
    for tag in ["onboarding", "travel", "tips"] {
        app.exec(&format!(
            "INSERT INTO tags (name, created_at) VALUES ('{tag}', CURRENT_TIMESTAMP)"
        ))
        .await;
        api.post_json(&format!("/api/v1/tags/{tag}/follow"), &json!({}))
            .await;
    }

    // The viewer asks and blogs; the authors answer, comment, vote, like and follow.
    let question = created(
        api.post_json(
            "/api/v1/questions",
            &json!({"title": "How do expense reports for train tickets work?",
                    "body": "Which form, and do I need the **original**?",
                    "tags": some_tags, "language": "en"}),
        )
        .await,
    )
    .await;
    let qid = id(&question);
    let post = created(
        api.post_json(
            "/api/v1/posts",
            &json!({"title": "Five tips for expense reports", "body": "Keep every **receipt**.",
                    "tags": some_tags, "language": "en"}),
        )
        .await,
    )
    .await;
    let post_id = id(&post);
    let post = created(
        api.post_json(&format!("/api/v1/posts/{post_id}/publish"), &json!({}))
            .await,
    )
    .await;
    let space = created(
        api.post_json(
            "/api/v1/spaces",
            &json!({"name": "Finance circle", "kind": "open", "description": "Numbers."}),
        )
        .await,
    )
    .await;
    let space_id = id(&space);
    let department = created(
        api.post_json("/api/v1/departments", &json!({"name": "Finance"}))
            .await,
    )
    .await;

    let mut first = None;
    let mut answer_ids = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        let (author, user) = app.api_user(&[]).await;
        first.get_or_insert(user.id);
        author
            .patch_json(
                "/api/v1/me/profile",
                &json!({"job_title": "Controller", "department_id": id(&department),
                        "location": "Utrecht", "expertise": [tag]}),
            )
            .await;
        let answer = created(
            author
                .post_json(
                    &format!("/api/v1/questions/{qid}/answers"),
                    &json!({"body": format!("Answer {i}: use the **Expenses** app.")}),
                )
                .await,
        )
        .await;
        answer_ids.push(id(&answer));
        created(
            author
                .post_json(
                    "/api/v1/questions",
                    &json!({"title": format!("Question number {i} about the topic"),
                            "body": "Some words to ask with.", "tags": [tag], "language": "en"}),
                )
                .await,
        )
        .await;
        for path in [
            format!("/api/v1/questions/{qid}/comments"),
            format!("/api/v1/answers/{}/comments", answer_ids[0]),
            format!("/api/v1/posts/{post_id}/comments"),
        ] {
            created(
                author
                    .post_json(&path, &json!({"body": "Thanks, that helps."}))
                    .await,
            )
            .await;
        }
        let mut votes = vec![format!("/api/v1/questions/{qid}/vote")];
        if i > 0 {
            votes.push(format!("/api/v1/answers/{}/vote", answer_ids[0]));
        }
        for path in votes {
            created(author.post_json(&path, &json!({"value": 1})).await).await;
        }
        created(
            author
                .post_json(&format!("/api/v1/posts/{post_id}/like"), &json!({}))
                .await,
        )
        .await;
        author
            .post_json(&format!("/api/v1/tags/{tag}/follow"), &json!({}))
            .await;
        author
            .post_json(&format!("/api/v1/people/{}/follow", viewer.id), &json!({}))
            .await;
        api.post_json(&format!("/api/v1/people/{}/follow", user.id), &json!({}))
            .await;
        author
            .post_json(&format!("/api/v1/spaces/{space_id}/join"), &json!({}))
            .await;
        created(
            api.post_json(
                "/api/v1/nominations",
                &json!({"user_id": user.id, "month": chrono::Utc::now().format("%Y-%m").to_string(),
                        "reason": "Answers every expense question."}),
            )
            .await,
        )
        .await;
    }
    let author = first.unwrap();
    created(
        api.post_json(
            &format!("/api/v1/answers/{}/accept", answer_ids[0]),
            &json!({}),
        )
        .await,
    )
    .await;
    // Revisions of each kind, and a comment of the viewer's own.
    api.patch_json(
        &format!("/api/v1/questions/{qid}"),
        &json!({"body": "Which form, and do I need the **original ticket**?"}),
    )
    .await;
    api.patch_json(
        &format!("/api/v1/answers/{}", answer_ids[0]),
        &json!({"body": "Use the **Expenses** app, section Travel."}),
    )
    .await;
    api.patch_json(
        &format!("/api/v1/posts/{post_id}"),
        &json!({"body": "Keep every **receipt**, always."}),
    )
    .await;
    let comment = created(
        api.post_json(
            &format!("/api/v1/posts/{post_id}/comments"),
            &json!({"body": "Tip two is the best."}),
        )
        .await,
    )
    .await;
    // A photo, a webhook with its deliveries, a provisioning token and a group.
    let response = browser
        .post_multipart(
            &format!("/people/{}/photo", viewer.id),
            "file",
            "me.png",
            png(96, 96),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let me = api.get_json(&format!("/api/v1/people/{}", viewer.id)).await;
    let photo = me["photo_url"].as_str().unwrap().to_owned();
    api.put_json(
        "/api/v1/admin/webhook-networks",
        &json!({"allowed": ["127.0.0.0/8"]}),
    )
    .await;
    let webhook = created(
        api.post_json(
            "/api/v1/webhooks",
            &json!({"event": "post_published", "url": "http://127.0.0.1:9/hook"}),
        )
        .await,
    )
    .await;
    let token = created(
        api.post_json("/api/v1/admin/scim-tokens", &json!({"name": "Entra ID"}))
            .await,
    )
    .await;
    let scim = ApiClient::new(app, token["token"].as_str().unwrap());
    let group = created(
        scim.post_json(
            "/scim/v2/Groups",
            &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                    "displayName": "Finance"}),
        )
        .await,
    )
    .await;
    app.drain().await;

    let question_url = api.get_json(&format!("/api/v1/questions/{qid}")).await["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let slug = space["slug"].as_str().unwrap().to_owned();
    let tag = tags[0].clone();
    let paths = BTreeMap::from([
        ("/uploads/{folder}/{name}", photo),
        (
            "/register/verify/{token}",
            "/register/verify/unknown".into(),
        ),
        ("/password/reset/{token}", "/password/reset/unknown".into()),
        ("/invitations/{token}", "/invitations/unknown".into()),
        (
            "/unsubscribe/{user}/{category}/{signature}",
            format!("/unsubscribe/{author}/answers/unknown"),
        ),
        ("/admin/users/{id}", format!("/admin/users/{author}")),
        ("/tags/{name}/feed.atom", format!("/tags/{tag}/feed.atom")),
        (
            "/blog/authors/{id}/feed.atom",
            format!("/blog/authors/{}/feed.atom", viewer.id),
        ),
        (
            "/questions/tagged/{name}",
            format!("/questions/tagged/{tag}"),
        ),
        ("/questions/{id}/edit", format!("/questions/{qid}/edit")),
        (
            "/questions/{id}/revisions",
            format!("/questions/{qid}/revisions"),
        ),
        ("/questions/{id}", format!("/questions/{qid}")),
        ("/questions/{id}/{slug}", question_url),
        (
            "/answers/{id}/edit",
            format!("/answers/{}/edit", answer_ids[0]),
        ),
        (
            "/answers/{id}/revisions",
            format!("/answers/{}/revisions", answer_ids[0]),
        ),
        ("/people/{id}", format!("/people/{author}")),
        ("/people/{id}/edit", format!("/people/{author}/edit")),
        ("/spaces/{slug}", format!("/spaces/{slug}")),
        ("/spaces/{slug}/members", format!("/spaces/{slug}/members")),
        ("/kpis/export/{table}", "/kpis/export/weekly.csv".into()),
        ("/blog/authors/{id}", format!("/blog/authors/{}", viewer.id)),
        (
            "/blog/posts/{id}/edit",
            format!("/blog/posts/{post_id}/edit"),
        ),
        (
            "/blog/posts/{id}/revisions",
            format!("/blog/posts/{post_id}/revisions"),
        ),
        (
            "/blog/comments/{id}/edit",
            format!("/blog/comments/{}/edit", id(&comment)),
        ),
        ("/tags/{name}", format!("/tags/{tag}")),
        ("/blog/{slug}", post["url"].as_str().unwrap().to_owned()),
        (
            "/api/v1/admin/users/{id}",
            format!("/api/v1/admin/users/{author}"),
        ),
        ("/api/v1/spaces/{id}", format!("/api/v1/spaces/{space_id}")),
        (
            "/api/v1/spaces/{id}/members",
            format!("/api/v1/spaces/{space_id}/members"),
        ),
        ("/api/v1/posts/{id}", format!("/api/v1/posts/{post_id}")),
        (
            "/api/v1/posts/{id}/revisions",
            format!("/api/v1/posts/{post_id}/revisions"),
        ),
        (
            "/api/v1/posts/{id}/comments",
            format!("/api/v1/posts/{post_id}/comments"),
        ),
        ("/api/v1/questions/{id}", format!("/api/v1/questions/{qid}")),
        (
            "/api/v1/questions/{id}/revisions",
            format!("/api/v1/questions/{qid}/revisions"),
        ),
        (
            "/api/v1/answers/{id}",
            format!("/api/v1/answers/{}", answer_ids[0]),
        ),
        (
            "/api/v1/answers/{id}/revisions",
            format!("/api/v1/answers/{}/revisions", answer_ids[0]),
        ),
        ("/api/v1/tags/{name}", format!("/api/v1/tags/{tag}")),
        ("/api/v1/people/{id}", format!("/api/v1/people/{author}")),
        (
            "/api/v1/people/{id}/points",
            format!("/api/v1/people/{author}/points"),
        ),
        (
            "/api/v1/people/{id}/badges",
            format!("/api/v1/people/{author}/badges"),
        ),
        (
            "/api/v1/webhooks/{id}/deliveries",
            format!("/api/v1/webhooks/{}/deliveries", id(&webhook)),
        ),
        (
            "/scim/v2/ResourceTypes/{name}",
            "/scim/v2/ResourceTypes/User".into(),
        ),
        (
            "/scim/v2/Schemas/{id}",
            "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User".into(),
        ),
        ("/scim/v2/Users/{id}", format!("/scim/v2/Users/{author}")),
        (
            "/scim/v2/Groups/{id}",
            format!("/scim/v2/Groups/{}", group["id"].as_str().unwrap()),
        ),
    ]);
    Community {
        browser,
        api,
        scim,
        paths,
    }
}

/// Query strings that make a route show what it is for.
fn query(pattern: &str) -> &'static str {
    match pattern {
        "/search" | "/api/v1/search" => "?q=expense",
        "/api/v1/search/suggest" => "?q=exp",
        "/api/v1/questions/similar" => "?title=expense+reports+for+train+tickets",
        "/api/v1/experts" | "/people/experts" => "?topic=topic0",
        _ => "",
    }
}

/// What one route cost: its status and statements.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct Cost {
    status: u16,
    statements: u64,
}

async fn cost(community: &Community, route: &RouteInfo) -> Cost {
    let path = match community.paths.get(route.path.as_str()) {
        Some(path) => path.clone(),
        None => {
            assert!(
                !route.path.contains('{'),
                "{} has no concrete path in the seeded community",
                route.path
            );
            route.path.clone()
        }
    };
    let path = format!("{path}{}", query(&route.path));
    // The second call is the one counted: a process-wide cache filled once (settings, the
    // language resources) is not a per-request cost.
    let mut last = None;
    for _ in 0..2 {
        let response = match route.kind {
            Kind::Json => community.api.get(&path).await,
            Kind::Scim => community.scim.get(&path).await,
            _ => community.browser.get(&path).await,
        };
        let served = response.headers().get(ROUTE_HEADER).cloned();
        assert_eq!(
            served.as_ref().and_then(|v| v.to_str().ok()),
            Some(route.path.as_str()),
            "GET {path} was not served by its route"
        );
        let statements = response
            .headers()
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("GET {path}: no {HEADER}"));
        last = Some(Cost {
            status: response.status().as_u16(),
            statements,
        });
    }
    last.unwrap()
}

/// Acceptance item 1: every GET route within budget, and the same at both sizes.
#[tokio::test]
async fn every_read_runs_a_fixed_small_number_of_statements() {
    let routes: Vec<RouteInfo> = route_registry()
        .into_iter()
        .filter(|r| r.method.as_str() == "GET" && r.kind != Kind::Asset)
        .collect();
    let mut costs: BTreeMap<String, Vec<Cost>> = BTreeMap::new();
    for n in [1, 20] {
        let app = spawn_app().await;
        let community = seed(&app, n).await;
        for route in &routes {
            let cost = cost(&community, route).await;
            costs.entry(route.path.clone()).or_default().push(cost);
        }
    }
    let mut table = Vec::new();
    let mut wrong = Vec::new();
    for (path, costs) in &costs {
        let [small, large] = costs[..] else {
            unreachable!()
        };
        table.push(format!(
            "{:>3} {:>3}  {:>3} {:>3}  {path}",
            small.statements, large.statements, small.status, large.status
        ));
        if small.statements != large.statements {
            wrong.push(format!(
                "{path}: {} statements with 1, {} with 20",
                small.statements, large.statements
            ));
        }
        let most = large.statements.max(small.statements);
        if most > BUDGET {
            wrong.push(format!(
                "{path}: {most} statements, over the budget of {BUDGET}"
            ));
        }
        if small.status >= 500 || large.status >= 500 || small.status != large.status {
            wrong.push(format!(
                "{path}: answered {} and {}",
                small.status, large.status
            ));
        }
    }
    println!("  n=1 n=20  status  route\n{}", table.join("\n"));
    assert!(
        wrong.is_empty(),
        "{} of {} routes:\n{}\n\nall:\n{}",
        wrong.len(),
        costs.len(),
        wrong.join("\n"),
        table.join("\n")
    );
}
