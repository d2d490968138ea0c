//! The question page's reads, in at most four statements whatever the question holds (issue
//! 25's budget; the session or token is the fifth):
//!
//! 1. the question, if the viewer may see it, with its author, tags, space, who closed it, the
//!    viewer's vote, whether the viewer is an expert in one of its tags, and whether it has
//!    comments and duplicates at all;
//! 2. its answers with their authors, who marked them outdated and the viewer's votes;
//! 3. its comments (on the question and on every answer) with their authors, only when the
//!    question has comments;
//! 4. the questions closed as duplicates of it and its original, with whether each is answered,
//!    only when it has duplicates or is one.
//!
//! Most questions have no duplicates and many no comments: the flags of statement 1 spare
//! those statements (each costs more in round trips than the flag's index probe).
//!
//! Authors, names, votes and flags are joins and scalar sub-selects of those statements, not
//! statements of their own.
use sea_orm::{
    ConnectionTrait, DbErr, FromQueryResult,
    sea_query::{Alias, Expr, ExprTrait, Order, Query, SimpleExpr},
};

use crate::{
    auth::current_user::CurrentUser,
    blog::repo::Author,
    db::{Reused, all_columns, count_of, exists_in, id_of, scalar},
    entities::{
        answer_votes, answers, qa_comments, question_tags, question_votes, questions, tag_experts,
    },
    people::repo::{author_of, join_author, name_column},
    spaces::{
        audience::Audience,
        service::{join_space_ref, space_ref_of},
        types::SpaceRef,
    },
};

/// A question as its page needs it.
pub struct QuestionRow {
    pub question: questions::Model,
    pub author: Author,
    pub tags: Vec<String>,
    pub space: Option<SpaceRef>,
    pub closed_by_name: Option<String>,
    pub my_vote: i16,
    /// The viewer is an expert in one of the question's tags.
    pub viewer_is_expert: bool,
    /// It or one of its answers has a comment (read them with [`comments`]).
    pub has_comments: bool,
    /// A question is closed as its duplicate (read the links with [`links`]).
    pub has_duplicates: bool,
}

/// An answer as the page needs it.
pub struct AnswerRow {
    pub answer: answers::Model,
    pub author: Author,
    pub outdated_by_name: Option<String>,
    pub my_vote: i16,
}

pub struct CommentRow {
    pub comment: qa_comments::Model,
    pub author: Author,
}

/// A question linked from the page (a duplicate or the original).
pub struct LinkRow {
    pub question: questions::Model,
    pub is_answered: bool,
}

/// The viewer's vote (`value` of `table` where `user_id` is the viewer and `target` is `id`).
fn my_vote(
    table: impl sea_orm::sea_query::IntoIden,
    target: impl sea_orm::sea_query::IntoColumnRef,
    value: impl sea_orm::sea_query::IntoColumnRef,
    user: impl sea_orm::sea_query::IntoColumnRef,
    viewer: i64,
    id: SimpleExpr,
) -> SimpleExpr {
    scalar(
        Query::select()
            .column(value)
            .from(table)
            .and_where(Expr::col(user).eq(viewer))
            .and_where(Expr::col(target).eq(id))
            .to_owned(),
    )
}

/// Statement 1: the question, unless deleted or out of the viewer's sight. Built once per
/// backend and audience (see [`Reused`]): building it cost a quarter of the request.
pub async fn question<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> Result<Option<QuestionRow>, DbErr> {
    static STATEMENTS: [Reused; Audience::SHAPES] = [const { Reused::new() }; Audience::SHAPES];
    let backend = conn.get_database_backend();
    let statement =
        Audience::reused_for(&STATEMENTS, backend, viewer, id, |audience, viewer, id| {
            question_select(backend, audience, viewer, id)
        });
    let Some(row) = conn.query_one_raw(statement).await? else {
        return Ok(None);
    };
    let space = space_ref_of(&row)?;
    let tags = crate::tags::split_names(row.try_get("", "tag_names")?);
    Ok(Some(QuestionRow {
        question: questions::Model::from_query_result(&row, "")?,
        author: author_of(&row)?,
        tags,
        space,
        closed_by_name: row.try_get("", "closed_by_name")?,
        my_vote: row.try_get::<Option<i16>>("", "my_vote")?.unwrap_or(0),
        viewer_is_expert: row.try_get::<i64>("", "viewer_expert")? > 0,
        has_comments: row.try_get("", "has_comments")?,
        has_duplicates: row.try_get("", "has_duplicates")?,
    }))
}

