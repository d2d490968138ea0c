//! Comments on questions and answers: short, flat (as on Stack Overflow), deleted by their
//! author or a moderator.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    service::{is_moderator, visible_answer, visible_question},
    views::CommentView,
};
use crate::{
    auth::current_user::CurrentUser,
    blog::repo::{Author, authors},
    content,
    entities::qa_comments,
    error::{AppError, AppResult},
};

pub const MAX_COMMENT: usize = 2000;

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = QaCommentInput)]
pub struct CommentInput {
    /// Markdown, at most 2000 characters.
    pub body: String,
}

fn parse_body(raw: &str) -> AppResult<String> {
    content::comment_body(raw, MAX_COMMENT)
}

/// A comment as the question page shows it to `viewer`.
pub fn view_of(c: qa_comments::Model, author: Author, viewer: &CurrentUser) -> CommentView {
    CommentView {
        id: c.id,
        can_delete: c.author_id == viewer.id.0 || is_moderator(viewer),
        author,
        body: c.body_md,
        body_html: c.body_html,
        created_at: c.created_at,
    }
}

async fn insert(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    question_id: i64,
    answer_id: Option<i64>,
    body: String,
) -> AppResult<CommentView> {
    let rendered = crate::content::mentions::render(db, &body, "body").await?;
    let (body_html, mentioned) = (rendered.html, rendered.mentioned);
    let txn = crate::db::begin(db).await?;
    let comment = qa_comments::ActiveModel {
        question_id: Set(question_id),
        answer_id: Set(answer_id),
        author_id: Set(actor.id.0),
        body_html: Set(body_html),
        body_md: Set(body),
        created_at: Set(Utc::now()),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(question) = super::repo::question(&txn, question_id).await? {
        let target_author = match answer_id {
            Some(a) => super::repo::answer(&txn, a).await?.map(|a| a.author_id),
            None => Some(question.author_id),
        };
        crate::events::record(
            &txn,
            crate::events::Event::QaCommentPosted {
                question,
                comment: comment.clone(),
                target_author,
                actor: actor.actor(),
                mentioned,
            },
        )
        .await?;
    }
    txn.commit().await?;
    let author = authors(db, &[actor.id.0])
        .await?
        .remove(&actor.id.0)
        .ok_or(AppError::NotFound)?;
    Ok(view_of(comment, author, actor))
}

pub async fn on_question(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    question_id: i64,
    input: &CommentInput,
) -> AppResult<CommentView> {
    let body = parse_body(&input.body)?;
    visible_question(db, actor, question_id).await?;
    insert(db, actor, question_id, None, body).await
}

pub async fn on_answer(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    answer_id: i64,
    input: &CommentInput,
) -> AppResult<CommentView> {
    let body = parse_body(&input.body)?;
    let (_, question) = visible_answer(db, actor, answer_id).await?;
    insert(db, actor, question.id, Some(answer_id), body).await
}

/// Deletes a comment (its author or a moderator); returns the question it was on.
pub async fn delete(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<i64> {
    let comment = qa_comments::Entity::find_by_id(id)
        .filter(qa_comments::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if comment.author_id != actor.id.0 && !is_moderator(actor) {
        return Err(AppError::forbidden());
    }
    let txn = crate::db::begin(db).await?;
    qa_comments::Entity::update_many()
        .col_expr(qa_comments::Column::DeletedAt, Expr::val(Utc::now()))
        .filter(qa_comments::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    crate::events::record(
        &txn,
        crate::events::Event::QaCommentDeleted {
            comment_id: id,
            question_id: comment.question_id,
            answer_id: comment.answer_id,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(comment.question_id)
}
