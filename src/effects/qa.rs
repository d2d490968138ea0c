//! Q&A events: who hears of what (the asker of an answer, the author of a commented text, the
//! answerer of an accepted answer, experts of a new question's tags, invitees, the people
//! @mentioned), the points, the search documents and the webhooks.
use sea_orm::{ColumnTrait, DatabaseTransaction, DbErr};

use super::notices::Notices;
use crate::{
    entities::{answers, profile_expertise, question_tags, questions, tag_experts},
    events::{Actor, Doc, Event},
    gamification::{
        ledger::{self, Subject},
        rules::Action,
    },
    notify::types::{Category, Notice},
    qa::service::url_of,
    search::outbox,
    webhooks,
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

fn answer_url(q: &questions::Model, answer_id: i64) -> String {
    format!("{}#answer-{answer_id}", url_of(q.id, &q.title))
}

pub async fn apply(txn: &DatabaseTransaction, event: &Event) -> Result<(), DbErr> {
    match event {
        Event::QuestionAsked {
            question,
            actor,
            mentioned,
        } => asked(txn, question, actor, mentioned).await,
        Event::QuestionEdited {
            question,
            actor,
            mentioned,
        } => {
            outbox::enqueue(txn, &[Doc::Question(question.id)]).await?;
            let url = url_of(question.id, &question.title);
            let key = format!("question:{}", question.id);
            let mut notices = Notices::about(question.space_id);
            notices.mentioned(actor.id, mentioned, &key, &question.title, &url);
            notices.send(txn).await
        }
        Event::QuestionDeleted {
            question_id,
            answer_ids,
        } => question_deleted(txn, *question_id, answer_ids).await,
        Event::AnswerPosted {
            question,
            answer,
            actor,
            mentioned,
        } => answered(txn, question, answer, actor, mentioned).await,
        Event::AnswerEdited {
            question,
            answer_id,
            actor,
            mentioned,
        } => {
            let url = answer_url(question, *answer_id);
            let key = format!("answer:{answer_id}");
            let mut notices = Notices::about(question.space_id);
            notices.mentioned(actor.id, mentioned, &key, &question.title, &url);
            notices.send(txn).await?;
            outbox::enqueue(txn, &[Doc::Answer(*answer_id), Doc::Question(question.id)]).await
        }
        Event::AnswerDeleted {
            question_id,
            answer_id,
        } => {
            outbox::enqueue(txn, &[Doc::Answer(*answer_id), Doc::Question(*question_id)]).await?;
            ledger::revoke_subject(txn, Subject::new("answer", *answer_id)).await
        }
        Event::AnswerAccepted {
            question,
            answer,
            previous,
            actor,
        } => accepted(txn, question, answer, previous.as_ref(), actor).await,
        Event::AnswerUnaccepted { question, answer } => {
            outbox::enqueue(txn, &[Doc::Question(question.id), Doc::Answer(answer.id)]).await?;
            acceptance_points(txn, question, answer, false).await
        }
        Event::AnswerVoted {
            answer_id,
            author_id,
            voter_id,
            value,
        } => voted(txn, *answer_id, *author_id, *voter_id, *value).await,
        Event::QaCommentPosted {
            question,
            comment,
            target_author,
            actor,
            mentioned,
        } => {
            outbox::enqueue(txn, &[commented_doc(question.id, comment.answer_id)]).await?;
            commented(txn, question, comment.id, *target_author, actor, mentioned).await
        }
        Event::QaCommentDeleted {
            comment_id,
            question_id,
            answer_id,
        } => {
            ledger::revoke_subject(txn, Subject::new("qa_comment", *comment_id)).await?;
            outbox::enqueue(txn, &[commented_doc(*question_id, *answer_id)]).await
        }
        Event::InvitedToAnswer {
            question,
            invitee_id,
            actor,
        } => {
            let mut notices = Notices::about(question.space_id);
            notices.add(notice(
                *invitee_id,
                "invited",
                Category::Questions,
                actor.id,
                question,
                url_of(question.id, &question.title),
                format!("invited:{}", question.id),
            ));
            notices.send(txn).await
        }
        _ => Ok(()),
    }
}

/// A deleted question leaves the index with its answers; their points go.
async fn question_deleted(
    txn: &DatabaseTransaction,
    question_id: i64,
    answer_ids: &[i64],
) -> Result<(), DbErr> {
    let mut docs = vec![Doc::Question(question_id)];
    docs.extend(answer_ids.iter().map(|id| Doc::Answer(*id)));
    outbox::enqueue(txn, &docs).await?;
    ledger::revoke_subject(txn, Subject::new("question", question_id)).await?;
    for id in answer_ids {
        ledger::revoke_subject(txn, Subject::new("answer", *id)).await?;
    }
    Ok(())
}

/// An accepted answer: its answerer hears of it; the acceptance's points move from the
/// previously accepted answer, if any.
async fn accepted(
    txn: &DatabaseTransaction,
    question: &questions::Model,
    answer: &answers::Model,
    previous: Option<&answers::Model>,
    actor: &Actor,
) -> Result<(), DbErr> {
    let mut docs = vec![Doc::Question(question.id), Doc::Answer(answer.id)];
    docs.extend(previous.map(|p| Doc::Answer(p.id)));
    outbox::enqueue(txn, &docs).await?;
    let mut notices = Notices::about(question.space_id);
    notices.add(notice(
        answer.author_id,
        "accepted",
        Category::Replies,
        actor.id,
        question,
        answer_url(question, answer.id),
        format!("accepted:{}", answer.id),
    ));
    notices.send(txn).await?;
    acceptance_points(txn, question, answer, true).await?;
    if let Some(previous) = previous {
        acceptance_points(txn, question, previous, false).await?;
    }
    Ok(())
}

/// The searchable document a comment is part of: its answer's, or its question's.
fn commented_doc(question_id: i64, answer_id: Option<i64>) -> Doc {
    answer_id.map_or(Doc::Question(question_id), Doc::Answer)
}

/// A comment: points for the commenter; the author of the commented text hears of it (once,
/// even when the comment also mentions them), then the people it mentions.
async fn commented(
    txn: &DatabaseTransaction,
    question: &questions::Model,
    comment_id: i64,
    target_author: Option<i64>,
    actor: &Actor,
    mentioned: &[i64],
) -> Result<(), DbErr> {
    ledger::award(
        txn,
        Action::CommentPosted,
        Subject::new("qa_comment", comment_id),
        actor.id,
        None,
    )
    .await?;
    let url = format!(
        "{}#comment-{comment_id}",
        url_of(question.id, &question.title)
    );
    let key = format!("qa-comment:{comment_id}");
    let mut notices = Notices::about(question.space_id);
    if let Some(target_author) = target_author {
        notices.add(notice(
            target_author,
            "comment",
            Category::Replies,
            actor.id,
            question,
            url.clone(),
            key.clone(),
        ));
    }
    notices.mentioned(actor.id, mentioned, &key, &question.title, &url);
    notices.send(txn).await
}

/// A new question: indexed, points for asking, the webhook; the people it mentions hear of
/// it, then the experts of its tags (declared or marked).
async fn asked(
    txn: &DatabaseTransaction,
    q: &questions::Model,
    actor: &Actor,
    mentioned: &[i64],
) -> Result<(), DbErr> {
    outbox::enqueue(txn, &[Doc::Question(q.id)]).await?;
    let url = url_of(q.id, &q.title);
    let mut notices = Notices::about(q.space_id);
    notices.mentioned(
        actor.id,
        mentioned,
        &format!("question:{}", q.id),
        &q.title,
        &url,
    );
    for expert in experts_of(txn, q.id).await? {
        notices.add(notice(
            expert,
            "question",
            Category::Questions,
            actor.id,
            q,
            url.clone(),
            format!("question:{}", q.id),
        ));
    }
    notices.send(txn).await?;
    ledger::award(
        txn,
        Action::QuestionAsked,
        Subject::new("question", q.id),
        actor.id,
        None,
    )
    .await?;
    webhook(
        txn,
        webhooks::Event::QuestionAsked,
        q,
        q.id,
        &url,
        actor,
        q.created_at,
    )
    .await
}

/// The experts of a question's tags, declared on their profiles or marked per tag, in one
/// statement.
async fn experts_of(txn: &DatabaseTransaction, question_id: i64) -> Result<Vec<i64>, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query, UnionType};
    let tags = Query::select()
        .column(question_tags::Column::TagId)
        .from(question_tags::Entity)
        .and_where(question_tags::Column::QuestionId.eq(question_id))
        .to_owned();
    let mut experts = Query::select()
        .column(profile_expertise::Column::UserId)
        .from(profile_expertise::Entity)
        .and_where(Expr::col(profile_expertise::Column::TagId).in_subquery(tags.clone()))
        .to_owned();
    experts.union(
        UnionType::Distinct,
        Query::select()
            .column(tag_experts::Column::UserId)
            .from(tag_experts::Entity)
            .and_where(Expr::col(tag_experts::Column::TagId).in_subquery(tags))
            .to_owned(),
    );
    let mut experts: Vec<i64> = crate::db::all(txn, &experts)
        .await?
        .iter()
        .map(|row| row.try_get_by_index(0))
        .collect::<Result<_, _>>()?;
    experts.sort_unstable();
    Ok(experts)
}