/// The statement of [`question`].
fn question_select(
    backend: sea_orm::DatabaseBackend,
    audience: Audience,
    viewer: i64,
    id: i64,
) -> sea_orm::sea_query::SelectStatement {
    let qid = || SimpleExpr::from(Expr::col((questions::Entity, questions::Column::Id)));
    let mut select = Query::select();
    all_columns(&mut select, questions::Entity);
    select
        .from(questions::Entity)
        .and_where(Expr::col((questions::Entity, questions::Column::Id)).eq(id))
        .and_where(Expr::col((questions::Entity, questions::Column::DeletedAt)).is_null())
        .cond_where(audience.condition(questions::Column::SpaceId))
        .expr_as(
            crate::tags::names_column(
                backend,
                question_tags::Entity,
                question_tags::Column::QuestionId,
                question_tags::Column::TagId,
                qid(),
            ),
            Alias::new("tag_names"),
        )
        .expr_as(
            name_column(
                "closer",
                Expr::col((questions::Entity, questions::Column::ClosedBy)),
            ),
            Alias::new("closed_by_name"),
        )
        .expr_as(
            my_vote(
                question_votes::Entity,
                (question_votes::Entity, question_votes::Column::QuestionId),
                (question_votes::Entity, question_votes::Column::Value),
                (question_votes::Entity, question_votes::Column::UserId),
                viewer,
                qid(),
            ),
            Alias::new("my_vote"),
        )
        .expr_as(
            count_of(
                tag_experts::Entity,
                [
                    Expr::col((tag_experts::Entity, tag_experts::Column::UserId)).eq(viewer),
                    Expr::col((tag_experts::Entity, tag_experts::Column::TagId)).in_subquery(
                        Query::select()
                            .column(question_tags::Column::TagId)
                            .from(question_tags::Entity)
                            .and_where(
                                Expr::col((
                                    question_tags::Entity,
                                    question_tags::Column::QuestionId,
                                ))
                                .eq(qid()),
                            )
                            .to_owned(),
                    ),
                ],
            ),
            Alias::new("viewer_expert"),
        )
        .expr_as(
            exists_in(
                qa_comments::Entity,
                [
                    Expr::col((qa_comments::Entity, qa_comments::Column::QuestionId)).eq(qid()),
                    Expr::col((qa_comments::Entity, qa_comments::Column::DeletedAt)).is_null(),
                ],
            ),
            Alias::new("has_comments"),
        )
        .expr_as(
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from_as(questions::Entity, Alias::new("duplicate"))
                    .and_where(
                        Expr::col((Alias::new("duplicate"), questions::Column::DuplicateOfId))
                            .eq(qid()),
                    )
                    .and_where(
                        Expr::col((Alias::new("duplicate"), questions::Column::DeletedAt))
                            .is_null(),
                    )
                    .to_owned(),
            ),
            Alias::new("has_duplicates"),
        );
    join_author(
        &mut select,
        Expr::col((questions::Entity, questions::Column::AuthorId)),
    );
    join_space_ref(
        &mut select,
        Expr::col((questions::Entity, questions::Column::SpaceId)),
    );
    select
}

/// Statement 2: the answers, best first (score, then age).
pub async fn answers<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    question_id: i64,
) -> Result<Vec<AnswerRow>, DbErr> {
    static STATEMENT: Reused = Reused::new();
    let statement = STATEMENT.statement(
        conn.get_database_backend(),
        vec![viewer.id.0.into(), question_id.into()],
        |p| answers_select(id_of(&p[0]), id_of(&p[1])),
    );
    conn.query_all_raw(statement)
        .await?
        .iter()
        .map(|row| {
            Ok(AnswerRow {
                answer: answers::Model::from_query_result(row, "")?,
                author: author_of(row)?,
                outdated_by_name: row.try_get("", "outdated_by_name")?,
                my_vote: row.try_get::<Option<i16>>("", "my_vote")?.unwrap_or(0),
            })
        })
        .collect()
}

