//! Admin endpoints of the JSON API.
use actix_web::{HttpResponse, web};

use super::service::{self, CreateUserInput, UserChanges, UserFilter};
use crate::auth::types::Role;
use crate::web::routes::{Access, Routes};
use crate::{
    audit::AuditEntry,
    auth::{
        current_user::CurrentUser,
        service::{RegistrationSettings, UserView},
        types::UserId,
    },
    error::{AppResult, ErrorBody},
    state::AppState,
    web::pagination::{PageQuery, Paged, Pagination},
};

pub fn configure(r: &mut Routes) {
    r.access(Access::Role(Role::Admin))
        .get("/admin/users", list_users)
        .post("/admin/users", create_user)
        .get("/admin/users/{id}", get_user)
        .patch("/admin/users/{id}", update_user)
        .get("/admin/audit-log", audit_log)
        .get("/admin/registration", get_registration)
        .put("/admin/registration", put_registration)
        .get("/admin/settings/company", get_company)
        .put("/admin/settings/company", put_company)
        .with(super::invitations::configure_api);
}

/// List users (admins only).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin",
    params(UserFilter, PageQuery),
    responses(
        (status = 200, body = Paged<UserView>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_users(
    state: web::Data<AppState>,
    user: CurrentUser,
    filter: web::Query<UserFilter>,
    page: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let users = service::list_users(
        &state.db,
        &user,
        &filter,
        Pagination::from(page.into_inner()),
    )
    .await?;
    Ok(HttpResponse::Ok().json(users))
}

/// Create a user (admins only).
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin",
    request_body = CreateUserInput,
    responses(
        (status = 201, body = UserView),
        (status = 403, body = ErrorBody),
        (status = 409, description = "The email is taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<CreateUserInput>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create_user(&state.db, &user, &body).await?))
}

/// One user (admins only).
#[utoipa::path(get, path = "/api/v1/admin/users/{id}", tag = "admin",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, body = UserView),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::get_user(&state.db, &user, UserId(path.into_inner())).await?))
}

/// Change roles, the leadership flag or activation (admins only); each change is audited.
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "admin",
    params(("id" = i64, Path, description = "User id")),
    request_body = UserChanges,
    responses(
        (status = 200, body = UserView),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The last active admin, or deactivating oneself", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn update_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<UserChanges>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::update_user(&state.db, &user, UserId(path.into_inner()), &body).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this user.
    pub user_id: Option<i64>,
}

/// The audit log, newest first (admins only).
#[utoipa::path(get, path = "/api/v1/admin/audit-log", tag = "admin",
    params(AuditQuery, PageQuery),
    responses(
        (status = 200, body = Paged<AuditEntry>),
        (status = 403, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn audit_log(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<AuditQuery>,
    page: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let entries = service::audit_log(
        &state.db,
        &user,
        query.user_id.map(UserId),
        Pagination::from(page.into_inner()),
    )
    .await?;
    Ok(HttpResponse::Ok().json(entries))
}

/// The self-registration setting (admins only).
#[utoipa::path(get, path = "/api/v1/admin/registration", tag = "admin",
    responses((status = 200, body = RegistrationSettings), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_registration(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::registration(&state.db, &user).await?))
}

/// Open or close self-registration for email domains (admins only).
#[utoipa::path(put, path = "/api/v1/admin/registration", tag = "admin",
    request_body = RegistrationSettings,
    responses(
        (status = 200, body = RegistrationSettings),
        (status = 403, body = ErrorBody),
        (status = 422, description = "An invalid domain, or enabled without domains", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_registration(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<RegistrationSettings>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::set_registration(&state.db, &user, &body).await?))
}

/// The company's defaults: the language of people who chose none, and the time zone dates are
/// shown in for them (admins).
#[utoipa::path(get, path = "/api/v1/admin/settings/company", tag = "admin",
    responses((status = 200, body = crate::company::Company), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_company(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    user.require(crate::auth::types::Role::Admin)?;
    let company: crate::company::Company = crate::settings_store::get(&state.db).await?;
    Ok(HttpResponse::Ok().json(company))
}

/// Set the company's default language and time zone (an IANA name such as
/// `Europe/Amsterdam`; admins; audited).
#[utoipa::path(put, path = "/api/v1/admin/settings/company", tag = "admin",
    request_body = crate::company::Company,
    responses((status = 200, body = crate::company::Company), (status = 403, body = ErrorBody),
        (status = 422, description = "An unknown time zone", body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_company(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<crate::company::Company>,
) -> AppResult<HttpResponse> {
    Ok(
        HttpResponse::Ok()
            .json(crate::company::set(&state.db, &state.company, &user, &body).await?),
    )
}
