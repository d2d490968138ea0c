//! The blog's JSON API.
use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    comments::{self, CommentInput, CommentView},
    repo::ListFilter,
    service,
    types::{EditorialReview, PostInput, PostPatch},
    views::{PostPage, PostSummary, PostView, Revision},
};
use crate::web::routes::Routes;
use crate::{
    auth::current_user::CurrentUser,
    content,
    error::{AppError, AppResult, ErrorBody},
    state::AppState,
    uploads,
};

pub fn configure(r: &mut Routes) {
    r.get("/posts", list_posts)
        .post("/posts", create_post)
        .get("/posts/mine", my_posts)
        .get("/posts/deleted", deleted_posts)
        .get("/posts/{id}", get_post)
        .patch("/posts/{id}", update_post)
        .delete("/posts/{id}", delete_post)
        .post("/posts/{id}/publish", publish_post)
        .put("/posts/{id}/space", move_post)
        .post("/posts/{id}/approve", approve_post)
        .post("/posts/{id}/reject", reject_post)
        .post("/posts/{id}/unpublish", unpublish_post)
        .post("/posts/{id}/archive", archive_post)
        .post("/posts/{id}/restore", restore_post)
        .get("/posts/{id}/revisions", post_revisions)
        .put("/posts/{id}/cover", put_cover)
        .delete("/posts/{id}/cover", delete_cover)
        .post("/posts/{id}/like", like_post)
        .delete("/posts/{id}/like", unlike_post)
        .get("/posts/{id}/comments", list_comments)
        .post("/posts/{id}/comments", create_comment)
        .patch("/comments/{id}", update_comment)
        .delete("/comments/{id}", delete_comment)
        .get("/review-queue", review_queue)
        .get("/announcements", announcements)
        .post("/announcements/{id}/read", read_announcement)
        .post("/preview", preview)
        .get("/admin/editorial-review", get_review_mode)
        .put("/admin/editorial-review", put_review_mode);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostQuery {
    /// Only posts with this tag.
    pub tag: Option<String>,
    /// Only posts by this author.
    pub author_id: Option<i64>,
    /// Only announcements (posts by leadership).
    pub announcements: Option<bool>,
    /// The `next_cursor` of the previous page.
    pub before: Option<String>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<u64>,
}

/// Published posts, newest first (keyset pagination).
#[utoipa::path(get, path = "/api/v1/posts", tag = "blog", params(PostQuery),
    responses((status = 200, body = PostPage), (status = 400, body = ErrorBody), (status = 404, description = "Unknown tag", body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_posts(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<PostQuery>,
) -> AppResult<HttpResponse> {
    let mut filter = match q.tag.as_deref() {
        Some(tag) => service::tag_filter(&state.db, tag).await?,
        None => ListFilter::default(),
    };
    filter.author_id = q.author_id;
    filter.announcements_only = q.announcements.unwrap_or(false);
    let page = service::list(
        &state.db,
        crate::spaces::audience::Audience::of(&user),
        &filter,
        q.before.as_deref(),
        q.limit.unwrap_or(service::PAGE_SIZE),
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Start a draft.
#[utoipa::path(post, path = "/api/v1/posts", tag = "blog", request_body = PostInput,
    responses((status = 201, body = PostView), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<PostInput>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create(&state.db, &user, &body).await?))
}

/// The current user's posts in every state but deleted.
#[utoipa::path(get, path = "/api/v1/posts/mine", tag = "blog",
    responses((status = 200, body = Vec<PostSummary>)), security(("bearer" = []), ("session" = [])))]
pub async fn my_posts(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::mine(&state.db, &user).await?))
}

/// Deleted posts (admins).
#[utoipa::path(get, path = "/api/v1/posts/deleted", tag = "blog",
    responses((status = 200, body = Vec<PostSummary>), (status = 403, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn deleted_posts(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::deleted(&state.db, &user).await?))
}

/// One post; drafts, posts in review and scheduled posts only for their author, editors and admins.
#[utoipa::path(get, path = "/api/v1/posts/{id}", tag = "blog", params(("id" = i64, Path)),
    responses((status = 200, body = PostView), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn get_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state.db, &user, path.into_inner()).await?))
}

/// Edit a post (also the editor's autosave). After publication, edits keep revisions.
#[utoipa::path(patch, path = "/api/v1/posts/{id}", tag = "blog", params(("id" = i64, Path)), request_body = PostPatch,
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn update_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<PostPatch>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::update(&state.db, &user, path.into_inner(), &body).await?))
}

