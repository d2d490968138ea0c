//! CSRF protection: a synchronizer token kept in the server-side session.
//!
//! The middleware guards every state-changing request (POST, PUT, PATCH, DELETE), so a new form
//! cannot forget it. It accepts the token from the `X-CSRF-Token` header or from the
//! `csrf_token` field of a urlencoded or multipart form (for uploads; the body is buffered up
//! to a limit and handed back to the handler). Two kinds of requests need no token:
//! - requests with `Authorization: Bearer` (a browser never adds that header on its own);
//! - `/api/` requests a cross-site page cannot send without a CORS preflight (which Kring never
//!   grants): a JSON body, or the methods PUT, PATCH and DELETE. What remains for the API is a
//!   POST with a "simple" body (form, multipart, text), which needs the token like a form.
//!
//! The crates that offer this for actix-web are either double-submit only (weaker against
//! cookie injection) or declare themselves unfit for production, hence this small module.
use actix_session::{Session, SessionExt};
use actix_web::{
    HttpMessage,
    body::{EitherBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::{Method, header},
    middleware::Next,
    web::BytesMut,
};
use futures_util::StreamExt;
use rand::RngCore;

use crate::error::AppError;

pub const CSRF_SESSION_KEY: &str = "csrf";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Forms larger than this are refused before the token is looked for.
const MAX_FORM_BYTES: usize = 256 * 1024;
/// Multipart forms carry uploads: the upload limit plus room for the other fields.
const MAX_MULTIPART_BYTES: usize = crate::uploads::MAX_IMAGE_BYTES + 1024 * 1024;

/// The session's CSRF token, created on first use.
pub fn token(session: &Session) -> anyhow::Result<String> {
    if let Some(token) = session.get::<String>(CSRF_SESSION_KEY)? {
        return Ok(token);
    }
    rotate(session)
}

/// Replaces the session's CSRF token (at login, so a token seen before login is useless after).
pub fn rotate(session: &Session) -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    session.insert(CSRF_SESSION_KEY, &token)?;
    Ok(token)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

fn has_bearer(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "))
}

/// The middleware (use with `actix_web::middleware::from_fn`, inside the session middleware).
/// A refusal is a response carrying `AppError::Csrf`, so the error pages render it.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    match check(req).await {
        Ok(req) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
        Err((req, err)) => Ok(req.error_response(err).map_into_right_body()),
    }
}

/// Passes the request on when it may proceed, else hands it back with the reason.
async fn check(mut req: ServiceRequest) -> Result<ServiceRequest, (ServiceRequest, AppError)> {
    // SCIM never reads the session: only its provisioning token counts there.
    if is_safe(req.method()) || has_bearer(&req) || req.path().starts_with("/scim/") {
        return Ok(req);
    }
    let content_type = req.content_type().to_ascii_lowercase();
    if req.path().starts_with("/api/")
        && (content_type == "application/json"
            || matches!(*req.method(), Method::PUT | Method::PATCH | Method::DELETE))
    {
        return Ok(req);
    }
    let expected = req
        .get_session()
        .get::<String>(CSRF_SESSION_KEY)
        .ok()
        .flatten();
    let mut provided = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if provided.is_none() && content_type == "application/x-www-form-urlencoded" {
        let body = match read_body(&mut req, MAX_FORM_BYTES).await {
            Ok(body) => body,
            Err(err) => return Err((req, err)),
        };
        provided = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
            .ok()
            .and_then(|fields| {
                fields
                    .into_iter()
                    .find(|(name, _)| name == CSRF_FIELD)
                    .map(|(_, v)| v)
            });
        // Hand the body back to the handler.
        req.set_payload(Payload::from(body.freeze()));
    } else if provided.is_none() && content_type == "multipart/form-data" {
        let boundary = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(boundary_of);
        let body = match read_body(&mut req, MAX_MULTIPART_BYTES).await {
            Ok(body) => body,
            Err(err) => return Err((req, err)),
        };
        provided = boundary.and_then(|b| multipart_text_field(&body, &b, CSRF_FIELD));
        req.set_payload(Payload::from(body.freeze()));
    }
    match (expected, provided) {
        (Some(expected), Some(provided))
            if constant_time_eq(expected.as_bytes(), provided.as_bytes()) =>
        {
            Ok(req)
        }
        _ => {
            tracing::warn!(
                path = req.path(),
                "request refused: missing or invalid CSRF token"
            );
            Err((req, AppError::Csrf))
        }
    }
}

async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<BytesMut, AppError> {
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| AppError::BadRequest(format!("cannot read the form: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::validation(
                "file",
                crate::error::Msg::new("err-upload-too-large")
                    .arg("max", crate::uploads::MAX_IMAGE_BYTES / 1024 / 1024),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The `boundary` parameter of a multipart content type.
fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.trim().split_once('=')?;
        name.eq_ignore_ascii_case("boundary")
            .then(|| value.trim_matches('"').to_owned())
    })
}

/// The value of a plain (non-file) field of a multipart body.
fn multipart_text_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let delimiter = format!("--{boundary}");
    let wanted = format!("name=\"{name}\"");
    let mut rest = body;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        let headers_end = find(rest, b"\r\n\r\n")?;
        let headers = String::from_utf8_lossy(&rest[..headers_end]);
        let value_start = headers_end + 4;
        let value_len = find(&rest[value_start..], delimiter.as_bytes())?;
        let lower = headers.to_ascii_lowercase();
        if lower.contains("content-disposition")
            && headers.contains(&wanted)
            && !lower.contains("filename=")
        {
            let value = &rest[value_start..value_start + value_len];
            let value = value.strip_suffix(b"\r\n").unwrap_or(value);
            return String::from_utf8(value.to_vec()).ok();
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_text_field_in_a_multipart_body() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"cover\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG csrf_token\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XyZ--\r\n";
        assert_eq!(
            boundary_of("multipart/form-data; boundary=XyZ").as_deref(),
            Some("XyZ")
        );
        assert_eq!(
            boundary_of("multipart/form-data; boundary=\"XyZ\"").as_deref(),
            Some("XyZ")
        );
        assert_eq!(
            multipart_text_field(body, "XyZ", "csrf_token").as_deref(),
            Some("abc123")
        );
        assert_eq!(multipart_text_field(body, "XyZ", "missing"), None);
    }
}
