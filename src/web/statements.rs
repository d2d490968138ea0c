//! The statement counter of a request: how many database statements it ran, logged at debug
//! level and, when `Settings::diagnostic_headers` is on, sent back as a header so tests
//! and benchmarks hold routes to a budget, with the route pattern that served the request.
use actix_web::{
    Error, HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
    web,
};

use crate::{state::AppState, web::routes::ServedBy};

/// The response header with the count.
pub const HEADER: &str = "x-kring-statements";
/// The response header with the registry pattern of the route that served the request (`-`
/// when none did).
pub const ROUTE_HEADER: &str = "x-kring-route";

/// Middleware (outermost, so the session lookup counts too).
pub async fn count(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let expose = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.settings.diagnostic_headers);
    let method = req.method().clone();
    let path = req.path().to_owned();
    let (response, statements) = crate::db::statements::counted(next.call(req)).await;
    tracing::debug!(%method, %path, statements, "database statements of the request");
    let mut response = response?;
    if expose {
        response.headers_mut().insert(
            HeaderName::from_static(HEADER),
            HeaderValue::from(statements),
        );
        let served = response.request().extensions().get::<ServedBy>().cloned();
        let pattern = served.as_ref().map_or("-", |s| &*s.0);
        if let Ok(value) = HeaderValue::from_str(pattern) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(ROUTE_HEADER), value);
        }
    }
    Ok(response)
}