/// Delete a post (soft; admins can restore).
#[utoipa::path(delete, path = "/api/v1/posts/{id}", tag = "blog", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn delete_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::delete(&state.db, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PublishRequest {
    /// Publish at this time instead of now.
    pub scheduled_at: Option<DateTime<Utc>>,
}

/// Publish (or schedule) a draft; where review is required it goes to the editors instead.
#[utoipa::path(post, path = "/api/v1/posts/{id}/publish", tag = "blog", params(("id" = i64, Path)), request_body(content = Option<PublishRequest>),
    responses((status = 200, description = "Now `published`, `scheduled` or `in_review`", body = PostView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn publish_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: Option<web::Json<PublishRequest>>,
) -> AppResult<HttpResponse> {
    let at = body.and_then(|b| b.scheduled_at);
    Ok(HttpResponse::Ok().json(service::publish(&state.db, &user, path.into_inner(), at).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// Required when sending back; optional otherwise.
    #[serde(default)]
    pub comment: String,
}

/// Approve a post in review (editors, admins): it is published or scheduled.
#[utoipa::path(post, path = "/api/v1/posts/{id}/approve", tag = "blog", params(("id" = i64, Path)), request_body(content = Option<ReviewRequest>),
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn approve_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: Option<web::Json<ReviewRequest>>,
) -> AppResult<HttpResponse> {
    let comment = body.map(|b| b.into_inner().comment);
    Ok(HttpResponse::Ok()
        .json(service::approve(&state.db, &user, path.into_inner(), comment.as_deref()).await?))
}

/// Send a post back to its author with a comment (editors, admins).
#[utoipa::path(post, path = "/api/v1/posts/{id}/reject", tag = "blog", params(("id" = i64, Path)), request_body = ReviewRequest,
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn reject_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<ReviewRequest>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::send_back(&state.db, &user, path.into_inner(), &body.comment).await?))
}

/// Take a published or scheduled post back to draft (editors, admins).
#[utoipa::path(post, path = "/api/v1/posts/{id}/unpublish", tag = "blog", params(("id" = i64, Path)), request_body(content = Option<ReviewRequest>),
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn unpublish_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: Option<web::Json<ReviewRequest>>,
) -> AppResult<HttpResponse> {
    let reason = body.map(|b| b.into_inner().comment).unwrap_or_default();
    Ok(HttpResponse::Ok()
        .json(service::unpublish(&state.db, &user, path.into_inner(), &reason).await?))
}

/// Archive a published post: out of the lists, its link keeps working.
#[utoipa::path(post, path = "/api/v1/posts/{id}/archive", tag = "blog", params(("id" = i64, Path)),
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn archive_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::archive(&state.db, &user, path.into_inner()).await?))
}

/// Restore a deleted post (admins).
#[utoipa::path(post, path = "/api/v1/posts/{id}/restore", tag = "blog", params(("id" = i64, Path)),
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn restore_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::restore(&state.db, &user, path.into_inner()).await?))
}

/// Earlier versions of a post (author, editors, admins).
#[utoipa::path(get, path = "/api/v1/posts/{id}/revisions", tag = "blog", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Revision>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn post_revisions(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::revisions(&state.db, &user, path.into_inner()).await?))
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CoverUpload {
    /// A PNG, JPEG or WebP image of at most 5 MB whose extension matches its content.
    #[schema(value_type = String, format = Binary)]
    pub cover: Vec<u8>,
}

/// Set the cover image (multipart form with a `cover` file).
#[utoipa::path(put, path = "/api/v1/posts/{id}/cover", tag = "blog", params(("id" = i64, Path)),
    request_body(content = CoverUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 422, description = "Not an image, too large, or a wrong extension", body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_cover(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if !service::get(&state.db, &user, id).await?.can_edit {
        return Err(AppError::forbidden());
    }
    let (filename, bytes) = uploads::read_file_field(form, "cover").await?;
    let stored =
        uploads::store_image(&state.settings.data_dir, "covers", filename, bytes, 1600).await?;
    if let Some(old) = service::set_cover(&state.db, &user, id, Some(stored)).await? {
        uploads::remove(&state.settings.data_dir, &old).await;
    }
    Ok(HttpResponse::Ok().json(service::get(&state.db, &user, id).await?))
}

/// Remove the cover image.
#[utoipa::path(delete, path = "/api/v1/posts/{id}/cover", tag = "blog", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn delete_cover(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    if let Some(old) = service::set_cover(&state.db, &user, path.into_inner(), None).await? {
        uploads::remove(&state.settings.data_dir, &old).await;
    }
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LikeState {
    pub like_count: i64,
    pub liked: bool,
}

