use kring::auth::types::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ApiClient, PASSWORD, error_code, location, spawn_app};

const ADMIN_PAGES: [&str; 5] = [
    "/admin",
    "/admin/users",
    "/admin/users/new",
    "/admin/settings",
    "/admin/audit",
];

#[tokio::test]
async fn members_cannot_reach_admin_pages_or_api() {
    let app = spawn_app().await;
    let target = app.create_user(&[]).await;
    for roles in [
        vec![],
        vec![Role::Editor, Role::SocialTeam, Role::Ambassador],
    ] {
        let (browser, _) = app.login_as(&roles).await;
        for path in ADMIN_PAGES
            .iter()
            .map(|p| p.to_string())
            .chain([format!("/admin/users/{}", target.id)])
        {
            let response = browser.get(&path).await;
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{path} as {roles:?}"
            );
            assert!(response.text().await.unwrap().contains("Not allowed"));
        }
        let response = browser
            .post_form(
                &format!("/admin/users/{}/roles", target.id),
                &[("role_admin", "on")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = browser
            .post_form(&format!("/admin/users/{}/deactivate", target.id), &[])
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);

        let (token, _) = app.token_for(&roles).await;
        let api = ApiClient::new(&app, &token);
        for (method, path, body) in [
            (Method::GET, "/api/v1/admin/users".to_string(), None),
            (
                Method::GET,
                format!("/api/v1/admin/users/{}", target.id),
                None,
            ),
            (
                Method::PATCH,
                format!("/api/v1/admin/users/{}", target.id),
                Some(json!({"roles": ["admin"]})),
            ),
            (
                Method::POST,
                "/api/v1/admin/users".to_string(),
                Some(json!({"email": "x@example.com", "display_name": "X", "password": PASSWORD})),
            ),
            (Method::GET, "/api/v1/admin/audit-log".to_string(), None),
            (Method::GET, "/api/v1/admin/registration".to_string(), None),
            (
                Method::PUT,
                "/api/v1/admin/registration".to_string(),
                Some(json!({"enabled": true, "allowed_domains": ["example.com"]})),
            ),
        ] {
            let mut request = api.request(method.clone(), &path);
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {path}");
            assert_eq!(error_code(response).await, "forbidden");
        }
    }
    assert_eq!(app.roles_of(target.id).await.to_vec(), vec![Role::Member]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE is_active = false")
            .await,
        0
    );
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_login_or_get_401() {
    let app = spawn_app().await;
    app.create_user(&[Role::Admin]).await;
    let browser = app.browser();
    let response = browser.get("/admin/users").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?next=%2Fadmin%2Fusers");
    let response = browser.get("/api/v1/admin/users").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_admin_creates_re_roles_and_deactivates_users_through_the_pages() {
    let app = spawn_app().await;
    let (admin, _) = app.login_as(&[Role::Admin]).await;

    let response = admin
        .post_form(
            "/admin/users",
            &[
                ("email", "Eva@Example.com"),
                ("display_name", "Eva Editor"),
                ("password", PASSWORD),
                ("role_editor", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = location(&response);
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let html = admin.get_html(&page).await;
    assert!(html.contains("eva@example.com") && html.contains("user.created"));
    assert_eq!(
        app.roles_of(id).await.to_vec(),
        vec![Role::Member, Role::Editor]
    );

    // The new user can log in with the initial password.
    assert_eq!(
        app.browser()
            .login("eva@example.com", PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    let response = admin
        .post_form(
            &format!("/admin/users/{id}/roles"),
            &[("role_social_team", "on"), ("is_leadership", "on")],
        )
        .await;
    assert_eq!(location(&response), page);
    assert_eq!(
        app.roles_of(id).await.to_vec(),
        vec![Role::Member, Role::SocialTeam]
    );

    admin
        .post_form(&format!("/admin/users/{id}/deactivate"), &[])
        .await;
    let html = admin.get_html(&page).await;
    assert!(html.contains("The user has been deactivated."));
    assert_eq!(
        app.browser()
            .login("eva@example.com", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    admin
        .post_form(&format!("/admin/users/{id}/activate"), &[])
        .await;
    assert_eq!(
        app.browser()
            .login("eva@example.com", PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    let list = admin.get_html("/admin/users?q=eva").await;
    assert!(list.contains("Eva Editor"));
    let list = admin.get_html("/admin/users?role=editor").await;
    assert!(!list.contains("Eva Editor"), "no longer an editor");
}

#[tokio::test]
async fn creating_a_user_with_a_taken_email_or_bad_input_explains_why() {
    let app = spawn_app().await;
    let (admin, _) = app.login_as(&[Role::Admin]).await;
    let existing = app.create_user(&[]).await;
    let response = admin
        .post_form(
            "/admin/users",
            &[
                ("email", &existing.email.to_uppercase()),
                ("display_name", "Copy"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert!(html.contains("A user with this email address already exists."));
    assert!(html.contains("value=\"Copy\""));

    let response = admin
        .post_json(
            "/api/v1/admin/users",
            &json!({"email": existing.email, "display_name": "Copy", "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(response).await, "conflict");

    let response = admin
        .post_json(
            "/api/v1/admin/users",
            &json!({"email": "ok@example.com", "display_name": "", "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "display_name");

    let response = admin
        .post_json("/api/v1/admin/users", &json!({"email": "ok@example.com", "display_name": "Ok", "password": PASSWORD, "roles": ["king"]}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_admin_api_manages_users() {
    let app = spawn_app().await;
    let (token, admin) = app.token_for(&[Role::Admin]).await;
    let api = ApiClient::new(&app, &token);

    let response = api
        .request(Method::POST, "/api/v1/admin/users")
        .json(&json!({"email": "ceo@example.com", "display_name": "The CEO", "password": PASSWORD, "roles": ["ambassador"], "is_leadership": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["roles"], json!(["member", "ambassador"]));
    assert_eq!(created["is_leadership"], true);

    let response = api
        .request(Method::PATCH, &format!("/api/v1/admin/users/{id}"))
        .json(&json!({"roles": ["editor", "admin"], "is_active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["roles"], json!(["member", "editor", "admin"]));
    assert_eq!(updated["is_active"], false);

    let list: Value = api
        .get("/api/v1/admin/users?status=deactivated")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], id);
    let list: Value = api
        .get("/api/v1/admin/users?role=admin&status=active")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], admin.id);

    let response = api.get("/api/v1/admin/users/999999").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = api.get("/api/v1/admin/users?status=sleeping").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_removed_and_nobody_deactivates_themselves() {
    let app = spawn_app().await;
    let (admin, me) = app.login_as(&[Role::Admin]).await;

    let response = admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", me.id),
            &json!({"roles": []}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("at least one active administrator")
    );
    assert_eq!(
        app.roles_of(me.id).await.to_vec(),
        vec![Role::Member, Role::Admin]
    );

    let response = admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", me.id),
            &json!({"is_active": false}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    // The page explains the refusal and changes nothing.
    admin
        .post_form(&format!("/admin/users/{}/roles", me.id), &[])
        .await;
    let html = admin.get_html(&format!("/admin/users/{}", me.id)).await;
    assert!(html.contains("Kring needs at least one active administrator."));
    assert_eq!(
        app.roles_of(me.id).await.to_vec(),
        vec![Role::Member, Role::Admin]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.role_removed'")
            .await,
        0
    );

    // With a second admin, stepping down is fine.
    let other = app.create_user(&[Role::Admin]).await;
    let response = admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", me.id),
            &json!({"roles": []}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(app.roles_of(other.id).await.contains(Role::Admin));
}

#[tokio::test]
async fn role_changes_and_deactivations_appear_in_the_audit_log() {
    let app = spawn_app().await;
    let (admin, admin_user) = app.login_as(&[Role::Admin]).await;
    let target = app.create_user(&[Role::Editor]).await;

    admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", target.id),
            &json!({"roles": ["social_team"]}),
        )
        .await;
    admin
        .post_form(&format!("/admin/users/{}/deactivate", target.id), &[])
        .await;
    admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", target.id),
            &json!({"is_active": true, "is_leadership": true}),
        )
        .await;

    let log: Value = admin
        .get(&format!("/api/v1/admin/audit-log?user_id={}", target.id))
        .await
        .json()
        .await
        .unwrap();
    let entries = log["items"].as_array().unwrap();
    let actions: Vec<(&str, Value)> = entries
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["details"].clone()))
        .collect();
    // Newest first.
    let expected: Vec<(&str, Value)> = vec![
        ("user.activated", json!({})),
        ("user.leadership_changed", json!({"is_leadership": true})),
        ("user.deactivated", json!({})),
        ("user.role_added", json!({"role": "social_team"})),
        ("user.role_removed", json!({"role": "editor"})),
        (
            "user.created",
            json!({"email": target.email, "roles": ["member", "editor"], "is_leadership": false}),
        ),
    ];
    assert_eq!(actions, expected);
    for entry in &entries[..5] {
        assert_eq!(entry["actor_id"], admin_user.id, "who");
        assert_eq!(entry["target_user_id"], target.id, "whom");
        assert!(entry["at"].is_string(), "when");
    }
    assert!(
        entries[5]["actor_id"].is_null(),
        "created on the command line"
    );

    let html = admin.get_html("/admin/audit").await;
    assert!(html.contains("user.deactivated") && html.contains("user.role_added"));
}

/// Two admins removing each other's admin role at the same moment: one wins, one gets 409, and
/// an admin remains (on PostgreSQL too, where both transactions could otherwise count the
/// other as still an admin).
#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = spawn_app().await;
    for round in 0..5 {
        let (a, a_user) = app.api_user(&[Role::Admin]).await;
        let (b, b_user) = app.api_user(&[Role::Admin]).await;
        // Only these two are admins in this round.
        app.exec(&format!(
            "DELETE FROM user_roles WHERE role = 'admin' AND user_id NOT IN ({}, {})",
            a_user.id, b_user.id
        ))
        .await;
        let (path_b, path_a) = (
            format!("/api/v1/admin/users/{}", b_user.id),
            format!("/api/v1/admin/users/{}", a_user.id),
        );
        let body = json!({"roles": []});
        let (ra, rb) = tokio::join!(a.patch_json(&path_b, &body), b.patch_json(&path_a, &body));
        let mut statuses = [ra.status(), rb.status()];
        statuses.sort();
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE r.role = 'admin' AND u.is_active"
            )
            .await,
            1,
            "round {round}: {statuses:?}"
        );
        // The loser is refused: 409 (it would remove the last admin) or 403 (it is no admin any
        // more when its request starts).
        assert_eq!(statuses[0], StatusCode::OK, "round {round}");
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::CONFLICT].contains(&statuses[1]),
            "round {round}: {statuses:?}"
        );
    }
}
