//! The one place Q&A items are read for a viewer before anything is done with them: 404 when
//! deleted or outside the viewer's spaces (`spaces::audience`), the rule in the same statement.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    auth::current_user::CurrentUser,
    entities::{answers, questions},
    error::{AppError, AppResult},
    spaces::audience::Audience,
};

/// The question, unless deleted or in a space the viewer may not see (404: its existence is
/// not revealed), in one statement.
pub async fn visible_question<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<questions::Model> {
    visible_question_select(viewer, id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// The answer and its question, unless either is deleted or out of the viewer's sight (404).
pub async fn visible_answer<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<(answers::Model, questions::Model)> {
    use sea_orm::FromQueryResult;
    let mut select = visible_answer_select(viewer, id);
    crate::db::prefixed_columns(&mut select, questions::Entity, "q_");
    let row = crate::db::one(conn, &select)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        answers::Model::from_query_result(&row, "")?,
        questions::Model::from_query_result(&row, "q_")?,
    ))
}

/// The author of a question the viewer sees (404 otherwise), without its text: what a vote
/// needs.
pub(super) async fn visible_question_author<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<i64> {
    use sea_orm::QuerySelect;
    visible_question_select(viewer, id)
        .select_only()
        .column(questions::Column::AuthorId)
        .into_tuple::<i64>()
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// The author of an answer the viewer sees (404 otherwise), without reading its text or its
/// question's: what a vote needs.
pub(super) async fn visible_answer_author<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<i64> {
    let mut select = visible_answer_select(viewer, id);
    select
        .clear_selects()
        .column((answers::Entity, answers::Column::AuthorId));
    let row = crate::db::one(conn, &select)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row.try_get_by_index(0)?)
}

/// The question where the viewer sees it: not deleted, the space rule in the same statement.
fn visible_question_select(viewer: &CurrentUser, id: i64) -> sea_orm::Select<questions::Entity> {
    questions::Entity::find_by_id(id)
        .filter(questions::Column::DeletedAt.is_null())
        .filter(Audience::of(viewer).condition(questions::Column::SpaceId))
}

/// One statement: the answer's columns, joined to its question where the viewer sees it.
fn visible_answer_select(viewer: &CurrentUser, id: i64) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::{
        QueryTrait,
        sea_query::{Expr, ExprTrait, JoinType},
    };
    let mut select = answers::Entity::find_by_id(id)
        .filter(answers::Column::DeletedAt.is_null())
        .into_query();
    select
        .join(
            JoinType::InnerJoin,
            questions::Entity,
            Expr::col((questions::Entity, questions::Column::Id))
                .equals((answers::Entity, answers::Column::QuestionId)),
        )
        .and_where(Expr::col((questions::Entity, questions::Column::DeletedAt)).is_null())
        .cond_where(Audience::of(viewer).condition(questions::Column::SpaceId));
    select
}
