//! Moderation of questions: closing as a duplicate (of the original at the end of a chain of
//! duplicates) or as off-topic, reopening, and invitations to answer.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel,
};

use super::{
    repo::{self, CLOSED, OPEN},
    service::{owns_or_moderates, view, visible_question},
    types::{CloseInput, CloseReason},
    views::QuestionView,
};
use crate::{
    auth::current_user::CurrentUser,
    entities::{answer_invitations, questions},
    error::{AppError, AppResult, Msg},
    events::{self, Doc, Event},
};

// ---- closing --------------------------------------------------------------------------------

/// Follows a chain of duplicates to the original question.
async fn original_of<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<questions::Model> {
    let mut question = repo::question(conn, id)
        .await?
        .ok_or_else(|| AppError::validation("duplicate_of", Msg::new("err-duplicate-unknown")))?;
    for _ in 0..10 {
        match question.duplicate_of_id {
            Some(next) if question.status == CLOSED => match repo::question(conn, next).await? {
                Some(q) => question = q,
                None => break,
            },
            _ => break,
        }
    }
    Ok(question)
}

/// Closes a question as a duplicate of another (which then lists it) or as off-topic: its
/// author or a moderator. A closed question takes no answers until reopened.
pub async fn close(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    input: &CloseInput,
) -> AppResult<QuestionView> {
    let txn = crate::db::begin(db).await?;
    let question = visible_question(&txn, actor, id).await?;
    if !owns_or_moderates(question.author_id, actor) {
        return Err(AppError::forbidden());
    }
    if question.status == CLOSED {
        return Err(AppError::conflict("err-question-already-closed"));
    }
    let audience = crate::spaces::audience::Audience::of(actor);
    let duplicate_of = match input.reason {
        CloseReason::Duplicate => {
            let target = input.duplicate_of.ok_or_else(|| {
                AppError::validation("duplicate_of", Msg::new("err-duplicate-missing"))
            })?;
            let original = original_of(&txn, target).await?;
            // An original the closer may not see is "unknown" (its existence is not revealed).
            if !audience.sees(&txn, original.space_id).await? {
                return Err(AppError::validation(
                    "duplicate_of",
                    Msg::new("err-duplicate-unknown"),
                ));
            }
            if original.id == id {
                return Err(AppError::validation(
                    "duplicate_of",
                    Msg::new("err-duplicate-self"),
                ));
            }
            Some(original.id)
        }
        CloseReason::OffTopic => None,
    };
    let now = Utc::now();
    let mut active = question.into_active_model();
    active.status = Set(CLOSED.to_owned());
    active.close_reason = Set(Some(input.reason.as_str().to_owned()));
    active.duplicate_of_id = Set(duplicate_of);
    active.closed_by = Set(Some(actor.id.0));
    active.closed_at = Set(Some(now));
    active.last_activity_at = Set(now);
    let question = active.update(&txn).await?;
    events::changed(&txn, &[Doc::Question(id)]).await?;
    txn.commit().await?;
    view(db, actor, question.id).await
}

pub async fn reopen(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
) -> AppResult<QuestionView> {
    let txn = crate::db::begin(db).await?;
    let question = visible_question(&txn, actor, id).await?;
    if !owns_or_moderates(question.author_id, actor) {
        return Err(AppError::forbidden());
    }
    if question.status != CLOSED {
        return Err(AppError::conflict("err-question-not-closed"));
    }
    let mut active = question.into_active_model();
    active.status = Set(OPEN.to_owned());
    active.close_reason = Set(None);
    active.duplicate_of_id = Set(None);
    active.closed_by = Set(None);
    active.closed_at = Set(None);
    active.last_activity_at = Set(Utc::now());
    let question = active.update(&txn).await?;
    events::changed(&txn, &[Doc::Question(id)]).await?;
    txn.commit().await?;
    view(db, actor, question.id).await
}

// ---- invitations ----------------------------------------------------------------------------

/// Asks a colleague to answer; they find it under "For you". Inviting twice is harmless.
pub async fn invite(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    question_id: i64,
    invitee_id: i64,
) -> AppResult<()> {
    let question = visible_question(db, actor, question_id).await?;
    if question.status == CLOSED {
        return Err(AppError::conflict("err-question-closed"));
    }
    let invitee = crate::auth::repo::find(db, crate::auth::types::UserId(invitee_id))
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| AppError::validation("user_id", Msg::new("err-user-unknown")))?;
    if invitee.id == question.author_id || invitee.id == actor.id.0 {
        return Err(AppError::validation("user_id", Msg::new("err-invite-self")));
    }
    let txn = crate::db::begin(db).await?;
    answer_invitations::Entity::insert(answer_invitations::ActiveModel {
        question_id: Set(question_id),
        invitee_id: Set(invitee.id),
        inviter_id: Set(actor.id.0),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::columns([
            answer_invitations::Column::QuestionId,
            answer_invitations::Column::InviteeId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    events::record(
        &txn,
        Event::InvitedToAnswer {
            question,
            invitee_id: invitee.id,
            actor: actor.actor(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---- moving between spaces -------------------------------------------------------------------

/// Moves a question (with its answers and comments) into another space or company-wide: a
/// moderator of both ends (Q&A moderators for company-wide). Audited; every read path follows at
/// once, the search index on its next round (hits are checked against the database meanwhile).
pub async fn move_question(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    to: Option<i64>,
) -> AppResult<QuestionView> {
    let txn = crate::db::begin(db).await?;
    let question = visible_question(&txn, actor, id).await?;
    let from = question.space_id;
    if from == to {
        txn.commit().await?;
        return view(db, actor, question.id).await;
    }
    crate::spaces::service::require_existing(&txn, to).await?;
    if to.is_some()
        && !crate::spaces::audience::Audience::of(actor)
            .sees(&txn, to)
            .await?
    {
        return Err(AppError::validation(
            "space_id",
            Msg::new("err-space-not-member"),
        ));
    }
    let company_moderator = super::service::is_moderator(actor);
    if !crate::spaces::service::may_move(&txn, actor, from, to, company_moderator).await? {
        return Err(AppError::forbidden());
    }
    let mut active = question.into_active_model();
    active.space_id = Set(to);
    let question = active.update(&txn).await?;
    crate::audit::record(
        &txn,
        Some(actor.id),
        "question.moved",
        None,
        serde_json::json!({ "question_id": id, "from": from, "to": to }),
    )
    .await?;
    let mut docs = vec![Doc::Question(id)];
    docs.extend(
        repo::answers_of(&txn, id)
            .await?
            .into_iter()
            .map(|a| Doc::Answer(a.id)),
    );
    events::changed(&txn, &docs).await?;
    txn.commit().await?;
    view(db, actor, question.id).await
}
