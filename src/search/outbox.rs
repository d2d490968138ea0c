//! The search outbox. A row names a document (`post`, `question`, `answer` or `person` and its
//! id) whose searchable state may have changed; the indexer re-reads that entity and updates or
//! removes its document. Rows are written in the same transaction as the change itself, so a
//! change is either committed together with its outbox row or not at all. A row of kind
//! `answer_score`, `question_score` or `post_score` ([`enqueue_score`]) says only that
//! document's score changed (a vote, a like).
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, QueryTrait, sea_query::InsertStatement,
};

use crate::entities::search_outbox;

pub use crate::events::Doc;

/// Records that these documents need refreshing. Call it inside the transaction that changes
/// them.
pub async fn enqueue<C: ConnectionTrait>(conn: &C, docs: &[Doc]) -> Result<(), DbErr> {
    insert(conn, docs.iter().map(|doc| (doc.kind(), doc.id()))).await
}

/// Records that only this document's score changed (a vote, a like; a person has none and
/// is refreshed whole). The indexer reads the new score into the scores beside the index
/// (`search::scores`), rewriting no document, except an answer's question when the vote can
/// change which answers its document carries. Call it inside the transaction that changes
/// the score.
pub async fn enqueue_score<C: ConnectionTrait>(conn: &C, doc: Doc) -> Result<(), DbErr> {
    conn.execute(&score_row(doc)).await?;
    Ok(())
}

/// The outbox row [`enqueue_score`] writes, as a statement for the caller to run (with another
/// one, see [`crate::db::serialize_after`]).
pub fn score_row(doc: Doc) -> InsertStatement {
    let (kind, id) = match super::scores::Scored::of(doc) {
        Some((scored, id)) => (scored.outbox_kind(), id),
        None => (doc.kind(), doc.id()),
    };
    rows_insert([(kind, id)]).expect("one row")
}

/// Inserts one outbox row per (kind, entity id), in one statement.
async fn insert<C: ConnectionTrait>(
    conn: &C,
    rows: impl IntoIterator<Item = (&str, i64)>,
) -> Result<(), DbErr> {
    if let Some(insert) = rows_insert(rows) {
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// The statement inserting one outbox row per (kind, entity id); `None` for no rows.
fn rows_insert<'a>(rows: impl IntoIterator<Item = (&'a str, i64)>) -> Option<InsertStatement> {
    let now = Utc::now();
    let rows: Vec<_> = rows
        .into_iter()
        .map(|(kind, entity_id)| search_outbox::ActiveModel {
            kind: Set(kind.to_owned()),
            entity_id: Set(entity_id),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(search_outbox::Entity::insert_many(rows).into_query())
}
