//! The route registry against the running app: every route it lists is served under its own
//! pattern, no other method is served on its paths, and who may call a route is what the
//! registry says.
use std::collections::{BTreeMap, BTreeSet};

use kring::{
    auth::types::Role,
    startup::route_registry,
    web::{
        routes::{Access, Kind, RouteInfo},
        statements::ROUTE_HEADER,
    },
};
use reqwest::{Method, Response, StatusCode};

use crate::helpers::{Browser, TestApp, spawn_app};

/// The path of a pattern with every parameter filled in.
fn concrete(pattern: &str) -> String {
    if pattern.starts_with("/assets/") {
        return "/assets/css/kring.css".into();
    }
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').unwrap() + open;
        out.push('1');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The registry's method as the HTTP client spells it.
fn method_of(route: &RouteInfo) -> Method {
    Method::from_bytes(route.method.as_str().as_bytes()).unwrap()
}

fn served_by(response: &Response) -> String {
    response
        .headers()
        .get(ROUTE_HEADER)
        .unwrap_or_else(|| panic!("no {ROUTE_HEADER} header"))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Sends `method` to `path` as the browser would: forms with the session's CSRF token, JSON
/// with an empty object.
async fn send(
    app: &TestApp,
    browser: &Browser,
    kind: Kind,
    method: &Method,
    path: &str,
) -> Response {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    if kind == Kind::Html && method == Method::POST {
        return browser.post_form(path, &[]).await;
    }
    let mut request = if method == Method::GET {
        client.request(method.clone(), app.url(path))
    } else {
        // Through the browser's session, with its CSRF token: the request reaches routing.
        let token = browser.csrf_token().await;
        browser
            .client
            .request(method.clone(), app.url(path))
            .header("x-csrf-token", token)
    };
    if matches!(kind, Kind::Json | Kind::Scim) && method != Method::GET {
        request = request.json(&serde_json::json!({}));
    }
    request.send().await.unwrap()
}

/// Acceptance item 4: the registry and the app agree, both ways.
#[tokio::test]
async fn every_route_of_the_registry_is_served_and_nothing_else() {
    let app = spawn_app().await;
    app.create_user(&[Role::Admin]).await;
    let routes = route_registry();
    assert!(routes.len() > 200, "{} routes", routes.len());

    // No route twice.
    let mut seen = BTreeSet::new();
    for route in &routes {
        assert!(
            seen.insert((route.method.as_str(), route.path.as_str())),
            "{} {} is declared twice",
            route.method,
            route.path
        );
    }

    let browser = app.browser();
    let mut methods: BTreeMap<&str, BTreeSet<Method>> = BTreeMap::new();
    for route in &routes {
        methods
            .entry(route.path.as_str())
            .or_default()
            .insert(method_of(route));
        let path = concrete(&route.path);
        let response = send(&app, &browser, route.kind, &method_of(route), &path).await;
        let expected = if route.kind == Kind::Asset {
            assert_eq!(response.status(), StatusCode::OK, "GET {path}");
            continue;
        } else {
            route.path.as_str()
        };
        assert_eq!(
            served_by(&response),
            expected,
            "{} {path} ({:?}) answered {}",
            route.method,
            route.kind,
            response.status()
        );
    }

    // The reverse: on every path of the registry, the methods it does not list are not served.
    let all = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ];
    for (pattern, listed) in &methods {
        if pattern.starts_with("/assets/") {
            continue;
        }
        let path = concrete(pattern);
        for method in all.iter().filter(|m| !listed.contains(m)) {
            let kind = if pattern.starts_with("/api/") || *pattern == "/healthz" {
                Kind::Json
            } else {
                Kind::Html
            };
            let response = send(&app, &browser, kind, method, &path).await;
            // Served, if at all, by a route of the registry with this method (`/posts/{id}`
            // serves `/posts/deleted` too).
            let served = served_by(&response);
            assert!(
                served == "-"
                    || methods
                        .get(served.as_str())
                        .is_some_and(|m| m.contains(method)),
                "{method} {path} is served by {served}, which the registry lacks ({})",
                response.status()
            );
        }
    }

    // The OpenAPI document describes exactly the JSON routes.
    let document: serde_json::Value = app
        .browser()
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let documented: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let json: BTreeSet<(String, String)> = routes
        .iter()
        .filter(|r| r.kind == Kind::Json && r.path != "/api/v1/openapi.json")
        .map(|r| (r.method.to_string(), r.path.clone()))
        .collect();
    assert_eq!(
        json.difference(&documented).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "JSON routes missing from the OpenAPI document"
    );
    assert_eq!(
        documented.difference(&json).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "documented but not served"
    );

    // A path nobody declared is not served either.
    let response = app.browser().get("/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(served_by(&response), "-");
}

fn sends_to_login(response: &Response) -> bool {
    response.status() == StatusCode::SEE_OTHER
        && response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/login"))
}

/// Anonymous callers reach the public routes and are turned away from the others; a member
/// without the role is refused the routes of a role.
#[tokio::test]
async fn who_may_call_a_route_is_what_the_registry_says() {
    let app = spawn_app().await;
    app.create_user(&[Role::Admin]).await;
    let anonymous = app.browser();
    let mut wrong = Vec::new();
    for route in route_registry() {
        let method = &method_of(&route);
        let RouteInfo {
            path, kind, access, ..
        } = &route;
        if *kind == Kind::Asset {
            continue;
        }
        let response = send(&app, &anonymous, *kind, method, &concrete(path)).await;
        let turned_away =
            response.status() == StatusCode::UNAUTHORIZED || sends_to_login(&response);
        match access {
            Access::Public if turned_away => {
                wrong.push(format!("{method} {path} is public but asks to log in"));
            }
            Access::Member | Access::Role(_) | Access::ProvisioningToken if !turned_away => wrong
                .push(format!(
                    "{method} {path} is for members but answers anonymous callers {}",
                    response.status()
                )),
            _ => {}
        }
    }

    // Role routes without parameters, read by a member without roles: 403.
    let (member, _) = app.login_as(&[]).await;
    for route in route_registry() {
        if let (Access::Role(role), Method::GET, false) =
            (route.access, method_of(&route), route.path.contains('{'))
        {
            let response = member.get(&route.path).await;
            if response.status() != StatusCode::FORBIDDEN {
                wrong.push(format!(
                    "GET {} is for {role:?} but a member gets {}",
                    route.path,
                    response.status()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
