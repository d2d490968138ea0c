//! A post's page and `GET /api/v1/posts/{id}` read the post in one statement (issue 25's
//! budget): the post, if the viewer's spaces allow it, with its author, tags, like and comment
//! counts, whether the viewer likes it and its space. Its comments with their authors are one
//! more ([`comments`]).
use sea_orm::{
    ConnectionTrait, DbErr, FromQueryResult,
    sea_query::{Alias, Expr, ExprTrait, Order, Query, SimpleExpr},
};

use super::{repo::Author, views::PostSummary};
use crate::{
    auth::current_user::CurrentUser,
    content::derived::Derived,
    db::{all_columns, count_of},
    entities::{post_comments, post_likes, post_tags, posts},
    error::AppResult,
    people::repo::{author_of, join_author},
    spaces::{
        audience::Audience,
        service::{join_space_ref, space_ref_of},
        types::SpaceRef,
    },
};

/// How the post is asked for.
#[derive(Clone, Copy)]
pub enum Key<'a> {
    Id(i64),
    /// Its current slug (old slugs are `repo::find_by_slug`'s).
    Slug(&'a str),
}

/// A post as its page needs it.
pub struct PostRow {
    pub post: posts::Model,
    pub author: Author,
    pub tags: Vec<String>,
    pub likes: i64,
    pub comments: i64,
    pub liked_by_me: bool,
    pub space: Option<SpaceRef>,
}

/// The post, unless its space is out of the viewer's sight (whether its state lets the viewer
/// read it is the service's question).
pub async fn post<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    key: Key<'_>,
) -> Result<Option<PostRow>, DbErr> {
    let pid = || SimpleExpr::from(Expr::col((posts::Entity, posts::Column::Id)));
    let mut select = Query::select();
    all_columns(&mut select, posts::Entity);
    select.from(posts::Entity);
    match key {
        Key::Id(id) => select.and_where(Expr::col((posts::Entity, posts::Column::Id)).eq(id)),
        Key::Slug(slug) => {
            select.and_where(Expr::col((posts::Entity, posts::Column::Slug)).eq(slug))
        }
    };
    select
        .cond_where(Audience::of(viewer).condition(posts::Column::SpaceId))
        .expr_as(
            crate::tags::names_column(
                conn.get_database_backend(),
                post_tags::Entity,
                post_tags::Column::PostId,
                post_tags::Column::TagId,
                pid(),
            ),
            Alias::new("tag_names"),
        )
        .expr_as(
            count_of(
                post_likes::Entity,
                [Expr::col((post_likes::Entity, post_likes::Column::PostId)).eq(pid())],
            ),
            Alias::new("likes"),
        )
        .expr_as(
            count_of(
                post_likes::Entity,
                [
                    Expr::col((post_likes::Entity, post_likes::Column::PostId)).eq(pid()),
                    Expr::col((post_likes::Entity, post_likes::Column::UserId)).eq(viewer.id.0),
                ],
            ),
            Alias::new("liked_by_me"),
        )
        .expr_as(
            count_of(
                post_comments::Entity,
                [
                    Expr::col((post_comments::Entity, post_comments::Column::PostId)).eq(pid()),
                    Expr::col((post_comments::Entity, post_comments::Column::DeletedAt)).is_null(),
                ],
            ),
            Alias::new("comment_count"),
        );
    join_author(
        &mut select,
        Expr::col((posts::Entity, posts::Column::AuthorId)),
    );
    join_space_ref(
        &mut select,
        Expr::col((posts::Entity, posts::Column::SpaceId)),
    );
    let Some(row) = crate::db::one(conn, &select).await? else {
        return Ok(None);
    };
    let space = space_ref_of(&row)?;
    Ok(Some(PostRow {
        post: posts::Model::from_query_result(&row, "")?,
        author: author_of(&row)?,
        tags: crate::tags::split_names(row.try_get("", "tag_names")?),
        likes: row.try_get("", "likes")?,
        comments: row.try_get("", "comment_count")?,
        liked_by_me: row.try_get::<i64>("", "liked_by_me")? > 0,
        space,
    }))
}