/// Like a published post (once; not one's own).
#[utoipa::path(post, path = "/api/v1/posts/{id}/like", tag = "blog", params(("id" = i64, Path)),
    responses((status = 200, body = LikeState), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn like_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (like_count, liked) = service::like(&state.db, &user, path.into_inner(), true).await?;
    Ok(HttpResponse::Ok().json(LikeState { like_count, liked }))
}

/// Take a like back.
#[utoipa::path(delete, path = "/api/v1/posts/{id}/like", tag = "blog", params(("id" = i64, Path)),
    responses((status = 200, body = LikeState), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn unlike_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (like_count, liked) = service::like(&state.db, &user, path.into_inner(), false).await?;
    Ok(HttpResponse::Ok().json(LikeState { like_count, liked }))
}

/// A post's comment threads.
#[utoipa::path(get, path = "/api/v1/posts/{id}/comments", tag = "blog", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<CommentView>), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn list_comments(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(comments::list(&state.db, &user, path.into_inner()).await?))
}

/// Comment on a published post, or reply to a comment.
#[utoipa::path(post, path = "/api/v1/posts/{id}/comments", tag = "blog", params(("id" = i64, Path)), request_body = CommentInput,
    responses((status = 201, body = CommentView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<CommentInput>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(comments::add(&state.db, &user, path.into_inner(), &body).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentEdit {
    pub body: String,
}

/// Edit one's own comment.
#[utoipa::path(patch, path = "/api/v1/comments/{id}", tag = "blog", params(("id" = i64, Path)), request_body = CommentEdit,
    responses((status = 200, body = CommentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The post is no longer published", body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn update_comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<CommentEdit>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(comments::edit(&state.db, &user, path.into_inner(), &body.body).await?))
}

/// Delete a comment (its author; editors and admins any).
#[utoipa::path(delete, path = "/api/v1/comments/{id}", tag = "blog", operation_id = "delete_post_comment", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn delete_comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    comments::delete(&state.db, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Posts waiting for review, oldest first (editors, admins).
#[utoipa::path(get, path = "/api/v1/review-queue", tag = "blog",
    responses((status = 200, body = Vec<PostSummary>), (status = 403, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn review_queue(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::review_queue(&state.db, &user).await?))
}

/// The current user's unread, unexpired announcements.
#[utoipa::path(get, path = "/api/v1/announcements", tag = "blog",
    responses((status = 200, body = Vec<PostSummary>)), security(("bearer" = []), ("session" = [])))]
pub async fn announcements(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::announcements(&state.db, &user).await?))
}

/// Mark an announcement as read (it leaves the home page).
#[utoipa::path(post, path = "/api/v1/announcements/{id}/read", tag = "blog", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn read_announcement(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::mark_read(&state.db, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PreviewRequest {
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewResponse {
    pub html: String,
}

/// Render Markdown exactly as a post or comment will show it.
#[utoipa::path(post, path = "/api/v1/preview", tag = "blog", request_body = PreviewRequest,
    responses((status = 200, body = PreviewResponse), (status = 422, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn preview(
    _user: CurrentUser,
    body: web::Json<PreviewRequest>,
) -> AppResult<HttpResponse> {
    let markdown = super::types::parse_body(&body.body)?;
    Ok(HttpResponse::Ok().json(PreviewResponse {
        html: content::render(&markdown, "body").await?,
    }))
}

/// Who needs an editor's approval before publishing (admins).
#[utoipa::path(get, path = "/api/v1/admin/editorial-review", tag = "admin",
    responses((status = 200, body = EditorialReview), (status = 403, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn get_review_mode(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    user.require(crate::auth::types::Role::Admin)?;
    Ok(HttpResponse::Ok().json(EditorialReview {
        mode: service::review_mode(&state.db).await?,
    }))
}

/// Set who needs review: `everyone`, `non_ambassadors` or `never` (admins; audited).
#[utoipa::path(put, path = "/api/v1/admin/editorial-review", tag = "admin", request_body = EditorialReview,
    responses((status = 200, body = EditorialReview), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_review_mode(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<EditorialReview>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::set_review_mode(&state.db, &user, body.mode).await?))
}

/// Move a post into another space, or company-wide (moderators of both ends).
#[utoipa::path(put, path = "/api/v1/posts/{id}/space", tag = "blog", params(("id" = i64, Path)),
    request_body = crate::spaces::types::MoveInput,
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn move_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<crate::spaces::types::MoveInput>,
) -> AppResult<HttpResponse> {
    let moved =
        super::lifecycle::move_to_space(&state.db, &user, path.into_inner(), body.space_id).await?;
    Ok(HttpResponse::Ok().json(moved))
}
