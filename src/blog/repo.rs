//! Queries for the blog. Lists load their extras (authors, tags, counts) in one query each.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, Query},
};

use super::types::PostStatus;
use crate::entities::{
    announcement_reads, post_likes, post_slugs, post_tags, posts, space_members,
};
use crate::spaces::audience::Audience;

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<posts::Model>, DbErr> {
    posts::Entity::find_by_id(id).one(conn).await
}

pub enum SlugLookup {
    Current(posts::Model),
    /// An old slug of this post: redirect to its current one.
    Moved(posts::Model),
    Missing,
}

pub async fn find_by_slug<C: ConnectionTrait>(conn: &C, slug: &str) -> Result<SlugLookup, DbErr> {
    if let Some(post) = posts::Entity::find()
        .filter(posts::Column::Slug.eq(slug))
        .one(conn)
        .await?
    {
        return Ok(SlugLookup::Current(post));
    }
    let old = post_slugs::Entity::find_by_id(slug.to_owned())
        .find_also_related(posts::Entity)
        .one(conn)
        .await?;
    Ok(match old {
        Some((_, Some(post))) => SlugLookup::Moved(post),
        _ => SlugLookup::Missing,
    })
}

/// Whether a slug is used by a post (now or before), other than `except`.
pub async fn slug_taken<C: ConnectionTrait>(
    conn: &C,
    slug: &str,
    except: Option<i64>,
) -> Result<bool, DbErr> {
    let mut current = posts::Entity::find().filter(posts::Column::Slug.eq(slug));
    if let Some(id) = except {
        current = current.filter(posts::Column::Id.ne(id));
    }
    if current.one(conn).await?.is_some() {
        return Ok(true);
    }
    let old = post_slugs::Entity::find_by_id(slug.to_owned())
        .one(conn)
        .await?;
    Ok(old.is_some_and(|o| Some(o.post_id) != except))
}

/// Where a published list continues: the last item's publication time and id.
pub use crate::web::pagination::Keyset as Cursor;

#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Who reads the list: the spaces whose posts it may hold.
    pub audience: Audience,
    /// Only posts in this space (none: every space the audience sees, and company-wide).
    pub space_id: Option<i64>,
    pub tag_id: Option<i64>,
    pub author_id: Option<i64>,
    pub announcements_only: bool,
}

/// Published, undeleted posts, newest first, after `cursor`; one more than `limit` is fetched
/// so the caller knows whether a next page exists.
pub fn published(
    filter: &ListFilter,
    cursor: Option<Cursor>,
    limit: u64,
) -> sea_orm::Select<posts::Entity> {
    let mut query = posts::Entity::find()
        .filter(posts::Column::Status.eq(PostStatus::Published.as_str()))
        .filter(posts::Column::DeletedAt.is_null())
        .filter(filter.audience.condition(posts::Column::SpaceId));
    if let Some(space) = filter.space_id {
        query = query.filter(posts::Column::SpaceId.eq(space));
    }
    if let Some(tag_id) = filter.tag_id {
        query = query.filter(
            posts::Column::Id.in_subquery(
                Query::select()
                    .column(post_tags::Column::PostId)
                    .from(post_tags::Entity)
                    .and_where(post_tags::Column::TagId.eq(tag_id))
                    .to_owned(),
            ),
        );
    }
    if let Some(author_id) = filter.author_id {
        query = query.filter(posts::Column::AuthorId.eq(author_id));
    }
    if filter.announcements_only {
        query = query.filter(posts::Column::IsAnnouncement.eq(true));
    }
    if let Some(c) = cursor {
        query = query.filter(
            Condition::any()
                .add(posts::Column::PublishedAt.lt(c.at))
                .add(
                    Condition::all()
                        .add(posts::Column::PublishedAt.eq(c.at))
                        .add(posts::Column::Id.lt(c.id)),
                ),
        );
    }
    query
        .order_by_desc(posts::Column::PublishedAt)
        .order_by_desc(posts::Column::Id)
        .limit(limit + 1)
}

