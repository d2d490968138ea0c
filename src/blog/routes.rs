//! Blog pages. Thin handlers: parse, call the services, render or redirect. This module declares
//! every blog page and serves the lists, the post page, writing and moderation; likes and
//! comments are in `reader_routes`.
use actix_multipart::Multipart;
use actix_web::{HttpResponse, http::StatusCode, web};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use tera::Context;

use super::{
    comments, reader_routes,
    repo::ListFilter,
    service::{self, Opened},
    types::{PostInput, PostPatch, PostStatus},
};
use crate::web::routes::Routes;
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult, Msg},
    i18n::Lang,
    tags, uploads,
    web::page::{Level, Page, see_other},
};

pub fn configure(r: &mut Routes) {
    r.get("/blog", index)
        .get("/blog/new", new_page)
        .get("/blog/mine", mine_page)
        .get("/blog/review", review_page)
        .get("/blog/leadership", leadership_page)
        .get("/blog/deleted", deleted_page)
        .get("/blog/authors/{id}", author_page)
        .post("/blog/posts", create)
        .post("/blog/posts/{id}", save)
        .get("/blog/posts/{id}/edit", edit_page)
        .get("/blog/posts/{id}/revisions", revisions_page)
        .post("/blog/posts/{id}/approve", approve)
        .post("/blog/posts/{id}/reject", reject)
        .post("/blog/posts/{id}/unpublish", unpublish)
        .post("/blog/posts/{id}/archive", archive)
        .post("/blog/posts/{id}/delete", delete)
        .post("/blog/posts/{id}/restore", restore)
        .post("/blog/posts/{id}/cover", upload_cover)
        .post("/blog/posts/{id}/cover/delete", remove_cover)
        .post("/blog/posts/{id}/like", reader_routes::like)
        .post("/blog/posts/{id}/unlike", reader_routes::unlike)
        .post("/blog/posts/{id}/comments", reader_routes::add_comment)
        .get("/blog/comments/{id}/edit", reader_routes::comment_edit_page)
        .post("/blog/comments/{id}", reader_routes::edit_comment)
        .post("/blog/comments/{id}/delete", reader_routes::delete_comment)
        .post("/announcements/{id}/read", reader_routes::mark_read)
        .get("/tags/{name}", tag_page)
        .get("/blog/{slug}", post_page);
}

#[derive(Deserialize)]
struct BeforeQuery {
    before: Option<String>,
}

async fn list_page(
    page: &Page,
    template: &str,
    filter: ListFilter,
    before: Option<&str>,
    mut ctx: Context,
) -> AppResult<HttpResponse> {
    let audience = crate::spaces::audience::Audience::of_maybe(page.user.as_ref());
    let posts = service::list(
        &page.state().db,
        audience,
        &filter,
        before,
        service::PAGE_SIZE,
    )
    .await?;
    ctx.insert("posts", &posts);
    page.render(template, ctx)
}

async fn index(
    page: Page,
    _user: CurrentUser,
    q: web::Query<BeforeQuery>,
) -> AppResult<HttpResponse> {
    let mut ctx = Context::new();
    ctx.insert("heading", &page.t("page-blog-title"));
    ctx.insert("feed_url", "/blog/feed.atom");
    list_page(
        &page,
        "blog/list.html",
        ListFilter::default(),
        q.before.as_deref(),
        ctx,
    )
    .await
}

async fn leadership_page(
    page: Page,
    _user: CurrentUser,
    q: web::Query<BeforeQuery>,
) -> AppResult<HttpResponse> {
    let mut ctx = Context::new();
    ctx.insert("heading", &page.t("page-leadership-title"));
    let filter = ListFilter {
        announcements_only: true,
        ..Default::default()
    };
    list_page(&page, "blog/list.html", filter, q.before.as_deref(), ctx).await
}

async fn tag_page(
    page: Page,
    _user: CurrentUser,
    path: web::Path<String>,
    q: web::Query<BeforeQuery>,
) -> AppResult<HttpResponse> {
    let name = path.into_inner();
    let filter = service::tag_filter(&page.state().db, &name).await?;
    let mut ctx = Context::new();
    ctx.insert("heading", &format!("#{name}"));
    ctx.insert("feed_url", &format!("/tags/{name}/feed.atom"));
    list_page(&page, "blog/list.html", filter, q.before.as_deref(), ctx).await
}

