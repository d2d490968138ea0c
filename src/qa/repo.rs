//! Queries for Q&A. Lists load their extras (authors, tags, answered state, votes) in one query
//! each, never per row.
use std::collections::{HashMap, HashSet};

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait, Func, Query, SelectStatement},
};

use super::types::Sort;
use crate::{
    entities::{
        answer_invitations, answer_votes, answers, question_tags, question_votes, questions,
        tag_experts, tag_follows,
    },
    spaces::audience::Audience,
    web::pagination::Keyset,
};

pub const OPEN: &str = crate::status::QuestionStatus::Open.as_str();
pub const CLOSED: &str = crate::status::QuestionStatus::Closed.as_str();

pub async fn question<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<questions::Model>, DbErr> {
    questions::Entity::find_by_id(id)
        .filter(questions::Column::DeletedAt.is_null())
        .one(conn)
        .await
}

pub async fn answer<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<answers::Model>, DbErr> {
    answers::Entity::find_by_id(id)
        .filter(answers::Column::DeletedAt.is_null())
        .one(conn)
        .await
}

/// Answers that make a question "answered": not deleted, not outdated, and accepted or scored
/// above zero. Correlated with the outer `questions` row.
fn answering_answers() -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(answers::Entity)
        .and_where(
            Expr::col((answers::Entity, answers::Column::QuestionId))
                .equals((questions::Entity, questions::Column::Id)),
        )
        .and_where(Expr::col((answers::Entity, answers::Column::DeletedAt)).is_null())
        .and_where(Expr::col((answers::Entity, answers::Column::OutdatedAt)).is_null())
        .cond_where(
            Condition::any()
                .add(Expr::col((answers::Entity, answers::Column::Score)).gt(0))
                .add(
                    Expr::col((answers::Entity, answers::Column::Id))
                        .equals((questions::Entity, questions::Column::AcceptedAnswerId)),
                ),
        )
        .to_owned()
}

#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Who reads the list: the spaces whose questions it may hold.
    pub audience: Audience,
    /// Only questions in this space (none: every space the audience sees, and company-wide).
    pub space_id: Option<i64>,
    pub sort: Sort,
    pub tag_id: Option<i64>,
    pub author_id: Option<i64>,
    /// Only questions in tags this user follows.
    pub followed_by: Option<i64>,
    /// Only open questions this user was invited to answer or is an expert for (by tag).
    pub for_user: Option<i64>,
}

fn tagged_in(select: SelectStatement) -> SelectStatement {
    Query::select()
        .column(question_tags::Column::QuestionId)
        .from(question_tags::Entity)
        .and_where(question_tags::Column::TagId.in_subquery(select))
        .to_owned()
}

/// Undeleted questions in the filter's order, after `cursor`; one more than `limit`, so the
/// caller knows whether a next page exists.
pub fn list(
    filter: &ListFilter,
    cursor: Option<Keyset>,
    limit: u64,
) -> sea_orm::Select<questions::Entity> {
    let mut query = questions::Entity::find()
        .filter(questions::Column::DeletedAt.is_null())
        .filter(filter.audience.condition(questions::Column::SpaceId));
    if let Some(space) = filter.space_id {
        query = query.filter(questions::Column::SpaceId.eq(space));
    }
    if filter.sort == Sort::Unanswered {
        query = query
            .filter(questions::Column::Status.eq(OPEN))
            .filter(Expr::exists(answering_answers()).not());
    }
    if let Some(tag_id) = filter.tag_id {
        query = query.filter(
            questions::Column::Id.in_subquery(
                Query::select()
                    .column(question_tags::Column::QuestionId)
                    .from(question_tags::Entity)
                    .and_where(question_tags::Column::TagId.eq(tag_id))
                    .to_owned(),
            ),
        );
    }
    if let Some(author_id) = filter.author_id {
        query = query.filter(questions::Column::AuthorId.eq(author_id));
    }
    if let Some(user_id) = filter.followed_by {
        query = query.filter(
            questions::Column::Id.in_subquery(tagged_in(
                Query::select()
                    .column(tag_follows::Column::TagId)
                    .from(tag_follows::Entity)
                    .and_where(tag_follows::Column::UserId.eq(user_id))
                    .to_owned(),
            )),
        );
    }
    if let Some(user_id) = filter.for_user {
        query = query
            .filter(questions::Column::Status.eq(OPEN))
            .filter(questions::Column::AuthorId.ne(user_id))
            .filter(
                Condition::any()
                    .add(
                        questions::Column::Id.in_subquery(
                            Query::select()
                                .column(answer_invitations::Column::QuestionId)
                                .from(answer_invitations::Entity)
                                .and_where(answer_invitations::Column::InviteeId.eq(user_id))
                                .to_owned(),
                        ),
                    )
                    .add(
                        questions::Column::Id.in_subquery(tagged_in(
                            Query::select()
                                .column(tag_experts::Column::TagId)
                                .from(tag_experts::Entity)
                                .and_where(tag_experts::Column::UserId.eq(user_id))
                                .to_owned(),
                        )),
                    ),
            );
    }
    let time = match filter.sort {
        Sort::Active => questions::Column::LastActivityAt,
        Sort::Newest | Sort::Unanswered => questions::Column::CreatedAt,
    };
    if let Some(c) = cursor {
        query = query.filter(
            Condition::any().add(time.lt(c.at)).add(
                Condition::all()
                    .add(time.eq(c.at))
                    .add(questions::Column::Id.lt(c.id)),
            ),
        );
    }
    query
        .order_by_desc(time)
        .order_by_desc(questions::Column::Id)
        .limit(limit + 1)
}

