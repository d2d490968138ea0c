//! The SCIM wire format: `application/scim+json` bodies, the error format of RFC 7644 §3.12,
//! list responses with paging, and the `attributes` / `excludedAttributes` projection.
use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::error::AppError;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const ENTERPRISE_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const CONTENT_TYPE: &str = "application/scim+json";

/// The most resources one list response holds (`count` above it is lowered).
pub const MAX_RESULTS: u64 = 200;
/// The largest request body accepted.
pub const MAX_BODY: usize = 1024 * 1024;

/// A SCIM error: status, `scimType` where RFC 7644 §3.12 names one, and a detail for people.
#[derive(Debug)]
pub struct ScimError {
    pub status: StatusCode,
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

pub type ScimResult<T> = Result<T, ScimError>;

impl ScimError {
    pub fn new(
        status: StatusCode,
        scim_type: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    /// 400 with a `scimType` (`invalidValue`, `invalidFilter`, `invalidPath`, `noTarget`,
    /// `invalidSyntax`, `mutability`, `tooMany`).
    pub fn bad(scim_type: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some(scim_type), detail)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, None, format!("{what} not found"))
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            None,
            "a valid provisioning token is needed (Authorization: Bearer <token>)",
        )
    }

    pub fn uniqueness(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, Some("uniqueness"), detail)
    }
}

impl std::fmt::Display for ScimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.detail)
    }
}

impl ResponseError for ScimError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(scim_type) = self.scim_type {
            body["scimType"] = json!(scim_type);
        }
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", "Bearer realm=\"scim\""));
        }
        response.content_type(CONTENT_TYPE).body(body.to_string())
    }
}

impl From<AppError> for ScimError {
    fn from(err: AppError) -> Self {
        match err {
            AppError::NotFound => Self::not_found("resource"),
            AppError::Validation { field, msg } => Self::bad(
                "invalidValue",
                match field {
                    Some(field) => format!("{field}: {msg}"),
                    None => msg.to_string(),
                },
            ),
            AppError::BadRequest(detail) => Self::bad("invalidSyntax", detail),
            AppError::Conflict(msg) if msg.key == "err-email-taken" => {
                Self::uniqueness(msg.to_string())
            }
            AppError::Conflict(msg) => Self::new(StatusCode::CONFLICT, None, msg.to_string()),
            AppError::Forbidden(msg) => Self::new(StatusCode::FORBIDDEN, None, msg.to_string()),
            AppError::Unauthenticated | AppError::InvalidCredentials | AppError::Csrf => {
                Self::unauthorized()
            }
            AppError::TooManyRequests { .. } => {
                Self::new(StatusCode::TOO_MANY_REQUESTS, None, "too many requests")
            }
            AppError::Internal(err) => {
                tracing::error!(error = format!("{err:#}"), "SCIM request failed");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, None, "internal error")
            }
        }
    }
}

impl From<sea_orm::DbErr> for ScimError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::from(err).into()
    }
}

/// A SCIM JSON response.
pub fn respond(status: StatusCode, body: &Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(CONTENT_TYPE)
        .body(body.to_string())
}

/// A resource with its version as the ETag.
pub fn respond_resource(status: StatusCode, body: &Value) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    if let Some(version) = body.pointer("/meta/version").and_then(Value::as_str) {
        response.insert_header(("ETag", version.to_owned()));
    }
    if status == StatusCode::CREATED
        && let Some(location) = body.pointer("/meta/location").and_then(Value::as_str)
    {
        response.insert_header(("Location", location.to_owned()));
    }
    response.content_type(CONTENT_TYPE).body(body.to_string())
}

/// Parses a request body (SCIM or plain JSON) into an object.
pub fn parse_body(body: &[u8]) -> ScimResult<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ScimError::bad(
            "invalidSyntax",
            "the body must be a JSON object",
        )),
        Err(e) => Err(ScimError::bad(
            "invalidSyntax",
            format!("invalid JSON: {e}"),
        )),
    }
}

/// The query parameters of a list request (RFC 7644 §3.4.2).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    pub filter: Option<String>,
    pub start_index: Option<String>,
    pub count: Option<String>,
    pub attributes: Option<String>,
    pub excluded_attributes: Option<String>,
}

/// Paging as asked: `startIndex` from 1, `count` up to [`MAX_RESULTS`].
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub start_index: u64,
    pub count: u64,
}

impl ListQuery {
    pub fn page(&self) -> ScimResult<Page> {
        let number = |raw: &Option<String>, name: &str| -> ScimResult<Option<i64>> {
            raw.as_deref()
                .map(|v| {
                    v.trim().parse::<i64>().map_err(|_| {
                        ScimError::bad("invalidValue", format!("{name} must be an integer"))
                    })
                })
                .transpose()
        };
        // RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0.
        let start_index = number(&self.start_index, "startIndex")?.unwrap_or(1).max(1) as u64;
        let count = number(&self.count, "count")?
            .map_or(MAX_RESULTS, |c| c.max(0) as u64)
            .min(MAX_RESULTS);
        Ok(Page { start_index, count })
    }

    pub fn projection(&self) -> Projection {
        let split = |raw: &Option<String>| -> Vec<String> {
            raw.as_deref()
                .unwrap_or("")
                .split(',')
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect()
        };
        Projection {
            attributes: split(&self.attributes),
            excluded: split(&self.excluded_attributes),
        }
    }
}

/// `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5).
#[derive(Debug, Default, Clone)]
pub struct Projection {
    pub attributes: Vec<String>,
    pub excluded: Vec<String>,
}

/// Attributes a response always carries.
const ALWAYS: [&str; 2] = ["id", "schemas"];

