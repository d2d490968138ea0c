//! Answering: posting, editing and deleting answers, accepting one (and taking that back), and
//! marking an answer outdated or current again.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    sea_query::{Expr, ExprTrait},
};

use super::{
    repo::CLOSED,
    service::{
        can_mark_outdated, get, owns_or_moderates, revision, visible_answer, visible_question,
    },
    types::{AnswerInput, parse_body},
    views::{AnswerView, QuestionView},
};
use crate::{
    auth::current_user::CurrentUser,
    content::mentions,
    entities::{answers, questions},
    error::{AppError, AppResult, Msg},
    events::{self, Doc, Event},
};

// ---- answering ------------------------------------------------------------------------------

async fn touch<C: ConnectionTrait>(conn: &C, question_id: i64) -> AppResult<()> {
    questions::Entity::update_many()
        .col_expr(questions::Column::LastActivityAt, Expr::val(Utc::now()))
        .filter(questions::Column::Id.eq(question_id))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn answer(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    question_id: i64,
    input: &AnswerInput,
) -> AppResult<AnswerView> {
    let body = parse_body(&input.body, "err-answer-body-empty")?;
    let rendered = mentions::render(db, &body, "body").await?;
    let (body_html, mentioned) = (rendered.html, rendered.mentioned);
    let txn = crate::db::begin(db).await?;
    let question = visible_question(&txn, actor, question_id).await?;
    if question.status == CLOSED {
        return Err(AppError::conflict("err-question-closed"));
    }
    let now = Utc::now();
    let answer = answers::ActiveModel {
        question_id: Set(question_id),
        author_id: Set(actor.id.0),
        body_html: Set(body_html),
        body_md: Set(body),
        score: Set(0),
        outdated_at: Set(None),
        outdated_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    questions::Entity::update_many()
        .col_expr(
            questions::Column::AnswerCount,
            Expr::col(questions::Column::AnswerCount).add(1),
        )
        .col_expr(questions::Column::LastActivityAt, Expr::val(now))
        .filter(questions::Column::Id.eq(question_id))
        .exec(&txn)
        .await?;
    events::record(
        &txn,
        Event::AnswerPosted {
            question,
            answer: answer.clone(),
            actor: actor.actor(),
            mentioned,
        },
    )
    .await?;
    txn.commit().await?;
    answer_view(db, actor, answer.id).await
}

/// One answer as it shows on its question's page.
pub async fn answer_view(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<AnswerView> {
    // The question's view checks that the viewer may see it, and holds undeleted answers only.
    let answer = super::repo::answer(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    super::service::answer_context(db, viewer, answer.question_id)
        .await?
        .answers
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)
}

/// Edits an answer (author or moderator), keeping the previous version; an outdated answer
/// counts as current again.
pub async fn update_answer(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    input: &AnswerInput,
) -> AppResult<AnswerView> {
    let body = parse_body(&input.body, "err-answer-body-empty")?;
    let rendered = mentions::render(db, &body, "body").await?;
    let txn = crate::db::begin(db).await?;
    let (answer, _) = visible_answer(&txn, actor, id).await?;
    if !owns_or_moderates(answer.author_id, actor) {
        return Err(AppError::forbidden());
    }
    if body != answer.body_md {
        revision(
            &txn,
            actor,
            None,
            Some(id),
            None,
            answer.body_md.clone(),
            None,
        )
        .await?;
        let question_id = answer.question_id;
        let (html, mentioned) = (rendered.html, rendered.mentioned);
        let mut active = answer.into_active_model();
        active.body_html = Set(html);
        active.body_md = Set(body);
        active.updated_at = Set(Utc::now());
        active.outdated_at = Set(None);
        active.outdated_by = Set(None);
        active.update(&txn).await?;
        touch(&txn, question_id).await?;
        let event = match crate::qa::repo::question(&txn, question_id).await? {
            Some(question) => Event::AnswerEdited {
                question,
                answer_id: id,
                actor: actor.actor(),
                mentioned,
            },
            None => Event::ContentChanged {
                docs: vec![Doc::Answer(id), Doc::Question(question_id)],
            },
        };
        events::record(&txn, event).await?;
    }
    txn.commit().await?;
    answer_view(db, actor, id).await
}

/// Deletes an answer (author or moderator); an accepted answer stops being accepted.
pub async fn delete_answer(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    let txn = crate::db::begin(db).await?;
    let (answer, question) = visible_answer(&txn, actor, id).await?;
    if !owns_or_moderates(answer.author_id, actor) {
        return Err(AppError::forbidden());
    }
    answers::Entity::update_many()
        .col_expr(answers::Column::DeletedAt, Expr::val(Utc::now()))
        .filter(answers::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    // The acceptance is cleared by the update itself (not from what was read before), so an
    // accept of this answer committed meanwhile cannot survive its deletion.
    questions::Entity::update_many()
        .col_expr(
            questions::Column::AnswerCount,
            Expr::col(questions::Column::AnswerCount).sub(1),
        )
        .col_expr(
            questions::Column::AcceptedAnswerId,
            Expr::case(
                questions::Column::AcceptedAnswerId.eq(id),
                Expr::val(Option::<i64>::None),
            )
            .finally(Expr::col(questions::Column::AcceptedAnswerId))
            .into(),
        )
        .filter(questions::Column::Id.eq(question.id))
        .exec(&txn)
        .await?;
    events::record(
        &txn,
        Event::AnswerDeleted {
            question_id: question.id,
            answer_id: id,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---- accepting ------------------------------------------------------------------------------

/// Accepts an answer (the asker or a moderator); accepting another moves the acceptance.
pub async fn accept(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    answer_id: i64,
) -> AppResult<QuestionView> {
    let (_, question) = visible_answer(db, actor, answer_id).await?;
    if !owns_or_moderates(question.author_id, actor) {
        return Err(AppError::Forbidden(Msg::new("err-accept-not-asker")));
    }
    // Compare and set: the acceptance changes only from the value this transaction read, so
    // two people accepting different answers at once cannot both take the previous one's
    // points back (or both keep their own); the one that finds it changed starts over.
    for _ in 0..ACCEPT_ATTEMPTS {
        let txn = crate::db::begin(db).await?;
        let question = visible_question(&txn, actor, question.id).await?;
        let previous = question.accepted_answer_id;
        let unchanged = match previous {
            Some(p) => questions::Column::AcceptedAnswerId.eq(p),
            None => questions::Column::AcceptedAnswerId.is_null(),
        };
        let changed = questions::Entity::update_many()
            .col_expr(questions::Column::AcceptedAnswerId, Expr::val(answer_id))
            .col_expr(questions::Column::LastActivityAt, Expr::val(Utc::now()))
            .filter(questions::Column::Id.eq(question.id))
            .filter(unchanged)
            .exec(&txn)
            .await?
            .rows_affected;
        if changed == 0 {
            txn.rollback().await?;
            continue;
        }
        let answer = crate::qa::repo::answer(&txn, answer_id).await?;
        let event = match answer {
            Some(answer) if previous != Some(answer_id) => {
                let previous = match previous {
                    Some(p) => crate::qa::repo::answer(&txn, p).await?,
                    None => None,
                };
                Event::AnswerAccepted {
                    question: question.clone(),
                    answer,
                    previous,
                    actor: actor.actor(),
                }
            }
            // Accepted again, or gone meanwhile: only the documents change.
            _ => Event::ContentChanged {
                docs: vec![Doc::Question(question.id), Doc::Answer(answer_id)],
            },
        };
        events::record(&txn, event).await?;
        txn.commit().await?;
        return get(db, actor, question.id).await;
    }
    Err(AppError::conflict("err-accept-busy"))
}

/// Tries of an acceptance that keeps finding the question changed by another one.
const ACCEPT_ATTEMPTS: usize = 5;

/// Takes the acceptance back, if this answer holds it.
pub async fn unaccept(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    answer_id: i64,
) -> AppResult<QuestionView> {
    let (_, question) = visible_answer(db, actor, answer_id).await?;
    if !owns_or_moderates(question.author_id, actor) {
        return Err(AppError::Forbidden(Msg::new("err-accept-not-asker")));
    }
    let txn = crate::db::begin(db).await?;
    let changed = questions::Entity::update_many()
        .col_expr(
            questions::Column::AcceptedAnswerId,
            Expr::val(Option::<i64>::None),
        )
        .filter(questions::Column::Id.eq(question.id))
        .filter(questions::Column::AcceptedAnswerId.eq(answer_id))
        .exec(&txn)
        .await?
        .rows_affected;
    if changed > 0 {
        let event = match crate::qa::repo::answer(&txn, answer_id).await? {
            Some(answer) => Event::AnswerUnaccepted {
                question: question.clone(),
                answer,
            },
            None => Event::ContentChanged {
                docs: vec![Doc::Question(question.id), Doc::Answer(answer_id)],
            },
        };
        events::record(&txn, event).await?;
    }
    txn.commit().await?;
    get(db, actor, question.id).await
}

// ---- outdated answers -----------------------------------------------------------------------

/// Marks an answer outdated (`true`) or current again (`false`): its author, the asker, an
/// expert in the question's tags, or a moderator. An outdated answer shows a banner and does not
/// make its question answered until it is updated.
pub async fn set_outdated(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    answer_id: i64,
    outdated: bool,
) -> AppResult<AnswerView> {
    let (answer, question) = visible_answer(db, actor, answer_id).await?;
    if !can_mark_outdated(db, actor, &answer, &question, None).await? {
        return Err(AppError::forbidden());
    }
    let (at, by) = if outdated {
        (Some(Utc::now()), Some(actor.id.0))
    } else {
        (None, None)
    };
    let txn = crate::db::begin(db).await?;
    answers::Entity::update_many()
        .col_expr(answers::Column::OutdatedAt, Expr::val(at))
        .col_expr(answers::Column::OutdatedBy, Expr::val(by))
        .filter(answers::Column::Id.eq(answer_id))
        .exec(&txn)
        .await?;
    events::changed(&txn, &[Doc::Answer(answer_id), Doc::Question(question.id)]).await?;
    txn.commit().await?;
    answer_view(db, actor, answer_id).await
}
