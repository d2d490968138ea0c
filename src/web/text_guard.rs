//! Refuses, for every route at once, requests whose text holds a character no text in Kring may
//! hold (`content::text`: NUL, the other C0 controls except tab and line breaks, U+FFFE, U+FFFF).
//!
//! It looks at the address (decoded), every query parameter, and urlencoded and JSON bodies
//! (object keys and strings at any depth), before any handler runs, so no feature can forget it
//! and nothing is stored. The answers:
//! - a control character in the address: 404, as no page or resource is named that way;
//! - in a query parameter: 400 `bad_request` (as for any malformed query), in a body: 422
//!   `validation_failed`, naming the parameter, form field or JSON path (`tags[1]`) and the
//!   character (`U+0000`), in the visitor's language on HTML pages;
//! - under `/scim/`: SCIM's own error (400, `scimType` `invalidValue`; `scim::routes`).
//!
//! Multipart bodies carry files; Kring keeps none of their text (a file name only gives the
//! extension). Bodies larger than their extractor's limit are left to the extractor, which
//! refuses them.
use actix_web::{
    HttpMessage,
    body::{EitherBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web::{Bytes, BytesMut},
};
use futures_util::StreamExt;

use crate::{
    content::text::{code_point, forbidden, forbidden_in_json, xml_safe},
    error::{AppError, Msg},
    i18n::Lang,
};

/// The largest body looked at: the JSON extractor's limit (forms allow less).
const MAX_BODY: usize = 1024 * 1024;

/// Where a forbidden character was found.
enum Found {
    /// In the address.
    Address,
    /// In the named query parameter.
    Query { place: String, c: char },
    /// In the named form field or JSON path of the body.
    Body { place: String, c: char },
}

/// The middleware (`actix_web::middleware::from_fn`). SCIM answers in its own error format:
/// `scim::routes::text_guard` guards `/scim/` with [`refusal`].
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if !req.path().starts_with("/scim/")
        && let Some(err) = refusal(&mut req).await
    {
        return Ok(req.error_response(err).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Why the request is refused, if it holds a character no text may hold: `NotFound` for the
/// address, `BadRequest` for a query parameter, `Validation` for the body. Reads (and gives
/// back) a urlencoded or JSON body.
pub async fn refusal(req: &mut ServiceRequest) -> Option<AppError> {
    let found = match check(req).await {
        Ok(found) => found?,
        Err(err) => return Some(err),
    };
    Some(match found {
        Found::Address => AppError::NotFound,
        Found::Query { place, c } => {
            AppError::BadRequest(message(&place, c).text(Lang::of_request(req.request())))
        }
        Found::Body { place, c } => AppError::Validation {
            field: None,
            msg: message(&place, c),
        },
    })
}

fn message(place: &str, c: char) -> Msg {
    tracing::info!(place = %xml_safe(place), character = %code_point(c), "control character refused");
    Msg::new("err-control-character")
        .arg("field", xml_safe(place).into_owned())
        .arg("char", code_point(c))
}

/// The first forbidden character of the request, if any. Reads (and gives back) a urlencoded or
/// JSON body.
async fn check(req: &mut ServiceRequest) -> Result<Option<Found>, AppError> {
    let path = percent_encoding::percent_decode_str(req.path()).decode_utf8_lossy();
    if forbidden(&path).is_some() {
        return Ok(Some(Found::Address));
    }
    if let Some((place, c)) = in_pairs(req.query_string().as_bytes()) {
        return Ok(Some(Found::Query { place, c }));
    }
    let content_type = req.content_type().to_ascii_lowercase();
    let form = content_type == "application/x-www-form-urlencoded";
    let json = content_type == "application/json"
        || (content_type.starts_with("application/") && content_type.ends_with("+json"));
    if !(form || json) || declared_length(req).is_some_and(|len| len > MAX_BODY) {
        return Ok(None);
    }
    let Some(body) = read_body(req).await? else {
        return Ok(None);
    };
    let found = if form {
        in_pairs(&body)
    } else {
        json_body(&body)
    };
    req.set_payload(Payload::from(body));
    Ok(found.map(|(place, c)| Found::Body { place, c }))
}

/// Query strings and urlencoded forms: every name and value, decoded.
fn in_pairs(encoded: &[u8]) -> Option<(String, char)> {
    url::form_urlencoded::parse(encoded).find_map(|(name, value)| {
        forbidden(&name)
            .or_else(|| forbidden(&value))
            .map(|c| (name.into_owned(), c))
    })
}

/// A JSON body. Raw control characters are invalid JSON (the extractor refuses them); escaped
/// ones (`\u0000`, `\b`, `\f`) and raw U+FFFE/U+FFFF need the document parsed to be told from
/// text.
fn json_body(body: &[u8]) -> Option<(String, char)> {
    let suspect = body.contains(&0xEF)
        || body
            .windows(2)
            .any(|w| w[0] == b'\\' && matches!(w[1], b'u' | b'b' | b'f'));
    if !suspect {
        return None;
    }
    let value = serde_json::from_slice::<serde_json::Value>(body).ok()?;
    forbidden_in_json(&value)
}

fn declared_length(req: &ServiceRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// The whole body, or `None` (and the part read handed back) when it outgrows [`MAX_BODY`], so
/// the extractor refuses it with its usual error.
async fn read_body(req: &mut ServiceRequest) -> Result<Option<Bytes>, AppError> {
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| AppError::BadRequest(format!("cannot read the body: {e}")))?;
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BODY {
            let read = futures_util::stream::once(async move { Ok(body.freeze()) });
            req.set_payload(Payload::Stream {
                payload: Box::pin(read.chain(payload)),
            });
            return Ok(None);
        }
    }
    Ok(Some(body.freeze()))
}
