//! The people JSON API: profiles, the directory, photos, follows, ambassadors, the following
//! feed, the expert finder and departments.
use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{
    departments::{self, Department, DepartmentInput},
    feed, finder,
    service::{self, DirectoryFilter},
    types::{PHOTO_SIZES, ProfilePatch},
    views::{AmbassadorGroup, ExpertResults, FeedPage, PersonSummary, ProfileView},
};
use crate::web::routes::Routes;
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult, ErrorBody},
    state::AppState,
    uploads,
    web::pagination::{PageQuery, Paged},
};

pub fn configure(r: &mut Routes) {
    r.get("/people", directory)
        .get("/people/ambassadors", ambassadors)
        .get("/people/{id}", get_person)
        .patch("/people/{id}/profile", update_profile)
        .post("/people/{id}/follow", follow)
        .delete("/people/{id}/follow", unfollow)
        .put("/people/{id}/ambassador", mark_ambassador)
        .delete("/people/{id}/ambassador", unmark_ambassador)
        .patch("/me/profile", update_my_profile)
        .put("/me/photo", put_photo)
        .delete("/me/photo", delete_photo)
        .get("/feed", following_feed)
        .get("/experts", experts)
        .get("/departments", list_departments)
        .post("/departments", create_department)
        .patch("/departments/{id}", rename_department)
        .delete("/departments/{id}", delete_department);
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryQuery {
    /// Part of the name.
    pub q: Option<String>,
    /// A department id or name.
    pub department: Option<String>,
    /// Part of the location.
    pub location: Option<String>,
    /// Declared expertise ("ask me about"), a tag.
    pub tag: Option<String>,
    /// Only ambassadors.
    pub ambassador: Option<bool>,
}

/// Builds the directory filter; an unknown department or tag matches nobody.
pub async fn directory_filter(
    state: &AppState,
    q: &DirectoryQuery,
    departments_read: Option<&[departments::Department]>,
) -> AppResult<Option<DirectoryFilter>> {
    let mut filter = DirectoryFilter {
        q: q.q.clone(),
        location: q.location.clone(),
        ambassadors_only: q.ambassador.unwrap_or(false),
        ..Default::default()
    };
    if let Some(key) = q.department.as_deref().filter(|d| !d.trim().is_empty()) {
        let found = match departments_read {
            Some(all) => departments::matching(all, key).map(|d| d.id),
            None => departments::find(&state.db, key).await?.map(|d| d.id),
        };
        match found {
            Some(id) => filter.department_id = Some(id),
            None => return Ok(None),
        }
    }
    if let Some(tag) = q.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        match crate::qa::tagging::find(&state.db, &crate::content::slugify(tag, 50)).await {
            Ok(t) => filter.tag_id = Some(t.id),
            Err(AppError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        }
    }
    Ok(Some(filter))
}

/// Active colleagues by name, filtered by name, department, location, expertise and
/// ambassadorship (all filters combine).
#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(DirectoryQuery, PageQuery),
    responses((status = 200, body = Paged<PersonSummary>)), security(("bearer" = []), ("session" = [])))]
pub async fn directory(
    state: web::Data<AppState>,
    _user: CurrentUser,
    q: web::Query<DirectoryQuery>,
    page: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let pagination = page.into_inner().into();
    let result = match directory_filter(&state, &q, None).await? {
        Some(filter) => service::directory(&state.db, &filter, pagination).await?,
        None => Paged::new(vec![], 0, pagination),
    };
    Ok(HttpResponse::Ok().json(result))
}

/// Ambassadors by department, with their latest posts.
#[utoipa::path(get, path = "/api/v1/people/ambassadors", tag = "people",
    responses((status = 200, body = Vec<AmbassadorGroup>)), security(("bearer" = []), ("session" = [])))]
pub async fn ambassadors(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(super::feed::ambassadors(&state.db, &user).await?))
}

/// A person's profile with their stats and recent activity.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = ProfileView), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn get_person(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::profile(&state.db, &user, path.into_inner()).await?))
}

/// Edit someone's profile: yourself, or anyone as an admin (audited).
#[utoipa::path(patch, path = "/api/v1/people/{id}/profile", tag = "people", params(("id" = i64, Path)), request_body = ProfilePatch,
    responses((status = 200, body = ProfileView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn update_profile(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<ProfilePatch>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::update(&state.db, &user, path.into_inner(), &body).await?))
}

/// Edit your own profile.
#[utoipa::path(patch, path = "/api/v1/me/profile", tag = "people", request_body = ProfilePatch,
    responses((status = 200, body = ProfileView), (status = 422, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn update_my_profile(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<ProfilePatch>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::update(&state.db, &user, user.id.0, &body).await?))
}

