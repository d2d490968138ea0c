//! Earlier versions of questions and answers (`qa_revisions`), newest first, in two statements:
//! the question (and answer) if the viewer may see it, with what the page links back to; the
//! revisions with their editors' names as a column.
use sea_orm::{
    ConnectionTrait, DbErr, FromQueryResult,
    sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SelectStatement, SimpleExpr},
};
use serde::Serialize;

use super::{service::url_of, views::QaRevision};
use crate::{
    auth::current_user::CurrentUser,
    db::all_columns,
    entities::{answers, qa_revisions, questions},
    error::{AppError, AppResult},
    people::repo::name_column,
    spaces::audience::Audience,
};

/// The question a revisions page belongs to, as the page links back to it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionRef {
    pub id: i64,
    pub title: String,
    pub url: String,
}

/// A question's or an answer's revisions, with the question they belong to.
pub struct Revisions {
    pub question: QuestionRef,
    pub revisions: Vec<QaRevision>,
}

/// The question's revisions; 404 when it is deleted or out of the viewer's sight.
pub async fn of_question<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<Revisions> {
    let mut select = target(viewer);
    select
        .from(questions::Entity)
        .and_where(Expr::col((questions::Entity, questions::Column::Id)).eq(id));
    read(
        conn,
        &select,
        Expr::col((qa_revisions::Entity, qa_revisions::Column::QuestionId)).eq(id),
    )
    .await
}

/// The answer's revisions; 404 when it or its question is deleted or out of the viewer's sight.
pub async fn of_answer<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<Revisions> {
    let mut select = target(viewer);
    select
        .from(answers::Entity)
        .join(
            JoinType::InnerJoin,
            questions::Entity,
            Expr::col((questions::Entity, questions::Column::Id))
                .equals((answers::Entity, answers::Column::QuestionId)),
        )
        .and_where(Expr::col((answers::Entity, answers::Column::Id)).eq(id))
        .and_where(Expr::col((answers::Entity, answers::Column::DeletedAt)).is_null());
    read(
        conn,
        &select,
        Expr::col((qa_revisions::Entity, qa_revisions::Column::AnswerId)).eq(id),
    )
    .await
}

/// The question's id and title, if it is not deleted and the viewer sees its space (the caller
/// adds the table to read from).
fn target(viewer: &CurrentUser) -> SelectStatement {
    Query::select()
        .column((questions::Entity, questions::Column::Id))
        .column((questions::Entity, questions::Column::Title))
        .and_where(Expr::col((questions::Entity, questions::Column::DeletedAt)).is_null())
        .cond_where(
            Audience::of(viewer)
                .condition_on(Expr::col((questions::Entity, questions::Column::SpaceId))),
        )
        .to_owned()
}

/// The question `target` finds (404 when none), and the revisions `which` selects.
async fn read<C: ConnectionTrait>(
    conn: &C,
    target: &SelectStatement,
    which: SimpleExpr,
) -> AppResult<Revisions> {
    Ok(Revisions {
        question: question_ref(conn, target).await?,
        revisions: list(conn, which).await?,
    })
}

async fn question_ref<C: ConnectionTrait>(
    conn: &C,
    select: &SelectStatement,
) -> AppResult<QuestionRef> {
    let row = crate::db::one(conn, select)
        .await?
        .ok_or(AppError::NotFound)?;
    let id: i64 = row.try_get("", "id")?;
    let title: String = row.try_get("", "title")?;
    Ok(QuestionRef {
        url: url_of(id, &title),
        id,
        title,
    })
}

/// The revisions `which` selects, newest first, with their editors' names.
async fn list<C: ConnectionTrait>(conn: &C, which: SimpleExpr) -> Result<Vec<QaRevision>, DbErr> {
    let mut select = Query::select();
    all_columns(&mut select, qa_revisions::Entity);
    select
        .from(qa_revisions::Entity)
        .and_where(which)
        .expr_as(
            name_column(
                "editor",
                Expr::col((qa_revisions::Entity, qa_revisions::Column::EditorId)),
            ),
            Alias::new("editor_name_"),
        )
        .order_by(
            (qa_revisions::Entity, qa_revisions::Column::Id),
            Order::Desc,
        );
    crate::db::all(conn, &select)
        .await?
        .iter()
        .map(|row| -> Result<QaRevision, DbErr> {
            let r = qa_revisions::Model::from_query_result(row, "")?;
            Ok(QaRevision {
                id: r.id,
                title: r.title,
                body: r.body_md,
                tags: r.tags,
                editor_name: row.try_get("", "editor_name_")?,
                created_at: r.created_at,
            })
        })
        .collect()
}
