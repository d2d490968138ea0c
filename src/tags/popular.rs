//! The most used tags of the latest questions, kept per node (see [`PopularTags`]).
use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use sea_orm::{
    DatabaseConnection, DbErr, FromQueryResult,
    sea_query::{Expr, ExprTrait, Order, Query},
};

use crate::entities::{question_tags, tags};

/// How many tags a node keeps.
pub const KEPT: u64 = 10;
/// The tags are counted among this many latest questions (by id).
const COUNTED_FROM: i64 = 1000;
/// How long a node keeps them before it counts them again.
const POPULAR_FOR: Duration = Duration::from_secs(60);

/// The most used tags among the latest questions (the home page offers them to a new member):
/// this node's copy, counted again once it is older than [`POPULAR_FOR`]. What people ask
/// about changes slowly, and counting it on every view of a new member's home page was half of
/// the page's database time (1.9 of 4 ms at 20,000 questions).
#[derive(Default)]
pub struct PopularTags(Mutex<Option<(Instant, Arc<Vec<Popular>>)>>);

#[derive(Debug, FromQueryResult)]
pub struct Popular {
    pub id: i64,
    pub name: String,
}

impl PopularTags {
    /// The [`KEPT`] most used tags, most used first, then by name.
    pub async fn get(&self, db: &DatabaseConnection) -> Result<Arc<Vec<Popular>>, DbErr> {
        if let Some((counted, tags)) = &*self.0.lock().unwrap_or_else(|e| e.into_inner())
            && counted.elapsed() < POPULAR_FOR
        {
            return Ok(tags.clone());
        }
        let tags = Arc::new(most_used_tags(db, KEPT).await?);
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), tags.clone()));
        Ok(tags)
    }
}

/// The `limit` most used tags of the latest [`COUNTED_FROM`] questions (not proposed ones),
/// most used first, then by name.
async fn most_used_tags(db: &DatabaseConnection, limit: u64) -> Result<Vec<Popular>, DbErr> {
    let statement = Query::select()
        .column((tags::Entity, tags::Column::Id))
        .column((tags::Entity, tags::Column::Name))
        .from(tags::Entity)
        .inner_join(
            question_tags::Entity,
            Expr::col((question_tags::Entity, question_tags::Column::TagId))
                .equals((tags::Entity, tags::Column::Id)),
        )
        .and_where(Expr::col((tags::Entity, tags::Column::Status)).ne(super::PROPOSED))
        // Among the latest questions: what people ask about now, and a count that does not
        // grow with the whole history (every question's tags took 28 ms at 20,000 questions).
        .and_where(
            Expr::col((question_tags::Entity, question_tags::Column::QuestionId)).gt(Expr::cust(
                format!(r#"(SELECT COALESCE(MAX("id"), 0) - {COUNTED_FROM} FROM "questions")"#),
            )),
        )
        .group_by_col((tags::Entity, tags::Column::Id))
        .group_by_col((tags::Entity, tags::Column::Name))
        .order_by_expr(Expr::cust("COUNT(*)"), Order::Desc)
        .order_by((tags::Entity, tags::Column::Name), Order::Asc)
        .limit(limit)
        .to_owned();
    crate::db::all(db, &statement)
        .await?
        .iter()
        .map(|row| Popular::from_query_result(row, ""))
        .collect()
}
