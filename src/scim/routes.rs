//! The `/scim/v2` endpoints. Every request needs a valid provisioning token ([`Provisioner`]);
//! answers are `application/scim+json`, errors in the SCIM error format, also for paths and
//! methods no route serves ([`fallback`]).
use actix_web::{FromRequest, HttpRequest, HttpResponse, http::StatusCode, web};
use futures_util::future::LocalBoxFuture;
use serde_json::Value;

use super::{
    discovery, groups,
    paths::parse_patch,
    protocol::{self, ListQuery, ScimError, ScimResult, respond, respond_resource},
    tokens,
    users::{self, Base},
};
use crate::{
    state::AppState,
    web::routes::{Access, Routes},
};

pub fn configure(r: &mut Routes) {
    r.access(Access::ProvisioningToken)
        .get("/ServiceProviderConfig", service_provider_config)
        .get("/ResourceTypes", resource_types)
        .get("/ResourceTypes/{name}", resource_type)
        .get("/Schemas", schemas)
        .get("/Schemas/{id}", schema)
        .post("/.search", search_everything)
        .get("/Users", list_users)
        .post("/Users", create_user)
        .post("/Users/.search", search_users)
        .get("/Users/{id}", get_user)
        .put("/Users/{id}", replace_user)
        .patch("/Users/{id}", patch_user)
        .delete("/Users/{id}", delete_user)
        .get("/Groups", list_groups)
        .post("/Groups", create_group)
        .post("/Groups/.search", search_groups)
        .get("/Groups/{id}", get_group)
        .put("/Groups/{id}", replace_group)
        .patch("/Groups/{id}", patch_group)
        .delete("/Groups/{id}", delete_group);
}

/// A request that carried a valid provisioning token; anything else is refused with 401.
pub struct Provisioner {
    pub token_id: i64,
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

async fn authenticate(req: &HttpRequest) -> ScimResult<Provisioner> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(ScimError::unauthorized)?;
    let token = bearer(req).ok_or_else(ScimError::unauthorized)?;
    let token_id = tokens::check(&state.db, &token)
        .await?
        .ok_or_else(ScimError::unauthorized)?;
    Ok(Provisioner { token_id })
}

impl FromRequest for Provisioner {
    type Error = ScimError;
    type Future = LocalBoxFuture<'static, Result<Self, ScimError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await })
    }
}

fn base(state: &AppState, req: &HttpRequest) -> Base {
    let origin = crate::sso::api::origin(req);
    let url = crate::sso::settings::public_url(&state.settings, &origin, "/scim/v2");
    Base(url.as_str().trim_end_matches('/').to_owned())
}

fn query(req: &HttpRequest) -> ScimResult<ListQuery> {
    serde_urlencoded::from_str(req.query_string())
        .map_err(|e| ScimError::bad("invalidValue", format!("invalid query parameters: {e}")))
}

async fn body(payload: web::Payload) -> ScimResult<serde_json::Map<String, Value>> {
    let bytes = payload
        .to_bytes_limited(protocol::MAX_BODY)
        .await
        .map_err(|_| ScimError::new(StatusCode::PAYLOAD_TOO_LARGE, None, "the body is too large"))?
        .map_err(|e| ScimError::bad("invalidSyntax", format!("cannot read the body: {e}")))?;
    protocol::parse_body(&bytes)
}

/// A resource as asked (`attributes`, `excludedAttributes`).
fn resource(req: &HttpRequest, status: StatusCode, value: Value) -> ScimResult<HttpResponse> {
    let value = query(req)?.projection().apply(value);
    Ok(respond_resource(status, &value))
}

