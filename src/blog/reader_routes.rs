//! Blog pages for readers: likes, comments (posting, editing, deleting) and marking an
//! announcement read. Declared in `routes::configure`.
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use super::{
    comments::{self, CommentInput},
    service,
};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult},
    web::page::{Level, Page, see_other},
};

async fn toggle_like(page: Page, user: CurrentUser, id: i64, on: bool) -> AppResult<HttpResponse> {
    let db = &page.state().db;
    match service::like(db, &user, id, on).await {
        Ok(_) => {}
        Err(AppError::Validation { msg, .. } | AppError::Conflict(msg)) => {
            page.flash(Level::Error, msg.key)
        }
        Err(err) => return Err(err),
    }
    let post = service::get(db, &user, id).await?;
    Ok(see_other(&post.summary.url))
}

pub(super) async fn like(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    toggle_like(page, user, path.into_inner(), true).await
}

pub(super) async fn unlike(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    toggle_like(page, user, path.into_inner(), false).await
}

#[derive(Deserialize)]
pub(super) struct NewCommentForm {
    body: String,
    parent_id: Option<i64>,
}

pub(super) async fn add_comment(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<NewCommentForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let db = &page.state().db;
    let input = CommentInput {
        body: form.body.clone(),
        parent_id: form.parent_id,
    };
    match comments::add(db, &user, id, &input).await {
        Ok(comment) => {
            let post = service::get(db, &user, id).await?;
            Ok(see_other(&format!(
                "{}#comment-{}",
                post.summary.url, comment.id
            )))
        }
        Err(AppError::Validation { msg, .. } | AppError::Conflict(msg)) => {
            page.flash(Level::Error, msg.key);
            let post = service::get(db, &user, id).await?;
            Ok(see_other(&format!("{}#comments", post.summary.url)))
        }
        Err(err) => Err(err),
    }
}

pub(super) async fn comment_edit_page(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let comment = comments::get_own(&page.state().db, &user, path.into_inner()).await?;
    let mut ctx = Context::new();
    ctx.insert("comment", &comment);
    ctx.insert("body", &comment.body);
    page.render("blog/comment_edit.html", ctx)
}

#[derive(Deserialize)]
pub(super) struct EditCommentForm {
    body: String,
}

pub(super) async fn edit_comment(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<EditCommentForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let db = &page.state().db;
    match comments::edit(db, &user, id, &form.body).await {
        Ok(comment) => {
            let post = service::get(db, &user, comment.post_id).await?;
            Ok(see_other(&format!("{}#comment-{id}", post.summary.url)))
        }
        Err(err @ AppError::Validation { .. }) => {
            let comment = comments::get_own(db, &user, id).await?;
            let mut ctx = Context::new();
            ctx.insert("comment", &comment);
            ctx.insert("body", &form.body);
            page.form_error("blog/comment_edit.html", err, ctx)
        }
        Err(err) => Err(err),
    }
}

pub(super) async fn delete_comment(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let post = comments::delete(&page.state().db, &user, path.into_inner()).await?;
    page.flash(Level::Success, "flash-comment-deleted");
    Ok(see_other(&format!("/blog/{}#comments", post.slug)))
}

pub(super) async fn mark_read(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::mark_read(&page.state().db, &user, path.into_inner()).await?;
    Ok(see_other("/"))
}