impl Projection {
    /// The resource with only the asked attributes (plus those always returned).
    pub fn apply(&self, resource: Value) -> Value {
        let Value::Object(mut map) = resource else {
            return resource;
        };
        if !self.attributes.is_empty() {
            let mut kept = Map::new();
            for key in ALWAYS {
                if let Some(v) = map.remove(key) {
                    kept.insert(key.to_owned(), v);
                }
            }
            for wanted in &self.attributes {
                let (container, name, sub) = split_attribute(wanted);
                copy_attribute(&map, &mut kept, container.as_deref(), &name, sub.as_deref());
            }
            map = kept;
        }
        for unwanted in &self.excluded {
            let (container, name, sub) = split_attribute(unwanted);
            if ALWAYS.iter().any(|a| a.eq_ignore_ascii_case(&name)) && container.is_none() {
                continue;
            }
            let target = match &container {
                Some(urn) => map.get_mut(urn.as_str()).and_then(Value::as_object_mut),
                None => Some(&mut map),
            };
            if let Some(target) = target {
                match sub {
                    Some(sub) => {
                        if let Some(key) = find_key(target, &name)
                            && let Some(inner) = target.get_mut(&key).and_then(Value::as_object_mut)
                            && let Some(sub_key) = find_key(inner, &sub)
                        {
                            inner.remove(&sub_key);
                        }
                    }
                    None => {
                        if let Some(key) = find_key(target, &name) {
                            target.remove(&key);
                        }
                    }
                }
            }
        }
        Value::Object(map)
    }
}

fn copy_attribute(
    from: &Map<String, Value>,
    to: &mut Map<String, Value>,
    container: Option<&str>,
    name: &str,
    sub: Option<&str>,
) {
    let (source, target) = match container {
        Some(urn) => {
            let Some(source) = from.get(urn).and_then(Value::as_object) else {
                return;
            };
            let target = to
                .entry(urn.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            (source, target.as_object_mut().expect("an object"))
        }
        None => (from, to),
    };
    let Some(key) = find_key(source, name) else {
        return;
    };
    match sub {
        None => {
            target.insert(key.clone(), source[&key].clone());
        }
        Some(sub) => {
            if let Some(inner) = source[&key].as_object()
                && let Some(sub_key) = find_key(inner, sub)
            {
                let entry = target
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Some(entry) = entry.as_object_mut() {
                    entry.insert(sub_key.clone(), inner[&sub_key].clone());
                }
            }
        }
    }
}

/// Splits `urn:...:User:name.givenName` into (extension container, name, sub-attribute). The
/// core schemas' URNs are dropped: their attributes live at the top level.
pub fn split_attribute(raw: &str) -> (Option<String>, String, Option<String>) {
    let mut rest = raw;
    let mut container = None;
    for urn in [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_SCHEMA] {
        if rest.len() > urn.len()
            && rest[..urn.len()].eq_ignore_ascii_case(urn)
            && rest.as_bytes()[urn.len()] == b':'
        {
            rest = &rest[urn.len() + 1..];
            if urn == ENTERPRISE_SCHEMA {
                container = Some(ENTERPRISE_SCHEMA.to_owned());
            }
            break;
        }
    }
    match rest.split_once('.') {
        Some((name, sub)) => (container, name.to_owned(), Some(sub.to_owned())),
        None => (container, rest.to_owned(), None),
    }
}

/// The key of `map` equal to `name` ignoring case (SCIM attribute names are case-insensitive).
pub fn find_key(map: &Map<String, Value>, name: &str) -> Option<String> {
    if map.contains_key(name) {
        return Some(name.to_owned());
    }
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

/// A list response of resources already projected, for this page.
pub fn list_response(total: u64, page: Page, resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": page.start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// A boolean as directories send it: `true`, or Entra ID's `"True"` / `"False"` strings.
pub fn lenient_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_keep_id_and_schemas_and_the_asked_ones() {
        let resource = json!({"schemas": ["x"], "id": "1", "userName": "a", "displayName": "A",
            "name": {"givenName": "G", "familyName": "F"}});
        let projection = Projection {
            attributes: vec!["USERNAME".into(), "name.givenName".into()],
            excluded: vec![],
        };
        assert_eq!(
            projection.apply(resource.clone()),
            json!({"schemas": ["x"], "id": "1", "userName": "a", "name": {"givenName": "G"}})
        );
        let projection = Projection {
            attributes: vec![],
            excluded: vec!["displayName".into(), "id".into()],
        };
        let out = projection.apply(resource);
        assert!(out.get("displayName").is_none());
        assert_eq!(out["id"], "1");
    }

    #[test]
    fn paging_follows_rfc_7644() {
        let q = ListQuery {
            start_index: Some("0".into()),
            count: Some("-5".into()),
            ..Default::default()
        };
        let page = q.page().unwrap();
        assert_eq!((page.start_index, page.count), (1, 0));
        let q = ListQuery {
            count: Some("100000".into()),
            ..Default::default()
        };
        assert_eq!(q.page().unwrap().count, MAX_RESULTS);
        let q = ListQuery {
            count: Some("ten".into()),
            ..Default::default()
        };
        assert_eq!(q.page().unwrap_err().scim_type, Some("invalidValue"));
    }

    #[test]
    fn entra_booleans() {
        assert_eq!(lenient_bool(&json!("False")), Some(false));
        assert_eq!(lenient_bool(&json!("TRUE")), Some(true));
        assert_eq!(lenient_bool(&json!(true)), Some(true));
        assert_eq!(lenient_bool(&json!("no")), None);
    }
}