/// A new answer: indexed with its question; the asker hears of it (once, even when the
/// answer also mentions them), then the people it mentions; points for the answerer (none on
/// their own question); the webhook.
async fn answered(
    txn: &DatabaseTransaction,
    q: &questions::Model,
    answer: &answers::Model,
    actor: &Actor,
    mentioned: &[i64],
) -> Result<(), DbErr> {
    outbox::enqueue(txn, &[Doc::Answer(answer.id), Doc::Question(q.id)]).await?;
    let url = answer_url(q, answer.id);
    let mut notices = Notices::about(q.space_id);
    notices
        .add(notice(
            q.author_id,
            "answer",
            Category::Replies,
            actor.id,
            q,
            url.clone(),
            format!("answer:{}", answer.id),
        ))
        .mentioned(
            actor.id,
            mentioned,
            &format!("answer:{}", answer.id),
            &q.title,
            &url,
        );
    notices.send(txn).await?;
    ledger::award(
        txn,
        Action::AnswerPosted,
        Subject::new("answer", answer.id),
        actor.id,
        Some(q.author_id),
    )
    .await?;
    webhook(
        txn,
        webhooks::Event::AnswerPosted,
        q,
        answer.id,
        &url,
        actor,
        answer.created_at,
    )
    .await
}

/// The webhooks of a question's event: those of its space, or the company-wide ones.
async fn webhook(
    txn: &DatabaseTransaction,
    event: webhooks::Event,
    q: &questions::Model,
    id: i64,
    url: &str,
    actor: &Actor,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let author = webhooks::Author {
        id: actor.id,
        display_name: &actor.display_name,
    };
    webhooks::enqueue(
        txn,
        event,
        id,
        q.space_id,
        webhooks::payload(event, id, &q.title, url, author, at),
    )
    .await?;
    Ok(())
}

