//! Spaces in the JSON API.
use actix_web::{HttpResponse, web};

use super::{
    members, service,
    types::{MemberInput, NewSpace, SpaceMember, SpaceView},
};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppResult, ErrorBody},
    state::AppState,
    web::routes::{Access, Routes},
};

pub fn configure(r: &mut Routes) {
    r.access(Access::Member)
        .get("/spaces", list_spaces)
        .post("/spaces", create_space)
        .get("/spaces/{id}", get_space)
        .post("/spaces/{id}/join", join_space)
        .post("/spaces/{id}/leave", leave_space)
        .get("/spaces/{id}/members", list_members)
        .put("/spaces/{id}/members/{user_id}", put_member)
        .delete("/spaces/{id}/members/{user_id}", remove_member);
}

/// The spaces one may know of: open and closed ones, and secret ones one is in.
#[utoipa::path(get, path = "/api/v1/spaces", tag = "spaces",
    responses((status = 200, body = [SpaceView]), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_spaces(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::list(&state.db, &user).await?))
}

/// Create a space (admins and the social team); its creator is its first moderator.
#[utoipa::path(post, path = "/api/v1/spaces", tag = "spaces", request_body = NewSpace,
    responses(
        (status = 201, body = SpaceView),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_space(
    state: web::Data<AppState>,
    user: CurrentUser,
    input: web::Json<NewSpace>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create(&state.db, &user, &input).await?))
}

/// One space, by id or slug; a secret space one is not in answers 404.
#[utoipa::path(get, path = "/api/v1/spaces/{id}", tag = "spaces",
    params(("id" = String, Path, description = "Id or slug")),
    responses((status = 200, body = SpaceView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_space(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state.db, &user, &id).await?))
}

/// Join an open space, or ask to join a closed one.
#[utoipa::path(post, path = "/api/v1/spaces/{id}/join", tag = "spaces",
    params(("id" = String, Path, description = "Id or slug")),
    responses((status = 200, body = SpaceView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn join_space(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(members::join(&state.db, &user, &id).await?))
}

/// Leave a space, or withdraw a join request.
#[utoipa::path(post, path = "/api/v1/spaces/{id}/leave", tag = "spaces",
    params(("id" = String, Path, description = "Id or slug")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The last moderator", body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn leave_space(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    members::leave(&state.db, &user, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Members, moderators first; join requests too for those who manage the space.
#[utoipa::path(get, path = "/api/v1/spaces/{id}/members", tag = "spaces",
    params(("id" = String, Path, description = "Id or slug")),
    responses((status = 200, body = [SpaceMember]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_members(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(members::members(&state.db, &user, &id).await?))
}

/// Add a member, approve a join request, or change a member's role (space moderators, admins
/// and the social team).
#[utoipa::path(put, path = "/api/v1/spaces/{id}/members/{user_id}", tag = "spaces",
    params(("id" = i64, Path), ("user_id" = i64, Path)), request_body = MemberInput,
    responses((status = 200, body = SpaceMember), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "The last moderator", body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_member(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    input: web::Json<MemberInput>,
) -> AppResult<HttpResponse> {
    let (space, member) = path.into_inner();
    Ok(
        HttpResponse::Ok()
            .json(members::put_member(&state.db, &user, space, member, &input).await?),
    )
}

/// Remove a member or refuse a join request.
#[utoipa::path(delete, path = "/api/v1/spaces/{id}/members/{user_id}", tag = "spaces",
    params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "The last moderator", body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn remove_member(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (space, member) = path.into_inner();
    members::remove(&state.db, &user, space, member).await?;
    Ok(HttpResponse::NoContent().finish())
}
