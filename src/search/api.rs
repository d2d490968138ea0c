//! `GET /api/v1/search` and the search page.
use actix_web::{HttpResponse, web};
use tera::Context;

use super::query::{self, SearchParams, SearchResults};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppResult, ErrorBody},
    state::AppState,
    web::page::Page,
};

pub fn configure_api(cfg: &mut web::ServiceConfig) {
    cfg.route("/search", web::get().to(search));
}

pub fn configure_pages(cfg: &mut web::ServiceConfig) {
    cfg.route("/search", web::get().to(search_page));
}

/// Search posts, questions, answers and people. Only what every colleague may see is indexed.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn search(
    state: web::Data<AppState>,
    _user: CurrentUser,
    q: web::Query<SearchParams>,
) -> AppResult<HttpResponse> {
    let idx = state.search.clone();
    let params = q.into_inner();
    let results = web::block(move || query::search(&idx, &params))
        .await
        .map_err(|e| anyhow::anyhow!("search task: {e}"))??;
    Ok(HttpResponse::Ok().json(results))
}

async fn search_page(
    page: Page,
    _user: CurrentUser,
    q: web::Query<SearchParams>,
) -> AppResult<HttpResponse> {
    let idx = page.state().search.clone();
    let params = q.into_inner();
    let text = params.q.clone().unwrap_or_default();
    let kind = params.kind.clone().unwrap_or_default();
    let current = params.page.unwrap_or(1).max(1);
    let results = web::block(move || query::search(&idx, &params))
        .await
        .map_err(|e| anyhow::anyhow!("search task: {e}"))??;
    let mut ctx = Context::new();
    ctx.insert("q", &text);
    ctx.insert("kind", &kind);
    ctx.insert("page_number", &current);
    ctx.insert("has_more", &(current * query::PAGE_SIZE < results.total));
    ctx.insert("results", &results);
    page.render("search.html", ctx)
}