async fn author_page(
    page: Page,
    _user: CurrentUser,
    path: web::Path<i64>,
    q: web::Query<BeforeQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let author = crate::auth::repo::find(&page.state().db, crate::auth::types::UserId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut ctx = Context::new();
    ctx.insert(
        "heading",
        &crate::i18n::tr_args(
            page.lang,
            "page-author-posts-title",
            &[("name", author.display_name)],
        ),
    );
    ctx.insert("feed_url", &format!("/blog/authors/{id}/feed.atom"));
    let filter = ListFilter {
        author_id: Some(id),
        ..Default::default()
    };
    list_page(&page, "blog/list.html", filter, q.before.as_deref(), ctx).await
}

async fn mine_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let posts = service::mine(&page.state().db, &user).await?;
    let mut ctx = Context::new();
    ctx.insert("posts", &posts);
    page.render("blog/mine.html", ctx)
}

async fn review_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let posts = service::review_queue(&page.state().db, &user).await?;
    let mut ctx = Context::new();
    ctx.insert("posts", &posts);
    page.render("blog/review.html", ctx)
}

async fn deleted_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let posts = service::deleted(&page.state().db, &user).await?;
    let mut ctx = Context::new();
    ctx.insert("posts", &posts);
    page.render("blog/deleted.html", ctx)
}

async fn post_page(
    page: Page,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let db = &page.state().db;
    let post = match service::open(db, &user, &path.into_inner()).await? {
        Opened::Moved(slug) => {
            return Ok(HttpResponse::MovedPermanently()
                .insert_header(("Location", format!("/blog/{slug}")))
                .finish());
        }
        Opened::Post(post) => post,
    };
    // No undeleted comment: no thread to show (a deleted comment shows only with a reply).
    let threads = if post.summary.comment_count > 0 {
        comments::threads(db, &user, post.summary.id).await?
    } else {
        vec![]
    };
    let mut ctx = Context::new();
    ctx.insert("is_moderator", &service::is_moderator(&user));
    ctx.insert("is_author", &(post.summary.author.id == user.id.0));
    ctx.insert("comments", &threads);
    ctx.insert("post", &post);
    page.render("blog/post.html", ctx)
}

// ---- writing --------------------------------------------------------------------------------

/// The editor form. `action` is `save` or `publish`; the schedule comes as the browser's local
/// time plus its offset from UTC (filled in by script; UTC without it).
#[derive(Deserialize)]
struct PostForm {
    title: String,
    body: String,
    #[serde(default)]
    tags: String,
    language: Option<String>,
    excerpt: Option<String>,
    announcement_until: Option<String>,
    action: Option<String>,
    scheduled_local: Option<String>,
    tz_offset: Option<i64>,
    /// A space id; empty: company-wide.
    space_id: Option<String>,
}

impl PostForm {
    fn language(&self) -> Option<Lang> {
        self.language.as_deref().and_then(|l| l.parse().ok())
    }

    fn announcement_until(&self) -> AppResult<Option<DateTime<Utc>>> {
        match self.announcement_until.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(date) => NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map(|d| Some(d.and_hms_opt(23, 59, 0).expect("valid time").and_utc()))
                .map_err(|_| {
                    AppError::validation("announcement_until", Msg::new("err-date-invalid"))
                }),
        }
    }

    fn scheduled_at(&self) -> AppResult<Option<DateTime<Utc>>> {
        match self.scheduled_local.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(local) => {
                let naive =
                    NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").map_err(|_| {
                        AppError::validation("scheduled_at", Msg::new("err-date-invalid"))
                    })?;
                // `Date.getTimezoneOffset()`: minutes to add to local time to get UTC.
                Ok(Some(
                    naive.and_utc() + Duration::minutes(self.tz_offset.unwrap_or(0)),
                ))
            }
        }
    }

    fn publishing(&self) -> bool {
        self.action.as_deref() == Some("publish")
    }

    /// The values typed, to show the form again.
    fn echo(&self) -> serde_json::Value {
        serde_json::json!({
            "title": self.title,
            "body": self.body,
            "tags": self.tags,
            "language": self.language,
            "excerpt": self.excerpt,
            "announcement_until": self.announcement_until,
            "scheduled_local": self.scheduled_local,
            "space_id": self.space_id.as_deref().and_then(|s| s.trim().parse::<i64>().ok()),
        })
    }
}

