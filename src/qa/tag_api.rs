//! The Q&A tag API: a tag's page data, following it, its experts and synonyms. Declared in
//! `api::configure`.
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{tagging, views::TagView};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppResult, ErrorBody},
    state::AppState,
};

/// A tag: its question count, synonyms, experts, and whether I follow it.
#[utoipa::path(get, path = "/api/v1/tags/{name}", tag = "qa", params(("name" = String, Path)),
    responses((status = 200, body = TagView), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn get_tag(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(tagging::view(&state.db, &user, &path).await?))
}

/// Follow a tag: its questions show under "following".
#[utoipa::path(post, path = "/api/v1/tags/{name}/follow", tag = "qa", params(("name" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn follow_tag(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    tagging::follow(&state.db, &user, &path).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Stop following a tag.
#[utoipa::path(delete, path = "/api/v1/tags/{name}/follow", tag = "qa", params(("name" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn unfollow_tag(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    tagging::unfollow(&state.db, &user, &path).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mark a colleague as expert for a tag (social team, admins).
#[utoipa::path(put, path = "/api/v1/tags/{name}/experts/{user_id}", tag = "qa", params(("name" = String, Path), ("user_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn add_expert(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (name, user_id) = path.into_inner();
    tagging::add_expert(&state.db, &user, &name, user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove a colleague from a tag's experts (social team, admins).
#[utoipa::path(delete, path = "/api/v1/tags/{name}/experts/{user_id}", tag = "qa", params(("name" = String, Path), ("user_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn remove_expert(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (name, user_id) = path.into_inner();
    tagging::remove_expert(&state.db, &user, &name, user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct SynonymInput {
    /// The synonym, e.g. `virtual-private-network` for `vpn`.
    pub name: String,
}

/// Make a name stand for this tag (social team, admins).
#[utoipa::path(post, path = "/api/v1/tags/{name}/synonyms", tag = "qa", params(("name" = String, Path)), request_body = SynonymInput,
    responses((status = 201, body = TagView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn add_synonym(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<SynonymInput>,
) -> AppResult<HttpResponse> {
    tagging::add_synonym(&state.db, &user, &path, &body.name).await?;
    state.refresh_search_synonyms().await?;
    Ok(HttpResponse::Created().json(tagging::view(&state.db, &user, &path).await?))
}

/// Remove a synonym (social team, admins).
#[utoipa::path(delete, path = "/api/v1/tags/{name}/synonyms/{synonym}", tag = "qa", params(("name" = String, Path), ("synonym" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn remove_synonym(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (name, synonym) = path.into_inner();
    tagging::remove_synonym(&state.db, &user, &name, &synonym).await?;
    state.refresh_search_synonyms().await?;
    Ok(HttpResponse::NoContent().finish())
}
