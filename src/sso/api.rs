//! Company sign-in settings in the JSON API (admins only).
use actix_web::{HttpRequest, HttpResponse, web};

use super::{
    mapping::{self, GroupMapping, GroupMappingInput},
    settings::{self, SsoInput, SsoView},
};
use crate::{
    auth::{current_user::CurrentUser, types::Role},
    error::{AppResult, ErrorBody},
    state::AppState,
    web::routes::{Access, Routes},
};

pub fn configure(r: &mut Routes) {
    r.access(Access::Role(Role::Admin))
        .get("/admin/sso", get_sso)
        .put("/admin/sso", put_sso)
        .get("/admin/sso/group-mappings", list_mappings)
        .post("/admin/sso/group-mappings", add_mapping)
        .delete("/admin/sso/group-mappings/{id}", remove_mapping);
}

/// Company sign-in (OpenID Connect) settings; the client secret is never shown.
#[utoipa::path(get, path = "/api/v1/admin/sso", tag = "admin",
    responses(
        (status = 200, body = SsoView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_sso(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let origin = origin(&req);
    Ok(HttpResponse::Ok().json(settings::view(&state.db, &state.settings, &origin, &user).await?))
}

/// The address the client used, for the redirect URI when `KRING_BASE_URL` is not set.
pub fn origin(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

/// Change company sign-in: the provider (issuer, client id and secret, the button's name, the
/// groups claim) and SSO-only mode. Values set by `KRING_OIDC_*` win over saved ones. Turning
/// SSO-only on needs a provider that answers its discovery document and a break-glass
/// administrator.
#[utoipa::path(put, path = "/api/v1/admin/sso", tag = "admin",
    request_body = SsoInput,
    responses(
        (status = 200, body = SsoView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "Invalid input, an unreachable provider, or no break-glass administrator", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_sso(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    body: web::Json<SsoInput>,
) -> AppResult<HttpResponse> {
    let view = settings::update(&state.db, &state.settings, &origin(&req), &user, &body).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The mapping of the provider's groups to roles and departments, applied at every sign-in.
#[utoipa::path(get, path = "/api/v1/admin/sso/group-mappings", tag = "admin",
    responses(
        (status = 200, body = Vec<GroupMapping>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_mappings(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(mapping::list(&state.db, &user).await?))
}

/// Map a group to a role, a department or both.
#[utoipa::path(post, path = "/api/v1/admin/sso/group-mappings", tag = "admin",
    request_body = GroupMappingInput,
    responses(
        (status = 201, body = GroupMapping),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn add_mapping(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<GroupMappingInput>,
) -> AppResult<HttpResponse> {
    let mapping = mapping::add(&state.db, &user, &body).await?;
    Ok(HttpResponse::Created().json(mapping))
}

/// Remove a group mapping.
#[utoipa::path(delete, path = "/api/v1/admin/sso/group-mappings/{id}", tag = "admin",
    params(("id" = i64, Path)),
    responses(
        (status = 204),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn remove_mapping(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    mapping::remove(&state.db, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
