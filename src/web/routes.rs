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

/// Collects routes and, when built for an app, registers them on its configuration when it is
/// dropped (see [`register`]).
pub struct Routes<'a> {
    cfg: Option<&'a mut web::ServiceConfig>,
    prefix: &'static str,
    kind: Kind,
    access: Access,
    list: Vec<RouteInfo>,
    /// The app's routes with their full paths, in declaration order, until they are registered.
    pending: Vec<(String, actix_web::Route)>,
}

impl Drop for Routes<'_> {
    fn drop(&mut self) {
        if let Some(cfg) = self.cfg.take() {
            register(cfg, std::mem::take(&mut self.pending));
        }
    }
}

/// A route on its way to the router: the part of its path still to match, and the route.
type Pending = (String, actix_web::Route);

/// Registers `routes` (full paths, in matching order) in scopes by their leading static path
/// segment: `/blog/{slug}` is a route `/{slug}` of the scope `/blog`, itself a scope of the
/// app. The router tries an app's or a scope's entries one by one and runs a regular
/// expression for every dynamic one, so a flat list of three hundred routes made a page late in
/// it match dozens of expressions per request (a tenth of its CPU time); scopes are matched by
/// their prefix, a string comparison.
///
/// The first match still wins: within a scope the routes keep their order, and a path can enter
/// one scope only (their first segments are distinct and static). A level with a route whose
/// first segment is dynamic is left flat, since that route could match any scope's paths.
fn register(cfg: &mut web::ServiceConfig, routes: Vec<Pending>) {
    for entry in grouped(routes) {
        match entry {
            Entry::Route(path, route) => {
                cfg.route(&path, route);
            }
            Entry::Scope(prefix, inner) => {
                cfg.service(scope(&prefix, inner));
            }
        }
    }
}

fn scope(prefix: &str, routes: Vec<Pending>) -> actix_web::Scope {
    grouped(routes)
        .into_iter()
        .fold(web::scope(prefix), |scope, entry| match entry {
            Entry::Route(path, route) => scope.route(&path, route),
            Entry::Scope(prefix, inner) => scope.service(self::scope(&prefix, inner)),
        })
}

enum Entry {
    Route(String, actix_web::Route),
    /// A prefix (`/blog`) and its routes, their paths relative to it (`""`, `/{slug}`).
    Scope(String, Vec<Pending>),
}

/// The leading segment of a path (`/blog` of `/blog/{slug}`) and the rest (`/{slug}`); `None`
/// for the empty path (a scope's own path).
fn split_first(path: &str) -> Option<(&str, &str)> {
    let tail = path.strip_prefix('/')?;
    Some(path.split_at(tail.find('/').map_or(path.len(), |i| i + 1)))
}

/// `routes` as one level of the router: a scope per leading static segment shared by two
/// routes or more, in order of first appearance; the others as they are. The empty path
/// matches only the level's own path, which no scope below matches, so it stays a route.
fn grouped(routes: Vec<Pending>) -> Vec<Entry> {
    let flat = routes
        .iter()
        .any(|(path, _)| split_first(path).is_some_and(|(first, _)| first.contains('{')));
    let mut entries: Vec<Entry> = Vec::new();
    let mut scopes: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (path, route) in routes {
        let Some((first, rest)) = split_first(&path).filter(|_| !flat) else {
            entries.push(Entry::Route(path, route));
            continue;
        };
        match scopes.get(first) {
            Some(&at) => {
                if let Entry::Scope(_, inner) = &mut entries[at] {
                    inner.push((rest.to_owned(), route));
                }
            }
            None => {
                scopes.insert(first.to_owned(), entries.len());
                entries.push(Entry::Scope(
                    first.to_owned(),
                    vec![(rest.to_owned(), route)],
                ));
            }
        }
    }
    // A scope of one route is that route.
    entries
        .into_iter()
        .map(|entry| match entry {
            Entry::Scope(first, mut inner) if inner.len() == 1 => {
                let (rest, route) = inner.remove(0);
                Entry::Route(format!("{first}{rest}"), route)
            }
            other => other,
        })
        .collect()
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
            pending: Vec::new(),
        }
    }

    /// The routes declared so far.
    pub fn into_list(mut self) -> Vec<RouteInfo> {
        std::mem::take(&mut self.list)
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
        if self.cfg.is_some() {
            let served: ServedBy = ServedBy(full.as_str().into());
            let route = web::method(method).to(handler).wrap(from_fn(
                move |req: ServiceRequest, next: Next<_>| {
                    req.extensions_mut().insert(served.clone());
                    next.call(req)
                },
            ));
            self.pending.push((full, route));
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
