//! Comments on posts: one level of replies (a reply to a reply joins the same thread); authors
//! edit and delete their own, editors and admins delete any. A deleted comment with replies
//! stays as a placeholder so the thread still reads; without replies it disappears.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, IntoActiveModel,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    repo::{self, Author},
    service::is_moderator,
    types::PostStatus,
};
use crate::{
    auth::current_user::CurrentUser,
    content,
    entities::{post_comments, posts},
    error::{AppError, AppResult, Msg},
};

pub const MAX_COMMENT: usize = 5000;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentInput {
    /// Markdown.
    pub body: String,
    /// Reply to this comment (a reply to a reply joins the same thread).
    pub parent_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommentView {
    pub id: i64,
    pub post_id: i64,
    pub parent_id: Option<i64>,
    /// Absent for a deleted comment.
    pub author: Option<Author>,
    pub body: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
    pub edited: bool,
    pub deleted: bool,
    pub can_edit: bool,
    pub can_delete: bool,
    #[schema(no_recursion)]
    pub replies: Vec<CommentView>,
}

fn parse_body(raw: &str) -> AppResult<String> {
    content::comment_body(raw, MAX_COMMENT)
}

async fn commentable_post(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    post_id: i64,
) -> AppResult<posts::Model> {
    let post = repo::find(db, post_id).await?.ok_or(AppError::NotFound)?;
    if !super::service::can_read(db, &post, viewer).await? {
        return Err(AppError::NotFound);
    }
    if PostStatus::parse(&post.status) != Some(PostStatus::Published) {
        return Err(AppError::conflict("err-post-not-published"));
    }
    Ok(post)
}

fn to_view(c: post_comments::Model, author: Option<Author>, viewer: &CurrentUser) -> CommentView {
    let deleted = c.deleted_at.is_some();
    let own = c.author_id == viewer.id.0;
    CommentView {
        id: c.id,
        post_id: c.post_id,
        parent_id: c.parent_id,
        author: if deleted { None } else { author },
        body: if deleted { String::new() } else { c.body_md },
        body_html: if deleted { String::new() } else { c.body_html },
        edited: c.updated_at > c.created_at + chrono::Duration::seconds(1),
        created_at: c.created_at,
        can_edit: own && !deleted,
        can_delete: !deleted && (own || is_moderator(viewer)),
        deleted,
        replies: vec![],
    }
}

/// The threads of a post the viewer may read.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    post_id: i64,
) -> AppResult<Vec<CommentView>> {
    let post = repo::find(db, post_id).await?.ok_or(AppError::NotFound)?;
    if !super::service::can_read(db, &post, viewer).await? {
        return Err(AppError::NotFound);
    }
    threads(db, viewer, post_id).await
}

/// The threads of a post whose reading the caller checked (its page: `service::open`).
pub async fn threads(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    post_id: i64,
) -> AppResult<Vec<CommentView>> {
    let rows = super::reading::comments(db, post_id).await?;
    let mut threads: Vec<CommentView> = vec![];
    let mut replies: Vec<CommentView> = vec![];
    for (row, author) in rows {
        let view = to_view(row, Some(author), viewer);
        if view.parent_id.is_none() {
            threads.push(view);
        } else if !view.deleted {
            replies.push(view);
        }
    }
    for reply in replies {
        if let Some(thread) = threads.iter_mut().find(|t| Some(t.id) == reply.parent_id) {
            thread.replies.push(reply);
        }
    }
    threads.retain(|t| !t.deleted || !t.replies.is_empty());
    Ok(threads)
}

pub async fn add(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    post_id: i64,
    input: &CommentInput,
) -> AppResult<CommentView> {
    let post = commentable_post(db, actor, post_id).await?;
    let body = parse_body(&input.body)?;
    let parent_id = match input.parent_id {
        None => None,
        Some(parent_id) => {
            let parent = post_comments::Entity::find_by_id(parent_id)
                .one(db)
                .await?
                .filter(|p| p.post_id == post.id && p.deleted_at.is_none())
                .ok_or_else(|| AppError::validation("parent_id", Msg::new("err-comment-parent")))?;
            Some(parent.parent_id.unwrap_or(parent.id))
        }
    };
    let rendered = crate::content::mentions::render(db, &body, "body").await?;
    let mentioned = rendered.mentioned;
    let now = Utc::now();
    let txn = crate::db::begin(db).await?;
    let row = post_comments::ActiveModel {
        post_id: Set(post.id),
        author_id: Set(actor.id.0),
        parent_id: Set(parent_id),
        body_html: Set(rendered.html),
        body_md: Set(body),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        deleted_by: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::events::record(
        &txn,
        crate::events::Event::PostCommented {
            post,
            comment_id: row.id,
            actor: actor.actor(),
            mentioned,
        },
    )
    .await?;
    txn.commit().await?;
    let author = repo::authors(db, &[actor.id.0]).await?.remove(&actor.id.0);
    Ok(to_view(row, author, actor))
}

async fn own_comment(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
) -> AppResult<post_comments::Model> {
    let comment = post_comments::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    commentable_post(db, actor, comment.post_id).await?;
    if comment.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    if comment.author_id != actor.id.0 {
        return Err(AppError::forbidden());
    }
    Ok(comment)
}

/// A comment its author may edit.
pub async fn get_own(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
) -> AppResult<CommentView> {
    let comment = own_comment(db, actor, id).await?;
    let author = repo::authors(db, &[actor.id.0]).await?.remove(&actor.id.0);
    Ok(to_view(comment, author, actor))
}

pub async fn edit(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    body: &str,
) -> AppResult<CommentView> {
    let comment = own_comment(db, actor, id).await?;
    let body = parse_body(body)?;
    let html = crate::content::mentions::render(db, &body, "body")
        .await?
        .html;
    let post_id = comment.post_id;
    let mut row = comment.into_active_model();
    row.body_html = Set(html);
    row.body_md = Set(body);
    row.updated_at = Set(Utc::now());
    // The post is found by its comments' words too.
    let txn = crate::db::begin(db).await?;
    let row = row.update(&txn).await?;
    crate::events::changed(&txn, &[crate::events::Doc::Post(post_id)]).await?;
    txn.commit().await?;
    let author = repo::authors(db, &[actor.id.0]).await?.remove(&actor.id.0);
    Ok(to_view(row, author, actor))
}

/// Deletes a comment (its author, or an editor or admin); returns the post it was on.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
) -> AppResult<posts::Model> {
    let comment = post_comments::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let post = repo::find(db, comment.post_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if comment.deleted_at.is_some() || !super::service::can_read(db, &post, actor).await? {
        return Err(AppError::NotFound);
    }
    if comment.author_id != actor.id.0 && !is_moderator(actor) {
        return Err(AppError::forbidden());
    }
    let txn = crate::db::begin(db).await?;
    let mut row = comment.into_active_model();
    row.deleted_at = Set(Some(Utc::now()));
    row.deleted_by = Set(Some(actor.id.0));
    let row = row.update(&txn).await?;
    crate::events::record(
        &txn,
        crate::events::Event::PostCommentDeleted {
            comment_id: row.id,
            post_id: row.post_id,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(post)
}
