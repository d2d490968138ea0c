//! Tag suggestions while typing (`GET /api/v1/tags?q=`) and the social team's queue of proposed
//! tags (API and `/tags/proposed`); the rules live in `proposals`.
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;
use utoipa::{IntoParams, ToSchema};

use super::proposals::{self, ProposedTag, TagSuggestion};
use crate::web::routes::Routes;
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult, ErrorBody},
    state::AppState,
    web::page::{Level, Page, see_other},
};

/// Before `qa::api`, whose `/tags/{name}` would take `/tags/proposed`.
pub fn configure_api(r: &mut Routes) {
    r.get("/tags", suggest)
        .get("/tags/proposed", queue)
        .post("/tags/proposed/{name}/approve", approve)
        .post("/tags/proposed/{name}/merge", merge)
        .post("/tags/proposed/{name}/reject", reject);
}

/// Before the blog's `/tags/{name}` page.
pub fn configure_pages(r: &mut Routes) {
    r.get("/tags/proposed", queue_page)
        .post("/tags/proposed/{name}/approve", approve_form)
        .post("/tags/proposed/{name}/merge", merge_form)
        .post("/tags/proposed/{name}/reject", reject_form);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// The start of a tag's name.
    pub q: Option<String>,
}

/// Tags starting with what was typed (synonyms give their tag), most used first, at most ten.
#[utoipa::path(get, path = "/api/v1/tags", tag = "qa", operation_id = "suggest_tags", params(SuggestQuery),
    responses((status = 200, body = Vec<TagSuggestion>)),
    security(("bearer" = []), ("session" = [])))]
pub async fn suggest(
    state: web::Data<AppState>,
    _user: CurrentUser,
    q: web::Query<SuggestQuery>,
) -> AppResult<HttpResponse> {
    let text = q.q.clone().unwrap_or_default();
    Ok(HttpResponse::Ok().json(proposals::suggest(&state.db, &text).await?))
}

/// Tags members proposed, waiting for the social team (social team and admins).
#[utoipa::path(get, path = "/api/v1/tags/proposed", tag = "qa",
    responses((status = 200, body = Vec<ProposedTag>), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn queue(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(proposals::queue(&state.db, &user).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Decision {
    /// The existing tag a merge moves the questions to.
    pub into: Option<String>,
    /// The existing tag a rejection gives the questions instead (required).
    pub replacement: Option<String>,
}

/// Approve a proposed tag (social team and admins; audited).
#[utoipa::path(post, path = "/api/v1/tags/proposed/{name}/approve", tag = "qa",
    params(("name" = String, Path)),
    responses((status = 200, description = "Approved"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn approve(
    state: web::Data<AppState>,
    user: CurrentUser,
    name: web::Path<String>,
) -> AppResult<HttpResponse> {
    proposals::approve(&state.db, &user, &name).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "approved"})))
}

/// Merge a proposed tag into an existing one, which it becomes a synonym of (social team and
/// admins; audited).
#[utoipa::path(post, path = "/api/v1/tags/proposed/{name}/merge", tag = "qa",
    params(("name" = String, Path)), request_body = Decision,
    responses((status = 200, description = "Merged"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn merge(
    state: web::Data<AppState>,
    user: CurrentUser,
    name: web::Path<String>,
    body: web::Json<Decision>,
) -> AppResult<HttpResponse> {
    proposals::merge(&state.db, &user, &name, body.into.as_deref()).await?;
    state.refresh_search_synonyms().await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "merged"})))
}

/// Reject a proposed tag; its questions get the replacement tag (social team and admins;
/// audited).
#[utoipa::path(post, path = "/api/v1/tags/proposed/{name}/reject", tag = "qa",
    params(("name" = String, Path)), request_body = Decision,
    responses((status = 200, description = "Rejected"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn reject(
    state: web::Data<AppState>,
    user: CurrentUser,
    name: web::Path<String>,
    body: Option<web::Json<Decision>>,
) -> AppResult<HttpResponse> {
    let decision = body.map(web::Json::into_inner).unwrap_or_default();
    proposals::reject(&state.db, &user, &name, decision.replacement.as_deref()).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "rejected"})))
}

async fn queue_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let mut ctx = Context::new();
    ctx.insert(
        "proposed",
        &proposals::queue(&page.state().db, &user).await?,
    );
    page.render("qa/proposed_tags.html", ctx)
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    tag: String,
}

async fn decided(
    page: &Page,
    result: AppResult<()>,
    flash: &'static str,
) -> AppResult<HttpResponse> {
    match result {
        Ok(()) => {
            page.flash(Level::Success, flash);
            Ok(see_other("/tags/proposed"))
        }
        Err(err @ (AppError::Validation { .. } | AppError::Conflict(_))) => {
            let user = page.user()?;
            let mut ctx = Context::new();
            ctx.insert("proposed", &proposals::queue(&page.state().db, user).await?);
            page.form_error("qa/proposed_tags.html", err, ctx)
        }
        Err(err) => Err(err),
    }
}

async fn approve_form(
    page: Page,
    user: CurrentUser,
    name: web::Path<String>,
) -> AppResult<HttpResponse> {
    let result = proposals::approve(&page.state().db, &user, &name).await;
    decided(&page, result, "flash-tag-approved").await
}

async fn merge_form(
    page: Page,
    user: CurrentUser,
    name: web::Path<String>,
    form: web::Form<DecisionForm>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    let result = proposals::merge(&state.db, &user, &name, Some(&form.tag)).await;
    if result.is_ok() {
        state.refresh_search_synonyms().await?;
    }
    decided(&page, result, "flash-tag-merged").await
}

async fn reject_form(
    page: Page,
    user: CurrentUser,
    name: web::Path<String>,
    form: web::Form<DecisionForm>,
) -> AppResult<HttpResponse> {
    let result = proposals::reject(&page.state().db, &user, &name, Some(&form.tag)).await;
    decided(&page, result, "flash-tag-rejected").await
}