/// Stores an uploaded photo (multipart field `file`) for a profile; returns the profile.
pub async fn store_photo(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: Multipart,
) -> AppResult<ProfileView> {
    if !service::can_edit(user, id) {
        return Err(AppError::forbidden());
    }
    let (filename, bytes) = uploads::read_file_field(form, "file").await?;
    let key = uploads::store_squares(
        &state.settings.data_dir,
        "avatars",
        filename,
        bytes,
        PHOTO_SIZES,
    )
    .await?;
    match service::set_photo(&state.db, user, id, Some(key.clone())).await {
        Ok(old) => {
            if let Some(old) = old {
                remove_photo_files(state, &old).await;
            }
        }
        Err(e) => {
            remove_photo_files(state, &key).await;
            return Err(e);
        }
    }
    service::profile(&state.db, user, id).await
}

pub async fn remove_photo_files(state: &AppState, key: &str) {
    for size in PHOTO_SIZES {
        uploads::remove(&state.settings.data_dir, &uploads::variant(key, *size)).await;
    }
}

/// Upload your photo (multipart, field `file`: PNG, JPEG or WebP up to 5 MB); it is cropped
/// square and stored at 64 and 256 pixels.
#[utoipa::path(put, path = "/api/v1/me/photo", tag = "people",
    request_body(content_type = "multipart/form-data", description = "Field `file`: the image"),
    responses((status = 200, body = ProfileView), (status = 422, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn put_photo(
    state: web::Data<AppState>,
    user: CurrentUser,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let profile = store_photo(&state, &user, user.id.0, form).await?;
    Ok(HttpResponse::Ok().json(profile))
}

/// Remove your photo.
#[utoipa::path(delete, path = "/api/v1/me/photo", tag = "people",
    responses((status = 204)), security(("bearer" = []), ("session" = [])))]
pub async fn delete_photo(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    if let Some(old) = service::set_photo(&state.db, &user, user.id.0, None).await? {
        remove_photo_files(&state, &old).await;
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Follow a colleague: their new posts, questions and answers appear in your feed.
#[utoipa::path(post, path = "/api/v1/people/{id}/follow", tag = "people", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn follow(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::follow(&state.db, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Stop following a colleague.
#[utoipa::path(delete, path = "/api/v1/people/{id}/follow", tag = "people", params(("id" = i64, Path)),
    responses((status = 204)), security(("bearer" = []), ("session" = [])))]
pub async fn unfollow(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::unfollow(&state.db, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mark a colleague as ambassador (the social team; audited).
#[utoipa::path(put, path = "/api/v1/people/{id}/ambassador", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = PersonSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn mark_ambassador(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::set_ambassador(&state.db, &user, path.into_inner(), true).await?))
}

/// Unmark an ambassador (the social team; audited).
#[utoipa::path(delete, path = "/api/v1/people/{id}/ambassador", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = PersonSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn unmark_ambassador(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::set_ambassador(&state.db, &user, path.into_inner(), false).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The `next_cursor` of the previous page.
    pub before: Option<String>,
}

/// New posts, questions and answers by the people you follow, and posts and questions in the
/// tags you follow.
#[utoipa::path(get, path = "/api/v1/feed", tag = "people", params(FeedQuery),
    responses((status = 200, body = FeedPage), (status = 400, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn following_feed(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<FeedQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(feed::following(&state.db, &user, q.before.as_deref()).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpertQuery {
    /// The topic, e.g. `vpn`.
    pub topic: String,
}

/// Who knows about a topic, ranked by evidence, with the evidence.
#[utoipa::path(get, path = "/api/v1/experts", tag = "people", params(ExpertQuery),
    responses((status = 200, body = ExpertResults)), security(("bearer" = []), ("session" = [])))]
pub async fn experts(
    state: web::Data<AppState>,
    _user: CurrentUser,
    q: web::Query<ExpertQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(finder::find(&state.db, &q.topic).await?))
}

/// The departments people pick from.
#[utoipa::path(get, path = "/api/v1/departments", tag = "people",
    responses((status = 200, body = Vec<Department>)), security(("bearer" = []), ("session" = [])))]
pub async fn list_departments(
    state: web::Data<AppState>,
    _user: CurrentUser,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(departments::list(&state.db).await?))
}

/// Add a department (admins).
#[utoipa::path(post, path = "/api/v1/departments", tag = "people", request_body = DepartmentInput,
    responses((status = 201, body = Department), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_department(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<DepartmentInput>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(departments::create(&state.db, &user, &body).await?))
}

/// Rename a department (admins).
#[utoipa::path(patch, path = "/api/v1/departments/{id}", tag = "people", params(("id" = i64, Path)), request_body = DepartmentInput,
    responses((status = 200, body = Department), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn rename_department(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<DepartmentInput>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(departments::rename(&state.db, &user, path.into_inner(), &body).await?))
}

/// Delete a department (admins); its people keep their profiles without one.
#[utoipa::path(delete, path = "/api/v1/departments/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn delete_department(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    departments::delete(&state.db, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
