//! HTTP caching and compression.
//!
//! - **Compression** (gzip) for what reflects no secret next to what a visitor typed: the JSON
//!   API, SCIM, Atom feeds and static assets. HTML pages carry the CSRF token beside echoed
//!   input (a search query, a form sent back with its error), which is what BREACH reads
//!   through compression sizes, so they go out uncompressed: [`compress_only_where_safe`]
//!   hides the request's `Accept-Encoding` from the compressor for every other path.
//! - **Assets** under fingerprinted URLs (`?v=<asset_version>`, see
//!   [`super::templates::asset_version`]) are cached for a year and never revalidated
//!   ([`asset_cache`]); any other asset URL is revalidated through its `ETag` after an hour.
//! - **Feeds** carry a strong `ETag` of their document and answer `If-None-Match` with
//!   `304 Not Modified` ([`conditional`]): a feed reader polling every few minutes gets a few
//!   bytes instead of fifty entries.
use actix_web::{
    Error, HttpRequest, HttpResponse,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderValue},
    middleware::Next,
    web,
};
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// `Cache-Control` of an asset requested under the current fingerprint.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of an asset requested without it (or under an old one).
pub const REVALIDATE: &str = "public, max-age=3600, must-revalidate";

/// Whether a response to `path` may be compressed: it holds no session secret beside input.
pub fn may_compress(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/scim/")
        || path.starts_with("/assets/")
        || path.ends_with(".atom")
}

/// Middleware, outside `Compress`: requests whose answer must not be compressed lose their
/// `Accept-Encoding`, so the compressor leaves them as they are.
pub async fn compress_only_where_safe(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if !may_compress(req.path()) {
        req.headers_mut().remove(header::ACCEPT_ENCODING);
    }
    next.call(req).await
}

/// Middleware of the `/assets` scope: a year and `immutable` under the current fingerprint.
pub async fn asset_cache(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let fingerprinted = req.app_data::<web::Data<AppState>>().is_some_and(|state| {
        url::form_urlencoded::parse(req.query_string().as_bytes())
            .any(|(key, value)| key == "v" && value == state.asset_version)
    });
    let mut response = next.call(req).await?;
    if response.status().is_success() || response.status() == 304 {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if fingerprinted { IMMUTABLE } else { REVALIDATE }),
        );
    }
    Ok(response)
}

/// A strong entity tag of `body`.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", hex::encode(&digest[..12]))
}

/// Whether `If-None-Match` (a list of tags, or `*`) names `etag`. Weak tags match too: for a
/// `GET` the comparison is the weak one (RFC 9110, 13.1.2).
fn none_match(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

/// `body` as a `200` with its `ETag`, or a bodiless `304` when the client holds it already.
/// `Cache-Control` stays the signed-in default, `no-store` (`security::headers`): browsers keep
/// nothing, while feed readers, which poll with `If-None-Match`, get the 304.
pub fn conditional(req: &HttpRequest, content_type: &str, body: String) -> HttpResponse {
    let etag = etag_of(body.as_bytes());
    let unchanged = none_match(req, &etag);
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response.insert_header((header::ETAG, etag));
    if unchanged {
        return response.finish();
    }
    response.content_type(content_type.to_owned()).body(body)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn only_pages_without_secrets_are_compressed() {
        for path in [
            "/api/v1/questions",
            "/scim/v2/Users",
            "/assets/css/kring.css",
            "/blog/feed.atom",
        ] {
            assert!(may_compress(path), "{path}");
        }
        for path in [
            "/",
            "/search",
            "/questions/1",
            "/login",
            "/api-docs",
            "/kpis/export/weekly",
        ] {
            assert!(!may_compress(path), "{path}");
        }
    }

    #[test]
    fn if_none_match_lists_weak_tags_and_stars() {
        let etag = etag_of(b"<feed/>");
        let with = |value: &str| {
            TestRequest::default()
                .insert_header((header::IF_NONE_MATCH, value))
                .to_http_request()
        };
        assert!(none_match(&with(&etag), &etag));
        assert!(none_match(&with(&format!("\"x\", W/{etag}")), &etag));
        assert!(none_match(&with("*"), &etag));
        assert!(!none_match(&with("\"x\""), &etag));
        assert!(!none_match(
            &TestRequest::default().to_http_request(),
            &etag
        ));
        assert_ne!(etag, etag_of(b"<feed></feed>"));
    }
}