/// Points for an accepted answer: 5 to the answerer, 1 to the asker (none when they are the
/// same person); taken back when the acceptance is.
async fn acceptance_points(
    txn: &DatabaseTransaction,
    question: &questions::Model,
    answer: &answers::Model,
    accepted: bool,
) -> Result<(), DbErr> {
    let subject = Subject::new("answer", answer.id);
    let pairs = [
        (Action::AnswerAccepted, answer.author_id, question.author_id),
        (
            Action::AnswerAcceptedAsker,
            question.author_id,
            answer.author_id,
        ),
    ];
    for (action, earner, other) in pairs {
        if accepted {
            ledger::award(txn, action, subject, earner, Some(other)).await?;
        } else {
            ledger::revoke(txn, action, subject, earner).await?;
        }
    }
    Ok(())
}

/// A vote on an answer: its score ranks the answer in search; an up-vote earns its author
/// points, and taking it back takes them back.
async fn voted(
    txn: &DatabaseTransaction,
    answer_id: i64,
    author_id: i64,
    voter_id: i64,
    value: i16,
) -> Result<(), DbErr> {
    // The outbox row goes with the ledger's lock (one statement on PostgreSQL).
    let rescored = Some(outbox::score_row(Doc::Answer(answer_id)));
    let subject = Subject::from("answer", answer_id, voter_id);
    if value == 1 {
        ledger::award_after(
            txn,
            rescored,
            Action::AnswerUpvoted,
            subject,
            author_id,
            Some(voter_id),
        )
        .await?;
    } else {
        ledger::revoke_after(txn, rescored, Action::AnswerUpvoted, subject, author_id).await?;
    }
    Ok(())
}