/// Which of these questions count as answered (see [`answering_answers`]).
pub async fn answered<C: ConnectionTrait>(
    conn: &C,
    questions: &[questions::Model],
) -> Result<HashSet<i64>, DbErr> {
    if questions.is_empty() {
        return Ok(HashSet::new());
    }
    let accepted: Vec<i64> = questions
        .iter()
        .filter_map(|q| q.accepted_answer_id)
        .collect();
    let ids: Vec<i64> = questions.iter().map(|q| q.id).collect();
    let rows: Vec<i64> = answers::Entity::find()
        .select_only()
        .column(answers::Column::QuestionId)
        .distinct()
        .filter(answers::Column::QuestionId.is_in(ids))
        .filter(answers::Column::DeletedAt.is_null())
        .filter(answers::Column::OutdatedAt.is_null())
        .filter(
            Condition::any()
                .add(answers::Column::Score.gt(0))
                .add(answers::Column::Id.is_in(accepted)),
        )
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Tag names of many questions in one query, each list sorted.
pub async fn tags_of<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    crate::tags::names_by::<_, question_tags::Entity>(
        conn,
        question_tags::Column::QuestionId,
        ids,
        |l| l.question_id,
    )
    .await
}

pub async fn tag_ids_of<C: ConnectionTrait>(conn: &C, question_id: i64) -> Result<Vec<i64>, DbErr> {
    question_tags::Entity::find()
        .select_only()
        .column(question_tags::Column::TagId)
        .filter(question_tags::Column::QuestionId.eq(question_id))
        .into_tuple()
        .all(conn)
        .await
}

pub async fn answers_of<C: ConnectionTrait>(
    conn: &C,
    question_id: i64,
) -> Result<Vec<answers::Model>, DbErr> {
    answers::Entity::find()
        .filter(answers::Column::QuestionId.eq(question_id))
        .filter(answers::Column::DeletedAt.is_null())
        .order_by_desc(answers::Column::Score)
        .order_by_asc(answers::Column::Id)
        .all(conn)
        .await
}

/// The user's votes on these questions.
pub async fn question_votes_of<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    ids: &[i64],
) -> Result<HashMap<i64, i16>, DbErr> {
    let rows: Vec<(i64, i16)> = question_votes::Entity::find()
        .select_only()
        .column(question_votes::Column::QuestionId)
        .column(question_votes::Column::Value)
        .filter(question_votes::Column::UserId.eq(user_id))
        .filter(question_votes::Column::QuestionId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The user's votes on these answers.
pub async fn answer_votes_of<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    ids: &[i64],
) -> Result<HashMap<i64, i16>, DbErr> {
    let rows: Vec<(i64, i16)> = answer_votes::Entity::find()
        .select_only()
        .column(answer_votes::Column::AnswerId)
        .column(answer_votes::Column::Value)
        .filter(answer_votes::Column::UserId.eq(user_id))
        .filter(answer_votes::Column::AnswerId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Questions closed as duplicates of this one.
pub async fn duplicates_of<C: ConnectionTrait>(
    conn: &C,
    audience: Audience,
    question_id: i64,
) -> Result<Vec<questions::Model>, DbErr> {
    questions::Entity::find()
        .filter(questions::Column::DuplicateOfId.eq(question_id))
        .filter(audience.condition(questions::Column::SpaceId))
        .filter(questions::Column::DeletedAt.is_null())
        .order_by_asc(questions::Column::Id)
        .all(conn)
        .await
}

/// Undeleted questions `audience` may read (closed ones too: a duplicate leads to its
/// original) whose title contains any of `words` (lower case, without wildcards), newest
/// first, at most `limit` candidates.
pub async fn title_matches<C: ConnectionTrait>(
    conn: &C,
    words: &[String],
    audience: &Audience,
    limit: u64,
) -> Result<Vec<questions::Model>, DbErr> {
    if words.is_empty() {
        return Ok(vec![]);
    }
    let mut any = Condition::any();
    for word in words {
        any = any.add(
            Expr::expr(Func::lower(Expr::col(questions::Column::Title))).like(format!("%{word}%")),
        );
    }
    questions::Entity::find()
        .filter(questions::Column::DeletedAt.is_null())
        .filter(audience.condition(questions::Column::SpaceId))
        .filter(any)
        .order_by_desc(questions::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}