/// The viewer's unread, unexpired announcements, newest first: company-wide ones, and those
/// of the spaces the viewer is a member of (a leadership post in a space is an announcement to
/// its members only).
pub fn unread_announcements(user_id: i64, now: DateTime<Utc>) -> sea_orm::Select<posts::Entity> {
    posts::Entity::find()
        .filter(posts::Column::Status.eq(PostStatus::Published.as_str()))
        .filter(posts::Column::DeletedAt.is_null())
        .filter(posts::Column::IsAnnouncement.eq(true))
        .filter(
            Condition::any().add(posts::Column::SpaceId.is_null()).add(
                posts::Column::SpaceId.in_subquery(
                    Query::select()
                        .column(space_members::Column::SpaceId)
                        .from(space_members::Entity)
                        .and_where(space_members::Column::UserId.eq(user_id))
                        .and_where(space_members::Column::State.eq("member"))
                        .to_owned(),
                ),
            ),
        )
        .filter(
            Condition::any()
                .add(posts::Column::AnnouncementUntil.is_null())
                .add(posts::Column::AnnouncementUntil.gt(now)),
        )
        .filter(
            posts::Column::Id.not_in_subquery(
                Query::select()
                    .column(announcement_reads::Column::PostId)
                    .from(announcement_reads::Entity)
                    .and_where(announcement_reads::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        )
        .order_by_desc(posts::Column::PublishedAt)
        .limit(10)
}

pub use crate::people::repo::{Author, authors};

async fn counts<C: ConnectionTrait, E: EntityTrait>(
    conn: &C,
    post_col: E::Column,
    ids: &[i64],
    extra: Condition,
) -> Result<HashMap<i64, i64>, DbErr>
where
    E::Column: ColumnTrait,
{
    let rows: Vec<(i64, i64)> = E::find()
        .select_only()
        .column(post_col)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(post_col.is_in(ids.iter().copied()))
        .filter(extra)
        .group_by(post_col)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

pub async fn like_counts<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> Result<HashMap<i64, i64>, DbErr> {
    counts::<_, post_likes::Entity>(conn, post_likes::Column::PostId, ids, Condition::all()).await
}

pub async fn liked_by<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    post_id: i64,
) -> Result<bool, DbErr> {
    Ok(post_likes::Entity::find_by_id((post_id, user_id))
        .one(conn)
        .await?
        .is_some())
}

/// The posts waiting for a moderator's review, as a scalar sub-select on the moderator's id
/// (read with the session for the navigation: see `auth::viewer`): company-wide posts and those
/// of the spaces they review (every space they are a member of as an editor, the spaces they
/// moderate otherwise), not their own. Whether they moderate at all is the caller's question.
pub fn waiting_for_review_expr(
    moderator: sea_orm::sea_query::SimpleExpr,
) -> sea_orm::sea_query::SimpleExpr {
    use crate::entities::{space_members, user_roles};
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let editor = Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(user_roles::Entity)
            .and_where(
                Expr::col((user_roles::Entity, user_roles::Column::UserId)).eq(moderator.clone()),
            )
            .and_where(
                Expr::col((user_roles::Entity, user_roles::Column::Role))
                    .eq(crate::auth::types::Role::Editor.as_str()),
            )
            .to_owned(),
    );
    let reviewed = Query::select()
        .column((space_members::Entity, space_members::Column::SpaceId))
        .from(space_members::Entity)
        .and_where(
            Expr::col((space_members::Entity, space_members::Column::UserId)).eq(moderator.clone()),
        )
        .and_where(Expr::col((space_members::Entity, space_members::Column::State)).eq("member"))
        .and_where(
            Expr::col((space_members::Entity, space_members::Column::Role))
                .eq("moderator")
                .or(editor),
        )
        .to_owned();
    let space = Expr::col((posts::Entity, posts::Column::SpaceId));
    crate::db::count_of(
        posts::Entity,
        [
            Expr::col((posts::Entity, posts::Column::Status)).eq(PostStatus::InReview.as_str()),
            Expr::col((posts::Entity, posts::Column::DeletedAt)).is_null(),
            Expr::col((posts::Entity, posts::Column::AuthorId)).ne(moderator),
            space.clone().is_null().or(space.in_subquery(reviewed)),
        ],
    )
}
