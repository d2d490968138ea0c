//! The `/scim/v2` endpoints. Every request needs a valid provisioning token ([`Provisioner`]);
//! answers are `application/scim+json`, errors in the SCIM error format, also for paths and
//! methods no route serves ([`fallback`]).
use actix_web::{FromRequest, HttpRequest, HttpResponse, http::StatusCode, web};
use futures_util::future::LocalBoxFuture;
use sea_orm::DatabaseConnection;
use serde_json::Value;

use super::{
    discovery, groups,
    paths::{Operation, parse_patch},
    protocol::{self, ListQuery, ScimError, ScimResult, respond, respond_resource},
    tokens,
    users::{self, Base},
};
use crate::{
    error::AppError,
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
        .get("/Users", list::<Users>)
        .post("/Users", create::<Users>)
        .post("/Users/.search", search::<Users>)
        .get("/Users/{id}", get::<Users>)
        .put("/Users/{id}", replace::<Users>)
        .patch("/Users/{id}", patch::<Users>)
        .delete("/Users/{id}", delete::<Users>)
        .get("/Groups", list::<Groups>)
        .post("/Groups", create::<Groups>)
        .post("/Groups/.search", search::<Groups>)
        .get("/Groups/{id}", get::<Groups>)
        .put("/Groups/{id}", replace::<Groups>)
        .patch("/Groups/{id}", patch::<Groups>)
        .delete("/Groups/{id}", delete::<Groups>);
}

/// `web::text_guard` for `/scim/`, answering in SCIM's error format (400, `invalidValue`).
pub async fn text_guard(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<
    actix_web::dev::ServiceResponse<actix_web::body::EitherBody<impl actix_web::body::MessageBody>>,
    actix_web::Error,
> {
    use actix_web::ResponseError;
    if req.path().starts_with("/scim/")
        && let Some(err) = crate::web::text_guard::refusal(&mut req).await
    {
        let scim = match err {
            AppError::NotFound => ScimError::not_found("resource"),
            other => ScimError::bad("invalidValue", other.public_message()),
        };
        return Ok(req
            .into_response(scim.error_response())
            .map_into_right_body());
    }
    next.call(req)
        .await
        .map(actix_web::dev::ServiceResponse::map_into_left_body)
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

/// The operations of a resource type, for the handlers below (one set for both types).
trait Resource: 'static {
    async fn list(db: &DatabaseConnection, base: &Base, query: &ListQuery) -> ScimResult<Value>;
    async fn get(db: &DatabaseConnection, base: &Base, id: &str) -> ScimResult<Value>;
    async fn create(db: &DatabaseConnection, base: &Base, body: &Body) -> ScimResult<Value>;
    async fn replace(
        db: &DatabaseConnection,
        base: &Base,
        id: &str,
        body: &Body,
    ) -> ScimResult<Value>;
    async fn patch(
        db: &DatabaseConnection,
        base: &Base,
        id: &str,
        ops: &[Operation],
    ) -> ScimResult<Value>;
    async fn delete(db: &DatabaseConnection, id: &str) -> ScimResult<()>;
}

type Body = serde_json::Map<String, Value>;

struct Users;
struct Groups;

macro_rules! resource {
    ($type:ty, $module:ident) => {
        impl Resource for $type {
            async fn list(
                db: &DatabaseConnection,
                base: &Base,
                query: &ListQuery,
            ) -> ScimResult<Value> {
                $module::list(db, base, query).await
            }
            async fn get(db: &DatabaseConnection, base: &Base, id: &str) -> ScimResult<Value> {
                $module::get(db, base, id).await
            }
            async fn create(
                db: &DatabaseConnection,
                base: &Base,
                body: &Body,
            ) -> ScimResult<Value> {
                $module::create(db, base, body).await
            }
            async fn replace(
                db: &DatabaseConnection,
                base: &Base,
                id: &str,
                body: &Body,
            ) -> ScimResult<Value> {
                $module::replace(db, base, id, body).await
            }
            async fn patch(
                db: &DatabaseConnection,
                base: &Base,
                id: &str,
                ops: &[Operation],
            ) -> ScimResult<Value> {
                $module::patch(db, base, id, ops).await
            }
            async fn delete(db: &DatabaseConnection, id: &str) -> ScimResult<()> {
                $module::delete(db, id).await
            }
        }
    };
}

resource!(Users, users);
resource!(Groups, groups);

async fn list<R: Resource>(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> ScimResult<HttpResponse> {
    let list = R::list(&state.db, &base(&state, &req), &query(&req)?).await?;
    Ok(respond(StatusCode::OK, &list))
}

/// `POST /Users/.search`, `/Groups/.search`: a list with its parameters in the body.
async fn search<R: Resource>(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let query = search_request(payload).await?;
    let list = R::list(&state.db, &base(&state, &req), &query).await?;
    Ok(respond(StatusCode::OK, &list))
}

async fn create<R: Resource>(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let created = R::create(&state.db, &base(&state, &req), &body(payload).await?).await?;
    resource(&req, StatusCode::CREATED, created)
}

async fn get<R: Resource>(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> ScimResult<HttpResponse> {
    let found = R::get(&state.db, &base(&state, &req), &id).await?;
    resource(&req, StatusCode::OK, found)
}

async fn replace<R: Resource>(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let stored = R::replace(&state.db, &base(&state, &req), &id, &body(payload).await?).await?;
    resource(&req, StatusCode::OK, stored)
}

async fn patch<R: Resource>(
    _: Provisioner,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> ScimResult<HttpResponse> {
    let ops = parse_patch(&body(payload).await?)?;
    let stored = R::patch(&state.db, &base(&state, &req), &id, &ops).await?;
    resource(&req, StatusCode::OK, stored)
}

async fn delete<R: Resource>(
    _: Provisioner,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ScimResult<HttpResponse> {
    R::delete(&state.db, &id).await?;
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