async fn service_provider_config(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> ScimResult<HttpResponse> {
    Ok(respond(
        StatusCode::OK,
        &discovery::service_provider_config(&base(&state, &req)),
    ))
}

async fn resource_types(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> ScimResult<HttpResponse> {
    Ok(respond(
        StatusCode::OK,
        &discovery::resource_types(&base(&state, &req)),
    ))
}

async fn resource_type(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    name: web::Path<String>,
) -> ScimResult<HttpResponse> {
    Ok(respond(
        StatusCode::OK,
        &discovery::one_resource_type(&base(&state, &req), &name)?,
    ))
}

async fn schemas(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> ScimResult<HttpResponse> {
    Ok(respond(
        StatusCode::OK,
        &discovery::schemas(&base(&state, &req)),
    ))
}

async fn schema(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> ScimResult<HttpResponse> {
    Ok(respond(
        StatusCode::OK,
        &discovery::one_schema(&base(&state, &req), &id)?,
    ))
}

async fn list_users(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> ScimResult<HttpResponse> {
    let list = users::list(&state.db, &base(&state, &req), &query(&req)?).await?;
    Ok(respond(StatusCode::OK, &list))
}

/// `POST /.search` over several resource types: not supported (501, RFC 7644 §3.12).
async fn search_everything(_: Provisioner) -> ScimResult<HttpResponse> {
    Err(ScimError::new(
        StatusCode::NOT_IMPLEMENTED,
        None,
        "searching several resource types at once is not supported; use /Users/.search or /Groups/.search",
    ))
}

/// A `SearchRequest` body (RFC 7644 §3.4.3) read as the query parameters of a list.
async fn search_request(payload: web::Payload) -> ScimResult<ListQuery> {
    let map = body(payload).await?;
    let get = |name: &str| protocol::find_key(&map, name).and_then(|k| map.get(&k).cloned());
    let names = |v: Option<Value>| -> Option<String> {
        match v? {
            Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            Value::String(s) => Some(s),
            _ => None,
        }
    };
    let number = |v: Option<Value>| v.map(|v| v.to_string().trim_matches('"').to_owned());
    Ok(ListQuery {
        filter: get("filter").and_then(|v| v.as_str().map(str::to_owned)),
        start_index: number(get("startIndex")),
        count: number(get("count")),
        attributes: names(get("attributes")),
        excluded_attributes: names(get("excludedAttributes")),
    })
}

async fn search_users(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let query = search_request(payload).await?;
    let list = users::list(&state.db, &base(&state, &req), &query).await?;
    Ok(respond(StatusCode::OK, &list))
}

async fn search_groups(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let query = search_request(payload).await?;
    let list = groups::list(&state.db, &base(&state, &req), &query).await?;
    Ok(respond(StatusCode::OK, &list))
}

async fn create_user(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let created = users::create(&state.db, &base(&state, &req), &body(payload).await?).await?;
    resource(&req, StatusCode::CREATED, created)
}

async fn get_user(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> ScimResult<HttpResponse> {
    let user = users::get(&state.db, &base(&state, &req), &id).await?;
    resource(&req, StatusCode::OK, user)
}

async fn replace_user(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let user = users::replace(&state.db, &base(&state, &req), &id, &body(payload).await?).await?;
    resource(&req, StatusCode::OK, user)
}

async fn patch_user(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let ops = parse_patch(&body(payload).await?)?;
    let user = users::patch(&state.db, &base(&state, &req), &id, &ops).await?;
    resource(&req, StatusCode::OK, user)
}

async fn delete_user(
    _: Provisioner,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ScimResult<HttpResponse> {
    users::delete(&state.db, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn list_groups(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> ScimResult<HttpResponse> {
    let list = groups::list(&state.db, &base(&state, &req), &query(&req)?).await?;
    Ok(respond(StatusCode::OK, &list))
}

async fn create_group(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let created = groups::create(&state.db, &base(&state, &req), &body(payload).await?).await?;
    resource(&req, StatusCode::CREATED, created)
}

async fn get_group(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> ScimResult<HttpResponse> {
    let group = groups::get(&state.db, &base(&state, &req), &id).await?;
    resource(&req, StatusCode::OK, group)
}

async fn replace_group(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let group = groups::replace(&state.db, &base(&state, &req), &id, &body(payload).await?).await?;
    resource(&req, StatusCode::OK, group)
}

async fn patch_group(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let ops = parse_patch(&body(payload).await?)?;
    let group = groups::patch(&state.db, &base(&state, &req), &id, &ops).await?;
    resource(&req, StatusCode::OK, group)
}

async fn delete_group(
    _: Provisioner,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ScimResult<HttpResponse> {
    groups::delete(&state.db, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The methods served on a `/scim/v2` path, if it is one of ours.
fn methods_of(path: &str) -> Option<&'static str> {
    let rest = path.strip_prefix("/scim/v2")?;
    let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["ServiceProviderConfig"]
        | ["ResourceTypes"]
        | ["ResourceTypes", _]
        | ["Schemas"]
        | ["Schemas", _] => Some("GET"),
        ["Users"] | ["Groups"] => Some("GET, POST"),
        [".search"] => Some("POST"),
        ["Users", id] | ["Groups", id] if !id.is_empty() => Some("GET, PUT, PATCH, DELETE"),
        _ => None,
    }
}

/// What no route serves under `/scim/`: 401 without a valid token, else 405 for a known path
/// with another method, else 404 — in the SCIM error format.
pub async fn fallback(req: HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    if let Err(err) = authenticate(&req).await {
        return err.error_response();
    }
    match methods_of(req.path()) {
        Some(allowed) => {
            let mut response = ScimError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                None,
                format!("{} is not supported here", req.method()),
            )
            .error_response();
            if let Ok(value) = allowed.parse() {
                response
                    .headers_mut()
                    .insert(actix_web::http::header::ALLOW, value);
            }
            response
        }
        None => ScimError::not_found("endpoint").error_response(),
    }
}
