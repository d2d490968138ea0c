//! Votes on questions and answers: one per user per item, +1 or -1, changeable and removable,
//! never on one's own item. The vote row and the item's score change in one transaction; the
//! vote row changes only if it still holds the value read (`WHERE value = old`), and the score
//! moves by the difference (`score = score + delta`), so concurrent votes never lose or double
//! a count: a racing request that finds the row changed starts over.
use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QuerySelect, QueryTrait,
    sea_query::{
        Alias, CommonTableExpression, Expr, ExprTrait, InsertStatement, OnConflict, Query,
        UpdateStatement, WithClause, WithQuery,
    },
};

use super::{types::VoteValue, views::VoteResult, visible};
use crate::{
    auth::current_user::CurrentUser,
    entities::{answer_votes, answers, question_votes, questions},
    error::{AppError, AppResult, Msg},
    events::{self, Doc, Event},
};

const ATTEMPTS: usize = 5;

/// The tables of one kind of votable item.
struct Spec<V: EntityTrait, I: EntityTrait> {
    votes: V,
    vote_item: V::Column,
    vote_user: V::Column,
    vote_value: V::Column,
    vote_created: V::Column,
    item_id: I::Column,
    item_score: I::Column,
    /// The search document whose ranking the score feeds (an answer's score reaches search
    /// through the consequences of `AnswerVoted`).
    doc: Option<fn(i64) -> Doc>,
}

fn questions_spec() -> Spec<question_votes::Entity, questions::Entity> {
    Spec {
        votes: question_votes::Entity,
        vote_item: question_votes::Column::QuestionId,
        vote_user: question_votes::Column::UserId,
        vote_value: question_votes::Column::Value,
        vote_created: question_votes::Column::CreatedAt,
        item_id: questions::Column::Id,
        item_score: questions::Column::Score,
        doc: Some(Doc::Question),
    }
}

fn answers_spec() -> Spec<answer_votes::Entity, answers::Entity> {
    Spec {
        votes: answer_votes::Entity,
        vote_item: answer_votes::Column::AnswerId,
        vote_user: answer_votes::Column::UserId,
        vote_value: answer_votes::Column::Value,
        vote_created: answer_votes::Column::CreatedAt,
        item_id: answers::Column::Id,
        item_score: answers::Column::Score,
        doc: None,
    }
}

enum Outcome {
    Done(VoteResult),
    /// Another request changed the vote row between our read and our write.
    Raced,
}

async fn apply<V, I>(
    txn: &DatabaseTransaction,
    spec: &Spec<V, I>,
    item: i64,
    user: i64,
    new: i16,
    earner: Option<i64>,
) -> AppResult<Outcome>
where
    V: EntityTrait,
    I: EntityTrait,
{
    // Most votes are someone's first on the item: insert it, and read the vote there is only
    // when the insert finds one (one statement fewer for a first vote).
    let (first, mut score) = if new == 0 {
        (false, None)
    } else {
        insert_first(txn, spec, item, user, new).await?
    };
    let old: Option<i16> = if first {
        None
    } else {
        V::find()
            .select_only()
            .column(spec.vote_value)
            .filter(spec.vote_item.eq(item))
            .filter(spec.vote_user.eq(user))
            .into_tuple()
            .one(txn)
            .await?
    };
    let delta = i32::from(new) - i32::from(old.unwrap_or(0));
    if delta != 0 {
        let changed = match (old, new) {
            (None, _) if first => 1,
            // Taken back meanwhile, after our insert found it: start over.
            (None, _) => 0,
            (Some(old), 0) => {
                V::delete_many()
                    .filter(spec.vote_item.eq(item))
                    .filter(spec.vote_user.eq(user))
                    .filter(spec.vote_value.eq(old))
                    .exec(txn)
                    .await?
                    .rows_affected
            }
            (Some(old), new) => {
                V::update_many()
                    .col_expr(spec.vote_value, Expr::val(new))
                    .filter(spec.vote_item.eq(item))
                    .filter(spec.vote_user.eq(user))
                    .filter(spec.vote_value.eq(old))
                    .exec(txn)
                    .await?
                    .rows_affected
            }
        };
        if changed == 0 {
            return Ok(Outcome::Raced);
        }
        // The new score comes back with the update (`RETURNING`, PostgreSQL and SQLite alike),
        // unless it came back with a first vote's insert.
        if score.is_none() {
            score = match crate::db::one(txn, &score_update(spec, item, delta)).await? {
                Some(row) => Some(row.try_get_by_index(0)?),
                None => return Err(AppError::NotFound),
            };
        }
        if let Some(doc) = spec.doc {
            events::rescored(txn, doc(item)).await?;
        }
        if let Some(author_id) = earner {
            events::record(
                txn,
                Event::AnswerVoted {
                    answer_id: item,
                    author_id,
                    voter_id: user,
                    value: new,
                },
            )
            .await?;
        }
    }
    if score.is_none() {
        score = I::find()
            .select_only()
            .column(spec.item_score)
            .filter(spec.item_id.eq(item))
            .into_tuple()
            .one(txn)
            .await?;
    }
    Ok(Outcome::Done(VoteResult {
        score: score.ok_or(AppError::NotFound)?,
        my_vote: new,
    }))
}

