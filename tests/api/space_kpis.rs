//! The KPI dashboard and spaces: company-wide figures count what happens in a closed space
//! without naming it; the figures per space and the space filter count only that space; the
//! JSON, the page and the CSV carry no title of closed-space content.
use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ApiClient, spawn_app};

async fn created(client: &ApiClient, path: &str, body: Value) -> Value {
    let r = client.post_json(path, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{path}");
    r.json().await.unwrap()
}

fn sum(kpis: &Value, column: &str) -> i64 {
    kpis["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w[column].as_i64().unwrap())
        .sum()
}

#[tokio::test]
async fn figures_count_closed_spaces_per_space_and_company_wide_without_titles() {
    let app = spawn_app().await;
    app.exec("INSERT INTO tags (name, created_at) VALUES ('pay', CURRENT_TIMESTAMP)")
        .await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (team, _) = app.api_user(&[Role::SocialTeam]).await;
    let (anna, anna_user) = app.api_user(&[]).await;
    let (carl, carl_user) = app.api_user(&[]).await;
    let (bob, bob_user) = app.api_user(&[]).await;

    let space = created(
        &admin,
        "/api/v1/spaces",
        json!({"name": "Works council", "kind": "closed", "description": "d"}),
    )
    .await;
    let space_id = space["id"].as_i64().unwrap();
    let other = created(
        &admin,
        "/api/v1/spaces",
        json!({"name": "Quiet corner", "kind": "secret", "description": "d"}),
    )
    .await;
    for user in [anna_user.id, carl_user.id] {
        let r = admin
            .put_json(
                &format!("/api/v1/spaces/{space_id}/members/{}", user),
                &json!({"role": "member"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }

    // In the closed space: Anna asks, Carl answers, Anna publishes a post and Carl comments.
    let inside = created(
        &anna,
        "/api/v1/questions",
        json!({"title": "Zqkpi hidden pay scale question", "body": "Zqkpi body",
               "tags": ["pay"], "space_id": space_id}),
    )
    .await;
    let inside_id = inside["id"].as_i64().unwrap();
    created(
        &carl,
        &format!("/api/v1/questions/{inside_id}/answers"),
        json!({"body": "Zqkpi answer"}),
    )
    .await;
    let post = created(
        &anna,
        "/api/v1/posts",
        json!({"title": "Zqkpi hidden post title", "body": "Zqkpi post body",
               "tags": ["pay"], "space_id": space_id}),
    )
    .await;
    let post_id = post["id"].as_i64().unwrap();
    let r = anna
        .post_json(&format!("/api/v1/posts/{post_id}/publish"), &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // Its readers see which space it is in.
    let view = carl.get_json(&format!("/api/v1/posts/{post_id}")).await;
    assert_eq!(view["space"]["name"], "Works council", "{view}");
    created(
        &carl,
        &format!("/api/v1/posts/{post_id}/comments"),
        json!({"body": "Zqkpi comment"}),
    )
    .await;
    // Company-wide: Bob asks a question nobody answers.
    created(
        &bob,
        "/api/v1/questions",
        json!({"title": "Where is the printer", "body": "On floor two?", "tags": ["pay"]}),
    )
    .await;
    app.drain().await;

    // Company-wide figures count the closed space's activity.
    let all = team.get_json("/api/v1/kpis?weeks=4").await;
    assert_eq!(all["answers"]["questions"], 2, "{}", all["answers"]);
    assert_eq!(all["answers"]["answered"], 1);
    assert_eq!(sum(&all, "questions"), 2);
    assert_eq!(sum(&all, "answers"), 1);
    assert_eq!(sum(&all, "posts"), 1);
    assert_eq!(sum(&all, "comments"), 1);
    let unanswered = &all["unanswered_by_tag"][0];
    assert_eq!(
        (unanswered["tag"].as_str(), unanswered["questions"].as_i64()),
        (Some("pay"), Some(1))
    );
    let points = |kpis: &Value, user: i64| -> i64 {
        kpis["top_contributors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["user_id"] == user)
            .map_or(0, |c| c["points"].as_i64().unwrap())
    };
    // Anna: asked (1) and published (5); Carl: answered (2) and commented (1); Bob: asked (1).
    assert_eq!(points(&all, anna_user.id), 6);
    assert_eq!(points(&all, carl_user.id), 3);
    assert_eq!(points(&all, bob_user.id), 1);

    // One row per space, the secret one included; no row for the company-wide space. Members:
    // its creator (its first moderator), Anna and Carl.
    let rows = all["spaces"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let row = rows.iter().find(|r| r["id"] == space_id).unwrap();
    assert_eq!(row["kind"], "closed");
    assert_eq!(
        [
            &row["members"],
            &row["contributors"],
            &row["posts"],
            &row["questions"],
            &row["answers"],
            &row["comments"],
        ],
        [
            &json!(3),
            &json!(2),
            &json!(1),
            &json!(1),
            &json!(1),
            &json!(1)
        ],
        "{row}"
    );
    assert_eq!(row["answer_rate"], 1.0);
    let quiet = rows.iter().find(|r| r["id"] == other["id"]).unwrap();
    assert_eq!(
        (quiet["members"].as_i64(), quiet["questions"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(quiet["answer_rate"], Value::Null);

    // The space filter: only its content, its points, its members.
    let one = team
        .get_json(&format!("/api/v1/kpis?weeks=4&space={space_id}"))
        .await;
    assert_eq!(one["period"]["space"], space_id);
    assert_eq!(one["answers"]["questions"], 1);
    assert_eq!(one["answers"]["answer_rate"], 1.0);
    assert_eq!(sum(&one, "questions"), 1);
    assert_eq!(sum(&one, "comments"), 1);
    assert!(one["unanswered_by_tag"].as_array().unwrap().is_empty());
    assert_eq!(points(&one, anna_user.id), 6);
    assert_eq!(points(&one, carl_user.id), 3);
    assert_eq!(
        points(&one, bob_user.id),
        0,
        "Bob earned nothing in the space"
    );
    assert_eq!(one["spaces"].as_array().unwrap().len(), 1);

    // No title, body or snippet of closed-space content in the JSON, the page or the CSV.
    let (browser, _) = app.login_as(&[Role::SocialTeam]).await;
    let page = browser
        .get_html(&format!("/kpis?weeks=4&space={space_id}"))
        .await;
    assert!(page.contains("data-test=\"table-spaces\""));
    assert!(page.contains("Works council"));
    let csv = browser
        .get(&format!("/kpis/export/spaces.csv?weeks=4&space={space_id}"))
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with(
        "space,kind,members,contributors,posts,questions,answers,comments,answer_rate\n"
    ));
    assert!(csv.contains("Works council,closed,3,2,1,1,1,1,1"), "{csv}");
    for body in [all.to_string(), one.to_string(), page, csv] {
        assert!(
            !body.to_lowercase().contains("zqkpi"),
            "a title or body leaked"
        );
    }

    // Bad input: an unknown space or one that is not a number.
    let r = team.get("/api/v1/kpis?space=999999").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let error: Value = r.json().await.unwrap();
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("space")
    );
    assert_eq!(
        browser.get("/kpis?space=abc").await.status(),
        StatusCode::BAD_REQUEST
    );
    // And the dashboard stays the social team's and admins'.
    assert_eq!(
        anna.get("/api/v1/kpis").await.status(),
        StatusCode::FORBIDDEN
    );
}
