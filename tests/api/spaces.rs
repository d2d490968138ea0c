//! Spaces: the API contract (create, join, request, approve, leave, members) and the boundary.
//! The authorization matrix walks every GET route of the route registry as a colleague who is
//! in neither space, with every id of the content in a closed and a secret space, and checks
//! that no title, body, tag page entry, space name (secret) or snippet of it comes back.
use kring::{auth::types::Role, startup::route_registry, web::routes::Kind};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{ApiClient, TestApp, TestUser, spawn_app};

async fn create_space(admin: &ApiClient, name: &str, kind: &str) -> Value {
    let response = admin
        .post_json(
            "/api/v1/spaces",
            &json!({"name": name, "kind": kind, "description": "d"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "{kind}");
    response.json().await.unwrap()
}

async fn put_member(by: &ApiClient, space: i64, user: i64, role: &str) -> StatusCode {
    by.put_json(
        &format!("/api/v1/spaces/{space}/members/{user}"),
        &json!({"role": role}),
    )
    .await
    .status()
}

#[tokio::test]
async fn spaces_are_created_joined_requested_approved_and_left() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (anna, anna_user) = app.api_user(&[]).await;
    let (bob, bob_user) = app.api_user(&[]).await;

    // Only admins and the social team create spaces; bad input is refused.
    let response = anna
        .post_json("/api/v1/spaces", &json!({"name": "x", "kind": "open"}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    for bad in [
        json!({"name": " ", "kind": "open"}),
        json!({"name": "x", "kind": "public"}),
    ] {
        let response = admin.post_json("/api/v1/spaces", &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let open = create_space(&admin, "Nederland", "open").await;
    let closed = create_space(&admin, "Works council", "closed").await;
    let secret = create_space(&admin, "Project Kestrel", "secret").await;
    assert_eq!(open["slug"], "nederland");
    let (open_id, closed_id, secret_id) = (
        open["id"].as_i64().unwrap(),
        closed["id"].as_i64().unwrap(),
        secret["id"].as_i64().unwrap(),
    );

    // The directory: a secret space is invisible to non-members, everywhere.
    let listed = anna.get_json("/api/v1/spaces").await;
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Nederland", "Works council"]);
    for path in [
        format!("/api/v1/spaces/{secret_id}"),
        "/api/v1/spaces/project-kestrel".into(),
        format!("/api/v1/spaces/{secret_id}/members"),
    ] {
        assert_eq!(
            anna.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let response = anna
        .post_json(&format!("/api/v1/spaces/{secret_id}/join"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // Open: joined at once. Closed: a request, approved by a moderator.
    let joined: Value = anna
        .post_json(&format!("/api/v1/spaces/{open_id}/join"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(joined["my_role"], "member");
    let requested: Value = anna
        .post_json(&format!("/api/v1/spaces/{closed_id}/join"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(requested["my_role"], Value::Null);
    assert_eq!(requested["requested"], true);
    // A member may not approve; the moderator (the creator) may.
    assert_eq!(
        put_member(&bob, closed_id, anna_user.id, "member").await,
        StatusCode::FORBIDDEN
    );
    let members = admin
        .get_json(&format!("/api/v1/spaces/{closed_id}/members"))
        .await;
    assert!(
        members
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["user_id"] == anna_user.id && m["state"] == "requested")
    );
    assert_eq!(
        put_member(&admin, closed_id, anna_user.id, "member").await,
        StatusCode::OK
    );
    let space = anna.get_json(&format!("/api/v1/spaces/{closed_id}")).await;
    assert_eq!(space["my_role"], "member");
    assert_eq!(space["member_count"], 2);

    // Secret: members are added; then the space exists for them.
    assert_eq!(
        put_member(&admin, secret_id, bob_user.id, "moderator").await,
        StatusCode::OK
    );
    assert_eq!(
        bob.get(&format!("/api/v1/spaces/{secret_id}"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        put_member(&bob, secret_id, anna_user.id, "member").await,
        StatusCode::OK
    );
    let response = anna
        .delete(&format!(
            "/api/v1/spaces/{secret_id}/members/{}",
            bob_user.id
        ))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "a member does not remove others"
    );

    // Leaving; the last moderator stays until another is named.
    let response = anna
        .post_json(&format!("/api/v1/spaces/{secret_id}/leave"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        anna.get(&format!("/api/v1/spaces/{secret_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let admin_id = admin.get_json("/api/v1/me").await["id"].as_i64().unwrap();
    let response = admin
        .delete(&format!("/api/v1/spaces/{secret_id}/members/{admin_id}"))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::NO_CONTENT,
        "bob is still a moderator"
    );
    let response = bob
        .post_json(&format!("/api/v1/spaces/{secret_id}/leave"), &json!({}))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::NO_CONTENT,
        "the space is empty now"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'space.%'")
            .await,
        11
    );
}

/// Markers of the content in one space: every word is unique to that piece of content.
struct Planted {
    space: i64,
    words: Vec<String>,
    ids: Vec<i64>,
    slugs: Vec<String>,
    tag: String,
}

async fn plant(
    app: &TestApp,
    admin: &ApiClient,
    author: (&ApiClient, &TestUser),
    kind: &str,
) -> Planted {
    let space = create_space(admin, &format!("Zqx{kind}spacename"), kind).await;
    let id = space["id"].as_i64().unwrap();
    assert_eq!(
        put_member(admin, id, author.1.id, "member").await,
        StatusCode::OK
    );
    let (client, _) = author;
    let w = |what: &str| format!("zqx{kind}{what}");
    let tag = format!("zqx{kind}tag");
    sqlx_free_tag(app, &tag).await;
    let post = client
        .post_json(
            "/api/v1/posts",
            &json!({"title": format!("Post {}", w("posttitle")),
            "body": format!("Body {}", w("postbody")), "tags": [tag], "space_id": id}),
        )
        .await;
    assert_eq!(post.status(), StatusCode::CREATED);
    let post: Value = post.json().await.unwrap();
    let post_id = post["id"].as_i64().unwrap();
    let published = client
        .post_json(&format!("/api/v1/posts/{post_id}/publish"), &json!({}))
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    let published: Value = published.json().await.unwrap();
    let comment: Value = client
        .post_json(
            &format!("/api/v1/posts/{post_id}/comments"),
            &json!({"body": format!("Comment {}", w("postcomment"))}),
        )
        .await
        .json()
        .await
        .unwrap();
    let question = client
        .post_json(
            "/api/v1/questions",
            &json!({"title": format!("How about {} here", w("questiontitle")),
            "body": format!("Question {}", w("questionbody")), "tags": [tag], "space_id": id}),
        )
        .await;
    assert_eq!(question.status(), StatusCode::CREATED);
    let question: Value = question.json().await.unwrap();
    let question_id = question["id"].as_i64().unwrap();
    let answer: Value = client
        .post_json(
            &format!("/api/v1/questions/{question_id}/answers"),
            &json!({"body": format!("Answer {}", w("answerbody"))}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.drain().await;
    let mut words = vec![
        w("posttitle"),
        w("postbody"),
        w("postcomment"),
        w("questiontitle"),
        w("questionbody"),
        w("answerbody"),
    ];
    if kind == "secret" {
        words.push(w("spacename"));
    }
    Planted {
        space: id,
        words,
        ids: vec![
            post_id,
            question_id,
            answer["id"].as_i64().unwrap_or(0),
            comment["id"].as_i64().unwrap_or(0),
        ],
        slugs: vec![
            published["slug"].as_str().unwrap_or("x").to_owned(),
            format!("how-about-{}-here", w("questiontitle")),
        ],
        tag,
    }
}

/// Tags are opened by the social team; make this one exist.
async fn sqlx_free_tag(app: &TestApp, tag: &str) {
    kring::tags::ensure(app.db(), &[tag.to_owned()])
        .await
        .unwrap();
}

/// Every concrete path of a registry pattern with the planted ids, slugs and tags.
fn concrete(pattern: &str, planted: &[&Planted], people: &[i64]) -> Vec<String> {
    let mut ids: Vec<i64> = planted
        .iter()
        .flat_map(|p| p.ids.iter().copied().chain([p.space]))
        .collect();
    ids.extend(people);
    let slugs: Vec<String> = planted.iter().flat_map(|p| p.slugs.clone()).collect();
    let tags: Vec<String> = planted.iter().map(|p| p.tag.clone()).collect();
    let mut out = vec![pattern.to_owned()];
    for (param, values) in [
        (
            "{id}",
            ids.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ),
        ("{slug}", slugs.clone()),
        ("{name}", tags.clone()),
        ("{token}", vec!["x".into()]),
        ("{table}", vec!["participation".into()]),
        ("{folder}", vec!["x".into()]),
    ] {
        out = out
            .into_iter()
            .flat_map(|p| {
                if p.contains(param) {
                    values.iter().map(|v| p.replacen(param, v, 1)).collect()
                } else {
                    vec![p]
                }
            })
            .collect();
    }
    out
}

/// Acceptance 1: the authorization matrix.
#[tokio::test]
async fn no_get_route_shows_closed_or_secret_content_to_a_non_member() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let author = app.api_user(&[]).await;
    // The outsider follows the author and both tags before anything is posted: the following
    // feed and the notifications are read paths too.
    let (outsider_browser, outsider) = app.login_as(&[]).await;
    let outsider_api = app.client_for(outsider.id).await;
    for tag in ["zqxclosedtag", "zqxsecrettag"] {
        sqlx_free_tag(&app, tag).await;
        let response = outsider_api
            .post_json(&format!("/api/v1/tags/{tag}/follow"), &json!({}))
            .await;
        assert!(
            response.status().is_success(),
            "follow {tag}: {}",
            response.status()
        );
    }
    let response = outsider_api
        .post_json(
            &format!("/api/v1/people/{}/follow", author.1.id),
            &json!({}),
        )
        .await;
    assert!(response.status().is_success());
    let closed = plant(&app, &admin, (&author.0, &author.1), "closed").await;
    let secret = plant(&app, &admin, (&author.0, &author.1), "secret").await;
    let member = app.api_user(&[]).await;
    assert_eq!(
        put_member(&admin, closed.space, member.1.id, "member").await,
        StatusCode::OK
    );

    // The member sees the closed space's content where the outsider does not.
    let response = member
        .0
        .get(&format!("/api/v1/questions/{}", closed.ids[1]))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains(&closed.words[3]));

    let words: Vec<&String> = closed.words.iter().chain(&secret.words).collect();
    let (leaks, checked) = scan(
        &outsider_browser,
        &outsider_api,
        &words,
        &[&closed, &secret],
        &[author.1.id],
    )
    .await;
    assert!(checked > 500, "{checked} requests");
    // Counts too: a tag used only inside the spaces has no questions for the outsider.
    for tag in ["zqxclosedtag", "zqxsecrettag"] {
        let view = outsider_api.get_json(&format!("/api/v1/tags/{tag}")).await;
        assert_eq!(view["question_count"], 0, "{tag}: {view}");
        let view = member.0.get_json(&format!("/api/v1/tags/{tag}")).await;
        let expected = if tag == "zqxclosedtag" { 1 } else { 0 };
        assert_eq!(
            view["question_count"], expected,
            "{tag} for a member of the closed space"
        );
    }
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}

/// Acceptance 3: notifications, email (over a real SMTP listener), digests, webhooks (a real
/// receiver) and Atom feeds never carry a closed space's content to non-members; members hear
/// of it as usual.
#[tokio::test]
async fn notifications_mail_digests_webhooks_and_feeds_stay_inside_the_space() {
    let smtp = crate::smtp::SmtpServer::start().await;
    let url = smtp.url();
    let app = crate::helpers::spawn_app_with(move |s| s.smtp_url = Some(url)).await;
    let receiver = crate::webhooks::Receiver::start(0).await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    crate::webhooks::create_webhook(&admin, "question_asked", &receiver.url("/asked")).await;
    crate::webhooks::create_webhook(&admin, "post_published", &receiver.url("/published")).await;
    let (author, author_user) = app.api_user(&[]).await;
    let (_, member) = app.api_user(&[]).await;
    let (_, outsider) = app.api_user(&[]).await;
    let space = create_space(&admin, "Works council", "closed").await["id"]
        .as_i64()
        .unwrap();
    for id in [author_user.id, member.id] {
        assert_eq!(
            put_member(&admin, space, id, "member").await,
            StatusCode::OK
        );
    }
    // A webhook scoped to the space (a team's own channel) receives its content.
    let response = admin
        .post_json(
            "/api/v1/webhooks",
            &json!({"event": "question_asked",
            "url": receiver.url("/space-asked"), "space_id": space}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let handle = |email: &str| format!("@{}", email.split('@').next().unwrap());
    sqlx_free_tag(&app, "zqxwctag").await;
    let outsider_client = app.client_for(outsider.id).await;
    let response = outsider_client
        .post_json("/api/v1/tags/zqxwctag/follow", &json!({}))
        .await;
    assert!(response.status().is_success());

    // Inside the space: a question and a post that mention a member and an outsider.
    let mentions = format!("{} and {}", handle(&member.email), handle(&outsider.email));
    let response = author
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Zqxwcquestion about the reorganisation",
            "body": format!("What do {mentions} think?"), "tags": ["zqxwctag"], "space_id": space}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let post: Value = author
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Zqxwcpost minutes", "body": format!("For {mentions}."),
            "tags": ["zqxwctag"], "space_id": space}),
        )
        .await
        .json()
        .await
        .unwrap();
    let published = author
        .post_json(&format!("/api/v1/posts/{}/publish", post["id"]), &json!({}))
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    // Company-wide, for comparison: this one reaches everyone.
    let response = author
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Zqxopenquestion for everyone",
            "body": format!("Hello {}", handle(&outsider.email)), "tags": ["zqxwctag"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    app.drain().await;
    let next_week = chrono::Utc::now() + chrono::Duration::days(8);
    kring::notify::digest::queue_due(app.db(), &app.state.digests_queued, next_week)
        .await
        .unwrap();
    app.drain().await;
    for _ in 0..40 {
        app.drain().await;
        if !receiver.hits().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    let member_notices = notices(&app, member.id).await;
    assert!(member_notices.contains("Zqxwcquestion"), "{member_notices}");
    let outsider_notices = notices(&app, outsider.id).await;
    assert!(
        outsider_notices.contains("Zqxopenquestion"),
        "{outsider_notices}"
    );
    assert!(!outsider_notices.contains("Zqxwc"), "{outsider_notices}");

    // Email: queued and sent over SMTP; nothing of the space to the outsider.
    let outbox: Vec<kring::entities::mail_outbox::Model> =
        kring::entities::mail_outbox::Entity::find()
            .filter(kring::entities::mail_outbox::Column::ToAddress.eq(outsider.email.clone()))
            .all(app.db())
            .await
            .unwrap();
    assert!(
        !outbox.is_empty(),
        "the outsider gets mail (the company-wide mention, the digest)"
    );
    for mail in &outbox {
        assert!(
            !mail.params.contains("Zqxwc"),
            "{}: {}",
            mail.template,
            mail.params
        );
    }
    for mail in smtp.received() {
        let text = mail.raw.clone();
        if mail.to.iter().any(|t| t.contains(&outsider.email)) {
            assert!(!text.contains("Zqxwc"), "{text}");
        }
    }

    // Webhooks: company-wide webhooks got the company-wide question and nothing of the space;
    // the space's webhook got the space's question and nothing else.
    for _ in 0..40 {
        app.drain().await;
        if receiver.hits().iter().any(|h| h.path == "/space-asked") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let bodies = |path: &str| -> Vec<String> {
        receiver
            .hits()
            .into_iter()
            .filter(|h| h.path == path)
            .map(|h| String::from_utf8_lossy(&h.body).to_string())
            .collect()
    };
    let company: Vec<String> = bodies("/asked")
        .into_iter()
        .chain(bodies("/published"))
        .collect();
    assert!(
        company.iter().any(|b| b.contains("Zqxopenquestion")),
        "{company:?}"
    );
    assert!(company.iter().all(|b| !b.contains("Zqxwc")), "{company:?}");
    let scoped = bodies("/space-asked");
    assert!(
        scoped.iter().any(|b| b.contains("Zqxwcquestion")),
        "{scoped:?}"
    );
    assert!(
        scoped.iter().all(|b| !b.contains("Zqxopenquestion")),
        "{scoped:?}"
    );

    // Atom feeds (read without signing in).
    for feed in [
        "/blog/feed.atom",
        "/tags/zqxwctag/feed.atom",
        &format!("/blog/authors/{}/feed.atom", author_user.id),
    ] {
        let body = reqwest::get(app.url(feed))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!body.contains("Zqxwc"), "{feed}: {body}");
    }
}

/// The titles of a person's notifications.
async fn notices(app: &TestApp, user: i64) -> String {
    let rows: Vec<String> = kring::entities::notifications::Entity::find()
        .filter(kring::entities::notifications::Column::UserId.eq(user))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.title)
        .collect();
    rows.join(" | ")
}

/// Every GET route of the registry (every planted id, slug and tag in its parameters, with and
/// without search-like queries) as this reader: the places where one of `words` shows, one line
/// per route and word; and how many requests were made.
async fn scan(
    browser: &crate::helpers::Browser,
    api: &ApiClient,
    words: &[&String],
    planted: &[&Planted],
    people: &[i64],
) -> (Vec<String>, usize) {
    // Searches by body words and prefixes find titles; a word the request itself carries (a
    // slug in the path, a query echoed in a search box) is not a leak.
    let queries = [
        "",
        "?q=zqxclosedquestionbody",
        "?q=zqxsecretpostbody&type=post",
        "?title=How+about+here",
        "?tag=zqxclosedtag",
        "?q=zqxsecretpo",
        "?q=zqxclosedqu",
    ];
    let mut leaks = Vec::new();
    let mut checked = 0;
    for route in route_registry() {
        if route.method.as_str() != "GET" || matches!(route.kind, Kind::Asset | Kind::Scim) {
            continue;
        }
        for path in concrete(&route.path, planted, people) {
            for query in queries {
                let url = format!("{path}{query}");
                let response = match route.kind {
                    Kind::Json => api.get(&url).await,
                    _ => browser.get(&url).await,
                };
                let status = response.status();
                let body = response.text().await.unwrap_or_default().to_lowercase();
                checked += 1;
                for word in words {
                    if body.contains(word.as_str()) && !url.contains(word.as_str()) {
                        leaks.push(format!(
                            "{} ({status}) shows {word}, e.g. {url}",
                            route.path
                        ));
                    }
                }
            }
        }
    }
    leaks.sort();
    leaks.dedup_by(|a, b| a.split(", e.g.").next() == b.split(", e.g.").next());
    (leaks, checked)
}

/// Acceptance 4: a question moved from a closed space to the company and back is, on the very
/// next request, on no read path of a non-member (search hits are checked against the database,
/// so the index's lag does not leak it).
#[tokio::test]
async fn a_question_moved_out_of_a_closed_space_and_back_disappears_at_once() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let author = app.api_user(&[]).await;
    let closed = plant(&app, &admin, (&author.0, &author.1), "closed").await;
    let (browser, outsider) = app.login_as(&[]).await;
    let api = app.client_for(outsider.id).await;
    let question = closed.ids[1];
    let words: Vec<&String> = closed.words[3..].iter().collect();

    // A plain member may not move it; the space's moderator (its creator, an admin) may.
    let response = author
        .0
        .put_json(
            &format!("/api/v1/questions/{question}/space"),
            &json!({"space_id": null}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = admin
        .put_json(
            &format!("/api/v1/questions/{question}/space"),
            &json!({"space_id": null}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    app.drain().await;
    let page = browser.get(&format!("/questions/{question}")).await;
    assert_eq!(page.status(), StatusCode::OK, "company-wide now");
    assert!(
        !page
            .text()
            .await
            .unwrap()
            .contains("data-test=\"space-crumb\"")
    );
    let view = api.get_json(&format!("/api/v1/questions/{question}")).await;
    assert_eq!(view["space"], Value::Null);
    let found = api.get_json("/api/v1/search?q=zqxclosedquestionbody").await;
    assert_eq!(found["total"], 1, "{found}");

    // Back into the closed space: gone at once, before the index has caught up.
    let response = admin
        .put_json(
            &format!("/api/v1/questions/{question}/space"),
            &json!({"space_id": closed.space}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Its members see where it is, on the page and in the API.
    let view = author
        .0
        .get_json(&format!("/api/v1/questions/{question}"))
        .await;
    assert_eq!(view["space"]["id"], closed.space, "{view}");
    assert_eq!(view["space"]["kind"], "closed");
    let (member_browser, _) = app.login_as(&[Role::Admin]).await;
    let page = member_browser
        .get_html(&format!("/questions/{question}"))
        .await;
    assert!(page.contains("data-test=\"space-crumb\""), "{page}");
    assert!(page.contains(&format!(
        "href=\"/spaces/{}\"",
        view["space"]["slug"].as_str().unwrap()
    )));
    assert_eq!(
        browser
            .get(&format!("/questions/{question}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (leaks, _) = scan(&browser, &api, &words, &[&closed], &[author.1.id]).await;
    assert!(
        leaks.is_empty(),
        "{} leaks before the index caught up:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    app.drain().await;
    let (leaks, _) = scan(&browser, &api, &words, &[&closed], &[author.1.id]).await;
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'question.moved'")
            .await,
        2
    );
}

/// Provisioning: a space linked to a directory group follows its members (SCIM), one linked to
/// a department follows the people who move in and out.
#[tokio::test]
async fn linked_spaces_follow_directory_groups_and_departments() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let created: Value = admin
        .post_json("/api/v1/admin/scim-tokens", &json!({"name": "Entra"}))
        .await
        .json()
        .await
        .unwrap();
    let scim = ApiClient::new(&app, created["token"].as_str().unwrap());
    let send = |method: reqwest::Method, path: &str, body: Value| {
        scim.request(method, &format!("/scim/v2{path}"))
            .header("content-type", "application/scim+json")
            .body(body.to_string())
            .send()
    };
    let user: Value = send(
        reqwest::Method::POST,
        "/Users",
        json!({"userName": "wim@example.com"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let wim = user["id"].as_str().unwrap().to_owned();
    let group: Value = send(
        reqwest::Method::POST,
        "/Groups",
        json!({"displayName": "Works council"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let group_id = group["id"].as_str().unwrap().to_owned();
    let response = admin
        .post_json(
            "/api/v1/spaces",
            &json!({"name": "Works council", "kind": "secret",
            "directory_group_id": group_id.parse::<i64>().unwrap()}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let space = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let member = format!(
        "SELECT COUNT(*) FROM space_members WHERE space_id = {space} AND user_id = {wim} AND state = 'member'"
    );
    assert_eq!(app.count(&member).await, 0);

    let patch = |op: &str| json!({"Operations": [{"op": op, "path": "members", "value": [{"value": wim}]}]});
    let response = send(
        reqwest::Method::PATCH,
        &format!("/Groups/{group_id}"),
        patch("Add"),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.count(&member).await,
        1,
        "joined the group: in the space"
    );
    let response = send(
        reqwest::Method::PATCH,
        &format!("/Groups/{group_id}"),
        patch("Remove"),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.count(&member).await,
        0,
        "left the group: out of the space"
    );

    // A department-linked space follows profile changes.
    let finance: Value = admin
        .post_json("/api/v1/departments", &json!({"name": "Finance"}))
        .await
        .json()
        .await
        .unwrap();
    let finance = finance["id"].as_i64().unwrap();
    let response = admin
        .post_json(
            "/api/v1/spaces",
            &json!({"name": "Finance", "kind": "closed", "department_id": finance}),
        )
        .await;
    let finance_space = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let (anna, anna_user) = app.api_user(&[]).await;
    let in_finance = format!(
        "SELECT COUNT(*) FROM space_members WHERE space_id = {finance_space} AND user_id = {} AND state = 'member'",
        anna_user.id
    );
    let response = anna
        .patch_json("/api/v1/me/profile", &json!({"department_id": finance}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.count(&in_finance).await, 1);
    let response = anna
        .patch_json("/api/v1/me/profile", &json!({"department_id": null}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.count(&in_finance).await, 0);
}

/// Editorial review of a post in a space is done by that space's moderators and the editors who
/// are its members; an editor outside a closed space neither sees nor approves it.
#[tokio::test]
async fn a_spaces_moderators_review_its_posts() {
    let app = spawn_app().await;
    app.set_review_mode("everyone").await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (moderator, moderator_user) = app.api_user(&[]).await;
    let (writer, writer_user) = app.api_user(&[]).await;
    let (outside_editor, _) = app.api_user(&[Role::Editor]).await;
    let space = create_space(&admin, "Project Kestrel", "closed").await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        put_member(&admin, space, moderator_user.id, "moderator").await,
        StatusCode::OK
    );
    assert_eq!(
        put_member(&admin, space, writer_user.id, "member").await,
        StatusCode::OK
    );
    let post: Value = writer
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Kestrel milestone one", "body": "We made it.", "space_id": space}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = post["id"].as_i64().unwrap();
    let submitted: Value = writer
        .post_json(&format!("/api/v1/posts/{id}/publish"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(submitted["status"], "in_review");
    app.drain().await;
    assert!(
        notices(&app, moderator_user.id)
            .await
            .contains("Kestrel milestone one")
    );

    // The editor outside the space: not in the queue, and the post does not exist for them.
    let queue = outside_editor.get_json("/api/v1/review-queue").await;
    assert!(!queue.to_string().contains("Kestrel"), "{queue}");
    let response = outside_editor
        .post_json(&format!("/api/v1/posts/{id}/approve"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // The space's moderator (no editor role) reviews it.
    let queue = moderator.get_json("/api/v1/review-queue").await;
    assert!(
        queue.to_string().contains("Kestrel milestone one"),
        "{queue}"
    );
    let response = moderator
        .post_json(&format!("/api/v1/posts/{id}/approve"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let post = writer.get_json(&format!("/api/v1/posts/{id}")).await;
    assert_eq!(post["status"], "published");
}

/// Found by fuzzing on PostgreSQL: an admin (who passes every membership check) moving a
/// question or a post to a space that does not exist reached the foreign key (500). It is a
/// form error, and nothing moves.
#[tokio::test]
async fn moving_to_a_space_that_does_not_exist_is_refused_and_moves_nothing() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    app.exec("INSERT INTO tags (name, created_at) VALUES ('it', CURRENT_TIMESTAMP)")
        .await;
    let question: Value = admin
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Where is the spare projector kept?", "body": "For the all-hands.",
                    "tags": ["it"], "language": "en"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let post: Value = admin
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Projector etiquette", "body": "Switch it off.", "language": "en"}),
        )
        .await
        .json()
        .await
        .unwrap();
    for path in [
        format!("/api/v1/questions/{}/space", question["id"]),
        format!("/api/v1/posts/{}/space", post["id"]),
    ] {
        let response = admin
            .put_json(&path, &json!({"space_id": 9_223_372_036_854_775_806_i64}))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}"
        );
        assert_eq!(
            crate::helpers::error_code(response).await,
            "validation_failed",
            "{path}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions WHERE space_id IS NOT NULL")
            .await
            + app
                .count("SELECT COUNT(*) FROM posts WHERE space_id IS NOT NULL")
                .await,
        0
    );
}

/// Votes and likes on a closed space's content: 404 for a colleague outside it, as if the
/// question, answer or post did not exist, and nothing stored; a member's count.
#[tokio::test]
async fn votes_and_likes_reach_a_closed_space_only_through_membership() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let author = app.api_user(&[]).await;
    let closed = plant(&app, &admin, (&author.0, &author.1), "closed").await;
    let (outsider, _) = app.api_user(&[]).await;
    let member = app.api_user(&[]).await;
    assert_eq!(
        put_member(&admin, closed.space, member.1.id, "member").await,
        StatusCode::OK
    );
    let [post, question, answer, _] = closed.ids[..] else {
        panic!("{:?}", closed.ids)
    };
    let writes = [
        format!("/api/v1/questions/{question}/vote"),
        format!("/api/v1/answers/{answer}/vote"),
        format!("/api/v1/posts/{post}/like"),
    ];
    for path in &writes {
        let body = if path.ends_with("like") {
            json!({})
        } else {
            json!({"value": 1})
        };
        let response = outsider.post_json(path, &body).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let response = outsider.delete(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "DELETE {path}");
    }
    for table in ["question_votes", "answer_votes", "post_likes"] {
        let stored = app.count(&format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(stored, 0, "{table}");
    }
    for path in &writes {
        let body = if path.ends_with("like") {
            json!({})
        } else {
            json!({"value": 1})
        };
        let response = member.0.post_json(path, &body).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        if *path == writes[0] {
            // The token, the question's author where the member sees it (the space in the same
            // statement), the vote with its score (apart on SQLite), the search outbox row.
            let postgres = sea_orm::ConnectionTrait::get_database_backend(app.db())
                == sea_orm::DatabaseBackend::Postgres;
            let statements = response.headers()[kring::web::statements::HEADER]
                .to_str()
                .unwrap()
                .to_owned();
            assert_eq!(statements, if postgres { "4" } else { "5" }, "{path}");
        }
    }
    for table in ["question_votes", "answer_votes", "post_likes"] {
        let stored = app.count(&format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(stored, 1, "{table}");
    }
}
