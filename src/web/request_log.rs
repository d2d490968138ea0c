//! The root span of every request, as `tracing-actix-web` builds it, but with the secrets a
//! request target can carry taken out: the `code` and `state` an identity provider sends back,
//! tokens in query strings, and the one-time tokens in account links
//! (`/password/reset/{token}`, `/invitations/{token}`, `/register/verify/{token}`). Every event
//! logged while a request runs carries this span, so the target must be safe to log.
use actix_web::{
    Error,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};

pub struct RedactingRootSpan;

impl RootSpanBuilder for RedactingRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let target = redacted_target(request.path(), request.uri().query().unwrap_or_default());
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.target = %target,
            http.client_ip = %request.connection_info().realip_remote_addr().unwrap_or(""),
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            request_id = %request_id(request),
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

fn request_id(request: &ServiceRequest) -> String {
    use actix_web::HttpMessage;
    request
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Query parameters whose values are secrets (OAuth 2.0 / OpenID Connect and our own).
const SECRET_PARAMS: [&str; 8] = [
    "code",
    "state",
    "id_token",
    "access_token",
    "refresh_token",
    "token",
    "session_state",
    "client_secret",
];

/// Path prefixes whose next segment is a one-time token.
const TOKEN_PATHS: [&str; 3] = ["/password/reset/", "/invitations/", "/register/verify/"];

pub fn redacted_target(path: &str, query: &str) -> String {
    let mut target = path.to_owned();
    for prefix in TOKEN_PATHS {
        if let Some(rest) = path.strip_prefix(prefix)
            && !rest.is_empty()
        {
            target = format!("{prefix}[redacted]");
        }
    }
    if query.is_empty() {
        return target;
    }
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            if SECRET_PARAMS.contains(&name.to_ascii_lowercase().as_str()) {
                format!("{name}=[redacted]")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    format!("{target}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::redacted_target;

    #[test]
    fn secrets_in_targets_are_redacted() {
        assert_eq!(
            redacted_target(
                "/auth/oidc/callback",
                "code=abc123&state=xyz&iss=http%3A%2F%2Fidp"
            ),
            "/auth/oidc/callback?code=[redacted]&state=[redacted]&iss=http%3A%2F%2Fidp"
        );
        assert_eq!(
            redacted_target("/password/reset/0123abcd", ""),
            "/password/reset/[redacted]"
        );
        assert_eq!(
            redacted_target("/invitations/ff00", "x=1"),
            "/invitations/[redacted]?x=1"
        );
        assert_eq!(
            redacted_target("/questions", "page=2&sort=new"),
            "/questions?page=2&sort=new"
        );
        assert_eq!(redacted_target("/search", "q=code"), "/search?q=code");
    }
}
