//! The route registry: every route of the app, with its method, path, kind (HTML page, JSON
//! API, feed, asset) and who may call it. Each feature declares its routes on a [`Routes`]; the
//! same declarations configure the running app (`startup`) and list the routes without one
//! ([`Routes::listing`]), so tests can walk every route (authorization matrices, statement
//! budgets).
use std::rc::Rc;

use actix_web::{
    FromRequest, Handler, HttpMessage, Responder,
    dev::ServiceRequest,
    http::Method,
    middleware::{Next, from_fn},
    web,
};

use crate::auth::types::Role;

/// What a route answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A page or a form post (session cookie, CSRF token).
    Html,
    /// The JSON API under `/api/v1` (token or session).
    Json,
    /// An Atom feed.
    Feed,
    /// A static file under `/assets`.
    Asset,
    /// SCIM 2.0 provisioning under `/scim/v2` (`application/scim+json`).
    Scim,
}

/// Who may call a route. Services check it again; this is the gate a caller meets first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "who", content = "role")]
pub enum Access {
    /// Anybody, signed in or not.
    Public,
    /// Any signed-in person; what they may do with a given item is up to the service.
    Member,
    /// Signed-in people with this role (admins pass every role check).
    Role(Role),
    /// The company directory, with a provisioning token (SCIM); never a session.
    ProvisioningToken,
}

/// One route of the registry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RouteInfo {
    #[serde(serialize_with = "method_name")]
    pub method: Method,
    /// The full path pattern, e.g. `/api/v1/questions/{id}`.
    pub path: String,
    pub kind: Kind,
    pub access: Access,
}

fn method_name<S: serde::Serializer>(m: &Method, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(m.as_str())
}

/// The registry pattern of the route that served a request (a request extension).
#[derive(Clone, Debug)]
pub struct ServedBy(pub Rc<str>);

/// Collects routes and, when built for an app, registers them on its configuration.
pub struct Routes<'a> {
    cfg: Option<&'a mut web::ServiceConfig>,
    prefix: &'static str,
    kind: Kind,
    access: Access,
    list: Vec<RouteInfo>,
}

impl<'a> Routes<'a> {
    /// Routes registered on an app's configuration as they are declared.
    pub fn new(cfg: &'a mut web::ServiceConfig) -> Self {
        Self::with_cfg(Some(cfg))
    }

    /// Routes only listed, for tests and tools.
    pub fn listing() -> Routes<'static> {
        Routes::with_cfg(None)
    }

    fn with_cfg(cfg: Option<&'a mut web::ServiceConfig>) -> Self {
        Self {
            cfg,
            prefix: "",
            kind: Kind::Html,
            access: Access::Member,
            list: Vec::new(),
        }
    }

    /// The routes declared so far.
    pub fn into_list(self) -> Vec<RouteInfo> {
        self.list
    }

    /// Declares a group: `declare` runs with this prefix and kind, starting from "members
    /// only"; what it changes stays inside the group.
    pub fn group(&mut self, prefix: &'static str, kind: Kind, declare: fn(&mut Self)) -> &mut Self {
        let saved = (self.prefix, self.kind, self.access);
        (self.prefix, self.kind, self.access) = (prefix, kind, Access::Member);
        declare(self);
        (self.prefix, self.kind, self.access) = saved;
        self
    }

    /// Declares the routes of `declare` in the current group; access changes stay inside.
    pub fn with(&mut self, declare: fn(&mut Self)) -> &mut Self {
        let saved = (self.kind, self.access);
        declare(self);
        (self.kind, self.access) = saved;
        self
    }

    /// Who may call the routes declared next.
    pub fn access(&mut self, access: Access) -> &mut Self {
        self.access = access;
        self
    }

    /// What the routes declared next answer with.
    pub fn kind(&mut self, kind: Kind) -> &mut Self {
        self.kind = kind;
        self
    }

    /// Lists a route that the app serves through a service of its own (static files); its
    /// registration stays with that service.
    pub fn served_elsewhere(&mut self, method: Method, path: &str) -> &mut Self {
        self.record(method, path);
        self
    }

    fn record(&mut self, method: Method, path: &str) -> String {
        let full = format!("{}{path}", self.prefix);
        self.list.push(RouteInfo {
            method,
            path: full.clone(),
            kind: self.kind,
            access: self.access,
        });
        full
    }

    fn add<F, Args>(&mut self, method: Method, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let full = self.record(method.clone(), path);
        if let Some(cfg) = self.cfg.as_deref_mut() {
            let served: ServedBy = ServedBy(full.as_str().into());
            let route = web::method(method).to(handler).wrap(from_fn(
                move |req: ServiceRequest, next: Next<_>| {
                    req.extensions_mut().insert(served.clone());
                    next.call(req)
                },
            ));
            cfg.route(&full, route);
        }
        self
    }

    pub fn get<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::GET, path, handler)
    }

    pub fn post<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::POST, path, handler)
    }

    pub fn put<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::PUT, path, handler)
    }

    pub fn patch<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::PATCH, path, handler)
    }

    pub fn delete<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::DELETE, path, handler)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn ok() -> &'static str {
        "ok"
    }

    #[test]
    fn groups_prefix_paths_and_keep_their_access_inside() {
        let mut routes = Routes::listing();
        routes
            .access(Access::Public)
            .get("/", ok)
            .group("/api/v1", Kind::Json, |r| {
                r.get("/me", ok)
                    .access(Access::Role(Role::Admin))
                    .delete("/users/{id}", ok);
            })
            .post("/login", ok);
        let list = routes.into_list();
        let seen: Vec<(&str, &str, Kind, Access)> = list
            .iter()
            .map(|r| (r.method.as_str(), r.path.as_str(), r.kind, r.access))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("GET", "/", Kind::Html, Access::Public),
                ("GET", "/api/v1/me", Kind::Json, Access::Member),
                (
                    "DELETE",
                    "/api/v1/users/{id}",
                    Kind::Json,
                    Access::Role(Role::Admin)
                ),
                ("POST", "/login", Kind::Html, Access::Public),
            ]
        );
    }
}
