//! SCIM 2.0 provisioning, beyond what scim2-tester checks (tests/scim/run): provisioning tokens,
//! filters and paging, Entra ID's and Okta's quirks, a person who leaves and comes back, and
//! directory groups driving roles and departments.
use kring::{
    auth::types::Role,
    startup::route_registry,
    web::routes::{Access, Kind},
};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::{
    helpers::{ApiClient, TestApp, spawn_app},
    oidc_peer::{self, Peer},
    sso,
};

const SCIM_JSON: &str = "application/scim+json";

/// An admin's API client and a provisioning token made through the API.
async fn provisioning(app: &TestApp) -> (ApiClient, ApiClient) {
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let response = admin
        .post_json("/api/v1/admin/scim-tokens", &json!({"name": "Entra ID"}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert!(created["id"].as_i64().is_some());
    let token = created["token"].as_str().unwrap();
    (admin, ApiClient::new(app, token))
}

async fn send(
    scim: &ApiClient,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = scim.request(method, &format!("/scim/v2{path}"));
    if let Some(body) = body {
        request = request
            .header("content-type", SCIM_JSON)
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn user_body(user_name: &str, email: &str, external_id: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "externalId": external_id,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": email, "type": "work", "primary": true}],
        "active": true,
    })
}

async fn create_user(scim: &ApiClient, user_name: &str, email: &str, external_id: &str) -> String {
    let (status, body) = send(
        scim,
        Method::POST,
        "/Users",
        Some(user_body(user_name, email, external_id)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

async fn patch(scim: &ApiClient, path: &str, operations: Value) -> (StatusCode, Value) {
    let body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    });
    send(scim, Method::PATCH, path, Some(body)).await
}

fn is_scim_error(response: &Response) -> bool {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(SCIM_JSON))
}

/// Acceptance 4: no `/scim/v2` request succeeds without a valid token, and a revoked token
/// stops at once.
#[tokio::test]
async fn no_scim_request_succeeds_without_a_valid_token() {
    let app = spawn_app().await;
    let (admin, scim) = provisioning(&app).await;
    let (personal, _) = app.token_for(&[Role::Admin]).await;
    let (browser, _) = app.login_as(&[Role::Admin]).await;
    let client = crate::helpers::client_builder().build().unwrap();

    let mut paths: Vec<(Method, String)> = route_registry()
        .into_iter()
        .filter(|r| r.kind == Kind::Scim)
        .inspect(|r| assert_eq!(r.access, Access::ProvisioningToken, "{}", r.path))
        .map(|r| {
            (
                Method::from_bytes(r.method.as_str().as_bytes()).unwrap(),
                r.path.replace("{id}", "1").replace("{name}", "User"),
            )
        })
        .collect();
    assert!(paths.len() >= 17, "{paths:?}");
    paths.push((Method::GET, "/scim/v2/Nothing".into()));
    paths.push((Method::DELETE, "/scim/v2/ServiceProviderConfig".into()));
    let wrong = [
        None,
        Some("kscim_0000000000000000000000000000000000000000000000000000000000000000".to_owned()),
        Some(personal.clone()),
        Some(format!("{}x", scim.token())),
    ];
    for (method, path) in &paths {
        for token in &wrong {
            let mut request = client
                .request(method.clone(), app.url(path))
                .header("content-type", SCIM_JSON)
                .body(user_body("eve", "eve@example.com", "e").to_string());
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {token:?}"
            );
            assert!(is_scim_error(&response), "{method} {path}");
        }
        // An admin's session is no provisioning token either.
        let response = browser
            .client
            .request(method.clone(), app.url(path))
            .header("content-type", SCIM_JSON)
            .body(user_body("eve", "eve@example.com", "e").to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path} with a session"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM scim_users").await,
        0,
        "nothing was provisioned"
    );

    // With the token: served.
    let (status, config) = send(&scim, Method::GET, "/ServiceProviderConfig", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(config["patch"]["supported"], true);
    // Only admins make tokens; the secret is never listed.
    let (member, _) = app.api_user(&[]).await;
    let response = member
        .post_json("/api/v1/admin/scim-tokens", &json!({"name": "x"}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = admin
        .post_json("/api/v1/admin/scim-tokens", &json!({"name": "  "}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let listed = admin.get_json("/api/v1/admin/scim-tokens").await;
    assert!(!listed.to_string().contains(scim.token()));
    let id = listed[0]["id"].as_i64().unwrap();

    // Revoked: the very next request is refused.
    let response = admin
        .delete(&format!("/api/v1/admin/scim-tokens/{id}"))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, error) = send(&scim, Method::GET, "/Users", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        error["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    assert_eq!(error["status"], "401");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'scim.token_revoked'")
            .await,
        1
    );
}

/// Acceptance 2: create, find by userName and externalId, patch (rename, group membership),
/// deactivate (session and token refused at once), reactivate (signs in again).
#[tokio::test]
async fn a_provisioned_person_leaves_and_comes_back() {
    let app = spawn_app().await;
    let peer = Peer::start().await;
    let admin = sso::configure(&app, &peer).await;
    let (_, scim) = provisioning(&app).await;
    let response = admin
        .post_json(
            "/api/v1/admin/sso/group-mappings",
            &json!({"group": "kring-editors", "role": "editor"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let id = create_user(&scim, "ada@corp.example", "ada@example.com", "entra-0001").await;
    for filter in [
        r#"userName eq "ADA@corp.example""#,
        r#"externalId eq "entra-0001""#,
        r#"userName eq "ada@corp.example" and active eq true"#,
    ] {
        let (status, list) = send(
            &scim,
            Method::GET,
            &format!("/Users?filter={}", urlencode(filter)),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["totalResults"], 1, "{filter}");
        assert_eq!(list["Resources"][0]["id"], id.as_str());
    }
    let (_, none) = send(
        &scim,
        Method::GET,
        &format!(
            "/Users?filter={}",
            urlencode(r#"externalId eq "ENTRA-0001""#)
        ),
        None,
    )
    .await;
    assert_eq!(none["totalResults"], 0, "externalId is case-exact");

    // The person signs in with the company's provider: the provisioned account, no new one.
    let mut claims = oidc_peer::default_user();
    claims["groups"] = json!([]);
    peer.set_user(claims);
    let browser = app.browser();
    let outcome = sso::sign_in(&browser, "/").await;
    assert_eq!(outcome.status, StatusCode::SEE_OTHER);
    let me = sso::me(&browser).await.expect("signed in");
    assert_eq!(me["id"].to_string(), id);
    let response = browser
        .post_json("/api/v1/tokens", &json!({"name": "script"}))
        .await;
    let token: Value = response.json().await.unwrap();
    let script = ApiClient::new(&app, token["token"].as_str().unwrap());
    assert_eq!(script.get("/api/v1/me").await.status(), StatusCode::OK);

    // Renamed, Entra style (no path, capital op).
    let (status, renamed) = patch(
        &scim,
        &format!("/Users/{id}"),
        json!([{"op": "Replace", "value": {"displayName": "Ada King", "name.familyName": "King"}}]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"]["familyName"], "King");
    assert_eq!(sso::me(&browser).await.unwrap()["display_name"], "Ada King");

    // Into a directory group the mapping knows: the role follows at once.
    let (status, group) = send(
        &scim,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "kring-editors", "members": []})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let group_id = group["id"].as_str().unwrap().to_owned();
    let (status, _) = patch(
        &scim,
        &format!("/Groups/{group_id}"),
        json!([{"op": "Add", "path": "members", "value": [{"value": id}]}]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(sso::roles(&sso::me(&browser).await.unwrap()).contains(&"editor".to_owned()));
    let (_, user) = send(&scim, Method::GET, &format!("/Users/{id}"), None).await;
    assert_eq!(user["groups"][0]["display"], "kring-editors");

    // Deactivated (Entra sends the boolean as a string): session and token refused at once.
    let (status, user) = patch(
        &scim,
        &format!("/Users/{id}"),
        json!([{"op": "Replace", "path": "active", "value": "False"}]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(user["active"], false);
    assert_eq!(
        browser.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        script.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let refused = sso::sign_in(&app.browser(), "/").await;
    assert!(
        refused.body.contains("data-sso-error=\"deactivated\""),
        "{}",
        refused.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.deactivated'")
            .await,
        1
    );
    // The admin's view of the person says who did it: the directory, not "the command line".
    let (admin_browser, _) = app.login_as(&[Role::Admin]).await;
    let page = admin_browser.get_html(&format!("/admin/users/{id}")).await;
    assert!(page.contains("Company directory (SCIM)"), "{page}");
    assert!(!page.contains("Command line"), "{page}");

    // Reactivated: the person signs in again; the old API token stays revoked.
    let (status, _) = patch(
        &scim,
        &format!("/Users/{id}"),
        json!([{"op": "replace", "value": {"active": true}}]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let again = app.browser();
    assert_eq!(
        sso::sign_in(&again, "/").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(sso::me(&again).await.unwrap()["id"].to_string(), id);
    assert_eq!(
        script.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Deleted: deactivated and unlinked; the account and its content stay.
    let (status, _) = send(&scim, Method::DELETE, &format!("/Users/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(sso::me(&again).await, None);
    let (status, error) = send(&scim, Method::GET, &format!("/Users/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error["status"], "404");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE id = {id} AND is_active = false"
        ))
        .await,
        1
    );
    peer.stop().await;
}

/// Acceptance 3: a directory group's members and name change through SCIM; the mapped roles
/// and departments follow.
#[tokio::test]
async fn directory_groups_drive_roles_and_departments() {
    let app = spawn_app().await;
    let (admin, scim) = provisioning(&app).await;
    let response = admin
        .post_json("/api/v1/departments", &json!({"name": "Finance"}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let finance = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    for mapping in [
        json!({"group": "fin-team", "role": "ambassador", "department_id": finance}),
        json!({"group": "00aa-social", "role": "social_team"}),
    ] {
        let response = admin
            .post_json("/api/v1/admin/sso/group-mappings", &mapping)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let joan = create_user(&scim, "joan", "joan@example.com", "j").await;
    let piet = create_user(&scim, "piet", "piet@example.com", "p").await;
    let department_of = |id: &str| {
        format!("SELECT COUNT(*) FROM profiles WHERE user_id = {id} AND department_id = {finance}")
    };
    let has = |id: &str, role: &str| {
        format!("SELECT COUNT(*) FROM user_roles WHERE user_id = {id} AND role = '{role}'")
    };

    let (status, group) = send(
        &scim,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "fin-team", "externalId": "g-1", "members": [{"value": joan}]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    let group = group["id"].as_str().unwrap().to_owned();
    assert_eq!(app.count(&has(&joan, "ambassador")).await, 1);
    assert_eq!(app.count(&department_of(&joan)).await, 1);
    assert_eq!(app.count(&has(&piet, "ambassador")).await, 0);

    // Entra ID's membership patch: remove one, add another.
    let (status, body) = patch(
        &scim,
        &format!("/Groups/{group}"),
        json!([
            {"op": "Remove", "path": "members", "value": [{"value": joan}]},
            {"op": "Add", "path": "members", "value": [{"value": piet}]},
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["members"],
        json!([{"value": piet, "$ref": format!("{}/scim/v2/Users/{piet}", app.url("")), "type": "User"}])
    );
    assert_eq!(app.count(&has(&joan, "ambassador")).await, 0);
    assert_eq!(app.count(&has(&piet, "ambassador")).await, 1);
    assert_eq!(app.count(&department_of(&piet)).await, 1);

    // Okta removes by filter.
    let (status, _) = patch(
        &scim,
        &format!("/Groups/{group}"),
        json!([{"op": "remove", "path": format!("members[value eq \"{piet}\"]")}]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.count(&has(&piet, "ambassador")).await, 0);

    // The mapping also matches a group's external id; renaming a group moves its members.
    let (status, _) = send(&scim, Method::PUT, &format!("/Groups/{group}"),
        Some(json!({"displayName": "Social", "externalId": "00aa-social", "members": [{"value": joan}, {"value": piet}]}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.count(&has(&joan, "social_team")).await, 1);
    assert_eq!(app.count(&has(&piet, "social_team")).await, 1);
    let (_, found) = send(
        &scim,
        Method::GET,
        &format!(
            "/Groups?filter={}&excludedAttributes=members",
            urlencode(r#"displayName eq "social""#)
        ),
        None,
    )
    .await;
    assert_eq!(found["totalResults"], 1);
    assert!(found["Resources"][0].get("members").is_none());

    // A group deleted: its roles go.
    let (status, _) = send(&scim, Method::DELETE, &format!("/Groups/{group}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.count(&has(&joan, "social_team")).await, 0);
    // Unknown members are refused, nothing changes.
    let (status, error) = send(
        &scim,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "x", "members": [{"value": "999999"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["scimType"], "invalidValue");
    assert_eq!(app.count("SELECT COUNT(*) FROM directory_groups").await, 0);
}

/// What Entra ID and Okta send, filters, paging, and the errors of bad input.
#[tokio::test]
async fn directory_quirks_filters_paging_and_errors() {
    let app = spawn_app().await;
    let (_, scim) = provisioning(&app).await;
    // Entra: "active" as a string in a POST; Okta: the address only as the userName.
    let mut entra = user_body("kim@corp.example", "kim@example.com", "k");
    entra["active"] = json!("False");
    let (status, kim) = send(&scim, Method::POST, "/Users", Some(entra)).await;
    assert_eq!(status, StatusCode::CREATED, "{kim}");
    assert_eq!(kim["active"], false);
    let (status, okta) = send(&scim, Method::POST, "/Users",
        Some(json!({"userName": "lee@example.com", "name": {"givenName": "Lee", "familyName": "Ho"}}))).await;
    assert_eq!(status, StatusCode::CREATED, "{okta}");
    let lee = okta["id"].as_str().unwrap();
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM users WHERE id = {lee} AND email = 'lee@example.com' AND display_name = 'Lee Ho'")).await, 1);

    // Entra changes the work address by a path filter; Kring's address follows.
    let kim_id = kim["id"].as_str().unwrap();
    let (status, body) = patch(&scim, &format!("/Users/{kim_id}"), json!([
        {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "kim.b@example.com"},
    ])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE id = {kim_id} AND email = 'kim.b@example.com'"
        ))
        .await,
        1
    );

    for n in 0..5 {
        create_user(
            &scim,
            &format!("p{n}"),
            &format!("p{n}@example.com"),
            &format!("x{n}"),
        )
        .await;
    }
    let (_, page) = send(&scim, Method::GET, "/Users?startIndex=3&count=2", None).await;
    assert_eq!(page["totalResults"], 7);
    assert_eq!(page["startIndex"], 3);
    assert_eq!(page["itemsPerPage"], 2);
    let (_, last) = send(
        &scim,
        Method::GET,
        "/Users?startIndex=7&count=5&attributes=userName",
        None,
    )
    .await;
    assert_eq!(last["itemsPerPage"], 1);
    assert_eq!(last["Resources"][0]["userName"], "p4");
    assert!(last["Resources"][0].get("emails").is_none());
    let (_, filtered) = send(
        &scim,
        Method::GET,
        &format!("/Users?filter={}&count=2", urlencode(r#"userName sw "p""#)),
        None,
    )
    .await;
    assert_eq!(filtered["totalResults"], 5);
    assert_eq!(filtered["itemsPerPage"], 2);

    // Errors, in the SCIM format, and nothing stored.
    let cases = [
        (
            Method::GET,
            "/Users?filter=userName%20eq".to_owned(),
            None,
            StatusCode::BAD_REQUEST,
            Some("invalidFilter"),
        ),
        (
            Method::POST,
            "/Users".into(),
            Some(json!({"emails": [{"value": "a@example.com"}]})),
            StatusCode::BAD_REQUEST,
            Some("invalidValue"),
        ),
        (
            Method::POST,
            "/Users".into(),
            Some(json!({"userName": "no-address"})),
            StatusCode::BAD_REQUEST,
            Some("invalidValue"),
        ),
        (
            Method::POST,
            "/Users".into(),
            Some(user_body("P0", "new@example.com", "n")),
            StatusCode::CONFLICT,
            Some("uniqueness"),
        ),
        (
            Method::POST,
            "/Users".into(),
            Some(user_body("new", "p1@example.com", "n")),
            StatusCode::CONFLICT,
            Some("uniqueness"),
        ),
        (
            Method::PATCH,
            format!("/Users/{kim_id}"),
            Some(json!({"Operations": [{"op": "replace", "path": "id", "value": "1"}]})),
            StatusCode::BAD_REQUEST,
            Some("mutability"),
        ),
        (
            Method::PATCH,
            format!("/Users/{kim_id}"),
            Some(json!({"Operations": [{"op": "remove", "path": "userName"}]})),
            StatusCode::BAD_REQUEST,
            Some("invalidValue"),
        ),
        (
            Method::GET,
            "/Users/424242".into(),
            None,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            Method::PUT,
            "/ServiceProviderConfig".into(),
            Some(json!({})),
            StatusCode::METHOD_NOT_ALLOWED,
            None,
        ),
    ];
    for (method, path, body, expected, scim_type) in cases {
        let (status, error) = send(&scim, method.clone(), &path, body).await;
        assert_eq!(status, expected, "{method} {path}: {error}");
        assert_eq!(
            error["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error",
            "{method} {path}"
        );
        assert_eq!(error["status"], expected.as_u16().to_string());
        assert_eq!(error["scimType"].as_str(), scim_type, "{method} {path}");
    }
    let response = scim
        .request(Method::POST, "/scim/v2/Users")
        .header("content-type", SCIM_JSON)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM scim_users").await, 7);
    let (_, kim) = send(&scim, Method::GET, &format!("/Users/{kim_id}"), None).await;
    assert_eq!(
        kim["userName"], "kim@corp.example",
        "a refused patch changes nothing"
    );
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
