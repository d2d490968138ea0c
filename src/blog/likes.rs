//! Likes: a colleague likes a published post (or takes the like back).
use chrono::Utc;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, sea_query::OnConflict};

use super::{
    repo,
    service::{status_of, visible},
    types::PostStatus,
};
use crate::{
    auth::current_user::CurrentUser,
    entities::post_likes,
    error::{AppError, AppResult, Msg},
    events::{self, Event},
};

/// Likes a published post (not one's own); idempotent. Returns the new count.
pub async fn like(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    on: bool,
) -> AppResult<(i64, bool)> {
    let post = visible(db, actor, id).await?;
    if status_of(&post) != PostStatus::Published {
        return Err(AppError::conflict("err-post-not-published"));
    }
    // Likes weigh in search ranking: the index hears of them in the same transaction.
    let txn = crate::db::begin(db).await?;
    if on {
        if post.author_id == actor.id.0 {
            return Err(AppError::validation("post", Msg::new("err-like-own-post")));
        }
        post_likes::Entity::insert(post_likes::ActiveModel {
            post_id: Set(id),
            user_id: Set(actor.id.0),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([post_likes::Column::PostId, post_likes::Column::UserId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    } else {
        post_likes::Entity::delete_by_id((id, actor.id.0))
            .exec(&txn)
            .await?;
    }
    // The post's new score reaches search through the consequences of the like.
    events::record(
        &txn,
        Event::PostLiked {
            post,
            liker_id: actor.id.0,
            liked: on,
        },
    )
    .await?;
    txn.commit().await?;
    let count = repo::like_counts(db, &[id])
        .await?
        .get(&id)
        .copied()
        .unwrap_or(0);
    Ok((count, on))
}
