//! Blog events: points for publishing, liking, commenting and reviewing; the notices of
//! reviews and comments; the people a post mentions once it is out; the webhook; a commented
//! post is indexed again (its comments' words find it).
use chrono::Utc;
use sea_orm::{DatabaseTransaction, DbErr};

use super::notices::Notices;
use crate::{
    auth::types::Role,
    entities::posts,
    events::{Actor, Doc, Event},
    gamification::{
        ledger::{self, Subject},
        rules::Action,
    },
    notify::types::{Category, Notice},
    search::outbox,
    webhooks,
};

fn review_notice(
    user_id: i64,
    kind: &'static str,
    actor: i64,
    post: &posts::Model,
    url: String,
    dedupe_key: String,
) -> Notice {
    Notice {
        user_id,
        kind,
        category: Category::Reviews,
        actor_id: Some(actor),
        title: post.title.clone(),
        url,
        dedupe_key,
    }
}

pub async fn apply(txn: &DatabaseTransaction, event: &Event) -> Result<(), DbErr> {
    match event {
        Event::PostPublished { post, author, at } => published(txn, post, author, *at).await,
        Event::PostWithdrawn { post_id } => {
            ledger::revoke_subject(txn, Subject::new("post", *post_id)).await
        }
        Event::ReviewRequested {
            post,
            actor,
            resubmitted,
        } => review_requested(txn, post, actor, *resubmitted).await,
        Event::ReviewCompleted { post, editor, kind } => {
            // A completed editorial review earns the editor points (once per post).
            ledger::award(
                txn,
                Action::ReviewCompleted,
                Subject::new("post_review", post.id),
                editor.id,
                Some(post.author_id),
            )
            .await?;
            let url = if *kind == "post_approved" {
                format!("/blog/{}", post.slug)
            } else {
                format!("/blog/posts/{}/edit", post.id)
            };
            let mut notices = Notices::about(post.space_id);
            notices.add(review_notice(
                post.author_id,
                kind,
                editor.id,
                post,
                url,
                format!("{kind}:{}:{}", post.id, Utc::now().timestamp_millis()),
            ));
            notices.send(txn).await
        }
        Event::PostLiked {
            post,
            liker_id,
            liked,
        } => {
            // The score's outbox row goes with the ledger's lock (one statement on PostgreSQL).
            let rescored = Some(outbox::score_row(Doc::Post(post.id)));
            let subject = Subject::from("post", post.id, *liker_id);
            if *liked {
                ledger::award_after(
                    txn,
                    rescored,
                    Action::PostLiked,
                    subject,
                    post.author_id,
                    Some(*liker_id),
                )
                .await?;
            } else {
                ledger::revoke_after(txn, rescored, Action::PostLiked, subject, post.author_id)
                    .await?;
            }
            Ok(())
        }
        Event::PostCommented {
            post,
            comment_id,
            actor,
            mentioned,
        } => {
            let url = format!("/blog/{}#comment-{comment_id}", post.slug);
            let mut notices = Notices::about(post.space_id);
            notices
                .add(Notice {
                    user_id: post.author_id,
                    kind: "comment",
                    category: Category::Replies,
                    actor_id: Some(actor.id),
                    title: post.title.clone(),
                    url: url.clone(),
                    dedupe_key: format!("post-comment:{comment_id}"),
                })
                .mentioned(
                    actor.id,
                    mentioned,
                    &format!("post-comment:{comment_id}"),
                    &post.title,
                    &url,
                );
            notices.send(txn).await?;
            ledger::award(
                txn,
                Action::CommentPosted,
                Subject::new("post_comment", *comment_id),
                actor.id,
                None,
            )
            .await?;
            // The post is found by its comments' words too.
            outbox::enqueue(txn, &[Doc::Post(post.id)]).await
        }
        Event::PostCommentDeleted {
            comment_id,
            post_id,
        } => {
            ledger::revoke_subject(txn, Subject::new("post_comment", *comment_id)).await?;
            outbox::enqueue(txn, &[Doc::Post(*post_id)]).await
        }
        _ => Ok(()),
    }
}

/// A post is out: points for its author, the webhook (a published post is for every
/// colleague, so it may leave Kring), and the people it mentions hear of it now, not while it
/// was a draft.
async fn published(
    txn: &DatabaseTransaction,
    post: &posts::Model,
    author: &Actor,
    at: chrono::DateTime<Utc>,
) -> Result<(), DbErr> {
    ledger::award(
        txn,
        Action::PostPublished,
        Subject::new("post", post.id),
        post.author_id,
        None,
    )
    .await?;
    let url = format!("/blog/{}", post.slug);
    // Space content goes only to the webhooks of its space.
    webhooks::enqueue(
        txn,
        webhooks::Event::PostPublished,
        post.id,
        post.space_id,
        webhooks::payload(
            webhooks::Event::PostPublished,
            post.id,
            &post.title,
            &url,
            webhooks::Author {
                id: author.id,
                display_name: &author.display_name,
            },
            at,
        ),
    )
    .await?;
    let mentioned = crate::content::mentions::mentioned(txn, &post.body_md).await?;
    let mut notices = Notices::about(post.space_id);
    notices.mentioned(
        post.author_id,
        &mentioned,
        &format!("post:{}", post.id),
        &post.title,
        &url,
    );
    notices.send(txn).await
}

/// The moderators of a space and the editors who are its members.
async fn space_reviewers(txn: &DatabaseTransaction, space: i64) -> Result<Vec<i64>, DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let editors = crate::people::repo::with_role(txn, Role::Editor).await?;
    Ok(crate::entities::space_members::Entity::find()
        .filter(crate::entities::space_members::Column::SpaceId.eq(space))
        .filter(crate::entities::space_members::Column::State.eq("member"))
        .all(txn)
        .await?
        .into_iter()
        .filter(|m| m.role == "moderator" || editors.contains(&m.user_id))
        .map(|m| m.user_id)
        .collect())
}

/// A post submitted (or resubmitted) for review: every reviewer but the author hears of it.
async fn review_requested(
    txn: &DatabaseTransaction,
    post: &posts::Model,
    actor: &Actor,
    resubmitted: bool,
) -> Result<(), DbErr> {
    // Every reviewer but the author (editors; in a space its moderators and editors
    // who are members); one notice per submission.
    let editors = match post.space_id {
        None => crate::people::repo::with_role(txn, Role::Editor).await?,
        Some(space) => space_reviewers(txn, space).await?,
    };
    let kind = if resubmitted {
        "post_resubmitted"
    } else {
        "post_submitted"
    };
    let at = Utc::now().timestamp_millis();
    let mut notices = Notices::about(post.space_id);
    for editor in editors.into_iter().filter(|id| *id != post.author_id) {
        notices.add(review_notice(
            editor,
            kind,
            actor.id,
            post,
            format!("/blog/{}", post.slug),
            format!("{kind}:{}:{at}", post.id),
        ));
    }
    notices.send(txn).await
}
