//! Announcements: leadership posts pinned for every colleague until read or expired.
use chrono::Utc;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, sea_query::OnConflict};

use super::{reading::summaries, repo, service::visible, views::PostSummary};
use crate::{auth::current_user::CurrentUser, entities::announcement_reads, error::AppResult};

/// The viewer's pinned announcements: published by leadership, unread, not expired.
pub async fn announcements(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
) -> AppResult<Vec<PostSummary>> {
    summaries(db, repo::unread_announcements(viewer.id.0, Utc::now())).await
}

/// The viewer's pinned announcements and the latest `limit` posts they may see, in one
/// statement (the home page).
pub async fn with_latest(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    limit: u64,
) -> AppResult<(Vec<PostSummary>, Vec<PostSummary>)> {
    let filter = repo::ListFilter {
        audience: crate::spaces::audience::Audience::of(viewer),
        ..Default::default()
    };
    let queries = vec![
        repo::unread_announcements(viewer.id.0, Utc::now()),
        // `published` reads one more than asked, for the next page's cursor.
        repo::published(&filter, None, limit.saturating_sub(1)),
    ];
    let mut lists = super::reading::lists(db, queries).await?.into_iter();
    Ok((
        lists.next().unwrap_or_default(),
        lists.next().unwrap_or_default(),
    ))
}

pub async fn mark_read(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    post_id: i64,
) -> AppResult<()> {
    let post = visible(db, viewer, post_id).await?;
    if !post.is_announcement {
        return Ok(());
    }
    record_read(db, viewer, post_id).await
}

/// Records that `viewer` read the announcement (once; the caller checked they may).
pub(super) async fn record_read(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    post_id: i64,
) -> AppResult<()> {
    announcement_reads::Entity::insert(announcement_reads::ActiveModel {
        post_id: Set(post_id),
        user_id: Set(viewer.id.0),
        read_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            announcement_reads::Column::UserId,
            announcement_reads::Column::PostId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
