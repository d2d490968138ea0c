//! Announcements: leadership posts pinned for every colleague until read or expired.
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, sea_query::OnConflict,
};

use super::{reading::summaries, repo, service::visible, views::PostSummary};
use crate::{
    auth::current_user::CurrentUser,
    db::{Reused, id_of, time_of},
    entities::announcement_reads,
    error::AppResult,
    spaces::audience::Audience,
};

/// How many of the latest posts [`with_latest`] reads.
pub const LATEST: u64 = 5;

/// The viewer's pinned announcements: published by leadership, unread, not expired.
pub async fn announcements(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
) -> AppResult<Vec<PostSummary>> {
    summaries(db, repo::unread_announcements(viewer.id.0, Utc::now())).await
}

/// The viewer's pinned announcements and the latest [`LATEST`] posts they may see, in one
/// statement built once per audience shape (the home page; see `Reused`).
pub async fn with_latest(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
) -> AppResult<(Vec<PostSummary>, Vec<PostSummary>)> {
    static STATEMENTS: [Reused; Audience::SHAPES] = [const { Reused::new() }; Audience::SHAPES];
    let backend = db.get_database_backend();
    let audience = Audience::of(viewer);
    let params = vec![viewer.id.0.into(), Utc::now().into()];
    let statement = STATEMENTS[audience.shape()].statement(backend, params, |p| {
        let (viewer, now) = (id_of(&p[0]), time_of(&p[1]));
        let filter = repo::ListFilter {
            audience: audience.with_reader(viewer),
            ..Default::default()
        };
        let queries = vec![
            repo::unread_announcements(viewer, now),
            // `published` reads one more than asked, for the next page's cursor.
            repo::published(&filter, None, LATEST - 1),
        ];
        super::reading::lists_select(backend, queries)
            .unwrap_or_else(|| unreachable!("two lists make a statement"))
    });
    let mut lists = super::reading::lists_of(db.query_all_raw(statement).await?, 2)?.into_iter();
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