/// The statement of [`answers`].
fn answers_select(viewer: i64, question_id: i64) -> sea_orm::sea_query::SelectStatement {
    let mut select = Query::select();
    all_columns(&mut select, answers::Entity);
    select
        .from(answers::Entity)
        .and_where(Expr::col((answers::Entity, answers::Column::QuestionId)).eq(question_id))
        .and_where(Expr::col((answers::Entity, answers::Column::DeletedAt)).is_null())
        .expr_as(
            name_column(
                "marker",
                Expr::col((answers::Entity, answers::Column::OutdatedBy)),
            ),
            Alias::new("outdated_by_name"),
        )
        .expr_as(
            my_vote(
                answer_votes::Entity,
                (answer_votes::Entity, answer_votes::Column::AnswerId),
                (answer_votes::Entity, answer_votes::Column::Value),
                (answer_votes::Entity, answer_votes::Column::UserId),
                viewer,
                Expr::col((answers::Entity, answers::Column::Id)),
            ),
            Alias::new("my_vote"),
        )
        .order_by((answers::Entity, answers::Column::Score), Order::Desc)
        .order_by((answers::Entity, answers::Column::Id), Order::Asc);
    join_author(
        &mut select,
        Expr::col((answers::Entity, answers::Column::AuthorId)),
    );
    select
}

/// Statement 3: every comment of the question and its answers, oldest first.
pub async fn comments<C: ConnectionTrait>(
    conn: &C,
    question_id: i64,
) -> Result<Vec<CommentRow>, DbErr> {
    let mut select = Query::select();
    all_columns(&mut select, qa_comments::Entity);
    select
        .from(qa_comments::Entity)
        .and_where(
            Expr::col((qa_comments::Entity, qa_comments::Column::QuestionId)).eq(question_id),
        )
        .and_where(Expr::col((qa_comments::Entity, qa_comments::Column::DeletedAt)).is_null())
        .order_by((qa_comments::Entity, qa_comments::Column::Id), Order::Asc);
    join_author(
        &mut select,
        Expr::col((qa_comments::Entity, qa_comments::Column::AuthorId)),
    );
    crate::db::all(conn, &select)
        .await?
        .iter()
        .map(|row| {
            Ok(CommentRow {
                comment: qa_comments::Model::from_query_result(row, "")?,
                author: author_of(row)?,
            })
        })
        .collect()
}

/// `(SELECT COUNT(*) FROM answers …)` over `questions`: above 0 when the question counts as
/// answered (an undeleted, current answer that is accepted or scored above 0; see
/// `repo::answered`).
fn answered_expr() -> SimpleExpr {
    let accepted = Expr::col((answers::Entity, answers::Column::Id))
        .equals((questions::Entity, questions::Column::AcceptedAnswerId));
    count_of(
        answers::Entity,
        [
            Expr::col((answers::Entity, answers::Column::QuestionId))
                .equals((questions::Entity, questions::Column::Id)),
            Expr::col((answers::Entity, answers::Column::DeletedAt)).is_null(),
            Expr::col((answers::Entity, answers::Column::OutdatedAt)).is_null(),
            Expr::col((answers::Entity, answers::Column::Score))
                .gt(0)
                .or(accepted),
        ],
    )
}

/// A question's own fields as a list shows them: not its body (a list never shows it), only
/// the excerpt. Reading every column of 20 questions, bodies and all, was a quarter of a
/// question list's instructions.
#[derive(Debug, sea_orm::FromQueryResult)]
pub struct SummaryFields {
    pub id: i64,
    pub title: String,
    pub body_excerpt: Option<String>,
    /// The body only while there is no excerpt (a question written before excerpts were kept),
    /// to derive one from.
    pub body_md: Option<String>,
    pub language: String,
    pub status: String,
    pub close_reason: Option<String>,
    pub score: i32,
    pub answer_count: i32,
    pub accepted_answer_id: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_activity_at: chrono::DateTime<chrono::Utc>,
}