/// A post's comments, oldest first, with their authors.
pub async fn comments<C: ConnectionTrait>(
    conn: &C,
    post_id: i64,
) -> Result<Vec<(post_comments::Model, Author)>, DbErr> {
    let mut select = Query::select();
    all_columns(&mut select, post_comments::Entity);
    select
        .from(post_comments::Entity)
        .and_where(Expr::col((post_comments::Entity, post_comments::Column::PostId)).eq(post_id))
        .order_by(
            (post_comments::Entity, post_comments::Column::Id),
            Order::Asc,
        );
    join_author(
        &mut select,
        Expr::col((post_comments::Entity, post_comments::Column::AuthorId)),
    );
    crate::db::all(conn, &select)
        .await?
        .iter()
        .map(|row| {
            Ok((
                post_comments::Model::from_query_result(row, "")?,
                author_of(row)?,
            ))
        })
        .collect()
}

/// Summaries of the posts `query` selects, in its order, with their authors, tags, likes and
/// undeleted comments: the query itself, with those as joins and columns (one statement).
pub async fn summaries<C: ConnectionTrait>(
    conn: &C,
    query: sea_orm::Select<posts::Entity>,
) -> AppResult<Vec<PostSummary>> {
    let select = summary_select(conn.get_database_backend(), query);
    Ok(crate::db::all(conn, &select)
        .await?
        .iter()
        .map(summary_row)
        .collect::<Result<_, DbErr>>()?)
}

/// Several lists of posts (each query with its own filter, order and limit) as one statement
/// (none for no lists), read with [`lists_of`].
pub fn lists_select(
    backend: sea_orm::DatabaseBackend,
    queries: Vec<sea_orm::Select<posts::Entity>>,
) -> Option<sea_orm::sea_query::SelectStatement> {
    crate::db::union_lists(queries.into_iter().map(|q| summary_select(backend, q)))
}

/// The `count` lists of a [`lists_select`]'s rows, each newest first.
pub fn lists_of(rows: Vec<sea_orm::QueryResult>, count: usize) -> AppResult<Vec<Vec<PostSummary>>> {
    let mut lists: Vec<Vec<PostSummary>> = (0..count).map(|_| Vec::new()).collect();
    for row in rows {
        let list: i32 = row.try_get("", "list_")?;
        usize::try_from(list)
            .ok()
            .and_then(|i| lists.get_mut(i))
            .ok_or_else(|| anyhow::anyhow!("a row of no list ({list})"))?
            .push(summary_row(&row)?);
    }
    for list in &mut lists {
        list.sort_by_key(|p| std::cmp::Reverse((p.published_at, p.id)));
    }
    Ok(lists)
}

