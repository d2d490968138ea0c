//! The search synonyms' page (`/search/synonyms`) and API (`/api/v1/search/synonyms`), for the
//! social team and admins; thin over `service`.
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use super::service::{self, SynonymGroup, SynonymInput, SynonymList};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult, ErrorBody},
    state::AppState,
    web::{
        page::{Level, Page, see_other},
        routes::Routes,
    },
};

pub fn configure_api(r: &mut Routes) {
    r.get("/search/synonyms", list)
        .post("/search/synonyms", create)
        .put("/search/synonyms/{id}", update)
        .delete("/search/synonyms/{id}", delete);
}

pub fn configure_pages(r: &mut Routes) {
    r.get("/search/synonyms", page)
        .post("/search/synonyms", create_form)
        .post("/search/synonyms/{id}", update_form)
        .post("/search/synonyms/{id}/delete", delete_form);
}

/// The company's search synonym groups, and the tags with synonyms (which search treats as
/// groups too). Social team and admins.
#[utoipa::path(get, path = "/api/v1/search/synonyms", tag = "search", operation_id = "list_search_synonyms",
    responses((status = 200, body = SynonymList), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn list(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::list(&state.db, &user).await?))
}

/// Add a group of words that mean the same in search; the next search uses it (no reindex).
/// Audited.
#[utoipa::path(post, path = "/api/v1/search/synonyms", tag = "search", operation_id = "create_search_synonyms", request_body = SynonymInput,
    responses((status = 201, body = SynonymGroup), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<SynonymInput>,
) -> AppResult<HttpResponse> {
    let group = service::create(&state.db, &state.search, &user, &body).await?;
    Ok(HttpResponse::Created().json(group))
}

/// Replace a group's words. Audited.
#[utoipa::path(put, path = "/api/v1/search/synonyms/{id}", tag = "search", operation_id = "update_search_synonyms", request_body = SynonymInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = SynonymGroup), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<SynonymInput>,
) -> AppResult<HttpResponse> {
    let group = service::update(&state.db, &state.search, &user, *path, &body).await?;
    Ok(HttpResponse::Ok().json(group))
}

/// Remove a group. Audited.
#[utoipa::path(delete, path = "/api/v1/search/synonyms/{id}", tag = "search", operation_id = "delete_search_synonyms",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::delete(&state.db, &state.search, &user, *path).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The form's words: one field, comma- or line-separated.
#[derive(Deserialize)]
pub struct TermsForm {
    terms: String,
}

impl TermsForm {
    fn input(&self) -> SynonymInput {
        SynonymInput {
            terms: self.terms.split([',', '\n']).map(str::to_owned).collect(),
        }
    }
}

async fn page_context(page: &Page, user: &CurrentUser) -> AppResult<Context> {
    let list = service::list(&page.state().db, user).await?;
    let mut ctx = Context::new();
    ctx.insert("groups", &list.groups);
    ctx.insert("from_tags", &list.from_tags);
    Ok(ctx)
}

async fn page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let ctx = page_context(&page, &user).await?;
    page.render("search/synonyms.html", ctx)
}

/// The page again with the form's error and what was typed (`editing`: the group being
/// changed, `None` for a new one).
async fn form_error(
    page: &Page,
    user: &CurrentUser,
    err: AppError,
    typed: &str,
    editing: Option<i64>,
) -> AppResult<HttpResponse> {
    let mut ctx = page_context(page, user).await?;
    ctx.insert("typed", typed);
    ctx.insert("editing", &editing);
    page.form_error("search/synonyms.html", err, ctx)
}

async fn create_form(
    page: Page,
    user: CurrentUser,
    form: web::Form<TermsForm>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    match service::create(&state.db, &state.search, &user, &form.input()).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-search-synonyms-saved");
            Ok(see_other("/search/synonyms"))
        }
        Err(err) => form_error(&page, &user, err, &form.terms, None).await,
    }
}

async fn update_form(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<TermsForm>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    match service::update(&state.db, &state.search, &user, *path, &form.input()).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-search-synonyms-saved");
            Ok(see_other("/search/synonyms"))
        }
        Err(err) => form_error(&page, &user, err, &form.terms, Some(*path)).await,
    }
}

async fn delete_form(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    service::delete(&state.db, &state.search, &user, *path).await?;
    page.flash(Level::Success, "flash-search-synonyms-removed");
    Ok(see_other("/search/synonyms"))
}