impl From<questions::Model> for SummaryFields {
    fn from(q: questions::Model) -> Self {
        Self {
            body_md: q.body_excerpt.is_none().then_some(q.body_md),
            id: q.id,
            title: q.title,
            body_excerpt: q.body_excerpt,
            language: q.language,
            status: q.status,
            close_reason: q.close_reason,
            score: q.score,
            answer_count: q.answer_count,
            accepted_answer_id: q.accepted_answer_id,
            created_at: q.created_at,
            last_activity_at: q.last_activity_at,
        }
    }
}

/// A question of a list with what the list shows beside it: the author, the tags and whether
/// it counts as answered.
pub type SummaryRow = (SummaryFields, Author, Vec<String>, bool);

/// The questions `query` selects, in its order, with what a list shows beside each (one
/// statement).
pub async fn summary_rows<C: ConnectionTrait>(
    conn: &C,
    query: sea_orm::Select<questions::Entity>,
) -> Result<Vec<SummaryRow>, DbErr> {
    let select = summary_select(conn.get_database_backend(), query);
    crate::db::all(conn, &select)
        .await?
        .iter()
        .map(summary_row)
        .collect()
}

/// `query` with the author, tags and answered flag of each question as joins and columns.
pub fn summary_select(
    backend: sea_orm::DatabaseBackend,
    query: sea_orm::Select<questions::Entity>,
) -> sea_orm::sea_query::SelectStatement {
    use questions::Column as Q;
    use sea_orm::QueryTrait;
    let qid = || SimpleExpr::from(Expr::col((questions::Entity, Q::Id)));
    let mut select = query.into_query();
    select.clear_selects();
    select
        .columns(
            [
                Q::Id,
                Q::Title,
                Q::BodyExcerpt,
                Q::Language,
                Q::Status,
                Q::CloseReason,
                Q::Score,
                Q::AnswerCount,
                Q::AcceptedAnswerId,
                Q::CreatedAt,
                Q::LastActivityAt,
            ]
            .map(|c| (questions::Entity, c)),
        )
        .expr_as(
            Expr::case(
                Expr::col((questions::Entity, Q::BodyExcerpt)).is_null(),
                Expr::col((questions::Entity, Q::BodyMd)),
            ),
            Alias::new("body_md"),
        )
        .expr_as(
            crate::tags::names_column(
                backend,
                question_tags::Entity,
                question_tags::Column::QuestionId,
                question_tags::Column::TagId,
                qid(),
            ),
            Alias::new("tag_names"),
        )
        .expr_as(answered_expr(), Alias::new("answered"));
    join_author(
        &mut select,
        Expr::col((questions::Entity, questions::Column::AuthorId)),
    );
    select
}

/// A row of a [`summary_select`].
pub fn summary_row(row: &sea_orm::QueryResult) -> Result<SummaryRow, DbErr> {
    Ok((
        SummaryFields::from_query_result(row, "")?,
        author_of(row)?,
        crate::tags::split_names(row.try_get("", "tag_names")?),
        row.try_get::<i64>("", "answered")? > 0,
    ))
}

/// Statement 4: the questions closed as duplicates of `question` and its original, those the
/// viewer may see, with whether each counts as answered (see `repo::answered`).
pub async fn links<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    question: &questions::Model,
) -> Result<Vec<LinkRow>, DbErr> {
    let mut related =
        Expr::col((questions::Entity, questions::Column::DuplicateOfId)).eq(question.id);
    if let Some(original) = question.duplicate_of_id {
        related = related.or(Expr::col((questions::Entity, questions::Column::Id)).eq(original));
    }
    let answered = answered_expr();
    let mut select = Query::select();
    all_columns(&mut select, questions::Entity);
    select
        .from(questions::Entity)
        .and_where(related)
        .and_where(Expr::col((questions::Entity, questions::Column::DeletedAt)).is_null())
        .cond_where(Audience::of(viewer).condition(questions::Column::SpaceId))
        .expr_as(answered, Alias::new("answered"))
        .order_by((questions::Entity, questions::Column::Id), Order::Asc);
    crate::db::all(conn, &select)
        .await?
        .iter()
        .map(|row| {
            Ok(LinkRow {
                question: questions::Model::from_query_result(row, "")?,
                is_answered: row.try_get::<i64>("", "answered")? > 0,
            })
        })
        .collect()
}
