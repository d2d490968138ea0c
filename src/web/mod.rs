//! The web layer shared by all features: sessions, CSRF, error pages, page rendering,
//! pagination, security headers and the client address.
pub mod caching;
pub mod csrf;
pub mod errors;
pub mod page;
pub mod pagination;
pub mod request_log;
pub mod routes;
pub mod security;
pub mod session;
pub mod statements;
pub mod templates;
pub mod text_guard;

use std::net::IpAddr;

use actix_web::HttpRequest;

/// The client's address as the server sees it (the socket peer). Headers such as
/// `X-Forwarded-For` are not trusted: anyone can send them.
pub fn client_ip(req: &HttpRequest) -> Option<IpAddr> {
    req.peer_addr().map(|a| a.ip())
}
