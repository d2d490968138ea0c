//! The statement counter of a request: how many database statements it ran, logged at debug
//! level and, when `Settings::expose_statement_count` is on, sent back as a header so tests
//! and benchmarks hold routes to a budget.
use actix_web::{
    Error,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
    web,
};

use crate::state::AppState;

/// The response header with the count.
pub const HEADER: &str = "x-kring-statements";

/// Middleware (outermost, so the session lookup counts too).
pub async fn count(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let expose = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.settings.expose_statement_count);
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
    }
    Ok(response)
}