async fn editor_context(page: &Page, user: &CurrentUser) -> AppResult<Context> {
    let mode = service::review_mode(&page.state().db).await?;
    let mut ctx = Context::new();
    ctx.insert("review_required", &mode.required_for(&user.roles));
    ctx.insert("is_leadership", &user.is_leadership);
    ctx.insert("languages", &Lang::ALL);
    ctx.insert(
        "spaces",
        &crate::spaces::service::postable(&page.state().db, user).await?,
    );
    Ok(ctx)
}

#[derive(Deserialize)]
struct NewPostQuery {
    /// Preselects a space (the space page's "Write in this space").
    space: Option<i64>,
}

async fn new_page(
    page: Page,
    user: CurrentUser,
    q: web::Query<NewPostQuery>,
) -> AppResult<HttpResponse> {
    let mut ctx = editor_context(&page, &user).await?;
    ctx.insert(
        "form",
        &serde_json::json!({ "language": user.locale.unwrap_or(page.lang), "space_id": q.space }),
    );
    page.render("blog/edit.html", ctx)
}

async fn edit_page(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let post = service::get(&page.state().db, &user, path.into_inner()).await?;
    if !post.can_edit {
        return Err(AppError::forbidden());
    }
    let mut ctx = editor_context(&page, &user).await?;
    ctx.insert(
        "form",
        &serde_json::json!({
            "title": post.summary.title,
            "body": post.body,
            "tags": post.summary.tags.join(", "),
            "language": post.summary.language,
            "excerpt": post.custom_excerpt,
            "announcement_until": post.announcement_until.map(|d| d.format("%Y-%m-%d").to_string()),
        }),
    );
    ctx.insert("post", &post);
    page.render("blog/edit.html", ctx)
}

async fn editor_error(
    page: &Page,
    user: &CurrentUser,
    post_id: Option<i64>,
    form: &PostForm,
    err: AppError,
) -> AppResult<HttpResponse> {
    let mut ctx = editor_context(page, user).await?;
    ctx.insert("form", &form.echo());
    if let Some(id) = post_id {
        ctx.insert("post", &service::get(&page.state().db, user, id).await?);
    }
    page.form_error("blog/edit.html", err, ctx)
}

/// After saving: publish when asked; go to the post (published, scheduled, submitted) or back
/// to the editor (draft).
async fn after_save(
    page: &Page,
    user: &CurrentUser,
    id: i64,
    form: &PostForm,
) -> AppResult<HttpResponse> {
    if !form.publishing() {
        page.flash(Level::Success, "flash-draft-saved");
        return Ok(see_other(&format!("/blog/posts/{id}/edit")));
    }
    let at = form.scheduled_at()?;
    let post = service::publish(&page.state().db, user, id, at).await?;
    let key = match post.summary.status {
        PostStatus::InReview => "flash-post-submitted",
        PostStatus::Scheduled => "flash-post-scheduled",
        _ => "flash-post-published",
    };
    page.flash(Level::Success, key);
    Ok(see_other(&post.summary.url))
}

async fn create(
    page: Page,
    user: CurrentUser,
    form: web::Form<PostForm>,
) -> AppResult<HttpResponse> {
    let input = match form.announcement_until() {
        Ok(until) => PostInput {
            title: form.title.clone(),
            body: form.body.clone(),
            tags: tags::split_field(&form.tags),
            language: form.language(),
            excerpt: form.excerpt.clone(),
            announcement_until: until,
            space_id: form.space_id.as_deref().and_then(|s| s.trim().parse().ok()),
        },
        Err(err) => return editor_error(&page, &user, None, &form, err).await,
    };
    let post = match service::create(&page.state().db, &user, &input).await {
        Ok(post) => post,
        Err(err) => return editor_error(&page, &user, None, &form, err).await,
    };
    let id = post.summary.id;
    match after_save(&page, &user, id, &form).await {
        Ok(response) => Ok(response),
        Err(err) => editor_error(&page, &user, Some(id), &form, err).await,
    }
}

async fn save(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<PostForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let result = async {
        let patch = PostPatch {
            title: Some(form.title.clone()),
            body: Some(form.body.clone()),
            tags: Some(tags::split_field(&form.tags)),
            language: form.language(),
            excerpt: Some(form.excerpt.clone().unwrap_or_default()),
            announcement_until: form.announcement_until()?,
        };
        service::update(&page.state().db, &user, id, &patch).await?;
        after_save(&page, &user, id, &form).await
    }
    .await;
    match result {
        Ok(response) => Ok(response),
        Err(err) => editor_error(&page, &user, Some(id), &form, err).await,
    }
}