/// Inserts the user's vote unless they have one: whether it did, and on PostgreSQL the new
/// score (the insert and the score move are one statement there, see [`first_vote`]).
async fn insert_first<V: EntityTrait, I: EntityTrait>(
    txn: &DatabaseTransaction,
    spec: &Spec<V, I>,
    item: i64,
    user: i64,
    new: i16,
) -> AppResult<(bool, Option<i32>)> {
    let mut insert = Query::insert()
        .into_table(spec.votes)
        .columns([
            spec.vote_item,
            spec.vote_user,
            spec.vote_value,
            spec.vote_created,
        ])
        .values_panic([item.into(), user.into(), new.into(), Utc::now().into()])
        .to_owned();
    insert.on_conflict(
        OnConflict::columns([spec.vote_item, spec.vote_user])
            .do_nothing()
            .to_owned(),
    );
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        let score: Option<i32> = crate::db::one(txn, &first_vote(spec, insert, item, new))
            .await?
            .map(|row| row.try_get_by_index(0))
            .transpose()?;
        return Ok((score.is_some(), score));
    }
    Ok((txn.execute(&insert).await?.rows_affected() == 1, None))
}

/// `UPDATE item SET score = score + delta WHERE id = item RETURNING score`.
fn score_update<V: EntityTrait, I: EntityTrait>(
    spec: &Spec<V, I>,
    item: i64,
    delta: i32,
) -> UpdateStatement {
    let mut update = I::update_many()
        .col_expr(spec.item_score, Expr::col(spec.item_score).add(delta))
        .filter(spec.item_id.eq(item))
        .into_query();
    update.returning_col(spec.item_score);
    update
}

/// `WITH cast AS (insert … ON CONFLICT DO NOTHING RETURNING 1) UPDATE item SET score = score +
/// new WHERE id = item AND EXISTS (SELECT 1 FROM cast) RETURNING score`: a first vote and its
/// score in one statement (PostgreSQL's data-modifying CTEs; SQLite has none). No row: the
/// user had voted already.
fn first_vote<V: EntityTrait, I: EntityTrait>(
    spec: &Spec<V, I>,
    mut insert: InsertStatement,
    item: i64,
    new: i16,
) -> WithQuery {
    let cast = Alias::new("cast_vote");
    insert.returning(Query::returning().expr(Expr::val(1)));
    let mut update = score_update(spec, item, i32::from(new));
    update.and_where(Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(cast.clone())
            .to_owned(),
    ));
    update.with(
        WithClause::new()
            .cte(
                CommonTableExpression::new()
                    .query(insert)
                    .table_name(cast)
                    .to_owned(),
            )
            .to_owned(),
    )
}

async fn cast<V, I>(
    db: &DatabaseConnection,
    spec: Spec<V, I>,
    item: i64,
    user: i64,
    new: i16,
    earner: Option<i64>,
) -> AppResult<VoteResult>
where
    V: EntityTrait,
    I: EntityTrait,
{
    for _ in 0..ATTEMPTS {
        let txn = crate::db::begin(db).await?;
        match apply(&txn, &spec, item, user, new, earner).await {
            Ok(Outcome::Done(result)) => {
                txn.commit().await?;
                return Ok(result);
            }
            Ok(Outcome::Raced) => txn.rollback().await?,
            Err(e) => return Err(e),
        }
    }
    Err(AppError::conflict("err-vote-busy"))
}

fn own_item() -> AppError {
    AppError::Forbidden(Msg::new("err-vote-own"))
}

/// Votes on a question (`Some(value)`) or takes the vote back (`None`).
pub async fn on_question(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    value: Option<VoteValue>,
) -> AppResult<VoteResult> {
    if visible::visible_question_author(db, actor, id).await? == actor.id.0 {
        return Err(own_item());
    }
    cast(
        db,
        questions_spec(),
        id,
        actor.id.0,
        value.map_or(0, |v| v.0),
        None,
    )
    .await
}

/// Votes on an answer (`Some(value)`) or takes the vote back (`None`).
pub async fn on_answer(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    value: Option<VoteValue>,
) -> AppResult<VoteResult> {
    let author_id = visible::visible_answer_author(db, actor, id).await?;
    if author_id == actor.id.0 {
        return Err(own_item());
    }
    cast(
        db,
        answers_spec(),
        id,
        actor.id.0,
        value.map_or(0, |v| v.0),
        Some(author_id),
    )
    .await
}