/// A post's own fields as a list shows them: not its body and its HTML (a list never shows
/// them), only the excerpts and the reading time.
#[derive(Debug, FromQueryResult)]
pub struct SummaryFields {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub excerpt: String,
    pub body_excerpt: Option<String>,
    pub reading_minutes: Option<i32>,
    /// The body only while its excerpt or reading time is not kept (a post written before they
    /// were), to derive them from.
    pub body_md: Option<String>,
    pub language: String,
    pub status: String,
    pub cover_path: Option<String>,
    pub is_announcement: bool,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    pub scheduled_at: Option<chrono::DateTime<chrono::Utc>>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<posts::Model> for SummaryFields {
    fn from(p: posts::Model) -> Self {
        Self {
            body_md: (p.body_excerpt.is_none() || p.reading_minutes.is_none()).then_some(p.body_md),
            id: p.id,
            title: p.title,
            slug: p.slug,
            excerpt: p.excerpt,
            body_excerpt: p.body_excerpt,
            reading_minutes: p.reading_minutes,
            language: p.language,
            status: p.status,
            cover_path: p.cover_path,
            is_announcement: p.is_announcement,
            published_at: p.published_at,
            scheduled_at: p.scheduled_at,
            updated_at: p.updated_at,
        }
    }
}

/// `query` with each post's author, tags, likes and undeleted comments as joins and columns,
/// and of the post only its [`SummaryFields`].
fn summary_select(
    backend: sea_orm::DatabaseBackend,
    query: sea_orm::Select<posts::Entity>,
) -> sea_orm::sea_query::SelectStatement {
    use posts::Column as P;
    use sea_orm::QueryTrait;
    let pid = || SimpleExpr::from(Expr::col((posts::Entity, posts::Column::Id)));
    let mut select = query.into_query();
    select.clear_selects();
    select
        .columns(
            [
                P::Id,
                P::Title,
                P::Slug,
                P::Excerpt,
                P::BodyExcerpt,
                P::ReadingMinutes,
                P::Language,
                P::Status,
                P::CoverPath,
                P::IsAnnouncement,
                P::PublishedAt,
                P::ScheduledAt,
                P::UpdatedAt,
            ]
            .map(|c| (posts::Entity, c)),
        )
        .expr_as(
            Expr::case(
                Expr::col((posts::Entity, P::BodyExcerpt))
                    .is_null()
                    .or(Expr::col((posts::Entity, P::ReadingMinutes)).is_null()),
                Expr::col((posts::Entity, P::BodyMd)),
            ),
            Alias::new("body_md"),
        )
        .expr_as(
            crate::tags::names_column(
                backend,
                post_tags::Entity,
                post_tags::Column::PostId,
                post_tags::Column::TagId,
                pid(),
            ),
            Alias::new("tag_names"),
        )
        .expr_as(
            count_of(
                post_likes::Entity,
                [Expr::col((post_likes::Entity, post_likes::Column::PostId)).eq(pid())],
            ),
            Alias::new("likes"),
        )
        .expr_as(
            count_of(
                post_comments::Entity,
                [
                    Expr::col((post_comments::Entity, post_comments::Column::PostId)).eq(pid()),
                    Expr::col((post_comments::Entity, post_comments::Column::DeletedAt)).is_null(),
                ],
            ),
            Alias::new("comment_count"),
        );
    join_author(
        &mut select,
        Expr::col((posts::Entity, posts::Column::AuthorId)),
    );
    select
}

/// A row of a [`summary_select`].
fn summary_row(row: &sea_orm::QueryResult) -> Result<PostSummary, DbErr> {
    Ok(summary_of(
        SummaryFields::from_query_result(row, "")?,
        author_of(row)?,
        crate::tags::split_names(row.try_get("", "tag_names")?),
        row.try_get("", "likes")?,
        row.try_get("", "comment_count")?,
    ))
}

/// A post as lists show it.
pub(super) fn summary_of(
    p: SummaryFields,
    author: Author,
    tags: Vec<String>,
    likes: i64,
    comments: i64,
) -> PostSummary {
    let body = p.body_md.as_deref().unwrap_or_default();
    let excerpt = if p.excerpt.is_empty() {
        Derived::excerpt_or(p.body_excerpt, body)
    } else {
        p.excerpt
    };
    PostSummary {
        url: format!("/blog/{}", p.slug),
        excerpt,
        tags,
        status: super::service::status_named(&p.status),
        cover_url: p.cover_path.as_ref().map(|c| format!("/uploads/{c}")),
        reading_minutes: Derived::minutes_or(p.reading_minutes, body),
        like_count: likes,
        comment_count: comments,
        id: p.id,
        title: p.title,
        slug: p.slug,
        language: p.language,
        author,
        is_announcement: p.is_announcement,
        published_at: p.published_at,
        scheduled_at: p.scheduled_at,
        updated_at: p.updated_at,
    }
}

/// A post's earlier versions, newest first, with their editors' names (one statement).
pub async fn revisions<C: ConnectionTrait>(
    conn: &C,
    post_id: i64,
) -> Result<Vec<super::views::Revision>, DbErr> {
    use crate::entities::post_revisions;
    let mut select = Query::select();
    all_columns(&mut select, post_revisions::Entity);
    select
        .from(post_revisions::Entity)
        .and_where(Expr::col((post_revisions::Entity, post_revisions::Column::PostId)).eq(post_id))
        .expr_as(
            crate::people::repo::name_column(
                "editor",
                Expr::col((post_revisions::Entity, post_revisions::Column::EditorId)),
            ),
            Alias::new("editor_name_"),
        )
        .order_by(
            (post_revisions::Entity, post_revisions::Column::Id),
            Order::Desc,
        );
    crate::db::all(conn, &select)
        .await?
        .iter()
        .map(|row| -> Result<super::views::Revision, DbErr> {
            let r = post_revisions::Model::from_query_result(row, "")?;
            Ok(super::views::Revision {
                id: r.id,
                editor_name: row.try_get("", "editor_name_")?,
                title: r.title,
                body: r.body_md,
                created_at: r.created_at,
            })
        })
        .collect()
}
