//! Provisioning tokens for admins: the JSON API (`/api/v1/admin/scim-tokens`) and the page
//! `/admin/provisioning`, which also shows the address to give the directory.
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde::Deserialize;
use tera::Context;

use super::tokens::{self, CreatedScimToken, NewScimToken, ScimTokenView};
use crate::{
    auth::{current_user::CurrentUser, types::Role},
    entities::{directory_groups, scim_users},
    error::{AppResult, ErrorBody},
    state::AppState,
    web::{
        page::{Level, Page, see_other},
        routes::{Access, Routes},
    },
};

pub fn configure_api(r: &mut Routes) {
    r.access(Access::Role(Role::Admin))
        .get("/admin/scim-tokens", list_scim_tokens)
        .post("/admin/scim-tokens", create_scim_token)
        .delete("/admin/scim-tokens/{id}", revoke_scim_token);
}

pub fn configure_pages(r: &mut Routes) {
    r.access(Access::Role(Role::Admin))
        .get("/admin/provisioning", page)
        .post("/admin/provisioning/tokens", create_on_page)
        .post("/admin/provisioning/tokens/{id}/revoke", revoke_on_page);
}

/// Provisioning tokens (SCIM), newest first; secrets are never shown again.
#[utoipa::path(get, path = "/api/v1/admin/scim-tokens", tag = "admin",
    responses(
        (status = 200, body = [ScimTokenView]),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_scim_tokens(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(tokens::list(&state.db, &user).await?))
}

/// Create a provisioning token for the company directory (`Authorization: Bearer` on
/// `/scim/v2`). The token is in this answer only.
#[utoipa::path(post, path = "/api/v1/admin/scim-tokens", tag = "admin",
    request_body = NewScimToken,
    responses(
        (status = 201, body = CreatedScimToken),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "Too many active tokens", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_scim_token(
    state: web::Data<AppState>,
    user: CurrentUser,
    input: web::Json<NewScimToken>,
) -> AppResult<HttpResponse> {
    let created = tokens::create(&state.db, &user, &input).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(created))
}

/// Revoke a provisioning token: the next request with it is refused.
#[utoipa::path(delete, path = "/api/v1/admin/scim-tokens/{id}", tag = "admin",
    params(("id" = i64, Path)),
    responses(
        (status = 204),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn revoke_scim_token(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    tokens::revoke(&state.db, &user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn context(page: &Page, req: &HttpRequest, user: &CurrentUser) -> AppResult<Context> {
    let state = page.state();
    let mut ctx = Context::new();
    ctx.insert("tokens", &tokens::list(&state.db, user).await?);
    let origin = crate::sso::api::origin(req);
    let url = crate::sso::settings::public_url(&state.settings, &origin, "/scim/v2");
    ctx.insert("scim_url", url.as_str().trim_end_matches('/'));
    ctx.insert(
        "provisioned",
        &scim_users::Entity::find().count(&state.db).await?,
    );
    ctx.insert(
        "groups",
        &directory_groups::Entity::find().count(&state.db).await?,
    );
    Ok(ctx)
}

async fn page(page: Page, req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    let ctx = context(&page, &req, &user).await?;
    page.render("admin/provisioning.html", ctx)
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
}

async fn create_on_page(
    page: Page,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<TokenForm>,
) -> AppResult<HttpResponse> {
    let input = NewScimToken {
        name: form.name.clone(),
    };
    let created = tokens::create(&page.state().db, &user, &input).await;
    let mut ctx = context(&page, &req, &user).await?;
    match created {
        Ok(created) => {
            // Shown on this response only; only its hash is stored.
            ctx.insert("created", &created);
            page.render_status(StatusCode::CREATED, "admin/provisioning.html", ctx)
        }
        Err(err) => {
            ctx.insert("name", form.name.trim());
            page.form_error("admin/provisioning.html", err, ctx)
        }
    }
}

async fn revoke_on_page(
    page: Page,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    tokens::revoke(&page.state().db, &user, id.into_inner()).await?;
    page.flash(Level::Success, "flash-token-revoked");
    Ok(see_other("/admin/provisioning"))
}