async fn revisions_page(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let db = &page.state().db;
    let (post, revisions) = service::revisions_of(db, &user, id).await?;
    let mut ctx = Context::new();
    ctx.insert(
        "post",
        &serde_json::json!({"title": post.title, "url": format!("/blog/{}", post.slug)}),
    );
    ctx.insert("revisions", &revisions);
    page.render("blog/revisions.html", ctx)
}

// ---- review and moderation ------------------------------------------------------------------

#[derive(Deserialize)]
struct CommentForm {
    #[serde(default)]
    comment: String,
}

/// Runs a lifecycle action; a refused one (not in review any more, ...) is explained on the
/// post's page instead of an error page.
async fn act(
    page: &Page,
    result: AppResult<super::views::PostView>,
    ok_key: &str,
) -> AppResult<HttpResponse> {
    match result {
        Ok(post) => {
            page.flash(Level::Success, ok_key);
            Ok(see_other(&post.summary.url))
        }
        Err(AppError::Conflict(msg) | AppError::Validation { msg, .. }) => {
            page.flash(Level::Error, msg.key);
            Ok(see_other(page.referer().as_deref().unwrap_or("/blog/mine")))
        }
        Err(err) => Err(err),
    }
}

async fn approve(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<CommentForm>,
) -> AppResult<HttpResponse> {
    let result = service::approve(
        &page.state().db,
        &user,
        path.into_inner(),
        Some(&form.comment),
    )
    .await;
    act(&page, result, "flash-post-approved").await
}

async fn reject(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<CommentForm>,
) -> AppResult<HttpResponse> {
    let result =
        service::send_back(&page.state().db, &user, path.into_inner(), &form.comment).await;
    match result {
        Ok(_) => {
            page.flash(Level::Success, "flash-post-sent-back");
            Ok(see_other("/blog/review"))
        }
        other => act(&page, other, "flash-post-sent-back").await,
    }
}

async fn unpublish(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<CommentForm>,
) -> AppResult<HttpResponse> {
    let result =
        service::unpublish(&page.state().db, &user, path.into_inner(), &form.comment).await;
    act(&page, result, "flash-post-unpublished").await
}

async fn archive(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let result = service::archive(&page.state().db, &user, path.into_inner()).await;
    act(&page, result, "flash-post-archived").await
}

async fn delete(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    service::delete(&page.state().db, &user, path.into_inner()).await?;
    page.flash(Level::Success, "flash-post-deleted");
    Ok(see_other("/blog/mine"))
}

async fn restore(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let result = service::restore(&page.state().db, &user, path.into_inner()).await;
    act(&page, result, "flash-post-restored").await
}

async fn upload_cover(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let state = page.state();
    let stored = async {
        // Check the right to edit before reading the file.
        let post = service::get(&state.db, &user, id).await?;
        if !post.can_edit {
            return Err(AppError::forbidden());
        }
        let (filename, bytes) = uploads::read_file_field(form, "cover").await?;
        uploads::store_image(&state.settings.data_dir, "covers", filename, bytes, 1600).await
    }
    .await;
    match stored {
        Ok(path) => {
            if let Some(old) = service::set_cover(&state.db, &user, id, Some(path)).await? {
                uploads::remove(&state.settings.data_dir, &old).await;
            }
            page.flash(Level::Success, "flash-cover-saved");
        }
        Err(AppError::Validation { msg, .. }) => {
            let mut ctx = editor_context(&page, &user).await?;
            let post = service::get(&state.db, &user, id).await?;
            ctx.insert(
                "form",
                &serde_json::json!({
                    "title": post.summary.title, "body": post.body, "tags": post.summary.tags.join(", "),
                    "language": post.summary.language, "excerpt": post.custom_excerpt,
                }),
            );
            ctx.insert("post", &post);
            ctx.insert("cover_error", &msg.text(page.lang));
            return page.render_status(StatusCode::UNPROCESSABLE_ENTITY, "blog/edit.html", ctx);
        }
        Err(err) => return Err(err),
    }
    Ok(see_other(&format!("/blog/posts/{id}/edit")))
}

async fn remove_cover(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let state = page.state();
    if let Some(old) = service::set_cover(&state.db, &user, id, None).await? {
        uploads::remove(&state.settings.data_dir, &old).await;
    }
    Ok(see_other(&format!("/blog/posts/{id}/edit")))
}
