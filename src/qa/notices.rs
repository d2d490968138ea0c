//! Who hears of what happens in Q&A: the asker of an answer, the author of a commented text,
//! the answerer of an accepted answer, experts of a new question's tags, invitees, and the
//! people @mentioned. Called inside the transaction of the event.
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::service::url_of;
use crate::{
    entities::{profile_expertise, question_tags, questions, tag_experts},
    notify::{
        service::notify,
        types::{Category, Notice},
    },
};

fn notice(
    user_id: i64,
    kind: &'static str,
    category: Category,
    actor: i64,
    q: &questions::Model,
    url: String,
    dedupe_key: String,
) -> Notice {
    Notice {
        user_id,
        kind,
        category,
        actor_id: Some(actor),
        title: q.title.clone(),
        url,
        dedupe_key,
    }
}

/// A new question: the experts of its tags (declared or marked) hear of it.
pub async fn asked<C: ConnectionTrait>(
    conn: &C,
    actor: i64,
    q: &questions::Model,
) -> Result<(), DbErr> {
    let tag_ids: Vec<i64> = question_tags::Entity::find()
        .select_only()
        .column(question_tags::Column::TagId)
        .filter(question_tags::Column::QuestionId.eq(q.id))
        .into_tuple()
        .all(conn)
        .await?;
    if tag_ids.is_empty() {
        return Ok(());
    }
    let mut experts: Vec<i64> = profile_expertise::Entity::find()
        .select_only()
        .column(profile_expertise::Column::UserId)
        .filter(profile_expertise::Column::TagId.is_in(tag_ids.clone()))
        .into_tuple()
        .all(conn)
        .await?;
    experts.extend(
        tag_experts::Entity::find()
            .select_only()
            .column(tag_experts::Column::UserId)
            .filter(tag_experts::Column::TagId.is_in(tag_ids))
            .into_tuple::<i64>()
            .all(conn)
            .await?,
    );
    experts.sort_unstable();
    experts.dedup();
    notify(
        conn,
        experts
            .into_iter()
            .map(|e| {
                notice(
                    e,
                    "question",
                    Category::Questions,
                    actor,
                    q,
                    url_of(q.id, &q.title),
                    format!("question:{}", q.id),
                )
            })
            .collect(),
    )
    .await
}

pub async fn answered<C: ConnectionTrait>(
    conn: &C,
    actor: i64,
    q: &questions::Model,
    answer_id: i64,
) -> Result<(), DbErr> {
    notify(
        conn,
        vec![notice(
            q.author_id,
            "answer",
            Category::Replies,
            actor,
            q,
            format!("{}#answer-{answer_id}", url_of(q.id, &q.title)),
            format!("answer:{answer_id}"),
        )],
    )
    .await
}

pub async fn accepted<C: ConnectionTrait>(
    conn: &C,
    actor: i64,
    q: &questions::Model,
    answer_id: i64,
    answerer: i64,
) -> Result<(), DbErr> {
    notify(
        conn,
        vec![notice(
            answerer,
            "accepted",
            Category::Replies,
            actor,
            q,
            format!("{}#answer-{answer_id}", url_of(q.id, &q.title)),
            format!("accepted:{answer_id}"),
        )],
    )
    .await
}

/// A comment on a question (or one of its answers): the commented text's author hears of it.
pub async fn commented<C: ConnectionTrait>(
    conn: &C,
    actor: i64,
    q: &questions::Model,
    target_author: i64,
    comment_id: i64,
) -> Result<(), DbErr> {
    notify(
        conn,
        vec![notice(
            target_author,
            "comment",
            Category::Replies,
            actor,
            q,
            format!("{}#comment-{comment_id}", url_of(q.id, &q.title)),
            format!("qa-comment:{comment_id}"),
        )],
    )
    .await
}

pub async fn invited<C: ConnectionTrait>(
    conn: &C,
    actor: i64,
    q: &questions::Model,
    invitee: i64,
) -> Result<(), DbErr> {
    notify(
        conn,
        vec![notice(
            invitee,
            "invited",
            Category::Questions,
            actor,
            q,
            url_of(q.id, &q.title),
            format!("invited:{}", q.id),
        )],
    )
    .await
}
