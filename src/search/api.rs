//! `GET /api/v1/search` and the search page.
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;
use utoipa::IntoParams;

use super::query::{self, SearchParams, SearchResults, SuggestParams, Suggestions};
use crate::web::routes::Routes;
use crate::{
    auth::current_user::CurrentUser,
    error::{AppResult, ErrorBody},
    qa::views::QuestionLink,
    spaces::audience::Audience,
    state::AppState,
    web::page::Page,
};

pub fn configure_api(r: &mut Routes) {
    r.get("/search", search).get("/search/suggest", suggest);
}

/// Similar questions while asking: the search index first, the database when the index cannot
/// answer. Before `qa::api`, whose `/questions/{id}` would take `/questions/similar`.
pub fn configure_similar(r: &mut Routes) {
    r.get("/questions/similar", similar_questions);
}

pub fn configure_pages(r: &mut Routes) {
    r.get("/search", search_page);
}

/// Search posts, questions, answers and people: published content, company-wide or in the
/// spaces the caller sees (open spaces and their own).
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn search(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<SearchParams>,
) -> AppResult<HttpResponse> {
    let results = super::recovery::search(&state, q.into_inner(), Audience::of(&user)).await?;
    Ok(HttpResponse::Ok().json(results))
}

/// As-you-type suggestions for the search box: titles of posts, questions and people matching
/// the words typed, the last one as a prefix (within the spaces the caller sees).
#[utoipa::path(get, path = "/api/v1/search/suggest", tag = "search", params(SuggestParams),
    responses((status = 200, body = Suggestions)),
    security(("bearer" = []), ("session" = [])))]
pub async fn suggest(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<SuggestParams>,
) -> AppResult<HttpResponse> {
    let text = q.into_inner().q.unwrap_or_default();
    let suggestions = super::recovery::suggest(&state, text, Audience::of(&user)).await?;
    Ok(HttpResponse::Ok().json(suggestions))
}

async fn search_page(
    page: Page,
    user: CurrentUser,
    q: web::Query<SearchParams>,
) -> AppResult<HttpResponse> {
    let params = q.into_inner();
    let text = params.q.clone().unwrap_or_default();
    let kind = params.kind.clone().unwrap_or_default();
    let tag = params.tag.clone().unwrap_or_default();
    let sort = params.sort.clone().unwrap_or_else(|| "relevance".into());
    let current = params.page.unwrap_or(1).max(1);
    let results = super::recovery::search(page.state(), params, Audience::of(&user)).await?;
    let mut ctx = Context::new();
    ctx.insert("q", &text);
    ctx.insert("kind", &kind);
    ctx.insert("tag", &tag);
    ctx.insert("sort", &sort);
    ctx.insert("page_number", &current);
    ctx.insert("has_more", &(current * query::PAGE_SIZE < results.total));
    ctx.insert("results", &results);
    page.render("search.html", ctx)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarQuery {
    /// The title typed so far.
    pub title: String,
}

/// Existing questions similar to a title (shown while asking), among those the caller may read.
#[utoipa::path(get, path = "/api/v1/questions/similar", tag = "qa", operation_id = "similar", params(SimilarQuery),
    responses((status = 200, body = Vec<QuestionLink>)), security(("bearer" = []), ("session" = [])))]
pub async fn similar_questions(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<SimilarQuery>,
) -> AppResult<HttpResponse> {
    let audience = Audience::of(&user);
    let links = match super::recovery::similar(&state, q.title.clone(), &audience).await? {
        Some(ids) => crate::qa::service::similar_by_ids(&state.db, &ids, &audience).await?,
        None => crate::qa::service::similar(&state.db, &q.title, &audience).await?,
    };
    Ok(HttpResponse::Ok().json(links))
}
